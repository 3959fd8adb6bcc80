//! `cloudready validate`: every problem in the inventory, with its place and a fix.

use super::args::ValidateArgs;
use super::{Term, write_report};
use crate::check::RuleBook;
use crate::diagnostic::Severity;
use crate::error::{Error, Result};
use crate::inventory::Inventory;
use crate::render::table::count;
use crate::report::{self, ReportFormat};

pub(super) fn run(a: &ValidateArgs, term: &Term) -> Result<u8> {
    let format = a.format()?;
    if format != ReportFormat::Text {
        return as_report(a, format, term);
    }
    let inv = a.input.load(None)?;
    term.notes(&inv.sources, &inv.notes);
    if !term.quiet {
        println!("{}", summary(&inv));
    }
    Ok(0)
}

/// `valid: 3 workloads in 1 file, 1 warning`.
fn summary(inv: &Inventory) -> String {
    let files = inv.sources.iter().count();
    let warnings = inv
        .notes
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    format!(
        "valid: {} in {}{}",
        count(inv.workloads.len(), "workload"),
        count(files, "file"),
        if warnings > 0 {
            format!(", {}", count(warnings, "warning"))
        } else {
            String::new()
        }
    )
}

/// `validate --format json|sarif|junit|github`: the problems as a report, so a broken inventory
/// reaches code scanning like any `check` finding. Exits 2 when the input is invalid.
fn as_report(a: &ValidateArgs, format: ReportFormat, term: &Term) -> Result<u8> {
    let book = RuleBook::builtin()?;
    let (report, code) = match a.input.load(None) {
        Ok(inv) => (report::of_input(&inv.sources, inv.notes, &book.rules), 0),
        Err(Error::Invalid {
            sources,
            diagnostics,
        }) => (report::of_input(&sources, diagnostics, &book.rules), 2),
        Err(e) => return Err(e),
    };
    let out = a.output.to_output();
    write_report(term, &out, &report, format)?;
    if !term.quiet {
        eprintln!("{}", report.summary());
    }
    Ok(code)
}
