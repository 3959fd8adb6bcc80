//! The strategy stage through to the bytes: the assessment, a releasable cut of it, the
//! template context, and the document written as markdown, HTML or Word.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use super::release::Cut;
use super::{Options, Settings};
use crate::error::{Error, Result};
use crate::inventory::Inventory;
use crate::output::{Output, Seal};
use crate::render::strategy::{DocFormat, Evidence, Part, Templates, adopt, context};

/// The file names the paper and its annex are written under, so each can name the other.
struct Names {
    paper: Option<String>,
    annex: Option<String>,
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// What [`Strategy::context`] gives: the template context, the marking, the released
/// workloads and the card advice left out.
type Context = (
    tera::Context,
    String,
    Option<BTreeSet<String>>,
    BTreeMap<String, Vec<String>>,
);

/// A strategy run, its templates compiled and its settings read before the inventory: a
/// broken template fails fast.
pub struct Strategy {
    pub format: DocFormat,
    pub templates: Templates,
    pub settings: Settings,
}

impl Strategy {
    /// Picks the format (given, or from `out`'s extension), then reads templates and settings.
    pub fn prepare(
        format: Option<DocFormat>,
        templates: Option<&Path>,
        options: &Options,
        out: &Output,
    ) -> Result<Strategy> {
        let format = match format {
            Some(f) => f,
            None => format_for(out.path())?,
        };
        if format == DocFormat::Docx && out.is_stdout() {
            return Err(crate::render::office::needs_file("docx", "strategy.docx"));
        }
        Ok(Strategy {
            format,
            templates: Templates::load(templates)?,
            settings: Settings::load(options)?,
        })
    }

    /// Builds the paper for `inv` and writes it to `out`, and with `annex` the system-by-system
    /// annex beside it. For a releasable version `inv` is already cut
    /// ([`super::release::cut`]) and `cut` says what was left out. The annex is rendered
    /// before anything is written, so a failing template leaves both files as they were.
    pub fn write(
        &self,
        inv: &Arc<Inventory>,
        cut: Option<Cut>,
        out: &Output,
        annex: Option<&Output>,
    ) -> Result<()> {
        let names = Names {
            paper: out.path().map(file_name),
            annex: annex.and_then(Output::path).map(file_name),
        };
        let annex_bytes = match annex {
            Some(a) => {
                let format = match a.path() {
                    Some(p) => format_for(Some(p))?,
                    None => DocFormat::Markdown,
                };
                Some(self.annex_bytes(inv, cut, format, &names)?)
            }
            None => None,
        };
        self.write_paper(inv, cut, out, &names)?;
        match (annex, annex_bytes) {
            (Some(a), Some((bytes, DocFormat::Docx))) => match a.path() {
                Some(path) => crate::render::office::write(path, &bytes, a.overwrite),
                None => Err(crate::render::office::needs_file("docx", "annex.docx")),
            },
            (Some(a), Some((bytes, _))) => a.write_bytes(&bytes, Seal::STRATEGY),
            _ => Ok(()),
        }
    }

    /// The annex, whole, in memory: its bytes and its format.
    fn annex_bytes(
        &self,
        inv: &Arc<Inventory>,
        cut: Option<Cut>,
        format: DocFormat,
        names: &Names,
    ) -> Result<(Vec<u8>, DocFormat)> {
        let (ctx, marking, released, advice) = self.context(inv, cut, format, names)?;
        let evidence = self.evidence(inv, released, advice);
        let t = &self.templates;
        let bytes = if format == DocFormat::Docx {
            let meta = crate::render::docx::Meta {
                marking: &marking,
                author: inv.agency.name.clone(),
            };
            crate::render::docx::part_bytes(t, Part::Annex, &ctx, evidence, &meta)?
        } else {
            let text = t.render_part(format, Part::Annex, &ctx, evidence)?;
            crate::text::clean_keeping_colour(&text)
                .into_owned()
                .into_bytes()
        };
        Ok((bytes, format))
    }

    fn evidence(
        &self,
        inv: &Arc<Inventory>,
        released: Option<BTreeSet<String>>,
        advice_left_out: BTreeMap<String, Vec<String>>,
    ) -> Evidence {
        Evidence {
            inventory: Arc::clone(inv),
            packs: Arc::clone(&self.settings.packs),
            reference: self.settings.reference(inv),
            released,
            advice_left_out,
        }
    }

    fn write_paper(
        &self,
        inv: &Arc<Inventory>,
        cut: Option<Cut>,
        out: &Output,
        names: &Names,
    ) -> Result<()> {
        let (ctx, marking, released, advice) = self.context(inv, cut, self.format, names)?;
        let evidence = self.evidence(inv, released, advice);
        let t = &self.templates;
        match out.path() {
            Some(path) if self.format == DocFormat::Docx => {
                let meta = crate::render::docx::Meta {
                    marking: &marking,
                    author: inv.agency.name.clone(),
                };
                crate::render::docx::write_strategy(t, &ctx, evidence, &meta, path, out.overwrite)
            }
            // Straight into the temporary file: a failure part-way leaves the old document whole.
            Some(path) => {
                let mut failure = None;
                let written = out.stream(Seal::STRATEGY, |w| {
                    t.render_to(self.format, &ctx, evidence, w).map_err(|e| {
                        failure = Some(e);
                        std::io::Error::other("the document could not be rendered")
                    })
                });
                match failure {
                    // A write that failed inside the renderer (a full disk) names the file.
                    Some(Error::Io { target, source }) if target == "<output>" => {
                        Err(Error::io(path.display().to_string(), source))
                    }
                    Some(e) => Err(e),
                    None => written,
                }
            }
            // Into memory first, so that a template error prints nothing but the error.
            None => out.write_text(&t.render(self.format, &ctx, evidence)?, Seal::None),
        }
    }

    /// The template context, the protective marking Word puts in every page's header and
    /// footer beside the draft's own lines, and, for a releasable version, the workloads it keeps.
    fn context(
        &self,
        inv: &Inventory,
        cut: Option<Cut>,
        format: DocFormat,
        names: &Names,
    ) -> Result<Context> {
        let settings = &self.settings;
        let doc = settings.assess(inv, &[]);
        let assumed = settings.rules.hosting.assume_classification;
        let release = cut.map(|c| adopt::Release {
            level: c.level,
            left_out: c.left_out,
        });
        let released = release
            .as_ref()
            .map(|_| doc.workloads.iter().map(|w| w.id.to_string()).collect());
        let digest = crate::digest::inventory_digest(&inv.sources);
        let info = context::DocumentInfo {
            digest: &digest,
            date: settings.date.map(|d| d.to_string()),
            format: format.name(),
            paper: names.paper.as_deref(),
            annex: names.annex.as_deref(),
        };
        let inputs = adopt::Inputs {
            inventory: Some(inv),
            strategy: Some(&settings.config.strategy),
            wave_months: settings.config.plan.wave_months,
            foundation_months: settings.config.plan.foundation_months,
            quarters: settings.config.plan.quarters,
            start: settings.reference(inv),
            hosting_titles: settings
                .rules
                .hosting
                .options
                .iter()
                .map(|o| (o.id.as_str(), o.title.as_str()))
                .collect(),
            assumed_classification: assumed,
            release,
            settings_file: settings.config.path.as_deref(),
        };
        let marking = adopt::marking(&doc, &inputs).text.to_string();
        let advice_left_out = crate::render::strategy::advice_left_out(&doc);
        let ctx = context::build_with(doc, &settings.packs, &info, &inputs)?;
        Ok((ctx, marking, released, advice_left_out))
    }
}

/// The strategy format `-o FILE`'s extension means: HTML for `.html` and `.htm`, Word for
/// `.docx`, markdown for `.md`, `.markdown`, `.txt` or no extension (and standard output). Any
/// other extension (`.pdf`) is refused rather than filled with markdown under a name that
/// promises another format.
fn format_for(path: Option<&Path>) -> Result<DocFormat> {
    let Some(ext) = path.and_then(|p| p.extension()).and_then(|e| e.to_str()) else {
        return Ok(DocFormat::Markdown);
    };
    let is = |names: &[&str]| names.iter().any(|n| ext.eq_ignore_ascii_case(n));
    if is(&["html", "htm"]) {
        Ok(DocFormat::Html)
    } else if is(&["md", "markdown", "txt"]) {
        Ok(DocFormat::Markdown)
    } else if is(&["docx"]) {
        Ok(DocFormat::Docx)
    } else {
        Err(Error::Usage(format!(
            "cloudready writes the strategy as markdown (.md), HTML (.html) or Word (.docx), not .{ext}; name the file so, or pass --format to write one of them under this name (for a PDF, print the HTML from a browser)"
        )))
    }
}
