//! The agency's cloud strategy, rendered from tera templates (markdown or a self-contained HTML
//! report). Templates are data: embedded in the binary, and any of them can be replaced by a
//! file of the same name in `--templates DIR`. They are compiled once per run.

pub mod adopt;
pub mod charts;
pub mod context;
pub mod insights;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use crate::assessment::CriteriaDoc;
use crate::assets::{self, Asset};
use crate::diagnostic::{Code, Diagnostic, FileId, Loc, Sources};
use crate::error::{Error, Result};
use crate::inventory::{Date, Inventory};
use crate::output::{Sealer, Trailer};
use crate::pack::Packs;
use crate::render::number;
use crate::score::Status;

/// The formats of the strategy document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DocFormat {
    Markdown,
    Html,
    /// A Word document (the markdown draft's content, charts and marking); needs -o FILE.
    Docx,
}

impl DocFormat {
    /// The template the document is rendered from: Word is drawn from the markdown draft.
    pub fn template(self) -> &'static str {
        match self {
            DocFormat::Markdown | DocFormat::Docx => "strategy.md.tera",
            DocFormat::Html => "strategy.html.tera",
        }
    }
    /// The format templates see as `document.format`.
    pub fn name(self) -> &'static str {
        match self {
            DocFormat::Markdown | DocFormat::Docx => "markdown",
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
    /// The most bytes one document may have: a runaway template ends in an error, not in the
    /// process running out of memory or disk.
    pub max_output: u64,
}

/// The largest strategy document written ([`Templates::max_output`]).
pub const MAX_OUTPUT: u64 = 1 << 30;

/// Passes bytes on until `left` runs out, then fails every write and says so in `over`.
struct Capped<'w, 'o> {
    out: &'w mut dyn Write,
    left: u64,
    over: &'o mut bool,
}

impl Write for Capped<'_, '_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.write_all(b)?;
        Ok(b.len())
    }
    fn write_all(&mut self, b: &[u8]) -> std::io::Result<()> {
        if b.len() as u64 > self.left {
            *self.over = true;
            return Err(std::io::Error::from(std::io::ErrorKind::FileTooLarge));
        }
        self.left -= b.len() as u64;
        self.out.write_all(b)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The scored evidence behind the `criteria()` template function, for one render. Template
/// functions must own what they read, hence the shared inventory and packs.
#[derive(Clone)]
pub struct Evidence {
    pub inventory: Arc<Inventory>,
    pub packs: Arc<Packs>,
    /// The date "days until" criteria count from, as in the assessment.
    pub reference: Option<Date>,
    /// The workloads a releasable version may show (`None`: all): `criteria()` refuses the
    /// others, so a template naming a left-out workload's id gets no findings for it.
    pub released: Option<BTreeSet<String>>,
    /// Workload id → the criterion and pack ids whose advice does not fit its adopted move
    /// (`strategy.advice_left_out`): `criteria()` gives those criteria without advice, so a
    /// card never tells a system being replaced by SaaS to package itself in containers.
    pub advice_left_out: BTreeMap<String, Vec<String>>,
}

/// Each shown workload's `strategy.advice_left_out`, for [`Evidence::advice_left_out`].
pub fn advice_left_out(doc: &crate::assessment::Assessment) -> BTreeMap<String, Vec<String>> {
    doc.workloads
        .iter()
        .filter_map(|w| {
            let s = w.strategy.as_ref()?;
            (!s.advice_left_out.is_empty()).then(|| {
                let ids = s.advice_left_out.iter().map(|x| x.to_string()).collect();
                (w.id.to_string(), ids)
            })
        })
        .collect()
}

/// Whether criterion `id` is one of `ids`, or in a pack `ids` names.
fn named(id: &str, ids: &[String]) -> bool {
    ids.iter().any(|d| {
        id == d
            || id
                .strip_prefix(d.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

impl Evidence {
    /// `criteria(workload=ID, pack=ID?, status=STATUS?)`: one workload's criteria exactly as in
    /// `assess --format json`, principles then the framework, optionally only one pack's or
    /// only those with one status. Computed on call: the context never holds every criterion
    /// of a large inventory at once.
    fn criteria(&self, kwargs: &tera::Kwargs) -> tera::TeraResult<tera::Value> {
        let id: &str = kwargs.must_get("workload")?;
        if let Some(ids) = &self.released
            && !ids.contains(id)
        {
            return Err(tera::Error::message(format!(
                "criteria(): no workload `{id}` in this version of the document"
            )));
        }
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
        let left_out = self.advice_left_out.get(id).map_or(&[][..], Vec::as_slice);
        for p in self
            .packs
            .all()
            .filter(|p| pack.is_none_or(|id| p.id == id))
        {
            let criteria = CriteriaDoc::new(p, w, self.reference, &inv.sources);
            for mut c in criteria
                .iter()
                .filter(|c| status.is_none_or(|s| c.status == s))
            {
                if named(c.id, left_out) {
                    c.advice = None;
                }
                out.push(tera::Value::try_from_serializable(&c)?);
            }
        }
        Ok(tera::Value::from(out))
    }
}

impl Templates {
    /// Compiles the built-in templates, each replaced by `dir/<name>` when that file exists.
    pub fn load(dir: Option<&Path>) -> Result<Templates> {
        let mut sources = Sources::default();
        let mut names = Vec::new();
        let known: Vec<&Asset> = assets::TEMPLATES.iter().collect();
        let folder = assets::Folder::new(dir, "templates", &known, &[".tera"])?;
        for asset in assets::TEMPLATES {
            names.push((asset.name.to_string(), folder.read(&mut sources, asset)?));
        }
        let mut tera = tera::Tera::new();
        // Template names end in `.tera`, so say which ones are HTML and markdown: everything
        // inventory-born is escaped in both, whatever the template author remembers; a template
        // opts out for one value with `| safe`.
        tera.autoescape_on([".html.tera", ".html", ".md.tera", ".md"]);
        tera.set_escape_fn(escape_for_document);
        register_filters(&mut tera);
        // Templates are checked for unknown functions when compiled, so `criteria` exists from
        // the start; each document's render replaces it with one that reads its evidence.
        tera.register_function(
            "criteria",
            |_: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
                Err(tera::Error::message(
                    "criteria() is only available while rendering a strategy document",
                ))
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
            max_output: MAX_OUTPUT,
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
        // The compiled templates with a `criteria()` that owns this render's evidence: nothing
        // outlives the render, and no other render can see it.
        let mut tera = self.tera.clone();
        tera.register_function("criteria", move |kwargs: tera::Kwargs, _: &tera::State| {
            evidence.criteria(&kwargs)
        });
        let mut sealer = Sealer::new(out, Trailer::STRATEGY);
        let previous = ESCAPE_MARKDOWN.replace(format.template() == DocFormat::Markdown.template());
        let mut over_cap = false;
        let rendered = {
            // Whatever a template writes, no control character reaches the document; the seal
            // covers the bytes as written.
            let mut clean = crate::text::CleanWriter::new(&mut sealer);
            let mut capped = Capped {
                out: &mut clean,
                left: self.max_output,
                over: &mut over_cap,
            };
            let mut batched = crate::render::batched(&mut capped);
            let r = tera
                .render_to(format.template(), context, &mut batched)
                .and_then(|_| batched.flush().map_err(tera::Error::from));
            drop(batched);
            r.and_then(|_| clean.finish().map_err(tera::Error::from))
        };
        ESCAPE_MARKDOWN.set(previous);
        if over_cap {
            return Err(Error::Usage(format!(
                "the {} template wrote more than {} MiB, the most a strategy document may be; a template that repeats or doubles text without end is stopped here (check its loops and `set` statements)",
                format.template(),
                self.max_output >> 20
            )));
        }
        match rendered {
            Ok(()) => sealer.finish().map_err(|e| Error::io("<output>", e)),
            Err(e) => match e.kind() {
                tera::ErrorKind::Io(kind) => {
                    Err(Error::io("<output>", std::io::Error::from(*kind)))
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
        let d = Diagnostic::error(loc, format!("template error: {msg}"))
            .code(Code::TemplateError)
            .hint(hint);
        Error::invalid(self.sources.clone(), vec![d])
    }
}

/// The filters templates use besides tera's own.
fn register_filters(tera: &mut tera::Tera) {
    // Numbers as every other output shows them (crate::render::number): `{{ x | score }}`
    // gives a whole number rounded down, or `–` when unknown; `{{ x | percent }}` a share.
    tera.register_filter(
        "score",
        |x: tera::Value, _: tera::Kwargs, _: &tera::State| -> String {
            number::score_cell(x.as_f64())
        },
    );
    tera.register_filter(
        "percent",
        |x: tera::Value, _: tera::Kwargs, _: &tera::State| -> String {
            x.as_f64()
                .map_or_else(|| "–".to_string(), |v| number::percent(v).to_string())
        },
    );
    // `{{ w.name | md }}`: escaped for markdown now and marked safe, so the automatic
    // escaping does not escape it twice. Templates written before escaping was automatic
    // keep working; new ones need not use it.
    tera.register_filter(
        "md",
        |x: tera::Value, _: tera::Kwargs, _: &tera::State| -> tera::Value {
            if x.is_none() || x.is_undefined() {
                return tera::Value::safe_string("");
            }
            let text = x.as_str().map_or_else(|| x.to_string(), str::to_string);
            tera::Value::safe_string(&crate::text::markdown(&text))
        },
    );
    // `{{ x | otherwise(value="not recorded") }}`: tera's `default` covers only undefined
    // values, and the document's unknown facts are null.
    tera.register_filter(
        "otherwise",
        |x: tera::Value, kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
            let empty = x.is_none() || x.as_str().is_some_and(str::is_empty) || x.is_undefined();
            if empty {
                let v: tera::Value = kwargs.must_get("value")?;
                Ok(v)
            } else {
                Ok(x)
            }
        },
    );
    // Inventory enum values in words: `saas` → "software as a service".
    tera.register_filter(
        "plain",
        |x: tera::Value, _: tera::Kwargs, _: &tera::State| -> String {
            adopt::plain(x.as_str().unwrap_or("not recorded")).to_string()
        },
    );
    // Whole dollars with separators: `$6,800,000`.
    tera.register_filter(
        "aud",
        |x: tera::Value, _: tera::Kwargs, _: &tera::State| -> String {
            x.as_f64().map_or_else(|| "–".to_string(), adopt::aud)
        },
    );
}

thread_local! {
    /// Whether the document being rendered on this thread is markdown: tera takes one escape
    /// function for every template, and the two formats escape differently.
    static ESCAPE_MARKDOWN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Tera's escape function: markdown escapes (as `assess --format markdown` writes them) in a
/// markdown document, HTML escapes in an HTML one.
fn escape_for_document(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    if ESCAPE_MARKDOWN.get() {
        out.write_all(crate::text::markdown(input).as_bytes())
    } else {
        tera::escape_html(input, out)
    }
}

/// The last line of every generated document: a hash of everything above it. A later run may
/// replace a file whose seal still matches (cloudready wrote it and nobody edited it since).
#[cfg(test)]
const SEAL: &str = "cloudready:output";

/// Appends the seal comment.
pub fn seal(text: String) -> String {
    let mut out = Vec::with_capacity(text.len() + 100);
    let mut sealer = Sealer::new(&mut out, Trailer::STRATEGY);
    // Writing into memory cannot fail.
    let _ = sealer
        .write_all(text.as_bytes())
        .and_then(|_| sealer.finish());
    String::from_utf8(out).unwrap_or(text)
}

/// Whether `bytes` is a document cloudready generated and nobody has edited since.
#[cfg(test)]
pub fn is_sealed(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let Some(body_end) = text.rfind(&format!("<!-- {SEAL} sha256:")) else {
        return false;
    };
    let (body, last) = text.split_at(body_end);
    let Some(hex) = last
        .trim()
        .strip_prefix(&format!("<!-- {SEAL} sha256:"))
        .and_then(|r| r.strip_suffix(" -->"))
    else {
        return false;
    };
    use sha2::Digest;
    let hash = sha2::Sha256::digest(body.as_bytes());
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
        let marked = seal("**SECRET**\nbody\n**SECRET**".to_string());
        assert!(marked.ends_with(" -->\n"), "{marked}");
        assert!(
            marked
                .lines()
                .last()
                .unwrap()
                .starts_with("**SECRET** <!-- ")
        );
        assert!(is_sealed(marked.as_bytes()));
        assert!(!is_sealed(marked.replace("body", "b0dy").as_bytes()));
    }

    /// A template whose output doubles without end stops at the cap with a clear error.
    #[test]
    fn runaway_template_output_is_capped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("strategy.md.tera"),
            "{% set s = \"ab\" %}{% for i in range(end=60) %}{% set_global s = s ~ s %}{{ s }}{% endfor %}",
        )
        .unwrap();
        let mut t =
            Templates::load(Some(dir.path())).unwrap_or_else(|e| panic!("{}", e.render(false)));
        t.max_output = 1 << 20;
        let inv = crate::load::load_from_bytes(
            &[(
                "i.yaml".into(),
                b"schema: cloudready/v1\nagency: {name: A}\nworkloads: []\n".to_vec(),
            )],
            &crate::load::LoadOptions::default(),
        )
        .unwrap();
        let packs = Packs::builtin().unwrap();
        let doc = crate::assessment::build(&inv, &packs, &[], None);
        let info = context::DocumentInfo {
            digest: "sha256:0",
            date: None,
            format: "markdown",
        };
        let ctx = context::build(doc, &packs, &info).unwrap();
        let evidence = Evidence {
            inventory: Arc::new(inv),
            packs: Arc::new(packs),
            reference: None,
            released: None,
            advice_left_out: BTreeMap::new(),
        };
        let err = t.render(DocFormat::Markdown, &ctx, evidence).unwrap_err();
        let msg = err.render(false);
        assert!(msg.contains("wrote more than 1 MiB"), "{msg}");
    }

    /// What `criteria()` reads belongs to one render: a releasable version's limit holds for
    /// its render only, and outside a render the function says where it works.
    #[test]
    fn criteria_reads_the_evidence_of_its_own_render() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("strategy.md.tera"),
            "{% for c in criteria(workload=\"a\", pack=\"P1\") %}{{ c.id }};{% endfor %}",
        )
        .unwrap();
        let t = Templates::load(Some(dir.path())).unwrap_or_else(|e| panic!("{}", e.render(false)));
        let inv = crate::load::load_from_bytes(
            &[(
                "i.yaml".into(),
                b"schema: cloudready/v1\nagency: {name: A}\nworkloads:\n  - {id: a, name: A}\n  - {id: b, name: B}\n".to_vec(),
            )],
            &crate::load::LoadOptions::default(),
        )
        .unwrap();
        let packs = Packs::builtin().unwrap();
        let info = context::DocumentInfo {
            digest: "sha256:0",
            date: None,
            format: "markdown",
        };
        let ctx = context::build(
            crate::assessment::build(&inv, &packs, &[], None),
            &packs,
            &info,
        )
        .unwrap();
        let inv = Arc::new(inv);
        let packs = Arc::new(packs);
        let evidence = |released: Option<&[&str]>| Evidence {
            inventory: Arc::clone(&inv),
            packs: Arc::clone(&packs),
            reference: None,
            released: released.map(|ids| ids.iter().map(|s| s.to_string()).collect()),
            advice_left_out: BTreeMap::new(),
        };
        let err = t
            .render(DocFormat::Markdown, &ctx, evidence(Some(&["b"])))
            .unwrap_err()
            .render(false);
        assert!(
            err.contains("no workload `a` in this version of the document"),
            "{err}"
        );
        let all = t
            .render(DocFormat::Markdown, &ctx, evidence(None))
            .unwrap_or_else(|e| panic!("{}", e.render(false)));
        assert!(all.starts_with("P1.classification;"), "{all}");
        let shown = t
            .render(DocFormat::Markdown, &ctx, evidence(Some(&["a"])))
            .unwrap_or_else(|e| panic!("{}", e.render(false)));
        assert_eq!(shown, all);
        let outside = t
            .render_named("strategy.md.tera", &ctx)
            .unwrap_err()
            .render(false);
        assert!(
            outside.contains("only available while rendering"),
            "{outside}"
        );
    }

    #[test]
    fn builtin_templates_compile() {
        Templates::load(None).unwrap_or_else(|e| panic!("{}", e.render(false)));
    }
}
