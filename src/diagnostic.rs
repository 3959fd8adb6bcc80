//! Errors for people: every problem carries a place in a file, the offending line with a caret,
//! and a hint that says how to fix it.

use std::fmt::Write as _;

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
        format!(
            "{name}!{}{}",
            crate::load::column_letters(loc.col),
            loc.line
        )
    }
    fn header(&self, col: u32) -> Option<&str> {
        self.headers
            .iter()
            .find(|(c, _)| *c == col)
            .map(|(_, h)| h.as_str())
    }
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
    /// Adds `dir/name` when that file exists (an agency's override), else the built-in `text`
    /// shown as `<built-in>/{folder}/{name}`: packs, planning rules and templates all load so.
    pub fn add_override_or_builtin(
        &mut self,
        dir: Option<&std::path::Path>,
        folder: &str,
        name: &str,
        text: &str,
    ) -> crate::error::Result<FileId> {
        match dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
            Some(p) => {
                let t = std::fs::read_to_string(&p)
                    .map_err(|e| crate::error::Error::io(p.display().to_string(), &e))?;
                Ok(self.add(p.display().to_string(), t))
            }
            None => Ok(self.add(format!("<built-in>/{folder}/{name}"), text.to_string())),
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
    pub fn line(&self, id: FileId, line: u32) -> Option<&str> {
        let f = self.get(id)?;
        f.text.lines().nth(line.checked_sub(1)? as usize)
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
    fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub loc: Option<Loc>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(loc: impl Into<Option<Loc>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            loc: loc.into(),
            message: message.into(),
            hint: None,
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
        let _ = writeln!(
            out,
            "{bold}{sev_color}{}{reset}{bold}: {}{reset}",
            self.severity.label(),
            self.message
        );
        let mut gutter = 1;
        if let Some(loc) = self.loc {
            let path = sources.path(loc.file);
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
                let shown = printable(text);
                let _ = writeln!(out, "{pad}{cyan}|{reset}");
                let _ = writeln!(out, "{cyan}{num} |{reset} {shown}");
                let col = (loc.col.max(1) - 1) as usize;
                // Keep the caret under the right character even when the line holds tabs.
                let lead: String = text
                    .chars()
                    .take(col)
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
            for (i, l) in h.lines().enumerate() {
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

fn char_width(c: char) -> usize {
    if c.is_control() { 0 } else { 1 }
}

/// Shows tabs visibly (the usual culprit of a YAML indentation error) and drops other control
/// characters so a hostile line cannot drive the terminal.
fn printable(line: &str) -> String {
    let mut s = String::with_capacity(line.len());
    for c in line.chars().take(300) {
        match c {
            '\t' => s.push_str("\\t"),
            c if c.is_control() => {}
            c => s.push(c),
        }
    }
    s
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
