//! The inventory digest a generated strategy carries, so `check --strategy` can tell whether the
//! document still matches the inventory it claims to come from.
//!
//! For one file the digest is the SHA-256 of its bytes as read, so `sha256sum inventory.yaml`
//! gives the same hex. For several files it is the SHA-256 of their sorted per-file digests
//! (one per line), so the order files are named in does not matter.

use sha2::{Digest, Sha256};

use crate::diagnostic::Sources;

/// The marker written into generated documents, followed by the digest.
pub const MARKER: &str = "cloudready:inventory";

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// `sha256:<hex>` over the inventory files of a run.
pub fn inventory_digest(sources: &Sources) -> String {
    let mut per_file: Vec<String> = sources
        .iter()
        .map(|f| hex(&Sha256::digest(f.text.as_bytes())))
        .collect();
    if per_file.len() == 1 {
        return format!("sha256:{}", per_file[0]);
    }
    per_file.sort();
    format!(
        "sha256:{}",
        hex(&Sha256::digest(per_file.join("\n").as_bytes()))
    )
}

/// The comment line a generated markdown or HTML document carries.
pub fn comment(digest: &str) -> String {
    format!("<!-- {MARKER} {digest} -->")
}

/// Finds the digest in a document's text, if it carries one.
pub fn find(text: &str) -> Option<&str> {
    let start = text.find(MARKER)? + MARKER.len();
    let rest = text[start..].trim_start();
    let d = rest.get(..71)?;
    (d.starts_with("sha256:") && d[7..].bytes().all(|b| b.is_ascii_hexdigit())).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_matches_sha256sum_and_order_does_not_matter() {
        let mut s = Sources::default();
        s.add("a", "abc".into());
        assert_eq!(
            inventory_digest(&s),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let mut ab = Sources::default();
        ab.add("a", "abc".into());
        ab.add("b", "def".into());
        let mut ba = Sources::default();
        ba.add("b", "def".into());
        ba.add("a", "abc".into());
        assert_eq!(inventory_digest(&ab), inventory_digest(&ba));
        assert_ne!(inventory_digest(&ab), inventory_digest(&s));
    }

    #[test]
    fn finds_the_digest_in_a_comment() {
        let d = "sha256:".to_string() + &"0a".repeat(32);
        let doc = format!("# Title\n{}\nbody", comment(&d));
        assert_eq!(find(&doc), Some(d.as_str()));
        assert_eq!(find("no marker here"), None);
        assert_eq!(find("<!-- cloudready:inventory sha256:zz -->"), None);
    }
}
