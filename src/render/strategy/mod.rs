//! The agency's cloud strategy, rendered from tera templates (markdown or a self-contained HTML
//! report). Templates are data: embedded in the binary, and any of them can be replaced by a
//! file of the same name in `--templates DIR`. They are compiled once per run.

pub mod charts;
pub mod context;
pub mod marking;

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, RwLock};

use sha2::{Digest, Sha256};

use crate::assessment::CriteriaDoc;
use crate::diagnostic::{Diagnostic, FileId, Loc, Sources, did_you_mean};
use crate::error::{Error, Result};
use crate::inventory::{Date, Inventory};
use crate::pack::Packs;
use crate::score::Status;

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
    /// What the `criteria()` function reads, set for the length of one render.
    evidence: Arc<RwLock<Option<Evidence>>>,
}

/// The scored evidence behind the `criteria()` template function. Templates functions must
/// own what they read, hence the shared inventory and packs.
#[derive(Clone)]
pub struct Evidence {
    pub inventory: Arc<Inventory>,
    pub packs: Arc<Packs>,
    /// The date "days until" criteria count from, as in the assessment.
    pub reference: Option<Date>,
}

impl Evidence {
    /// `criteria(workload=ID, pack=ID?, status=STATUS?)`: one workload's criteria exactly as in
    /// `assess --format json`, principles then the framework, optionally only one pack's or
    /// only those with one status. Computed on call: the context never holds every criterion
    /// of a large inventory at once.
    fn criteria(&self, kwargs: &tera::Kwargs) -> tera::TeraResult<tera::Value> {
        let id: &str = kwargs.must_get("workload")?;
        let pack: Option<&str> = kwargs.get("pack")?;
        let status: Option<&str> = kwargs.get("status")?;
        let inv = &*self.inventory;
        let Some(w) = inv.index_of(id).and_then(|i| inv.workloads.get(i)) else {
            return Err(tera::Error::message(format!(
                "criteria(): no workload `{id}` in the inventory"
            )));
        };
        if let Some(p) = pack
            && !self.packs.all().any(|k| k.id == p)
        {
            let ids: Vec<&str> = self.packs.all().map(|k| k.id.as_str()).collect();
            return Err(tera::Error::message(format!(
                "criteria(): no pack `{p}`; packs are {}",
                ids.join(", ")
            )));
        }
        let status = match status {
            None => None,
            Some(s) => match Status::ALL.into_iter().find(|k| k.as_str() == s) {
                Some(k) => Some(k),
                None => {
                    return Err(tera::Error::message(format!(
                        "criteria(): status `{s}` is not one of met, gap, unknown, not-applicable"
                    )));
                }
            },
        };
        let mut out = Vec::new();
        for p in self
            .packs
            .all()
            .filter(|p| pack.is_none_or(|id| p.id == id))
        {
            let criteria = CriteriaDoc::new(p, w, self.reference, &inv.sources);
            out.extend(
                criteria
                    .iter()
                    .filter(|c| status.is_none_or(|s| c.status == s))
                    .map(|c| tera::Value::from_serializable(&c)),
            );
        }
        Ok(tera::Value::from(out))
    }
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
        let evidence: Arc<RwLock<Option<Evidence>>> = Arc::default();
        let slot = Arc::clone(&evidence);
        tera.register_function(
            "criteria",
            move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
                let guard = slot
                    .read()
                    .map_err(|_| tera::Error::message("criteria(): unavailable"))?;
                match guard.as_ref() {
                    Some(ev) => ev.criteria(&kwargs),
                    None => Err(tera::Error::message(
                        "criteria() is only available while rendering a strategy",
                    )),
                }
            },
        );
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
            evidence,
        };
        if let Err(e) = t.tera.add_raw_templates(templates) {
            return Err(t.error(&e));
        }
        Ok(t)
    }

    /// Renders one document from the context into `out`, sealed (see [`seal`]). `evidence`
    /// serves the templates' `criteria()` calls. On error `out` may hold part of the document:
    /// callers write into a buffer or a temporary file.
    pub fn render_to(
        &self,
        format: DocFormat,
        context: &tera::Context,
        evidence: Evidence,
        out: &mut dyn Write,
    ) -> Result<()> {
        if let Ok(mut slot) = self.evidence.write() {
            *slot = Some(evidence);
        }
        let mut sealer = Sealer::new(out);
        let rendered = {
            let mut batched = crate::render::Batched::new(&mut sealer);
            self.tera
                .render_to(format.template(), context, &mut batched)
                .and_then(|_| batched.flush().map_err(tera::Error::from))
        };
        if let Ok(mut slot) = self.evidence.write() {
            *slot = None;
        }
        match rendered {
            Ok(()) => sealer.finish().map_err(|e| Error::io("<output>", &e)),
            Err(e) => match e.kind() {
                tera::ErrorKind::Io(kind) => {
                    Err(Error::io("<output>", &std::io::Error::from(*kind)))
                }
                _ => Err(self.error(&e)),
            },
        }
    }

    /// Renders one named template (a partial such as `_charts.html.tera`) into memory, unsealed:
    /// other outputs (the Word document) reuse its pieces.
    pub fn render_named(&self, name: &str, context: &tera::Context) -> Result<String> {
        self.tera.render(name, context).map_err(|e| self.error(&e))
    }

    /// Renders one document into memory.
    pub fn render(
        &self,
        format: DocFormat,
        ctx: &tera::Context,
        evidence: Evidence,
    ) -> Result<String> {
        let mut out = Vec::new();
        self.render_to(format, ctx, evidence, &mut out)?;
        Ok(String::from_utf8_lossy(&out).into_owned())
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
        // Templates written against the JSON document reach for `p.criteria`, which the
        // context leaves out: say where the criteria are instead.
        let line = loc.and_then(|l| {
            let text = &self.sources.get(l.file)?.text;
            text.lines().nth((l.line as usize).saturating_sub(1))
        });
        let hint = if msg.contains("undefined") && line.is_some_and(|l| l.contains(".criteria")) {
            "workloads in the template context carry scores but no criteria lists (a large inventory has millions); fetch one workload's with `criteria(workload=w.id)`, optionally `pack=p.id` and `status=\"gap\"` (templates/README.md)"
        } else {
            "the template context is documented in templates/README.md; `--templates DIR` files replace built-ins of the same name"
        };
        let d = Diagnostic::error(loc, format!("template error: {msg}")).hint(hint);
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
pub fn seal(text: String) -> String {
    let mut out = Vec::with_capacity(text.len() + 100);
    let mut sealer = Sealer::new(&mut out);
    // Writing into memory cannot fail.
    let _ = sealer
        .write_all(text.as_bytes())
        .and_then(|_| sealer.finish());
    String::from_utf8(out).unwrap_or(text)
}

/// Passes a document through while hashing it, then closes it with the seal line, so a
/// streamed document is sealed without being held in memory.
struct Sealer<'w> {
    out: &'w mut dyn Write,
    hash: Sha256,
    last: Option<u8>,
}

impl<'w> Sealer<'w> {
    fn new(out: &'w mut dyn Write) -> Self {
        Sealer {
            out,
            hash: Sha256::new(),
            last: None,
        }
    }
    fn finish(mut self) -> std::io::Result<()> {
        if self.last != Some(b'\n') {
            self.write_all(b"\n")?;
        }
        let hex: String = self
            .hash
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        writeln!(self.out, "<!-- {SEAL} sha256:{hex} -->")?;
        self.out.flush()
    }
}

impl Write for Sealer<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(b)?;
        self.hash.update(&b[..n]);
        if n > 0 {
            self.last = Some(b[n - 1]);
        }
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Whether `bytes` is a document cloudready generated and nobody has edited since.
pub fn is_sealed(bytes: &[u8]) -> bool {
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
