//! Problems as a report, for people and for tools: one [`Report`] of [`Diagnostic`]s, whatever
//! found them (`validate`'s input errors, `check`'s findings, a strategy document's lint),
//! rendered as readable text, JSON, SARIF 2.1.0, JUnit XML or GitHub annotations.

pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod paths;
pub mod sarif;
pub mod text;

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::assessment::BandCounts;
use crate::config::PORTFOLIO;
use crate::diagnostic::{Diagnostic, Loc, Severity, Sources};

/// The formats of a report (`check --format`, `validate --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Sarif,
    Junit,
    Github,
    // GitLab Code Quality (a JSON array of issues), for merge-request widgets.
    Gitlab,
}

/// Which command made the report: its name in JUnit suites and the JSON document's schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Check,
    Validate,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Check => "check",
            Tool::Validate => "validate",
        }
    }
    /// What the report counts: workloads for `check`, files for `validate`.
    fn subject(self) -> (&'static str, &'static str) {
        match self {
            Tool::Check => ("workload", "workloads"),
            Tool::Validate => ("file", "files"),
        }
    }
}

/// What a rule (a diagnostic's code) means, for SARIF's rule list and JUnit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleText {
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub short: String,
    pub help: String,
}

/// The portfolio's score, bands and waves, as the assessment document of the run has them.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioSummary {
    pub overall: Option<f64>,
    pub bands: BandCounts,
    /// Workload ids per wave, wave 1 first.
    pub waves: Vec<Vec<String>>,
}

/// Diagnostics in a stable order (by file, then line and column), the files they point into,
/// the rules that were applied, and the (group, rule) pairs that were checked (a JUnit
/// testcase each).
#[derive(Debug, Clone)]
pub struct Report {
    pub tool: Tool,
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    pub rules: Vec<RuleText>,
    pub cases: Vec<(String, String)>,
    /// How many workloads (`check`) or files (`validate`) were looked at.
    pub subjects: usize,
    pub portfolio: Option<PortfolioSummary>,
}

impl Report {
    /// Sorts the diagnostics by place (files in the order read), then code, group and message.
    pub fn sort(&mut self) {
        let sources = &self.sources;
        self.diagnostics.sort_by(|a, b| {
            let key = |d: &Diagnostic| d.loc.map_or((u32::MAX, 0, 0), |l| (l.file, l.line, l.col));
            key(a)
                .cmp(&key(b))
                .then_with(|| a.code_or_default().cmp(b.code_or_default()))
                .then_with(|| group_of(sources, a).cmp(group_of(sources, b)))
                .then_with(|| a.message.cmp(&b.message))
        });
    }
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.fails()).count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Error && d.waiver.is_none())
            .count()
    }
    pub fn waived(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.waiver.is_some())
            .count()
    }
    pub fn passed(&self) -> bool {
        self.errors() == 0
    }
    /// `3 errors in 2 of 21 workloads and the portfolio, 1 warning, 2 waived — check failed`,
    /// or `0 errors, 1 warning, 2 waived — check passed (21 workloads)`: a failed report says
    /// where its errors are, so it never reads as if every workload failed.
    pub fn summary(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let (one, many) = self.tool.subject();
        let tool = self.tool.name();
        let rest = format!(
            "{}, {} waived",
            plural(self.warnings(), "warning", "warnings"),
            self.waived()
        );
        if self.passed() {
            return format!(
                "0 errors, {rest} — {tool} passed ({})",
                plural(self.subjects, one, many)
            );
        }
        let failing: Vec<&Diagnostic> = self.diagnostics.iter().filter(|d| d.fails()).collect();
        let workloads: BTreeSet<&str> = failing
            .iter()
            .filter_map(|d| d.workload.as_deref())
            .collect();
        let mut places = Vec::new();
        if !workloads.is_empty() {
            places.push(format!(
                "{} of {}",
                workloads.len(),
                plural(self.subjects, one, many)
            ));
        }
        let others: BTreeSet<&str> = failing
            .iter()
            .filter(|d| d.workload.is_none())
            .map(|d| self.group(d))
            .collect();
        if others.contains(PORTFOLIO) {
            places.push("the portfolio".to_string());
        }
        let files = others.iter().filter(|g| **g != PORTFOLIO).count();
        if files > 0 {
            places.push(match self.tool {
                Tool::Check => plural(files, "document", "documents"),
                Tool::Validate => format!("{files} of {}", plural(self.subjects, one, many)),
            });
        }
        format!(
            "{} in {}, {rest} — {tool} failed",
            plural(self.errors(), "error", "errors"),
            places.join(" and ")
        )
    }
    pub fn rule(&self, id: &str) -> Option<(usize, &RuleText)> {
        self.rules.iter().enumerate().find(|(_, r)| r.id == id)
    }
    /// What `d` is grouped under.
    pub fn group<'a>(&'a self, d: &'a Diagnostic) -> &'a str {
        group_of(&self.sources, d)
    }
    /// `(path, line, column)` of `d`, when it has a place.
    pub fn place(&self, d: &Diagnostic) -> Option<(&str, u32, u32)> {
        d.loc
            .map(|l: Loc| (self.sources.path(l.file), l.line, l.col.max(1)))
    }
}

/// The findings grouped once, each group in the order of its first finding (findings are
/// sorted by place), its findings in report order.
pub fn by_group(report: &Report) -> Vec<(&str, Vec<&Diagnostic>)> {
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut groups: Vec<(&str, Vec<&Diagnostic>)> = Vec::new();
    for d in &report.diagnostics {
        let g = report.group(d);
        match index.get(g) {
            Some(&i) => groups[i].1.push(d),
            None => {
                index.insert(g, groups.len());
                groups.push((g, vec![d]));
            }
        }
    }
    groups
}

fn group_of<'a>(sources: &'a Sources, d: &'a Diagnostic) -> &'a str {
    match (&d.group, &d.workload, d.loc) {
        (Some(g), _, _) => g,
        (None, Some(w), _) => w,
        (None, None, Some(l)) => sources.path(l.file),
        (None, None, None) => "input",
    }
}

/// The report in `format`; `color` applies to text only.
pub fn render(report: &Report, format: ReportFormat, color: bool) -> String {
    match format {
        ReportFormat::Text => text::render(report, color),
        ReportFormat::Json => json::render(report),
        ReportFormat::Sarif => sarif::render(report),
        ReportFormat::Junit => junit::render(report),
        ReportFormat::Github => github::render(report),
        ReportFormat::Gitlab => gitlab::render(report),
    }
}

/// `report` rendered in `format` without its closing summary line (`--quiet`): the findings
/// stay, the count goes. Only text and GitHub annotations carry one.
pub fn without_summary(rendered: &str, format: ReportFormat) -> String {
    if !matches!(format, ReportFormat::Text | ReportFormat::Github) {
        return rendered.to_string();
    }
    let body = rendered.trim_end_matches('\n');
    let body = body.rfind('\n').map_or("", |i| &body[..i]);
    let body = body.trim_end_matches('\n');
    if body.is_empty() {
        String::new()
    } else {
        format!("{body}\n")
    }
}

/// The seal a report in `format` carries, so `-o` may replace an earlier, unedited report
/// without `--force` while never clobbering someone else's file.
pub fn seal(format: ReportFormat) -> crate::output::Seal {
    use crate::output::Seal;
    match format {
        ReportFormat::Json => Seal::JSON,
        // A JSON array has no key a seal could take: the bytes decide.
        ReportFormat::Gitlab => Seal::None,
        ReportFormat::Sarif => Seal::SARIF,
        ReportFormat::Junit => Seal::MARKUP,
        ReportFormat::Text | ReportFormat::Github => Seal::TEXT,
    }
}

/// The report of input problems that stopped a run (`validate --format sarif` and friends):
/// one testcase per file read, a rule per kind of problem.
pub fn of_input(
    sources: &Sources,
    diagnostics: Vec<Diagnostic>,
    texts: &std::collections::BTreeMap<String, RuleText>,
) -> Report {
    let mut rules: Vec<RuleText> = Vec::new();
    for d in &diagnostics {
        let id = d.code_or_default();
        if !rules.iter().any(|r| r.id == id) {
            rules.push(input_rule(id, texts));
        }
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let files: Vec<String> = sources.iter().map(|f| f.path.clone()).collect();
    let mut cases: BTreeSet<(String, String)> = diagnostics
        .iter()
        .map(|d| {
            (
                group_of(sources, d).to_string(),
                d.code_or_default().to_string(),
            )
        })
        .collect();
    // A file passes `valid-inventory` only when none of its problems is an error: a failing
    // testcase beside a passing one for the same file would read as both.
    let failing: BTreeSet<Option<&str>> = diagnostics
        .iter()
        .filter(|d| d.fails())
        .map(|d| d.loc.map(|l| sources.path(l.file)))
        .collect();
    for f in &files {
        if !failing.contains(&Some(f.as_str())) && !failing.contains(&None) {
            cases.insert((f.clone(), "valid-inventory".to_string()));
        }
    }
    let cases: Vec<(String, String)> = cases.into_iter().collect();
    let mut r = Report {
        tool: Tool::Validate,
        sources: sources.clone(),
        diagnostics,
        rules,
        cases,
        subjects: files.len(),
        portfolio: None,
    };
    r.sort();
    r
}

/// What an input problem's code means, from the rule texts shipped as data.
fn input_rule(id: &str, texts: &std::collections::BTreeMap<String, RuleText>) -> RuleText {
    match texts.get(id) {
        Some(r) => r.clone(),
        None => RuleText {
            id: id.to_string(),
            name: id.to_string(),
            short: format!("Input problem `{id}`"),
            help: "Each result's message says what is wrong and where, and how to fix it."
                .to_string(),
        },
    }
}

/// Reports made by hand, for the renderers' tests.
#[cfg(test)]
pub(crate) mod sample {
    use super::*;
    use crate::diagnostic::Loc;

    /// `n` findings of rule `rule` on each of `workloads` workloads (`w0`, `w1`, ...), in
    /// `inv.yaml`, one line each.
    pub(crate) fn report(workloads: usize, per: usize, rule: &'static str) -> Report {
        let mut sources = Sources::default();
        let file = sources.add("inv.yaml", String::new());
        let mut diagnostics = Vec::new();
        for w in 0..workloads {
            for i in 0..per {
                let mut d = Diagnostic::error(
                    Loc::new(file, (w * per + i + 1) as u32, 5),
                    format!("finding {i} of w{w}"),
                )
                .rule(rule);
                d.workload = Some(format!("w{w}"));
                diagnostics.push(d);
            }
        }
        Report {
            tool: Tool::Check,
            sources,
            diagnostics,
            rules: Vec::new(),
            cases: Vec::new(),
            subjects: workloads,
            portfolio: None,
        }
    }
}
