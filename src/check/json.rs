//! `check --format json`: the findings as a versioned document (`cloudready-check/v1`).

use serde::Serialize;

use super::Report;
use crate::diagnostic::Severity;

pub const SCHEMA: &str = "cloudready-check/v1";

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    passed: bool,
    summary: Summary,
    portfolio: PortfolioDoc<'a>,
    findings: Vec<FindingDoc<'a>>,
}

/// The portfolio as the assessment document has it (`overall` to one decimal, as in `assess
/// --format json`), so the gate and the assessment can be compared number for number.
#[derive(Serialize)]
struct PortfolioDoc<'a> {
    overall: Option<f64>,
    bands: &'a crate::assessment::BandCounts,
    waves: Vec<WaveDoc<'a>>,
}

#[derive(Serialize)]
struct WaveDoc<'a> {
    wave: usize,
    workloads: &'a [String],
}

#[derive(Serialize)]
struct Summary {
    workloads: usize,
    errors: usize,
    warnings: usize,
    waived: usize,
}

#[derive(Serialize)]
struct FindingDoc<'a> {
    rule: &'a str,
    severity: &'static str,
    workload: Option<&'a str>,
    group: &'a str,
    message: &'a str,
    location: Option<LocationDoc<'a>>,
    waiver: Option<WaiverDoc<'a>>,
}

#[derive(Serialize)]
struct LocationDoc<'a> {
    file: &'a str,
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct WaiverDoc<'a> {
    reason: &'a str,
    approved_by: &'a str,
    expires: &'a str,
}

pub fn render(report: &Report) -> String {
    let doc = Doc {
        schema: SCHEMA,
        passed: report.passed(),
        summary: Summary {
            workloads: report.workloads,
            errors: report.errors(),
            warnings: report.warnings(),
            waived: report.waived(),
        },
        portfolio: PortfolioDoc {
            overall: report.portfolio.overall,
            bands: &report.portfolio.bands,
            waves: report
                .portfolio
                .waves
                .iter()
                .enumerate()
                .map(|(i, w)| WaveDoc {
                    wave: i + 1,
                    workloads: w,
                })
                .collect(),
        },
        findings: report
            .findings
            .iter()
            .map(|f| FindingDoc {
                rule: &f.rule,
                severity: if f.severity == Severity::Error {
                    "error"
                } else {
                    "warning"
                },
                workload: f.workload.as_deref(),
                group: &f.group,
                message: &f.message,
                location: f.location.as_ref().map(|l| LocationDoc {
                    file: &l.file,
                    line: l.line,
                    column: l.column,
                }),
                waiver: f.waiver.as_ref().map(|w| WaiverDoc {
                    reason: &w.reason,
                    approved_by: &w.approved_by,
                    expires: &w.expires,
                }),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
