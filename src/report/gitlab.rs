//! `check --format gitlab`: GitLab Code Quality, the JSON array of issues a merge request's
//! widget and changes view read (`artifacts: reports: codequality:`). GitLab reads
//! `description`, `check_name`, `fingerprint`, `severity`, `location.path` (from the
//! repository root) and `location.lines.begin`; it shows issues with one fingerprint as one,
//! so each finding gets its own.

use std::collections::HashMap;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::Report;
use super::paths::Roots;
use crate::diagnostic::{Diagnostic, Severity};

pub fn render(report: &Report) -> String {
    render_at(report, &Roots::detect())
}

/// GitLab's scale is info, minor, major, critical, blocker: a failing finding is major, a
/// warning minor, and a note or waived finding info.
fn severity(d: &Diagnostic) -> &'static str {
    match (&d.waiver, d.severity) {
        (Some(_), _) => "info",
        (None, Severity::Error) => "major",
        (None, Severity::Warning) => "minor",
        (None, Severity::Note) => "info",
    }
}

pub fn render_at(report: &Report, roots: &Roots) -> String {
    let fallback = report
        .sources
        .iter()
        .find_map(|f| roots.relative(&f.path))
        .unwrap_or_else(|| ".".to_string());
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let rule = d.code_or_default();
            let (path, line) = match report.place(d) {
                Some((file, line, _)) => (
                    roots.relative(file).unwrap_or_else(|| fallback.clone()),
                    line.max(1),
                ),
                None => (fallback.clone(), 1),
            };
            // The line is left out so an edit above a finding does not make it a new one.
            let key = format!("{rule}\0{}\0{path}", report.group(d));
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            let mut h = Sha256::new();
            h.update(key.as_bytes());
            h.update(n.to_string().as_bytes());
            let fingerprint: String = h
                .finalize()
                .iter()
                .take(16)
                .map(|b| format!("{b:02x}"))
                .collect();
            let mut description = match &d.workload {
                Some(w) => format!("{w}: {}", d.message),
                None => d.message.clone(),
            };
            if let Some(w) = &d.waiver {
                description.push_str(&format!(
                    " (waived until {} by {}: {})",
                    w.expires, w.approved_by, w.reason
                ));
            }
            json!({
                "description": description,
                "check_name": rule,
                "fingerprint": fingerprint,
                "severity": severity(d),
                "location": { "path": path, "lines": { "begin": line } },
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string());
    s.push('\n');
    s
}
