//! The agency's cloud strategy, rendered from tera templates (markdown or a self-contained HTML
//! report). Templates are data: embedded in the binary, and any of them can be replaced by a
//! file of the same name in `--templates DIR`. They are compiled once per run.

pub mod charts;
pub mod context;

use std::path::Path;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, FileId, Loc, Sources, did_you_mean};
use crate::error::{Error, Result};

/// Built-in templates: the two documents and the partials they include.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "strategy.md.tera",
        include_str!("../../../templates/strategy.md.tera"),
    ),
    (
        "strategy.html.tera",
        include_str!("../../../templates/strategy.html.tera"),
    ),
    (
        "_style.css.tera",
        include_str!("../../../templates/_style.css.tera"),
    ),
    (
        "_charts.html.tera",
        include_str!("../../../templates/_charts.html.tera"),
    ),
    (
        "_workload_card.html.tera",
        include_str!("../../../templates/_workload_card.html.tera"),
    ),
    (
        "_workload_card.md.tera",
        include_str!("../../../templates/_workload_card.md.tera"),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocFormat {
    Markdown,
    Html,
}

impl DocFormat {
    pub fn template(self) -> &'static str {
        match self {
            DocFormat::Markdown => "strategy.md.tera",
            DocFormat::Html => "strategy.html.tera",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            DocFormat::Markdown => "markdown",
            DocFormat::Html => "html",
        }
    }
}

/// The compiled templates, and their text for error messages.
pub struct Templates {
    tera: tera::Tera,
    sources: Sources,
    /// Template name → file id in `sources`.
    names: Vec<(String, FileId)>,
}

impl Templates {
    /// Compiles the built-in templates, each replaced by `dir/<name>` when that file exists.
    pub fn load(dir: Option<&Path>) -> Result<Templates> {
        let mut sources = Sources::default();
        let mut names = Vec::new();
        if let Some(d) = dir {
            check_dir(d)?;
        }
        for (name, text) in TEMPLATES {
            let id = sources.add_override_or_builtin(dir, "templates", name, text)?;
            names.push((name.to_string(), id));
        }
        let mut tera = tera::Tera::new();
        // Template names end in `.tera`, so say which ones are HTML: everything inventory-born
        // is escaped there, whatever the template author remembers.
        tera.autoescape_on([".html.tera", ".html"]);
        let templates: Vec<(String, String)> = names
            .iter()
            .map(|(n, id)| {
                (
                    n.clone(),
                    sources.get(*id).map(|f| f.text.clone()).unwrap_or_default(),
                )
            })
            .collect();
        let mut t = Templates {
            tera,
            sources,
            names,
        };
        if let Err(e) = t.tera.add_raw_templates(templates) {
            return Err(t.error(&e));
        }
        Ok(t)
    }

    /// Renders one document from the context.
    pub fn render(&self, format: DocFormat, ctx: &Value) -> Result<String> {
        let context = tera::Context::from_serialize(ctx).map_err(|e| self.error(&e))?;
        self.tera
            .render(format.template(), &context)
            .map_err(|e| self.error(&e))
    }

    /// A tera error as a diagnostic pointing into the template file.
    fn error(&self, e: &tera::Error) -> Error {
        let report = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        let mut msg = match report {
            Some(r) => r.message().to_string(),
            None => e.to_string(),
        };
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            msg.push_str(": ");
            msg.push_str(&s.to_string());
            source = s.source();
        }
        let loc = report.and_then(|r| {
            let id = self
                .names
                .iter()
                .find(|(n, _)| n == r.filename())
                .map(|(_, id)| *id)?;
            let sp = r.span();
            Some(
                Loc::new(id, sp.start_line as u32, sp.start_col as u32 + 1).with_len(
                    if sp.start_line == sp.end_line {
                        sp.end_col.saturating_sub(sp.start_col)
                    } else {
                        1
                    },
                ),
            )
        });
        let d = Diagnostic::error(loc, format!("template error: {msg}"))
            .hint("the template context is documented in templates/README.md; `--templates DIR` files replace built-ins of the same name");
        Error::invalid(&self.sources, vec![d])
    }
}

fn check_dir(dir: &Path) -> Result<()> {
    let shown = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(&shown, &e))?;
    let known: Vec<&str> = TEMPLATES.iter().map(|(n, _)| *n).collect();
    let mut bad: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tera") && !known.contains(&n.as_str()))
        .collect();
    bad.sort();
    if let Some(name) = bad.first() {
        let hint = did_you_mean(name, known.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("templates are: {}", known.join(", ")));
        return Err(Error::Usage(format!(
            "{shown}/{name} is not a cloudready template (a file replaces the built-in template of the same name); {hint}"
        )));
    }
    Ok(())
}

/// The last line of every generated document: a hash of everything above it. A later run may
/// replace a file whose seal still matches (cloudready wrote it and nobody edited it since).
const SEAL: &str = "cloudready:output";

/// Appends the seal comment.
pub fn seal(mut text: String) -> String {
    use sha2::{Digest, Sha256};
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let hash = Sha256::digest(text.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    text.push_str(&format!("<!-- {SEAL} sha256:{hex} -->\n"));
    text
}

/// Whether `bytes` is a document cloudready generated and nobody has edited since.
pub fn is_sealed(bytes: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let body_end = text.trim_end_matches('\n').rfind('\n').map_or(0, |i| i + 1);
    let (body, last) = text.split_at(body_end);
    let Some(hex) = last
        .trim()
        .strip_prefix(&format!("<!-- {SEAL} sha256:"))
        .and_then(|r| r.strip_suffix(" -->"))
    else {
        return false;
    };
    let hash = Sha256::digest(body.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect::<String>() == hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_detects_edits() {
        let s = seal("# Strategy\nbody\n".to_string());
        assert!(is_sealed(s.as_bytes()));
        assert!(!is_sealed(s.replace("body", "b0dy").as_bytes()));
        assert!(!is_sealed(b"# someone else's file\n"));
    }

    #[test]
    fn builtin_templates_compile() {
        Templates::load(None).unwrap_or_else(|e| panic!("{}", e.render(false)));
    }
}
