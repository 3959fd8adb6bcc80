//! `check --format github`: GitHub Actions workflow commands, so findings show as annotations
//! on the pull request's lines without a code-scanning licence.

use std::fmt::Write as _;

use std::collections::HashMap;

use super::Report;
use super::paths::Roots;
use crate::diagnostic::{Diagnostic, Severity};

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

/// Annotations of each kind (error, warning, notice) per step that GitHub shows; the rest it
/// drops without a word, so they go to the log as plain lines and one notice says so.
pub const MAX_PER_KIND: usize = 10;

pub fn render(report: &Report) -> String {
    render_at(report, &Roots::detect(), MAX_PER_KIND)
}

fn command(f: &Diagnostic) -> &'static str {
    match (&f.waiver, f.severity) {
        (Some(_), _) => "notice",
        (None, Severity::Error) => "error",
        (None, _) => "warning",
    }
}

pub fn render_at(report: &Report, roots: &Roots, max: usize) -> String {
    let mut out = String::new();
    let total = |kind: &str| {
        report
            .diagnostics
            .iter()
            .filter(|d| command(d) == kind)
            .count()
    };
    let overflow = ["error", "warning", "notice"]
        .iter()
        .any(|k| total(k) > max);
    // The summary notice takes one of the notices' places.
    let room = |kind: &str| {
        if overflow && kind == "notice" {
            max.saturating_sub(1)
        } else {
            max
        }
    };
    let mut shown: HashMap<&str, usize> = HashMap::new();
    let mut unshown = 0;
    for f in &report.diagnostics {
        let command = command(f);
        let place = report
            .place(f)
            .and_then(|(file, line, column)| Some((roots.relative(file)?, line.max(1), column)));
        let rule = f.code_or_default();
        let title = match &f.workload {
            Some(w) => format!("{rule} ({w})"),
            None => rule.to_string(),
        };
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
        let n = shown.entry(command).or_insert(0);
        if *n >= room(command) {
            unshown += 1;
            let at = place
                .map(|(file, line, column)| format!("{file}:{line}:{column}: "))
                .unwrap_or_default();
            let _ = writeln!(out, "{command}[{title}] {at}{}", data(&message));
            continue;
        }
        *n += 1;
        let mut props = Vec::new();
        if let Some((file, line, column)) = &place {
            props.push(format!("file={}", property(file)));
            props.push(format!("line={line}"));
            props.push(format!("col={column}"));
        }
        props.push(format!("title={}", property(&title)));
        let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&message));
    }
    if unshown > 0 {
        let _ = writeln!(
            out,
            "::notice title=cloudready::{unshown} more findings are not annotated (GitHub shows {max} annotations of each kind per step); they are listed in this log, and every one is in the SARIF, JUnit and JSON reports"
        );
    }
    let _ = writeln!(out, "{}", report.summary());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn annotations_are_capped_with_one_notice_for_the_rest() {
        let roots = Roots {
            root: "/repo".into(),
            cwd: "/repo".into(),
        };
        let out = render_at(&sample::report(5, 1, "min_workload"), &roots, 3);
        let errors = out.lines().filter(|l| l.starts_with("::error ")).count();
        assert_eq!(errors, 3, "{out}");
        let rest: Vec<&str> = out.lines().filter(|l| l.starts_with("error[")).collect();
        assert_eq!(rest.len(), 2, "{out}");
        assert!(rest[0].contains("inv.yaml:4:5: finding 0 of w3"), "{out}");
        let notices: Vec<&str> = out.lines().filter(|l| l.starts_with("::notice ")).collect();
        assert_eq!(notices.len(), 1, "{out}");
        assert!(
            notices[0].contains("2 more findings are not annotated"),
            "{out}"
        );
        // Under the cap: every finding annotated, no notice.
        let out = render_at(&sample::report(3, 1, "min_workload"), &roots, 3);
        assert_eq!(out.lines().filter(|l| l.starts_with("::error ")).count(), 3);
        assert!(!out.contains("::notice"));
    }

    #[test]
    fn escapes_per_workflow_command_rules() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
