//! One call that drives every stage of the pipeline over arbitrary bytes, for the fuzz target
//! (`fuzz/`) and the mutation property test (`tests/robustness.rs`). Any input must end in
//! output or a clean error, never a panic, hang or abort; [`Harness`] also renders the strategy
//! documents and holds every output to the text invariants of [`check_output`].

use crate::assessment::{self, Assessment};
use crate::load::{self, LoadOptions};
use crate::pack::Packs;
use crate::render::{self, Format};
use crate::score::Context;

/// What the bytes led to: the rendered outputs, or the rendered error.
#[derive(Debug)]
pub enum Outcome {
    Rendered(Vec<String>),
    Refused(String),
}

/// Everything made from one assessment. A new stage (planning, the HTML strategy) is one line.
const STAGES: &[fn(&Assessment) -> String] = &[
    |d| render::render(d, Format::Table, false),
    |d| render::render(d, Format::Table, true),
    |d| render::render(d, Format::Json, false),
    |d| render::render(d, Format::Yaml, false),
    |d| render::render(d, Format::Csv, false),
    |d| render::render(d, Format::Markdown, false),
];

/// Loads `bytes` as the file `name` (its extension picks the format), validates, scores, builds
/// the assessment document and renders it in every format; an error is rendered with snippets.
pub fn run_everything(name: &str, bytes: &[u8], packs: &Packs) -> Outcome {
    let opts = LoadOptions::default();
    let inv = match load::load_from_bytes(&[(name.to_string(), bytes.to_vec())], &opts) {
        Ok(inv) => inv,
        Err(e) => {
            // Both renderings: colour takes other code paths through the snippet printer.
            let _ = e.render(true);
            return Outcome::Refused(e.render(false));
        }
    };
    let reference = inv.agency.as_of;
    let cx = Context {
        reference_date: reference,
        ..Context::default()
    };
    let scores = assessment::assess(&inv, packs, &cx, &[], crate::score::Detail::Totals);
    let doc = assessment::build(&inv, packs, &scores, reference);
    Outcome::Rendered(STAGES.iter().map(|stage| stage(&doc)).collect())
}

/// The built-in packs, which cannot fail to load (a unit test proves it).
pub fn builtin_packs() -> Packs {
    Packs::builtin().unwrap_or_else(|e| panic!("built-in packs are broken: {e}"))
}

/// Everything [`run_everything`] does, plus the markdown and HTML strategy documents, with the
/// packs, plan rules and compiled templates made once.
pub struct Harness {
    packs: std::sync::Arc<Packs>,
    rules: crate::plan::PlanRules,
    templates: crate::render::strategy::Templates,
}

impl Harness {
    /// The built-in packs, rules and templates (unit tests prove they load).
    pub fn new() -> Self {
        Harness {
            packs: std::sync::Arc::new(builtin_packs()),
            rules: crate::plan::PlanRules::load(None)
                .unwrap_or_else(|e| panic!("built-in plan rules are broken: {e}")),
            templates: crate::render::strategy::Templates::load(None)
                .unwrap_or_else(|e| panic!("built-in templates are broken: {e}")),
        }
    }

    /// Loads `bytes` as the file `name`, renders every assessment format and both strategy
    /// documents, and panics if any output breaks [`check_output`].
    pub fn run(&self, name: &str, bytes: &[u8]) -> Outcome {
        use crate::render::strategy::{DocFormat, Evidence, context};
        let opts = LoadOptions::default();
        let inv = match load::load_from_bytes(&[(name.to_string(), bytes.to_vec())], &opts) {
            Ok(inv) => std::sync::Arc::new(inv),
            Err(e) => {
                let coloured = e.render(true);
                check_output("error (colour)", &coloured);
                let plain = e.render(false);
                check_output("error", &plain);
                return Outcome::Refused(plain);
            }
        };
        for d in &inv.notes {
            check_output("note", &d.render(&inv.sources, false));
        }
        let reference = inv.agency.as_of;
        let cx = Context {
            reference_date: reference,
            ..Context::default()
        };
        let scores = assessment::assess(&inv, &self.packs, &cx, &[], crate::score::Detail::Totals);
        // Built once per output kind: the strategy context takes the document by value.
        let make = || {
            let plan = crate::plan::plan(
                &inv,
                &self.rules,
                None,
                &scores,
                &crate::plan::PlanOptions {
                    reference,
                    ..crate::plan::PlanOptions::default()
                },
            );
            let mut doc = assessment::build(&inv, &self.packs, &scores, reference);
            assessment::attach_plan(&mut doc, &inv, plan);
            doc
        };
        let doc = make();
        let mut outputs: Vec<String> = STAGES.iter().map(|stage| stage(&doc)).collect();
        let names = ["table", "table (colour)", "json", "yaml", "csv", "markdown"];
        for (what, text) in names.iter().zip(&outputs) {
            check_output(what, text);
        }
        let digest = crate::digest::inventory_digest(&inv.sources);
        for format in [DocFormat::Markdown, DocFormat::Html] {
            let info = context::DocumentInfo {
                digest: &digest,
                date: None,
                format: format.name(),
            };
            let ctx = context::build(make(), &self.packs, &info);
            let evidence = Evidence {
                inventory: std::sync::Arc::clone(&inv),
                packs: std::sync::Arc::clone(&self.packs),
                reference,
            };
            match self.templates.render(format, &ctx, evidence) {
                Ok(text) => {
                    check_output(format.name(), &text);
                    outputs.push(text);
                }
                Err(e) => panic!(
                    "the built-in {} template failed: {}",
                    format.name(),
                    e.render(false)
                ),
            }
        }
        Outcome::Rendered(outputs)
    }
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

/// The invariants every text output keeps, whatever the inventory held: no control character
/// but line breaks, tabs and cloudready's own colour codes; no `<script` that a browser or a
/// markdown renderer would run (markdown shows it escaped as `\\<script`).
pub fn check_output(what: &str, text: &str) {
    // `\r` is layout only in CRLF; anything else is a leak.
    let crlf_free = text.replace("\r\n", "\n");
    if crate::text::clean_keeping_colour(&crlf_free) != crlf_free {
        let at = crlf_free
            .char_indices()
            .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\t' | '\x1b'))
            .map_or(0, |(i, _)| i);
        let text = &crlf_free;
        panic!(
            "{what}: control character in the output near byte {at}: {:?}",
            text.get(at.saturating_sub(20)..(at + 20).min(text.len()))
        );
    }
    // Only the markup formats run markup; a table or CSV shows `<script>` as the text it is.
    if !matches!(what, "markdown" | "html") {
        return;
    }
    let lower = text.to_ascii_lowercase();
    for (i, _) in lower.match_indices("<script") {
        if !lower[..i].ends_with('\\') || what == "html" {
            panic!(
                "{what}: raw `<script` in the output: {:?}",
                &text[i.saturating_sub(40)..(i + 40).min(text.len())]
            );
        }
    }
}
