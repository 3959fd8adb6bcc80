//! Findings for people: grouped by workload (then the portfolio and documents), one line each
//! with its place, then a summary line.

use std::fmt::Write as _;

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};

fn place(report: &Report, d: &Diagnostic) -> String {
    match report.place(d) {
        Some((file, line, column)) => format!("{}:{line}:{column}: ", clean(file)),
        None => String::new(),
    }
}

pub fn render(report: &Report, color: bool) -> String {
    let (bold, red, yellow, dim, green, reset) = if color {
        (
            "\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[32m", "\x1b[0m",
        )
    } else {
        ("", "", "", "", "", "")
    };
    let mut out = String::new();
    for (g, findings) in super::by_group(report) {
        let _ = writeln!(out, "{bold}{}{reset}", clean(g));
        for f in findings {
            let (label, c) = match (&f.waiver, f.severity) {
                (Some(_), _) => ("waived", dim),
                (None, Severity::Error) => ("error", red),
                (None, _) => ("warning", yellow),
            };
            let _ = writeln!(
                out,
                "  {c}{label}[{}]{reset} {}{}",
                f.code_or_default(),
                place(report, f),
                clean(&f.message)
            );
            if let (Some(h), None) = (&f.hint, &f.waiver) {
                let _ = writeln!(out, "    {dim}hint: {}{reset}", clean(h));
            }
            if let Some(w) = &f.waiver {
                let _ = writeln!(
                    out,
                    "    {dim}waived until {} by {}: {}{reset}",
                    w.expires,
                    clean(&w.approved_by),
                    clean(&w.reason)
                );
            }
        }
        out.push('\n');
    }
    let c = if report.passed() { green } else { red };
    let _ = writeln!(out, "{bold}{c}{}{reset}", report.summary());
    out
}

/// Drops control characters so text from the inventory or config cannot drive the terminal.
fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}
