//! Reading inventory files: bytes → text → spanned tree → validated [`Inventory`].

pub mod csv;
pub mod node;

use std::io::Read;
use std::path::Path;

use crate::diagnostic::{Diagnostic, FileId, Loc, Sources};
use crate::error::{Error, Result};
use crate::inventory::Inventory;
use crate::validate::{self, Document};
use node::Limits;

/// Input limits; the defaults suit the largest real inventories with room to spare.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    pub max_input_bytes: u64,
    pub limits: Limits,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_input_bytes: 256 * 1024 * 1024,
            limits: Limits::default(),
        }
    }
}

/// Reads, parses and validates one or more inventory files (`-` reads standard input).
pub fn load_inventory(paths: &[impl AsRef<Path>], opts: &LoadOptions) -> Result<Inventory> {
    let mut sources = Sources::default();
    let mut docs = Vec::with_capacity(paths.len());
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    // Problems in a file that still gave a tree (CSV cells): reported with the validator's.
    let mut soft = Vec::new();
    for p in paths {
        let p = p.as_ref();
        let shown = p.display().to_string();
        let bytes = read_input(p, opts.max_input_bytes)?;
        match decode(&bytes) {
            Ok(text) => {
                let file = sources.add(shown, text);
                let text = &sources.get(file).map(|f| f.text.as_str()).unwrap_or("");
                match parse(file, text, p, opts) {
                    Ok((doc, n, e)) => {
                        docs.push(doc);
                        notes.extend(n);
                        soft.extend(e);
                    }
                    Err(d) => errors.extend(d),
                }
            }
            Err((offset, line, col, byte)) => {
                let file = sources.add(shown, String::new());
                let _ = offset;
                errors.push(
                    Diagnostic::error(
                        Loc::new(file, line, col),
                        format!("not UTF-8 text: byte 0x{byte:02x} at line {line}, column {col}"),
                    )
                    .hint("an inventory is UTF-8 YAML, JSON or CSV; re-save it as UTF-8 (a binary file or a spreadsheet cannot be read directly: export it as CSV)"),
                );
            }
        }
    }
    if !errors.is_empty() {
        errors.append(&mut soft);
        return Err(Error::invalid(&sources, errors));
    }
    match validate::build(&docs) {
        Ok(_) if !soft.is_empty() => Err(Error::invalid(&sources, soft)),
        Err(mut diags) if !soft.is_empty() => {
            soft.append(&mut diags);
            // One list in file order, as a reader goes through the file.
            soft.sort_by_key(|d| d.loc);
            Err(Error::invalid(&sources, soft))
        }
        Ok(mut parts) => {
            notes.append(&mut parts.2);
            parts.2 = notes;
            Ok(validate::assemble(sources, parts))
        }
        Err(diags) => Err(Error::invalid(&sources, diags)),
    }
}

fn read_input(p: &Path, max: u64) -> Result<Vec<u8>> {
    let shown = p.display().to_string();
    let too_big = || Error::Io {
        path: shown.clone(),
        message: format!(
            "larger than the input limit of {} MiB; raise it with --max-input-size if the file is genuine",
            max / (1024 * 1024)
        ),
    };
    let mut buf = Vec::new();
    if p.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(max + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::io("<stdin>", &e))?;
    } else {
        let meta = std::fs::metadata(p).map_err(|e| Error::io(&shown, &e))?;
        if meta.is_dir() {
            return Err(Error::Io {
                path: shown,
                message: "is a directory; give the inventory files inside it (e.g. dir/*.yaml)"
                    .into(),
            });
        }
        if meta.len() > max {
            return Err(too_big());
        }
        let f = std::fs::File::open(p).map_err(|e| Error::io(&shown, &e))?;
        f.take(max + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::io(&shown, &e))?;
    }
    if buf.len() as u64 > max {
        return Err(too_big());
    }
    Ok(buf)
}

/// UTF-8 text without a byte-order mark, or the place of the first bad byte.
fn decode(bytes: &[u8]) -> std::result::Result<String, (usize, u32, u32, u8)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let bad_at = |off: usize| {
        let before = &bytes[..off];
        let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count() as u32
            + 1;
        (off, line, col, bytes[off])
    };
    // A NUL is valid UTF-8 but never text: report whichever bad byte comes first.
    let nul = bytes.iter().position(|&b| b == 0);
    match (std::str::from_utf8(bytes), nul) {
        (Ok(s), None) => Ok(s.to_owned()),
        (Ok(_), Some(n)) => Err(bad_at(n)),
        (Err(e), n) => Err(bad_at(
            n.map_or(e.valid_up_to(), |n| n.min(e.valid_up_to())),
        )),
    }
}

/// One file's tree, with notes about how it was read (e.g. a CSV without an agency) and errors
/// that left the tree usable (CSV cells that could not be read).
fn parse(
    file: FileId,
    text: &str,
    path: &Path,
    opts: &LoadOptions,
) -> std::result::Result<(Document, Vec<Diagnostic>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let file_loc = Loc::new(file, 0, 0);
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::error(file_loc, "the file is empty").hint(
            "an inventory starts with `schema: cloudready/v1`, an `agency:` and a list of `workloads:`; `cloudready init` writes a starter",
        )]);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if ext.as_deref() == Some("csv") {
        let stem = path
            .file_stem()
            .map_or_else(|| "inventory".into(), |s| s.to_string_lossy().into_owned());
        let doc = csv::parse_csv(file, text, &stem)?;
        return Ok((
            Document {
                file,
                root: doc.root,
                file_loc,
            },
            doc.notes,
            doc.errors,
        ));
    }
    match node::parse_yaml(file, text, opts.limits) {
        Ok(root) if root.value == node::Value::Null => Err(vec![Diagnostic::error(file_loc, "the file holds no data")
            .hint("an inventory starts with `schema: cloudready/v1`, an `agency:` and a list of `workloads:`")]),
        Ok(root) => Ok((Document { file, root, file_loc }, Vec::new(), Vec::new())),
        Err(e) => Err(vec![yaml_error(file, text, &e)]),
    }
}

/// A parser error as a diagnostic, with a hint for the mistakes people actually make.
fn yaml_error(file: FileId, text: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let loc = e.location().filter(|l| l.line() > 0);
    let (line, col) = loc.map_or((0, 0), |l| (l.line() as u32, l.column() as u32));
    let mut message = e.without_snippet().to_string();
    // The parser appends its own "at line X column Y"; ours is in the arrow line.
    for marker in [" at line ", " (line "] {
        if let Some(i) = message.find(marker) {
            message.truncate(i);
        }
    }
    let line_text = text
        .lines()
        .nth(line.saturating_sub(1) as usize)
        .unwrap_or("");
    let hint = yaml_hint(line_text, &message, text, line);
    let mut at = Loc::new(file, line, col);
    // The parser reports a tab where its scan stopped, often the line before; point at the tab.
    if hint.as_deref().is_some_and(|h| h.contains("tabs"))
        && let Some((i, l)) = text
            .lines()
            .enumerate()
            .skip(line.saturating_sub(2) as usize)
            .take(3)
            .find(|(_, l)| {
                l.chars()
                    .take_while(|c| c.is_whitespace())
                    .any(|c| c == '\t')
            })
    {
        let c = l.chars().position(|c| c == '\t').unwrap_or(0);
        at = Loc::new(file, i as u32 + 1, c as u32 + 1);
    }
    Diagnostic::error(at, format!("invalid YAML: {message}")).maybe_hint(hint)
}

fn yaml_hint(line_text: &str, message: &str, text: &str, line: u32) -> Option<String> {
    // Unquoted `key: OFFICIAL: Sensitive`: the second colon starts a mapping the parser cannot take.
    let body = line_text.trim_start().trim_start_matches("- ");
    if let Some((key, rest)) = body.split_once(": ") {
        let rest = rest.trim();
        if !rest.starts_with(['"', '\'', '[', '{', '|', '>']) && rest.contains(": ") {
            let value = rest.split(" #").next().unwrap_or(rest).trim();
            if value.eq_ignore_ascii_case("OFFICIAL: Sensitive") {
                return Some(format!(
                    "quote the classification: `{key}: \"OFFICIAL: Sensitive\"` (in YAML a colon followed by a space inside an unquoted value starts a new mapping)"
                ));
            }
            return Some(format!(
                "a value that contains `: ` must be quoted: `{key}: \"{value}\"`"
            ));
        }
    }
    // Tabs anywhere in the indentation near the error.
    let lo = line.saturating_sub(2) as usize;
    if text.lines().skip(lo).take(3).any(|l| {
        l.chars()
            .take_while(|c| c.is_whitespace())
            .any(|c| c == '\t')
    }) || message.to_ascii_lowercase().contains("tab")
    {
        return Some(
            "YAML does not allow tabs for indentation; indent with spaces (two per level)".into(),
        );
    }
    let lower = message.to_ascii_lowercase();
    if lower.contains("duplicate") {
        return Some(
            "each key may appear once in a mapping; remove or merge the repeated one".into(),
        );
    }
    if lower.contains("budget") || lower.contains("limit") || lower.contains("depth") {
        return Some("the file exceeds cloudready's safety limits (nesting depth, node count or alias expansion); an inventory never needs this much".into());
    }
    if lower.contains("multiple documents") || lower.contains("more than one document") {
        return Some("put one inventory per file, or give each document as its own file".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_first_bad_byte() {
        assert_eq!(decode(b"ab\ncd\xffe").unwrap_err(), (5, 2, 3, 0xff));
        assert_eq!(decode(b"a\0").unwrap_err().3, 0);
        assert_eq!(decode(b"\xEF\xBB\xBFok").unwrap(), "ok");
    }

    #[test]
    fn hints_quote_for_unquoted_official_sensitive() {
        let h = yaml_hint("    classification: OFFICIAL: Sensitive", "", "", 1).unwrap();
        assert!(h.contains("\"OFFICIAL: Sensitive\""), "{h}");
        let h = yaml_hint("  description: Note: this", "", "", 1).unwrap();
        assert!(h.contains("must be quoted"), "{h}");
        assert!(yaml_hint("  description: \"a: b\"", "x", "a", 1).is_none());
    }
}
