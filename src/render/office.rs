//! What the Office outputs (`.xlsx`, `.docx`) share: their seal (kept with every other seal in
//! [`crate::output::package`]) and the atomic write.

use std::path::Path;

use crate::error::{Error, Result};
use crate::output::{Output, Overwrite, Seal};

pub use crate::output::package::{PLACEHOLDER, SEAL_PROPERTY, is_sealed, seal};

/// Writes a sealed package atomically to `path`, refusing to replace a file cloudready did not
/// write (or that was edited since) unless `overwrite` says so.
pub fn write(path: &Path, bytes: &[u8], overwrite: Overwrite) -> Result<()> {
    Output::file(path, overwrite).write_bytes(bytes, Seal::OFFICE)
}

/// The refusal for a package format asked for on standard output.
pub fn needs_file(format: &str, example: &str) -> Error {
    Error::Usage(format!(
        "--format {format} writes a binary file, not text for the terminal; give the file with -o, e.g. `-o {example}`"
    ))
}
