//! `check --format github`: GitHub Actions workflow commands, so findings show as annotations
//! on the pull request's lines without a code-scanning licence.

use std::fmt::Write as _;

use super::Report;
use crate::diagnostic::Severity;

/// Escapes a message (data) per the workflow-command rules.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (also `:` and `,`, which separate properties).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.diagnostics {
        let command = match (&f.waiver, f.severity) {
            (Some(_), _) => "notice",
            (None, Severity::Error) => "error",
            (None, _) => "warning",
        };
        let mut props = Vec::new();
        if let Some((file, line, column)) = report.place(f) {
            props.push(format!("file={}", property(file)));
            props.push(format!("line={}", line.max(1)));
            props.push(format!("col={column}"));
        }
        let rule = f.code_or_default();
        let title = match &f.workload {
            Some(w) => format!("{rule} ({w})"),
            None => rule.to_string(),
        };
        props.push(format!("title={}", property(&title)));
        let message = match &f.waiver {
            Some(w) => format!(
                "waived until {} by {} ({}): {}",
                w.expires, w.approved_by, w.reason, f.message
            ),
            None => match &f.hint {
                Some(h) => format!("{}\nhint: {h}", f.message),
                None => f.message.clone(),
            },
        };
        let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&message));
    }
    let _ = writeln!(out, "{}", report.summary());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_workflow_command_rules() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
