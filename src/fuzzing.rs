//! One call that drives every stage of the pipeline over arbitrary bytes, for the fuzz target
//! (`fuzz/`) and the mutation property test (`tests/robustness.rs`). Both assert only that it
//! returns: any input must end in output or a clean error, never a panic, hang or abort.

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

/// Everything made from one assessment. A new stage (planning, the HTML strategy) is one line.
const STAGES: &[fn(&Assessment) -> String] = &[
    |d| render::render(d, Format::Table, false),
    |d| render::render(d, Format::Table, true),
    // The table fitted to a terminal, down to one too narrow for any layout.
    |d| render::table::render_fit(d, true, Some(100)),
    |d| render::table::render_fit(d, false, Some(24)),
    |d| render::render(d, Format::Json, false),
    |d| render::render(d, Format::Yaml, false),
    |d| render::render(d, Format::Csv, false),
    |d| render::render(d, Format::Markdown, false),
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
    Outcome::Rendered(STAGES.iter().map(|stage| stage(&doc)).collect())
}

/// The built-in settings, packs and rules, which cannot fail to load (a unit test proves it).
pub fn builtin_settings() -> Settings {
    Settings::builtin().unwrap_or_else(|e| panic!("built-in packs are broken: {e}"))
}
