//! The model's manifest: `cargo xtask text-model` ships `manifest.json` beside the files the
//! app loads, with each file's size and sha256. The app checks every file against it, whether
//! it came from Cache Storage or the network, so a truncated or damaged file is noticed (and
//! fetched again) instead of breaking the text side for good.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::F16_WEIGHTS;

/// The manifest's file name, in the model's folder.
pub const MANIFEST: &str = "manifest.json";
/// The tokenizer's file name, in the model's folder.
pub const TOKENIZER: &str = "tokenizer.json";
/// A manifest is a few hundred bytes; anything much larger is not one.
const MAX_MANIFEST_BYTES: usize = 64 * 1024;

/// What a whole file is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDigest {
    pub bytes: u64,
    /// Lowercase hex.
    pub sha256: String,
}

/// Each file the app loads, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelManifest {
    pub files: BTreeMap<String, FileDigest>,
}

impl ModelManifest {
    /// Read a manifest, checking that it names the tokenizer and the weights with a size and
    /// a well-formed digest each.
    pub fn parse(bytes: &[u8]) -> Result<ModelManifest, String> {
        if bytes.len() > MAX_MANIFEST_BYTES {
            return Err(format!(
                "{MANIFEST}: {} bytes is not a manifest",
                bytes.len()
            ));
        }
        let manifest: ModelManifest =
            serde_json::from_slice(bytes).map_err(|e| format!("{MANIFEST}: {e}"))?;
        for name in [TOKENIZER, F16_WEIGHTS] {
            let digest = manifest
                .files
                .get(name)
                .ok_or_else(|| format!("{MANIFEST}: files.\"{name}\" is missing"))?;
            let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
            if digest.sha256.len() != 64 || !digest.sha256.chars().all(hex) {
                return Err(format!(
                    "{MANIFEST}: files.\"{name}\".sha256 is not a sha256 in lowercase hex"
                ));
            }
        }
        Ok(manifest)
    }

    /// What `name` must be, if the manifest lists it.
    pub fn digest(&self, name: &str) -> Option<&FileDigest> {
        self.files.get(name)
    }
}

impl FileDigest {
    /// Whether `bytes` with this `sha256` (lowercase hex) is the file.
    pub fn matches(&self, bytes: usize, sha256: &str) -> bool {
        self.bytes == bytes as u64 && self.sha256 == sha256
    }
}

/// Bytes as lowercase hex (a digest as the manifest writes it).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037";

    fn manifest(tokenizer_sha: &str) -> String {
        format!(
            r#"{{"files": {{"tokenizer.json": {{"bytes": 3, "sha256": "{tokenizer_sha}"}},
                 "model.f16.bpk": {{"bytes": 5, "sha256": "{A}"}}}}}}"#
        )
    }

    #[test]
    fn a_manifest_names_both_files_with_sizes_and_digests() {
        let m = ModelManifest::parse(manifest(A).as_bytes()).unwrap();
        let tokenizer = m.digest(TOKENIZER).unwrap();
        assert!(tokenizer.matches(3, A));
        assert!(!tokenizer.matches(2, A), "a truncated file is not the file");
        assert!(!tokenizer.matches(3, &A.replace('b', "c")));
        assert_eq!(m.digest("other"), None);
    }

    #[test]
    fn a_bad_manifest_says_what_is_wrong() {
        let upper = A.to_uppercase();
        for (bytes, says) in [
            (manifest(&upper), "lowercase hex"),
            (manifest("abc"), "lowercase hex"),
            (
                manifest(A).replace("model.f16.bpk", "other"),
                "model.f16.bpk",
            ),
            ("{\"files\": ".to_string(), "manifest.json"),
            (" ".repeat(MAX_MANIFEST_BYTES + 1), "not a manifest"),
        ] {
            let e = ModelManifest::parse(bytes.as_bytes()).unwrap_err();
            assert!(e.contains(says), "{e}");
        }
    }

    #[test]
    fn digests_are_written_in_lowercase_hex() {
        assert_eq!(hex(&[0, 15, 171, 255]), "000fabff");
    }
}
