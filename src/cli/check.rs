//! `cloudready check`: the CI gate over the inventory, the settings and strategy documents.

use super::args::CheckArgs;
use super::{Term, notes, wrote};
use crate::check::{self as gate, RuleBook};
use crate::error::Result;
use crate::inventory::Inventory;
use crate::pipeline::{self, Settings};
use crate::report::{self, Report};
use crate::score::Detail;

pub(super) fn run(a: &CheckArgs, term: &Term) -> Result<u8> {
    let settings = Settings::load(&a.settings.options())?;
    let book = RuleBook::builtin()?;
    let inv = a.input.load(a.settings.date)?;
    let documents = pipeline::read_texts(&a.strategy, a.input.max_input_size)?;
    notes(term, &settings, &inv);
    let report = gate_report(a, &settings, &book, &inv, &documents);
    let out = a.output.to_output();
    let text = report::render(&report, a.format, out.is_stdout() && term.color_stdout);
    out.write_text(&text, report::seal(a.format))?;
    wrote(term, &out);
    if !out.is_stdout() && !term.quiet {
        eprintln!("{}", report.summary());
    }
    Ok(if report.passed() { 0 } else { 1 })
}

/// Runs the rules over the assessment, with criteria kept: blockers are reported with the
/// place of their field.
fn gate_report(
    a: &CheckArgs,
    settings: &Settings,
    book: &RuleBook,
    inv: &Inventory,
    documents: &[(String, String)],
) -> Report {
    let scores = settings.score(inv, Detail::Criteria);
    let doc = settings.document(inv, &scores, &[]);
    let inputs: Vec<String> = a
        .input
        .inventories
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let input = gate::Input {
        inventory: inv,
        settings,
        scores: &scores,
        document: &doc,
        documents,
        regenerate: format!(
            "cloudready strategy {} -o {{doc}} --force",
            inputs.join(" ")
        ),
    };
    gate::run(&input, book)
}
