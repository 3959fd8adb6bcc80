//! `check --format junit`: JUnit XML for CI dashboards. A testcase per workload (or portfolio,
//! or document) and rule checked; a `<failure>` per unwaived error; waived findings and
//! warnings are reported in the testcase's `<system-out>`.

use std::fmt::Write as _;

use std::collections::HashMap;

use super::Report;
use crate::diagnostic::Diagnostic;

/// Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

pub fn render(report: &Report) -> String {
    let failures = report.errors();
    let mut body = String::new();
    let mut by_case: HashMap<(&str, &str), Vec<&Diagnostic>> = HashMap::new();
    for d in &report.diagnostics {
        by_case
            .entry((report.group(d), d.code_or_default()))
            .or_default()
            .push(d);
    }
    for (group, rule) in &report.cases {
        let findings = by_case
            .remove(&(group.as_str(), rule.as_str()))
            .unwrap_or_default();
        let _ = write!(
            body,
            "    <testcase classname=\"{}\" name=\"{}\"",
            escape(group),
            escape(rule)
        );
        if findings.is_empty() {
            body.push_str("/>\n");
            continue;
        }
        body.push_str(">\n");
        let mut notes = String::new();
        for f in &findings {
            let place = report
                .place(f)
                .map(|(file, line, column)| format!("{file}:{line}:{column}"))
                .unwrap_or_default();
            if f.fails() {
                let _ = writeln!(
                    body,
                    "      <failure type=\"{}\" message=\"{}\">{}: {}</failure>",
                    escape(rule),
                    escape(&f.message),
                    escape(&place),
                    escape(&f.message)
                );
            } else if let Some(w) = &f.waiver {
                let _ = writeln!(
                    notes,
                    "waived ({}, approved by {} until {}): {place}: {}",
                    w.reason, w.approved_by, w.expires, f.message
                );
            } else {
                let _ = writeln!(notes, "warning: {place}: {}", f.message);
            }
        }
        if !notes.is_empty() {
            let _ = writeln!(
                body,
                "      <system-out>{}</system-out>",
                escape(notes.trim_end())
            );
        }
        body.push_str("    </testcase>\n");
    }
    let suite = format!("cloudready {}", report.tool.name());
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{suite}\" tests=\"{}\" failures=\"{failures}\">",
        report.cases.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{suite}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
        report.cases.len()
    );
    out.push_str(&body);
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
