//! The seal of the Office outputs (`.xlsx`, `.docx`): it lets a later run replace a workbook or
//! document cloudready wrote and nobody has edited since.
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
/// A package larger than this (unpacked) is not read to check a seal: a zip bomb is not ours.
const MAX_UNPACKED: u64 = 4 << 30;

/// The hash of a package's parts, or `None` when `bytes` is not a readable zip (or unpacks to
/// more than `limit`). Parts are streamed through the hash: a large workbook's sheet can be
/// hundreds of megabytes.
fn content_hash(bytes: &[u8], limit: u64) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        total = total.saturating_add(zip.by_index_raw(i).ok()?.size());
    }
    if total > limit {
        return None;
    }
    let mut hash = Sha256::new();
    for i in 0..zip.len() {
        let f = zip.by_index(i).ok()?;
        let name = f.name().ok()?.into_owned();
        if name == CUSTOM_PART {
            continue;
        }
        hash.update((name.len() as u64).to_le_bytes());
        hash.update(name.as_bytes());
        hash.update(f.size().to_le_bytes());
        let mut part = f.take(limit);
        let mut buf = [0u8; 1 << 16];
        loop {
            let n = part.read(&mut buf).ok()?;
            if n == 0 {
                break;
            }
            hash.update(&buf[..n]);
        }
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
    match (carried_seal(bytes), content_hash(bytes, MAX_UNPACKED)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// The placeholder a package is built with; [`seal`] replaces it with the parts' hash.
pub const PLACEHOLDER: &str =
    "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// Seals a package built with [`PLACEHOLDER`] as its [`SEAL_PROPERTY`] custom property: every
/// part is copied as it is, and the custom-properties part is written again with the hash of
/// the others in place of the placeholder.
pub fn seal(package: &[u8]) -> Result<Vec<u8>> {
    let broken = |why: String| {
        Error::file(
            "<output>",
            format!("the package just built cannot be sealed: {why}"),
        )
    };
    let hash =
        content_hash(package, u64::MAX).ok_or_else(|| broken("its parts cannot be read".into()))?;
    let mut zip = zip::ZipArchive::new(Cursor::new(package)).map_err(|e| broken(e.to_string()))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(package.len() + 256)));
    let mut sealed = false;
    for i in 0..zip.len() {
        let f = zip.by_index(i).map_err(|e| broken(e.to_string()))?;
        let name = f.name().map_err(|e| broken(e.to_string()))?.into_owned();
        if name != CUSTOM_PART {
            out.raw_copy_file(f).map_err(|e| broken(e.to_string()))?;
            continue;
        }
        let mut text = String::new();
        f.take(1 << 20)
            .read_to_string(&mut text)
            .map_err(|e| broken(e.to_string()))?;
        sealed = text.contains(PLACEHOLDER);
        let text = text.replace(PLACEHOLDER, &format!("sha256:{hash}"));
        // A fixed time: the same document gives the same bytes.
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        out.start_file(name, opts)
            .and_then(|_| std::io::Write::write_all(&mut out, text.as_bytes()).map_err(Into::into))
            .map_err(|e| broken(e.to_string()))?;
    }
    if !sealed {
        return Err(broken("it has no seal property".into()));
    }
    let out = out.finish().map_err(|e| broken(e.to_string()))?;
    Ok(out.into_inner())
}

/// [`is_sealed`] for a file on disk.
pub(super) fn file_is_sealed(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|b| is_sealed(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{DocProperties, Workbook};

    fn book(cell: &str, seal: &str) -> Vec<u8> {
        let mut b = Workbook::new();
        b.set_properties(&DocProperties::new().set_custom_property(SEAL_PROPERTY, seal));
        b.add_worksheet().write_string(0, 0, cell).unwrap();
        b.save_to_buffer().unwrap()
    }

    #[test]
    fn the_seal_binds_the_content() {
        let ours = seal(&book("ours", PLACEHOLDER)).unwrap();
        assert!(is_sealed(&ours));
        assert_eq!(
            ours,
            seal(&book("ours", PLACEHOLDER)).unwrap(),
            "deterministic"
        );
        let carried = format!("sha256:{}", carried_seal(&ours).unwrap());
        assert_ne!(carried, PLACEHOLDER);
        // The same seal on different content (an edit saved by another program) does not match.
        assert!(!is_sealed(&book("edited", &carried)));
        assert!(!is_sealed(&book("ours", "none")), "no seal");
        assert!(!is_sealed(b"not a zip"));
        assert!(seal(&book("ours", "none")).is_err(), "nothing to seal");
    }
}
