//! BERT WordPiece tokenisation (uncased) by HuggingFace's `tokenizers`, reading the model's
//! own `tokenizer.json`: the same ids as the reference. Input longer than [`MAX_TOKENS`] is
//! truncated (the model's `max_seq_length`), `[CLS]` and `[SEP]` included.

use tokenizers::{Tokenizer, TruncationParams};

/// Most tokens per sentence, `[CLS]` and `[SEP]` included: longer input is cut at the end.
pub const MAX_TOKENS: usize = 256;

#[derive(Debug, thiserror::Error)]
#[error("the tokenizer cannot be read: {0}")]
pub struct TokenizerError(String);

pub struct WordPiece {
    tokenizer: Tokenizer,
    /// The ids of an empty text (the model's start and end pieces): the answer should
    /// encoding ever fail.
    empty: Vec<u32>,
}

impl std::fmt::Debug for WordPiece {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WordPiece")
    }
}

impl WordPiece {
    /// From a `tokenizer.json`; its padding is switched off (batches pad themselves) and its
    /// truncation set to [`MAX_TOKENS`].
    pub fn from_json(bytes: &[u8]) -> Result<Self, TokenizerError> {
        // One thread: the browser has no threads to give, and one sentence at a time is fast.
        tokenizers::utils::parallelism::set_parallelism(false);
        let mut tokenizer =
            Tokenizer::from_bytes(bytes).map_err(|e| TokenizerError(e.to_string()))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|e| TokenizerError(e.to_string()))?;
        let empty = tokenizer
            .encode("", true)
            .map_err(|e| TokenizerError(e.to_string()))?
            .get_ids()
            .to_vec();
        Ok(WordPiece { tokenizer, empty })
    }

    /// The token ids of `text`, `[CLS]` first and `[SEP]` last.
    pub fn ids(&self, text: &str) -> Vec<u32> {
        match self.tokenizer.encode(text, true) {
            Ok(encoding) => encoding.get_ids().to_vec(),
            // No step of these pipelines fails on text; keep the shape of an answer.
            Err(_) => self.empty.clone(),
        }
    }
}
