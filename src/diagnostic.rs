//! Errors for people: every problem carries a place in a file, the offending line with a caret,
//! and a hint that says how to fix it.

use std::borrow::Cow;
use std::fmt::Write as _;

mod code;

pub use code::Code;

/// One input file as read, kept so diagnostics can quote it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user gave it (shown in messages).
    pub path: String,
    pub text: String,
    /// For a spreadsheet: the sheet that was read. Its locs are cells (line = row, col =
    /// column number) and are shown as `Workloads!C7`.
    pub sheet: Option<Sheet>,
}

/// The sheet a spreadsheet inventory was read from, and its header cells to name a cell's
/// column by.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    /// (1-based column number, header text).
    pub headers: Vec<(u32, String)>,
}

impl Sheet {
    /// A cell's reference as a spreadsheet writes it: `Workloads!C7`, `'My sheet'!C7`.
    pub fn cell(&self, loc: Loc) -> String {
        let plain = self.name.chars().all(|c| c.is_alphanumeric() || c == '_');
        let name = if plain {
            self.name.clone()
        } else {
            format!("'{}'", self.name.replace('\'', "''"))
        };
        format!("{name}!{}{}", column_letters(loc.col), loc.line)
    }
    fn header(&self, col: u32) -> Option<&str> {
        self.headers
            .iter()
            .find(|(c, _)| *c == col)
            .map(|(_, h)| h.as_str())
    }
}

/// A spreadsheet column's letters for its 1-based number: 1 → `A`, 27 → `AA`.
pub fn column_letters(mut n: u32) -> String {
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// All files read in one run. A `FileId` indexes into it.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

pub type FileId = u32;

impl Sources {
    pub fn add(&mut self, path: impl Into<String>, text: String) -> FileId {
        self.files.push(SourceFile {
            path: path.into(),
            text,
            sheet: None,
        });
        (self.files.len() - 1) as FileId
    }
    /// Adds a spreadsheet: its locs name cells of `sheet`.
    pub fn add_sheet(&mut self, path: impl Into<String>, sheet: Sheet) -> FileId {
        let id = self.add(path, String::new());
        if let Some(f) = self.files.last_mut() {
            f.sheet = Some(sheet);
        }
        id
    }
    /// Where `loc` is, as people name it: `inventory.yaml:12:7`, or for a spreadsheet
    /// `inventory.xlsx: Workloads!C7`.
    pub fn place(&self, loc: Loc) -> String {
        let path = self.path(loc.file);
        match self.get(loc.file).and_then(|f| f.sheet.as_ref()) {
            Some(sheet) if loc.line > 0 => format!("{path}: {}", sheet.cell(loc)),
            Some(sheet) => format!("{path}: {}", sheet.name),
            None if loc.line == 0 => path.to_string(),
            None => format!("{path}:{}:{}", loc.line, loc.col),
        }
    }
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id as usize)
    }
    pub fn path(&self, id: FileId) -> &str {
        self.get(id).map_or("<unknown>", |f| f.path.as_str())
    }
    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter()
    }
    /// Lets go of every file's text, keeping the paths, once nothing more will quote them: an
    /// inventory's text is as large as the file. Messages after this show no snippet.
    pub fn release_texts(&mut self) {
        for f in &mut self.files {
            f.text = String::new();
        }
    }
    /// One line of a file, counting `\r\n`, `\n` and a lone `\r` as line ends, as YAML does (a
    /// file saved with old Mac line ends still gets its snippet).
    pub fn line(&self, id: FileId, line: u32) -> Option<&str> {
        let f = self.get(id)?;
        nth_line(&f.text, line.checked_sub(1)? as usize)
    }
}

/// A place in an input file: 1-based line and column (in characters), and the length of the
/// thing pointed at (0 when unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    pub file: FileId,
    pub line: u32,
    pub col: u32,
    pub len: u32,
}

impl Loc {
    pub fn new(file: FileId, line: u32, col: u32) -> Self {
        Loc {
            file,
            line,
            col,
            len: 0,
        }
    }
    pub fn with_len(mut self, len: usize) -> Self {
        self.len = len.min(u32::MAX as usize) as u32;
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One problem, whatever found it: an input error, a `check` finding or a strategy-document
/// lint. Text, JSON, SARIF, JUnit and GitHub annotations all render this one type
/// ([`crate::report`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// A stable id for the kind of problem: a [`Code`] for input problems (`unknown-key`,
    /// `yaml-syntax`), the rule id for `check` findings (a criterion id such as `P6.iac`, or a
    /// `[check]` key such as `min_workload`, which waivers name). Empty: not yet classified.
    pub code: Cow<'static, str>,
    pub severity: Severity,
    pub loc: Option<Loc>,
    pub message: String,
    pub hint: Option<String>,
    /// The workload the problem is about, when it is about one.
    pub workload: Option<String>,
    /// What reports group it under (a workload id, `portfolio`, a document); by default the
    /// file it points into.
    pub group: Option<String>,
    /// Set when a valid waiver covers it: kept and shown, but it no longer fails a check.
    pub waiver: Option<Waived>,
}

/// The waiver that covers a diagnostic, as reports show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Waived {
    pub reason: String,
    pub approved_by: String,
    pub expires: String,
}

impl Diagnostic {
    pub fn error(loc: impl Into<Option<Loc>>, message: impl Into<String>) -> Self {
        Diagnostic {
            code: Cow::Borrowed(""),
            severity: Severity::Error,
            loc: loc.into(),
            message: message.into(),
            hint: None,
            workload: None,
            group: None,
            waiver: None,
        }
    }
    pub fn note(loc: impl Into<Option<Loc>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(loc, message)
        }
    }
    pub fn warning(loc: impl Into<Option<Loc>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(loc, message)
        }
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }
    /// Names the kind of input problem (see [`Diagnostic::code`]).
    pub fn code(mut self, code: Code) -> Self {
        self.code = code.into();
        self
    }
    /// Names the `check` rule that found it: a criterion id or a `[check]` rule id.
    pub fn rule(mut self, id: impl Into<Cow<'static, str>>) -> Self {
        self.code = id.into();
        self
    }
    /// Whether it is the kind of input problem `code` names.
    pub fn is(&self, code: Code) -> bool {
        self.code == code.as_str()
    }
    /// The code reports show: the one given, else a generic one for the severity.
    pub fn code_or_default(&self) -> &str {
        if !self.code.is_empty() {
            return &self.code;
        }
        match self.severity {
            Severity::Error => Code::InvalidInput,
            Severity::Warning => Code::InputWarning,
            Severity::Note => Code::InputNote,
        }
        .as_str()
    }
    /// An error that no valid waiver covers: it fails a check.
    pub fn fails(&self) -> bool {
        self.severity == Severity::Error && self.waiver.is_none()
    }

    /// Renders in the compiler style people already know:
    /// ```text
    /// error: unknown key `infrastucture_as_code`
    ///   --> inventory.yaml:12:7
    ///    |
    /// 12 |       infrastucture_as_code: full
    ///    |       ^^^^^^^^^^^^^^^^^^^^^
    ///    = hint: did you mean `infrastructure_as_code`?
    /// ```
    pub fn render(&self, sources: &Sources, color: bool) -> String {
        let (bold, red, yellow, cyan, reset) = if color {
            ("\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[0m")
        } else {
            ("", "", "", "", "")
        };
        let sev_color = match self.severity {
            Severity::Error => red,
            Severity::Warning => yellow,
            Severity::Note => cyan,
        };
        let mut out = String::new();
        // Errors show their code, as compilers do, so it can be looked up and searched for;
        // notes and warnings stay short (it is in every machine format either way).
        let code = if self.code.is_empty() || self.severity != Severity::Error {
            String::new()
        } else {
            format!("[{}]", self.code)
        };
        let _ = writeln!(
            out,
            "{bold}{sev_color}{}{code}{reset}{bold}: {}{reset}",
            self.severity.label(),
            readable(&self.message).replace('\n', " ")
        );
        let mut gutter = 1;
        if let Some(loc) = self.loc {
            let path = crate::text::clean_line(sources.path(loc.file));
            let line_text = sources.line(loc.file, loc.line);
            let num = loc.line.to_string();
            gutter = num.len() + 1;
            let pad = " ".repeat(gutter);
            let sheet = sources.get(loc.file).and_then(|f| f.sheet.as_ref());
            if let Some(sheet) = sheet {
                // A cell has no line to quote: name its column's header instead.
                let header = sheet
                    .header(loc.col)
                    .filter(|_| loc.line > 0)
                    .map(|h| format!(" (column `{h}`)"))
                    .unwrap_or_default();
                let _ = writeln!(out, "{pad}{cyan}-->{reset} {}{header}", sources.place(loc));
            } else if loc.line == 0 {
                let _ = writeln!(out, "{pad}{cyan}-->{reset} {path}");
            } else {
                let _ = writeln!(out, "{pad}{cyan}-->{reset} {path}:{}:{}", loc.line, loc.col);
            }
            if let Some(text) = line_text {
                let col = (loc.col.max(1) - 1) as usize;
                // A window of a long line around the column: the caret is never padded across
                // half a megabyte of spaces.
                let skip = col.saturating_sub(SNIPPET_BEFORE);
                let mut window: String = text.chars().skip(skip).take(SNIPPET_WIDTH).collect();
                let cut_end = text.chars().nth(skip + SNIPPET_WIDTH).is_some();
                let mut shown = printable(&window);
                if skip > 0 {
                    shown.insert(0, '…');
                }
                if cut_end {
                    shown.push('…');
                }
                let _ = writeln!(out, "{pad}{cyan}|{reset}");
                let _ = writeln!(out, "{cyan}{num} |{reset} {shown}");
                if skip > 0 {
                    window.insert(0, ' ');
                }
                // Keep the caret under the right character even when the line holds tabs.
                let lead: String = window
                    .chars()
                    .take(col - skip + usize::from(skip > 0))
                    .map(|c| {
                        if c == '\t' {
                            "\\t".to_string()
                        } else {
                            " ".repeat(char_width(c))
                        }
                    })
                    .collect();
                let avail = shown.chars().count().saturating_sub(lead.chars().count());
                let carets = (loc.len as usize).clamp(1, avail.max(1));
                let _ = writeln!(
                    out,
                    "{pad}{cyan}|{reset} {lead}{sev_color}{}{reset}",
                    "^".repeat(carets)
                );
            }
        }
        if let Some(h) = &self.hint {
            let pad = " ".repeat(gutter);
            for (i, l) in readable(h).lines().enumerate() {
                if i == 0 {
                    let _ = writeln!(out, "{pad}{cyan}={reset} {bold}hint{reset}: {l}");
                } else {
                    let _ = writeln!(out, "{pad}        {l}");
                }
            }
        }
        out
    }
}

/// The `n`th (0-based) line of `text`; see [`Sources::line`].
fn nth_line(text: &str, n: usize) -> Option<&str> {
    let b = text.as_bytes();
    let (mut start, mut line, mut i) = (0, 0, 0);
    while i < b.len() {
        if b[i] == b'\n' || b[i] == b'\r' {
            if line == n {
                return Some(&text[start..i]);
            }
            i += if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            start = i;
            line += 1;
        } else {
            i += 1;
        }
    }
    (line == n && start < b.len()).then(|| &text[start..])
}

/// The widest value a message quotes in full; a longer one is cut with an ellipsis.
const MAX_QUOTED: usize = 60;
/// Characters of the offending line shown before the column pointed at, and in all.
const SNIPPET_BEFORE: usize = 40;
const SNIPPET_WIDTH: usize = 160;

/// A message or hint fit to read: control characters replaced and every `quoted` value longer
/// than [`MAX_QUOTED`] characters cut, so a 50 MB bad value prints one line, not 50 MB.
fn readable(s: &str) -> String {
    let s = crate::text::clean(s);
    let mut out = String::with_capacity(s.len().min(4096));
    for (i, part) in s.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts sit between backticks: quoted values.
        let limit = if i % 2 == 1 {
            MAX_QUOTED
        } else {
            4 * MAX_QUOTED
        };
        if part.chars().count() > limit {
            out.extend(part.chars().take(limit - 1));
            out.push('…');
        } else {
            out.push_str(part);
        }
    }
    out
}

fn char_width(c: char) -> usize {
    if c.is_control() { 0 } else { 1 }
}

/// Shows tabs visibly (the usual culprit of a YAML indentation error) and drops other control
/// characters so a hostile line cannot drive the terminal.
fn printable(line: &str) -> String {
    let mut s = String::with_capacity(line.len());
    for c in line.chars().take(SNIPPET_WIDTH + 2) {
        match c {
            '\t' => s.push_str("\\t"),
            c if c.is_control() => {}
            c => s.push(c),
        }
    }
    s
}

/// Gives every diagnostic of `diags` that names no kind of problem yet the code `code`: a data
/// file's loader (packs, planning rules, a catalog) reports its problems under one code.
pub fn default_code(diags: &mut [Diagnostic], code: Code) {
    for d in diags.iter_mut().filter(|d| d.code.is_empty()) {
        d.code = code.into();
    }
}

/// "Did you mean" for a misspelt word among candidates, by edit distance.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let w = norm(word);
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let cn = norm(c);
        let score = if cn == w {
            1.0
        } else {
            strsim::jaro_winkler(&w, &cn)
        };
        if score >= 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn released_texts_keep_their_paths() {
        let mut s = Sources::default();
        let id = s.add("inv.yaml", "a: 1\nb: 2\n".to_string());
        assert_eq!(s.line(id, 2), Some("b: 2"));
        s.release_texts();
        assert_eq!(s.line(id, 2), None);
        assert_eq!(s.path(id), "inv.yaml");
    }

    #[test]
    fn renders_snippet_with_caret_under_the_column() {
        let mut s = Sources::default();
        let f = s.add("inv.yaml", "a: 1\n  bad_key: 2\n".into());
        let d = Diagnostic::error(Loc::new(f, 2, 3).with_len(7), "unknown key `bad_key`")
            .hint("did you mean `good_key`?");
        let out = d.render(&s, false);
        assert!(out.contains("--> inv.yaml:2:3"), "{out}");
        assert!(out.contains("2 |   bad_key: 2"), "{out}");
        assert!(out.contains("  |   ^^^^^^^\n"), "{out}");
        assert!(out.contains("= hint: did you mean `good_key`?"), "{out}");
    }

    #[test]
    fn sheet_cells_render_as_references_with_their_header() {
        let mut s = Sources::default();
        let f = s.add_sheet(
            "inv.xlsx",
            Sheet {
                name: "Workloads".into(),
                headers: vec![(3, "users".into())],
            },
        );
        let out = Diagnostic::error(Loc::new(f, 7, 3), "bad").render(&s, false);
        assert!(
            out.contains("--> inv.xlsx: Workloads!C7 (column `users`)\n"),
            "{out}"
        );
        let g = s.add_sheet(
            "b.ods",
            Sheet {
                name: "Bob's list".into(),
                headers: vec![],
            },
        );
        assert_eq!(s.place(Loc::new(g, 2, 28)), "b.ods: 'Bob''s list'!AB2");
        assert_eq!(s.place(Loc::new(f, 0, 0)), "inv.xlsx: Workloads");
    }

    #[test]
    fn tabs_are_shown() {
        let mut s = Sources::default();
        let f = s.add("t.yaml", "a:\n\tb: 1\n".into());
        let out = Diagnostic::error(Loc::new(f, 2, 1), "tab").render(&s, false);
        assert!(out.contains("2 | \\tb: 1"), "{out}");
    }

    #[test]
    fn suggests_close_words_only() {
        let c = ["infrastructure_as_code", "deployment", "scaling"];
        assert_eq!(
            did_you_mean("infrastucture_as_code", c),
            Some("infrastructure_as_code")
        );
        assert_eq!(did_you_mean("deploy", c), Some("deployment"));
        assert_eq!(did_you_mean("zebra", c), None);
        assert_eq!(
            did_you_mean("official sensitive", ["OFFICIAL", "OFFICIAL: Sensitive"]),
            Some("OFFICIAL: Sensitive")
        );
    }
}
