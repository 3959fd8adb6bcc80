//! One call that drives every stage of the pipeline over arbitrary bytes, for the fuzz target
//! (`fuzz/`) and the mutation property test (`tests/it/robustness.rs`). Any input must end in
//! output or a clean error, never a panic, hang or abort; [`Harness`] also renders the strategy
//! documents and holds every output to the text invariants of [`check_output`].

use crate::assessment::Assessment;
use crate::load::{self, LoadOptions};
use crate::pipeline::Settings;
use crate::render::{self, Format};

/// What the bytes led to: the rendered outputs, or the rendered error.
#[derive(Debug)]
pub enum Outcome {
    Rendered(Vec<String>),
    Refused(String),
}

/// Everything made from one assessment, by name. A new stage (planning, the HTML strategy) is
/// one line.
/// One rendering of the assessment document.
type Stage = fn(&Assessment) -> String;

const STAGES: &[(&str, Stage)] = &[
    ("table", |d| render::render(d, Format::Table, false)),
    ("table (colour)", |d| render::render(d, Format::Table, true)),
    // The table fitted to a terminal, down to one too narrow for any layout.
    ("table (100 columns)", |d| {
        render::table::render_fit(d, true, Some(100))
    }),
    ("table (24 columns)", |d| {
        render::table::render_fit(d, false, Some(24))
    }),
    ("json", |d| render::render(d, Format::Json, false)),
    ("yaml", |d| render::render(d, Format::Yaml, false)),
    ("csv", |d| render::render(d, Format::Csv, false)),
    ("markdown", |d| render::render(d, Format::Markdown, false)),
];

/// Loads `bytes` as the file `name` (its extension picks the format), validates, scores, plans,
/// builds the assessment document and renders it in every format; an error is rendered with snippets.
pub fn run_everything(name: &str, bytes: &[u8], settings: &Settings) -> Outcome {
    let opts = LoadOptions::default();
    let inv = match load::load_from_bytes(&[(name.to_string(), bytes.to_vec())], &opts) {
        Ok(inv) => inv,
        Err(e) => {
            // Both renderings: colour takes other code paths through the snippet printer.
            let _ = e.render(true);
            return Outcome::Refused(e.render(false));
        }
    };
    let doc = settings.assess(&inv, &[]);
    Outcome::Rendered(STAGES.iter().map(|(_, stage)| stage(&doc)).collect())
}

/// The built-in settings, packs and rules, which cannot fail to load (a unit test proves it).
pub fn builtin_settings() -> Settings {
    Settings::builtin().unwrap_or_else(|e| panic!("built-in packs are broken: {e}"))
}

/// Everything [`run_everything`] does, plus the markdown and HTML strategy documents, with the
/// settings, packs, plan rules and compiled templates made once.
pub struct Harness {
    settings: Settings,
    templates: crate::render::strategy::Templates,
}

impl Harness {
    /// The built-in settings and templates (unit tests prove they load).
    pub fn new() -> Self {
        Harness {
            settings: builtin_settings(),
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
        let settings = &self.settings;
        let scores = settings.score(&inv, crate::score::Detail::Totals);
        let doc = settings.document(&inv, &scores, &[]);
        let mut outputs = Vec::new();
        for (what, stage) in STAGES {
            let text = stage(&doc);
            check_output(what, &text);
            outputs.push(text);
        }
        let digest = crate::digest::inventory_digest(&inv.sources);
        for format in [DocFormat::Markdown, DocFormat::Html] {
            let info = context::DocumentInfo {
                digest: &digest,
                date: None,
                format: format.name(),
            };
            // Built once per document: the strategy context takes the document by value.
            let ctx = context::build(
                settings.document(&inv, &scores, &[]),
                &settings.packs,
                &info,
            )
            .unwrap_or_else(|e| panic!("the strategy context failed: {}", e.render(false)));
            let evidence = Evidence {
                inventory: std::sync::Arc::clone(&inv),
                packs: std::sync::Arc::clone(&settings.packs),
                reference: settings.reference(&inv),
                released: None,
                advice_left_out: Default::default(),
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
