//! What the Office outputs (`.xlsx`, `.docx`) share: the seal that lets a later run replace a
//! workbook or document cloudready wrote and nobody has edited since, and the atomic write.
//!
//! Both formats are zip packages. The seal is a custom document property, `cloudready:output`,
//! holding a SHA-256 over every part of the package except the custom-properties part itself
//! (names and contents, in package order). Office rewrites the parts whenever a file is saved,
//! so a file edited in Excel or Word no longer matches and is never clobbered without --force.

use std::io::{Cursor, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The custom property's name.
pub const SEAL_PROPERTY: &str = "cloudready:output";
/// The part of the package that holds the custom properties (left out of the hash).
const CUSTOM_PART: &str = "docProps/custom.xml";
/// Parts larger than this are not read to check a seal (a zip bomb is not ours).
const MAX_PART: u64 = 256 * 1024 * 1024;

/// The hash of a package's parts, or `None` when `bytes` is not a readable zip.
fn content_hash(bytes: &[u8]) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut hash = Sha256::new();
    let mut buf = Vec::new();
    for i in 0..zip.len() {
        let f = zip.by_index(i).ok()?;
        let name = f.name().ok()?.into_owned();
        if name == CUSTOM_PART {
            continue;
        }
        if f.size() > MAX_PART {
            return None;
        }
        buf.clear();
        f.take(MAX_PART).read_to_end(&mut buf).ok()?;
        hash.update((name.len() as u64).to_le_bytes());
        hash.update(name.as_bytes());
        hash.update((buf.len() as u64).to_le_bytes());
        hash.update(&buf);
    }
    Some(hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The seal value a package carries in its custom properties, if any.
fn carried_seal(bytes: &[u8]) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let f = zip.by_name(CUSTOM_PART).ok()?;
    let mut text = String::new();
    f.take(1 << 20).read_to_string(&mut text).ok()?;
    let at = text.find(SEAL_PROPERTY)?;
    let rest = &text[at..];
    let hex_at = rest.find("sha256:")? + "sha256:".len();
    let hex: String = rest[hex_at..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (hex.len() == 64).then_some(hex)
}

/// Whether `bytes` is a package cloudready wrote and nobody has saved since.
pub fn is_sealed(bytes: &[u8]) -> bool {
    match (carried_seal(bytes), content_hash(bytes)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Builds a sealed package: `build` is given the seal value to store as the
/// [`SEAL_PROPERTY`] custom property and must give the same parts whatever the value (it is
/// called twice: once to learn the parts' hash, once to store it).
pub fn sealed(mut build: impl FnMut(&str) -> Result<Vec<u8>>) -> Result<Vec<u8>> {
    let first = build(&format!("sha256:{}", "0".repeat(64)))?;
    let hash = content_hash(&first).ok_or_else(|| Error::Io {
        path: "<output>".into(),
        message: "the package just built cannot be read back".into(),
    })?;
    build(&format!("sha256:{hash}"))
}

/// Writes a sealed package atomically to `path`, refusing to replace a file cloudready did not
/// write (or that was edited since) unless `force`.
pub fn write(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    crate::output::write_atomic(path, bytes, force, is_sealed)
}

/// The refusal for a package format asked for on standard output.
pub fn needs_file(format: &str, example: &str) -> Error {
    Error::Usage(format!(
        "--format {format} writes a binary file, not text for the terminal; give the file with -o, e.g. `-o {example}`"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{DocProperties, Workbook};

    fn book(cell: &str, seal: &str) -> Result<Vec<u8>> {
        let mut b = Workbook::new();
        b.set_properties(&DocProperties::new().set_custom_property(SEAL_PROPERTY, seal));
        b.add_worksheet().write_string(0, 0, cell).unwrap();
        Ok(b.save_to_buffer().unwrap())
    }

    #[test]
    fn the_seal_binds_the_content() {
        let ours = sealed(|s| book("ours", s)).unwrap();
        assert!(is_sealed(&ours));
        let seal = format!("sha256:{}", carried_seal(&ours).unwrap());
        // The same seal on different content (an edit saved by another program) does not match.
        assert!(!is_sealed(&book("edited", &seal).unwrap()));
        assert!(!is_sealed(&book("ours", "none").unwrap()), "no seal");
        assert!(!is_sealed(b"not a zip"));
    }
}
