//! Reading inventory files: bytes → text → spanned tree → validated [`Inventory`]
//! ([`validate`], fed each workload as the event builder finishes it).

pub mod csv;
mod rows;
pub mod sheet;

mod events;
pub mod node;
#[cfg(test)]
mod saphyr;
pub(crate) mod scalar;
pub mod validate;
pub mod yaml;

use std::io::Read;
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, FileId, Loc, Sources};
use crate::error::{Error, Result};
use crate::inventory::Inventory;
use node::Limits;
use validate::Document;
pub use yaml::parse_yaml;

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
    // Standard input can be read once; a second `-` would read nothing and call it empty.
    if paths
        .iter()
        .filter(|p| p.as_ref().as_os_str() == "-")
        .count()
        > 1
    {
        return Err(Error::Usage(
            "`-` (standard input) is given more than once; it can be read only once: name the other inventories as files".into(),
        ));
    }
    let mut inputs = Vec::with_capacity(paths.len());
    for p in paths {
        let p = p.as_ref();
        inputs.push((
            p.display().to_string(),
            read_input(p, opts.max_input_bytes)?,
        ));
    }
    load_owned(inputs, opts)
}

/// Parses and validates inventories already in memory, each as (name shown in messages, bytes).
/// The name's extension picks the format as a path's would. Never panics, whatever the bytes:
/// this is the entry point the fuzz target and the robustness tests drive.
pub fn load_from_bytes(inputs: &[(String, Vec<u8>)], opts: &LoadOptions) -> Result<Inventory> {
    load_owned(inputs.to_vec(), opts)
}

/// [`load_from_bytes`] taking the buffers: a valid file's bytes become its text in place, so
/// a large inventory is held once, not twice.
pub fn load_owned(inputs: Vec<(String, Vec<u8>)>, opts: &LoadOptions) -> Result<Inventory> {
    let mut run = Gathered::default();
    for (shown, bytes) in inputs {
        run.file(shown, bytes, opts, parse)?;
    }
    run.finish()
}

/// How one text file becomes a document: [`parse`], or in tests the whole-tree oracle.
type Parse = fn(&Sources, FileId, &str, &Path, &LoadOptions) -> Parsed;

/// One file's document, with notes about how it was read (e.g. a CSV without an agency) and
/// errors that left it usable (CSV cells that could not be read); or why it gave none.
type Parsed = std::result::Result<(Document, Vec<Diagnostic>, Vec<Diagnostic>), Vec<Diagnostic>>;

/// What the files of one run have given so far.
#[derive(Default)]
struct Gathered {
    sources: Sources,
    docs: Vec<Document>,
    /// Files that gave no document.
    errors: Vec<Diagnostic>,
    notes: Vec<Diagnostic>,
    /// Problems in a file that still gave a document: reported with the validator's.
    soft: Vec<Diagnostic>,
}

impl Gathered {
    /// Reads one file (a spreadsheet, or text that `parse` reads) into the run.
    fn file(
        &mut self,
        shown: String,
        bytes: Vec<u8>,
        opts: &LoadOptions,
        parse: Parse,
    ) -> Result<()> {
        if bytes.len() as u64 > opts.max_input_bytes {
            return Err(too_big(&shown, opts.max_input_bytes));
        }
        let path = Path::new(&shown);
        if sheet::is_spreadsheet(path) {
            let stem = file_stem(path);
            let got = sheet::parse_sheet(
                &mut self.sources,
                &shown,
                bytes,
                &stem,
                opts.max_input_bytes,
            );
            self.take(got);
            return Ok(());
        }
        match decode(bytes) {
            Ok(text) => {
                let file = self.sources.add(shown.clone(), text);
                let text = self.sources.get(file).map_or("", |f| f.text.as_str());
                let got = parse(&self.sources, file, text, path, opts);
                self.take(got);
            }
            Err((bytes, _offset, line, col, byte)) => {
                let file = self.sources.add(shown.clone(), String::new());
                self.errors
                    .push(not_utf8(&bytes, Loc::new(file, line, col), byte));
            }
        }
        Ok(())
    }

    fn take(&mut self, parsed: Parsed) {
        match parsed {
            Ok((doc, notes, soft)) => {
                self.docs.push(doc);
                self.notes.extend(notes);
                self.soft.extend(soft);
            }
            Err(d) => self.errors.extend(d),
        }
    }

    /// Validates every document and builds the inventory, or gives every problem found.
    fn finish(self) -> Result<Inventory> {
        let Gathered {
            sources,
            docs,
            mut errors,
            mut notes,
            mut soft,
        } = self;
        // Files that parsed are still validated when another did not, so one run reports
        // every file's problems.
        if !errors.is_empty() {
            if let Err(mut diags) = validate::build_with(docs, false, &sources) {
                errors.append(&mut diags);
            }
            errors.append(&mut soft);
            errors.sort_by_key(|d| d.loc);
            return Err(Error::invalid(sources, errors));
        }
        let built = validate::build_with(docs, true, &sources);
        crate::progress::clear();
        match built {
            Ok(_) if !soft.is_empty() => Err(Error::invalid(sources, soft)),
            Err(mut diags) if !soft.is_empty() => {
                soft.append(&mut diags);
                // One list in file order, as a reader goes through the file.
                soft.sort_by_key(|d| d.loc);
                Err(Error::invalid(sources, soft))
            }
            Ok(mut parts) => {
                notes.append(&mut parts.2);
                parts.2 = notes;
                Ok(validate::assemble(sources, parts))
            }
            Err(diags) => Err(Error::invalid(sources, diags)),
        }
    }
}

fn not_utf8(bytes: &[u8], at: Loc, byte: u8) -> Diagnostic {
    let (line, col) = (at.line, at.col);
    // Windows tools often save "Unicode" text as UTF-16, which starts with a byte-order mark.
    let utf16 = if bytes.starts_with(b"\xFF\xFE") {
        Some("UTF-16 little-endian (it starts with the byte-order mark FF FE)")
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some("UTF-16 big-endian (it starts with the byte-order mark FE FF)")
    } else {
        None
    };
    let hint = match utf16 {
        Some(enc) => format!(
            "the file looks like {enc}; save it as UTF-8 (in most editors: Save As → Encoding → UTF-8)"
        ),
        None => "an inventory is UTF-8 YAML, JSON or CSV, or a spreadsheet named .xlsx, .xls or .ods; re-save it as UTF-8, or give a spreadsheet its proper extension".into(),
    };
    Diagnostic::error(
        at,
        format!("not UTF-8 text: byte 0x{byte:02x} at line {line}, column {col}"),
    )
    .code(Code::NotUtf8)
    .hint(hint)
}

fn too_big(shown: &str, max: u64) -> Error {
    Error::file(
        shown,
        format!(
            "larger than the input limit of {}; raise it with --max-input-size BYTES if the file is genuine",
            human_bytes(max)
        ),
    )
}

fn human_bytes(n: u64) -> String {
    if n >= 1024 * 1024 && n.is_multiple_of(1024 * 1024) {
        format!("{} MiB", n / (1024 * 1024))
    } else {
        format!("{n} bytes")
    }
}

pub fn read_input(p: &Path, max: u64) -> Result<Vec<u8>> {
    let shown = p.display().to_string();
    let too_big = || too_big(&shown, max);
    let mut buf = Vec::new();
    if p.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(max.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| Error::io("<stdin>", e))?;
    } else {
        let meta = std::fs::metadata(p).map_err(|e| Error::io(&shown, e))?;
        if meta.is_dir() {
            return Err(Error::file(
                shown,
                "is a directory; give the inventory files inside it (e.g. dir/*.yaml)",
            ));
        }
        if meta.len() > max {
            return Err(too_big());
        }
        let f = std::fs::File::open(p).map_err(|e| Error::io(&shown, e))?;
        f.take(max.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| Error::io(&shown, e))?;
    }
    if buf.len() as u64 > max {
        return Err(too_big());
    }
    Ok(buf)
}

/// UTF-8 text without a byte-order mark (in the same buffer), or the bytes back with the place
/// of the first bad byte.
#[allow(clippy::type_complexity)]
fn decode(mut bytes: Vec<u8>) -> std::result::Result<String, (Vec<u8>, usize, u32, u32, u8)> {
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let body = if bom { &bytes[3..] } else { &bytes[..] };
    let bad_at = |off: usize| {
        let before = &body[..off];
        let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count() as u32
            + 1;
        (off, line, col, body[off])
    };
    // A NUL is valid UTF-8 but never text: report whichever bad byte comes first.
    let nul = body.iter().position(|&b| b == 0);
    let bad = match (std::str::from_utf8(body), nul) {
        (Ok(_), None) => None,
        (Ok(_), Some(n)) => Some(bad_at(n)),
        (Err(e), n) => Some(bad_at(
            n.map_or(e.valid_up_to(), |n| n.min(e.valid_up_to())),
        )),
    };
    match bad {
        Some((off, line, col, byte)) => Err((bytes, off, line, col, byte)),
        None => {
            if bom {
                bytes.drain(..3);
            }
            // Checked just above; the conversion only re-validates.
            String::from_utf8(bytes).map_err(|e| (e.into_bytes(), 0, 1, 1, 0))
        }
    }
}

/// One text file's document. A YAML (or JSON) file's workloads are validated as soon as each
/// one's subtree is read, then its tree dropped: the tree of the whole file never exists at once.
fn parse(sources: &Sources, file: FileId, text: &str, path: &Path, opts: &LoadOptions) -> Parsed {
    if let Some(done) = not_yaml(file, text, path) {
        return done;
    }
    let mut stream = validate::Stream::new(sources);
    let total = text.len();
    let root = yaml::parse_yaml_streaming(file, text, opts.limits, "workloads", &mut |item, at| {
        stream.push(&item);
        crate::progress::read(stream.len(), at, total);
    })
    .map_err(|e| vec![yaml_error(file, text, &e, opts.limits)])?;
    yaml_document(file, root, Some(stream.finish()))
}

/// An empty file, or a CSV file's document; `None` for YAML.
fn not_yaml(file: FileId, text: &str, path: &Path) -> Option<Parsed> {
    let file_loc = Loc::new(file, 0, 0);
    if text.trim().is_empty() {
        return Some(Err(vec![Diagnostic::error(file_loc, "the file is empty")
        .code(Code::EmptyFile).hint(
            "an inventory starts with `schema: cloudready/v1`, an `agency:` and a list of `workloads:`; `cloudready init` writes a starter",
        )]));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if ext.as_deref() != Some("csv") {
        return None;
    }
    Some(csv::parse_csv(file, text, &file_stem(path)).map(|doc| {
        let document = Document {
            file,
            root: doc.root,
            file_loc,
            streamed: None,
        };
        (document, doc.notes, doc.errors)
    }))
}

/// A YAML file's tree as a document, unless it holds nothing.
fn yaml_document(file: FileId, root: node::Node, streamed: Option<validate::Streamed>) -> Parsed {
    let file_loc = Loc::new(file, 0, 0);
    if root.value == node::Value::Null {
        return Err(vec![Diagnostic::error(file_loc, "the file holds no data")
            .code(Code::EmptyFile)
            .hint("an inventory starts with `schema: cloudready/v1`, an `agency:` and a list of `workloads:`")]);
    }
    let document = Document {
        file,
        root,
        file_loc,
        streamed,
    };
    Ok((document, Vec::new(), Vec::new()))
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "inventory".into(), |s| s.to_string_lossy().into_owned())
}

/// A parser error as a diagnostic, with a hint for the mistakes people actually make.
fn yaml_error(file: FileId, text: &str, e: &node::ParseError, limits: Limits) -> Diagnostic {
    let (line, col) = (e.line, e.col);
    if let Some((message, hint)) = limit_breach(e, limits) {
        return Diagnostic::error(Loc::new(file, line, col), message)
            .code(Code::InputTooComplex)
            .hint(hint);
    }
    let message = e.message.clone();
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
    Diagnostic::error(at, format!("invalid YAML: {message}"))
        .code(Code::YamlSyntax)
        .maybe_hint(hint)
}

/// A safety limit the file ran into, said as which limit and what to do about it.
fn limit_breach(e: &node::ParseError, limits: Limits) -> Option<(String, String)> {
    use node::ParseErrorKind as K;
    let hint = match e.kind {
        K::Syntax => return None,
        K::Depth => {
            return Some((
                format!("nesting deeper than {} levels", limits.max_depth),
                "an inventory nests a few levels deep (workloads → workload → field); look for unclosed `[` or `{`, or a run of `- - -`".to_string(),
            ));
        }
        K::AliasBomb => {
            return Some((
                format!("{}: refused as a possible alias bomb", e.message),
                "aliases (`*name`) may repeat a value, not multiply a document; write repeated values out in full, or split the inventory into several files (each has its own limit)".to_string(),
            ));
        }
        K::TooBig => {
            "this is far more than an inventory holds; split it into several files, or check that the right file was given"
        }
        K::Documents => "put one inventory per file, or give each document as its own file",
    };
    Some((e.message.clone(), hint.to_string()))
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
        let e = decode(b"ab\ncd\xffe".to_vec()).unwrap_err();
        assert_eq!((e.1, e.2, e.3, e.4), (5, 2, 3, 0xff));
        assert_eq!(e.0, b"ab\ncd\xffe", "the bytes come back for the message");
        assert_eq!(decode(b"a\0".to_vec()).unwrap_err().4, 0);
        assert_eq!(decode(b"\xEF\xBB\xBFok".to_vec()).unwrap(), "ok");
    }

    #[test]
    fn hints_quote_for_unquoted_official_sensitive() {
        let h = yaml_hint("    classification: OFFICIAL: Sensitive", "", "", 1).unwrap();
        assert!(h.contains("\"OFFICIAL: Sensitive\""), "{h}");
        let h = yaml_hint("  description: Note: this", "", "", 1).unwrap();
        assert!(h.contains("must be quoted"), "{h}");
        assert!(yaml_hint("  description: \"a: b\"", "x", "a", 1).is_none());
    }

    /// The whole-tree route the streaming one is tested against: the event builder's tree of
    /// the whole file, validated as a tree.
    fn parse_tree(
        _sources: &Sources,
        file: FileId,
        text: &str,
        path: &Path,
        opts: &LoadOptions,
    ) -> Parsed {
        if let Some(done) = not_yaml(file, text, path) {
            return done;
        }
        let root = yaml::parse_yaml(file, text, opts.limits)
            .map_err(|e| vec![yaml_error(file, text, &e, opts.limits)])?;
        yaml_document(file, root, None)
    }

    fn load_tree(inputs: &[(String, Vec<u8>)], opts: &LoadOptions) -> Result<Inventory> {
        let mut run = Gathered::default();
        for (shown, bytes) in inputs.iter().cloned() {
            run.file(shown, bytes, opts, parse_tree)?;
        }
        run.finish()
    }

    /// The streaming route against the whole-tree route: the same inventory (every value,
    /// location and note) or the same errors, in the same order, rendered.
    fn same_either_way(inputs: &[(String, Vec<u8>)]) -> bool {
        let opts = LoadOptions::default();
        let streamed = load_owned(inputs.to_vec(), &opts);
        let tree = load_tree(inputs, &opts);
        match (streamed, tree) {
            (Ok(a), Ok(b)) => {
                assert_eq!(format!("{a:?}"), format!("{b:?}"), "{inputs:?}");
                true
            }
            (Err(a), Err(b)) => {
                assert_eq!(a.render(false), b.render(false), "{inputs:?}");
                false
            }
            (a, b) => panic!("one route failed: streamed {a:?}, tree {b:?}"),
        }
    }

    #[test]
    fn streaming_validation_matches_the_tree_on_every_example_and_fixture() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for d in ["examples", "tests/fixtures", "fuzz/seeds"] {
            let mut stack = vec![root.join(d)];
            while let Some(dir) = stack.pop() {
                for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p
                        .extension()
                        .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
                    {
                        files.push(p);
                    }
                }
            }
        }
        files.sort();
        assert!(files.len() >= 20, "{}", files.len());
        let (mut ok, mut bad) = (0, 0);
        for f in &files {
            let input = vec![(f.display().to_string(), std::fs::read(f).unwrap())];
            if same_either_way(&input) {
                ok += 1;
            } else {
                bad += 1;
            }
        }
        // Two files at once: ids collide across them, so their errors interleave.
        let a = root.join("examples/inventory.yaml");
        let pair: Vec<(String, Vec<u8>)> = [&a, &a]
            .iter()
            .map(|p| (p.display().to_string(), std::fs::read(p).unwrap()))
            .collect();
        assert!(!same_either_way(&pair));
        assert!(ok >= 5 && bad >= 5, "{ok} loaded, {bad} refused");
    }

    /// Inventories with random damage (lines dropped, doubled, or a value replaced by
    /// something wrong), one or two files at a time.
    #[test]
    fn streaming_validation_matches_the_tree_on_damaged_inventories() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let base: Vec<String> = crate::synth::inventory(12)
            .lines()
            .map(str::to_owned)
            .collect();
        let tokens = [
            "~",
            "[",
            "x: y",
            "&a 1",
            "*a",
            "\"OFFICIAL: Sensitive\"",
            "OFFICIAL: Sensitive",
            "1.5",
            "true",
            "{}",
            "[w000001, w000001]",
            "[nope]",
            "- q",
            "Bad Id",
            "200",
            "'7'",
            "2027-02-30",
            "{id: z, name: Z}",
            "<<: {x: 1}",
            "!!str 5",
            "w000003",
        ];
        let edit = (0..4u8, 0..base.len(), 0..tokens.len());
        let mut runner = TestRunner::new(Config {
            cases: 400,
            ..Config::default()
        });
        let (ok, bad) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
        runner
            .run(
                &(prop::collection::vec(edit, 0..5), any::<bool>()),
                |(edits, two)| {
                    let mut lines = base.clone();
                    for (kind, at, tok) in edits {
                        let at = at % lines.len().max(1);
                        match kind {
                            0 => {
                                lines.remove(at);
                            }
                            1 => lines.insert(at, lines[at].clone()),
                            2 => {
                                if let Some((k, _)) = lines[at].clone().split_once(": ") {
                                    lines[at] = format!("{k}: {}", tokens[tok]);
                                }
                            }
                            _ => lines.insert(at, format!("    {}: 1", tokens[tok])),
                        }
                        if lines.is_empty() {
                            break;
                        }
                    }
                    let text = lines.join("\n") + "\n";
                    let mut inputs = vec![("a.yaml".to_string(), text.into_bytes())];
                    if two {
                        inputs.push(("b.yaml".into(), crate::synth::inventory(5).into_bytes()));
                    }
                    let c = if same_either_way(&inputs) { &ok } else { &bad };
                    c.set(c.get() + 1);
                    Ok(())
                },
            )
            .unwrap();
        assert!(
            ok.get() >= 20 && bad.get() >= 100,
            "{} loaded, {} refused",
            ok.get(),
            bad.get()
        );
    }
}
