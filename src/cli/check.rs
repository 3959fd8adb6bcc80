//! `cloudready check`: the CI gate over the inventory, the settings and strategy documents.

use super::args::CheckArgs;
use super::{Term, notes, write_report};
use crate::check::{self as gate, RuleBook};
use crate::diagnostic::{Diagnostic, Loc, Sources};
use crate::error::{Error, Result};
use crate::inventory::Inventory;
use crate::pipeline::{self, Settings};
use crate::report::{self, Report, ReportFormat};
use crate::score::Detail;

pub(super) fn run(a: &CheckArgs, term: &Term) -> Result<u8> {
    let format = a.format()?;
    let book = RuleBook::builtin()?;
    let (report, code) = match judge(a, term, &book) {
        Ok(report) => {
            let code = u8::from(!report.passed());
            (report, code)
        }
        // A report tool (code scanning, a test dashboard) would otherwise see nothing of a
        // broken input: the problems become the report, as `validate` makes it.
        Err(e) if format != ReportFormat::Text => match input_report(e, &book) {
            Ok(report) => (report, 2),
            Err(e) => return Err(e),
        },
        Err(e) => return Err(e),
    };
    let out = a.output.to_output();
    write_report(term, &out, &report, format)?;
    if !out.is_stdout() && !term.quiet {
        eprintln!("{}", report.summary());
    }
    // Soft-fail lets a pipeline report findings without gating on them; a broken input still
    // stops it, since nothing was judged.
    Ok(if code == 1 && a.soft_fail { 0 } else { code })
}

/// Reads everything the gate needs and runs it.
fn judge(a: &CheckArgs, term: &Term, book: &RuleBook) -> Result<Report> {
    let settings = Settings::load(&a.settings.options())?;
    if !term.quiet {
        eprintln!("{}", settings_note(&settings));
    }
    let inv = a.input.load(a.settings.date)?;
    let documents = pipeline::read_texts(&a.strategy, a.input.max_input_size)?;
    notes(term, &settings, &inv);
    Ok(gate_report(a, &settings, book, &inv, &documents))
}

/// Which settings file the gate applies, so a `cloudready.toml` elsewhere is never silently
/// taken for the one in force.
fn settings_note(settings: &Settings) -> String {
    match &settings.config.path {
        Some(p) => format!("settings: {}", crate::text::clean(p)),
        None => format!(
            "settings: none found (no --config, no CLOUDREADY_CONFIG, no ./{}): defaults apply",
            crate::config::DEFAULT_FILE
        ),
    }
}

/// The report of what stopped the run before anything was judged: the input's problems at
/// their places, or a file that could not be read, located at that file.
fn input_report(e: Error, book: &RuleBook) -> Result<Report> {
    let (sources, diagnostics) = match e {
        Error::Invalid {
            sources,
            diagnostics,
        } => (*sources, diagnostics),
        Error::Io { ref target, .. } | Error::File { ref target, .. } => {
            let mut sources = Sources::default();
            let file = sources.add(target.clone(), String::new());
            let d = Diagnostic::error(Loc::new(file, 1, 1), e.to_string());
            (sources, vec![d])
        }
        Error::Usage(_) => return Err(e),
    };
    Ok(report::of_input(&sources, diagnostics, &book.rules))
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
