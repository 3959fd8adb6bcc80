//! A report as a versioned JSON document: `cloudready-check/v1` from `check`,
//! `cloudready-validate/v1` from `validate` (same shape; `portfolio` only from `check`).

use serde::Serialize;

use super::{Report, Tool};
use crate::diagnostic::Severity;

pub const CHECK_SCHEMA: &str = "cloudready-check/v1";
pub const VALIDATE_SCHEMA: &str = "cloudready-validate/v1";

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    passed: bool,
    summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    portfolio: Option<PortfolioDoc<'a>>,
    findings: Vec<FindingDoc<'a>>,
}

#[derive(Serialize)]
struct Summary {
    /// Workloads for `check`, files for `validate`.
    #[serde(rename = "workloads", skip_serializing_if = "Option::is_none")]
    workloads: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<usize>,
    errors: usize,
    warnings: usize,
    waived: usize,
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
struct FindingDoc<'a> {
    rule: &'a str,
    severity: &'static str,
    workload: Option<&'a str>,
    group: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
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
    let (schema, workloads, files) = match report.tool {
        Tool::Check => (CHECK_SCHEMA, Some(report.subjects), None),
        Tool::Validate => (VALIDATE_SCHEMA, None, Some(report.subjects)),
    };
    let doc = Doc {
        schema,
        passed: report.passed(),
        summary: Summary {
            workloads,
            files,
            errors: report.errors(),
            warnings: report.warnings(),
            waived: report.waived(),
        },
        portfolio: report.portfolio.as_ref().map(|p| PortfolioDoc {
            overall: p.overall,
            bands: &p.bands,
            waves: p
                .waves
                .iter()
                .enumerate()
                .map(|(i, w)| WaveDoc {
                    wave: i + 1,
                    workloads: w,
                })
                .collect(),
        }),
        findings: report
            .diagnostics
            .iter()
            .map(|f| FindingDoc {
                rule: f.code_or_default(),
                severity: match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Note => "note",
                },
                workload: f.workload.as_deref(),
                group: report.group(f),
                message: &f.message,
                hint: f.hint.as_deref(),
                location: report.place(f).map(|(file, line, column)| LocationDoc {
                    file,
                    line,
                    column,
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
