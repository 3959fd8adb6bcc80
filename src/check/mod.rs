//! `check`: the CI gate. Turns scores, the `[check]` bar of `cloudready.toml`, waivers and
//! strategy documents into findings (rule id, severity, workload, message, place), then renders
//! them for people (`text`), for tools (`json`, `sarif`, `junit`) or as GitHub annotations.
//!
//! Rule ids: a criterion id for a failed blocker; `min_overall`, `min_workload`,
//! `min_principle`, `max_unknown` for thresholds; `waiver_expired`; `strategy_section`,
//! `strategy_placeholder`, `strategy_stale` for strategy documents. Rule texts are data
//! (`templates/check-rules.yaml`; criteria take theirs from the packs).

pub mod document;
pub mod github;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Loc, Severity, Sources};
use crate::error::{Error, Result};
use crate::inventory::{Date, Inventory};
use crate::pack::Packs;
use crate::score::{WorkloadScore, round1};

/// The group a portfolio-wide finding belongs to (findings are grouped by workload).
pub const PORTFOLIO: &str = "portfolio";

const RULES_YAML: &str = include_str!("../../templates/check-rules.yaml");

/// A place in a file of the run (inventory, `cloudready.toml` or a strategy document).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Inventory files first (in the order given), then the config, then documents.
    pub rank: u32,
    pub line: u32,
    pub column: u32,
    /// The path as given on the command line.
    pub file: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WaiverNote {
    pub reason: String,
    pub approved_by: String,
    pub expires: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    /// The workload the finding is about; `None` for the portfolio or a document.
    pub workload: Option<String>,
    /// What the finding is grouped under: the workload id, `portfolio`, or a document's path.
    pub group: String,
    pub message: String,
    pub location: Option<Location>,
    /// Set when a valid waiver covers the finding: it is kept, but no longer fails the check.
    pub waiver: Option<WaiverNote>,
}

impl Finding {
    pub fn fails(&self) -> bool {
        self.severity == Severity::Error && self.waiver.is_none()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleText {
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub short: String,
    pub help: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placeholder {
    pub text: String,
    #[serde(default)]
    pub word: bool,
    #[serde(default)]
    pub case: bool,
}

/// The texts of the rules that are not criteria, and what counts as placeholder text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleBook {
    pub rules: BTreeMap<String, RuleText>,
    pub placeholders: Vec<Placeholder>,
}

impl RuleBook {
    pub fn builtin() -> Result<RuleBook> {
        let mut book: RuleBook = serde_saphyr::from_str(RULES_YAML).map_err(|e| {
            let mut s = Sources::default();
            let f = s.add("templates/check-rules.yaml (built in)", RULES_YAML.into());
            Error::invalid(
                &s,
                vec![Diagnostic::error(Loc::new(f, 0, 0), e.to_string())],
            )
        })?;
        for (id, r) in book.rules.iter_mut() {
            r.id = id.clone();
        }
        Ok(book)
    }
}

/// Everything a check run looks at.
pub struct Input<'a> {
    pub inventory: &'a Inventory,
    pub packs: &'a Packs,
    pub config: &'a Config,
    pub scores: &'a [WorkloadScore<'a>],
    /// The day waivers are judged on.
    pub today: Date,
    /// Strategy documents: path as given, and text.
    pub documents: &'a [(String, String)],
    /// The command that regenerates a strategy from this inventory (shown when one is stale).
    pub regenerate: String,
}

/// The outcome: findings in a stable order, the rules that were applied, and the (group, rule)
/// pairs that were checked (a JUnit testcase each).
#[derive(Debug, Clone)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub rules: Vec<RuleText>,
    pub cases: Vec<(String, String)>,
    pub workloads: usize,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.fails()).count()
    }
    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity != Severity::Error && f.waiver.is_none())
            .count()
    }
    pub fn waived(&self) -> usize {
        self.findings.iter().filter(|f| f.waiver.is_some()).count()
    }
    pub fn passed(&self) -> bool {
        self.errors() == 0
    }
    /// `3 errors, 1 warning, 2 waived — check failed`
    pub fn summary(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{}, {}, {} waived — check {} ({})",
            plural(self.errors(), "error", "errors"),
            plural(self.warnings(), "warning", "warnings"),
            self.waived(),
            if self.passed() { "passed" } else { "failed" },
            plural(self.workloads, "workload", "workloads"),
        )
    }
    pub fn rule(&self, id: &str) -> Option<(usize, &RuleText)> {
        self.rules.iter().enumerate().find(|(_, r)| r.id == id)
    }
}

fn location(sources: &Sources, loc: Loc) -> Location {
    Location {
        rank: loc.file,
        line: loc.line,
        column: loc.col.max(1),
        file: sources.path(loc.file).to_string(),
    }
}

/// Where the portfolio is described: the first file's `agency` line, else its first line.
fn agency_location(sources: &Sources) -> Option<Location> {
    let f = sources.get(0)?;
    let line = f
        .text
        .lines()
        .position(|l| l.starts_with("agency") || l.trim_start().starts_with("\"agency\""))
        .map_or(1, |i| i + 1);
    let column = f
        .text
        .lines()
        .nth(line - 1)
        .map_or(1, |l| l.len() - l.trim_start().len() + 1);
    Some(Location {
        rank: 0,
        line: line as u32,
        column: column as u32,
        file: f.path.clone(),
    })
}

fn pct(x: f64) -> String {
    format!("{}%", round1(x * 100.0))
}

/// Runs every check.
pub fn run(input: &Input, book: &RuleBook) -> Report {
    let cfg = &input.config.check;
    let sources = &input.inventory.sources;
    let mut findings: Vec<Finding> = Vec::new();
    let mut cases: BTreeSet<(String, String)> = BTreeSet::new();
    let waiver = |group: &str, rule: &str| {
        input
            .config
            .waiver(group, rule, input.today)
            .map(|w| WaiverNote {
                reason: w.reason.clone(),
                approved_by: w.approved_by.clone(),
                expires: w.expires.to_string(),
            })
    };
    let push = |findings: &mut Vec<Finding>,
                workload: Option<&str>,
                group: &str,
                rule: &str,
                severity: Severity,
                message: String,
                location: Option<Location>| {
        findings.push(Finding {
            rule: rule.to_string(),
            severity,
            workload: workload.map(str::to_string),
            group: group.to_string(),
            message,
            location,
            waiver: waiver(group, rule),
        });
    };

    let blocker_severity = if cfg.fail_on_blockers {
        Severity::Error
    } else {
        Severity::Warning
    };
    for s in input.scores {
        let w = s.workload;
        let id_loc = Some(location(sources, w.id_loc));
        for p in s.packs() {
            for c in &p.criteria {
                if !c.criterion.blocker {
                    continue;
                }
                cases.insert((w.id.clone(), c.criterion.id.clone()));
                if c.failed_blocker() {
                    let answer = c.answer.as_deref().unwrap_or("?");
                    let field = crate::inventory::FIELDS[c.criterion.field].path;
                    let advice = c.advice.map(|a| format!(" {a}")).unwrap_or_default();
                    push(
                        &mut findings,
                        Some(&w.id),
                        &w.id,
                        &c.criterion.id,
                        blocker_severity,
                        format!(
                            "blocker `{}` failed ({field}: {answer}): {}{advice}",
                            c.criterion.id, c.finding
                        ),
                        c.loc.map(|l| location(sources, l)).or(id_loc.clone()),
                    );
                }
            }
        }
        // A workload whose score cannot be relied on is judged by how much is unknown.
        let unknown = s.overall.is_none() || s.band == crate::score::Readiness::Unknown;
        if let Some(max) = cfg.max_unknown {
            cases.insert((w.id.clone(), "max_unknown".into()));
            let share = 1.0 - s.confidence;
            if share > max + 1e-9 {
                push(
                    &mut findings,
                    Some(&w.id),
                    &w.id,
                    "max_unknown",
                    Severity::Error,
                    format!(
                        "{} of the criterion weight is unknown (max_unknown allows {})",
                        pct(share),
                        pct(max)
                    ),
                    id_loc.clone(),
                );
            }
        }
        if let (Some(min), false) = (cfg.min_workload, unknown) {
            cases.insert((w.id.clone(), "min_workload".into()));
            let o = s.overall.unwrap_or(0.0);
            if o < min {
                push(
                    &mut findings,
                    Some(&w.id),
                    &w.id,
                    "min_workload",
                    Severity::Error,
                    format!(
                        "overall score {} is below min_workload {}",
                        round1(o),
                        round1(min)
                    ),
                    id_loc.clone(),
                );
            }
        }
        if !unknown {
            for (pid, min, _) in &cfg.min_principle {
                let Some(score) = s
                    .principles
                    .iter()
                    .find(|p| &p.pack.id == pid)
                    .and_then(|p| p.score)
                else {
                    continue;
                };
                cases.insert((w.id.clone(), "min_principle".into()));
                let score = round1(score);
                if score < *min {
                    push(
                        &mut findings,
                        Some(&w.id),
                        &w.id,
                        "min_principle",
                        Severity::Error,
                        format!("{pid} score {score} is below min_principle {pid} = {min}"),
                        id_loc.clone(),
                    );
                }
            }
        }
    }

    if let Some(min) = cfg.min_overall {
        cases.insert((PORTFOLIO.into(), "min_overall".into()));
        let scored: Vec<f64> = input.scores.iter().filter_map(|s| s.overall).collect();
        let mean =
            (!scored.is_empty()).then(|| round1(scored.iter().sum::<f64>() / scored.len() as f64));
        let message = match mean {
            Some(m) if m >= min => None,
            Some(m) => Some(format!(
                "portfolio mean overall score {m} is below min_overall {min}"
            )),
            None => Some(format!(
                "no workload has a score, so the portfolio cannot meet min_overall {min}"
            )),
        };
        if let Some(m) = message {
            push(
                &mut findings,
                None,
                PORTFOLIO,
                "min_overall",
                Severity::Error,
                m,
                agency_location(sources),
            );
        }
    }

    let config_rank = 1_000_000;
    for w in &input.config.waivers {
        cases.insert((w.workload.clone(), "waiver_expired".into()));
        if !w.valid_on(input.today) {
            findings.push(Finding {
                rule: "waiver_expired".into(),
                severity: Severity::Error,
                workload: Some(w.workload.clone()),
                group: w.workload.clone(),
                message: format!(
                    "the waiver of `{}` for `{}` expired on {} (approved by {}: {}); it no longer waives anything",
                    w.rule, w.workload, w.expires, w.approved_by, w.reason
                ),
                location: Some(Location {
                    rank: config_rank,
                    line: w.loc.line,
                    column: w.loc.col,
                    file: input.config.path.clone().unwrap_or_default(),
                }),
                waiver: None,
            });
        }
    }

    if !input.documents.is_empty() {
        let digest = crate::digest::inventory_digest(sources);
        let inv = input.inventory;
        let names: Vec<&str> = inv
            .workloads
            .iter()
            .map(|w| w.name.as_str())
            .chain(std::iter::once(inv.agency.name.as_str()))
            .chain(inv.agency.abbreviation.as_deref())
            .collect();
        for (i, (path, text)) in input.documents.iter().enumerate() {
            let rank = config_rank + 1 + i as u32;
            for rule in ["strategy_section", "strategy_placeholder", "strategy_stale"] {
                cases.insert((path.clone(), rule.into()));
            }
            for (rule, message, line, column) in document::check_with_inventory(
                text,
                input.packs,
                book,
                &digest,
                &input.regenerate.replace("{doc}", path),
                &names,
            ) {
                push(
                    &mut findings,
                    None,
                    path,
                    rule,
                    Severity::Error,
                    message,
                    Some(Location {
                        rank,
                        line,
                        column,
                        file: path.clone(),
                    }),
                );
            }
        }
    }

    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            (f.location
                .as_ref()
                .map_or((u32::MAX, 0, 0), |l| (l.rank, l.line, l.column)),)
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.group.cmp(&b.group))
            .then_with(|| a.message.cmp(&b.message))
    });

    // Every rule that was applied or reported, criteria with their pack's texts.
    let mut ids: BTreeSet<&str> = cases.iter().map(|(_, r)| r.as_str()).collect();
    ids.extend(findings.iter().map(|f| f.rule.as_str()));
    let rules = ids
        .into_iter()
        .map(|id| match book.rules.get(id) {
            Some(r) => r.clone(),
            None => criterion_rule(input.packs, id),
        })
        .collect();
    Report {
        findings,
        rules,
        cases: cases.into_iter().collect(),
        workloads: input.scores.len(),
    }
}

/// Recognises an earlier report of `check` (any format), so `-o` may replace it without
/// `--force` while never clobbering someone else's file.
pub fn is_report(old: &[u8]) -> bool {
    let text = String::from_utf8_lossy(old);
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
        return v["schema"] == json::SCHEMA
            || v["runs"][0]["tool"]["driver"]["name"] == "cloudready";
    }
    if text.starts_with("<?xml") {
        return text
            .lines()
            .take(3)
            .any(|l| l.starts_with("<testsuites name=\"cloudready check\""));
    }
    // Text and GitHub annotations end with the summary line.
    text.lines()
        .last()
        .is_some_and(|l| l.contains(" waived — check ") && l.ends_with(')'))
}

/// A criterion as a rule: its question, and what an unmet answer means.
fn criterion_rule(packs: &Packs, id: &str) -> RuleText {
    let found = packs
        .all()
        .find_map(|p| p.criteria.iter().find(|c| c.id == id).map(|c| (p, c)));
    match found {
        Some((p, c)) => RuleText {
            id: id.into(),
            name: id.into(),
            short: format!("Blocker of {} ({}): {}", p.id, p.title, c.question),
            help: format!(
                "{} A failed blocker makes the workload not ready, whatever its score. Reads `{}`.{}{}",
                c.question,
                crate::inventory::FIELDS[c.field].path,
                c.source
                    .as_deref()
                    .map(|s| format!(" Source: {s}."))
                    .unwrap_or_default(),
                if c.unknown.is_empty() {
                    String::new()
                } else {
                    format!(" When unknown: {}", c.unknown)
                }
            ),
        },
        None => RuleText {
            id: id.into(),
            name: id.into(),
            short: id.into(),
            help: id.into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rule_book_covers_every_non_criterion_rule() {
        let b = RuleBook::builtin().unwrap();
        for id in [
            "min_overall",
            "min_workload",
            "min_principle",
            "max_unknown",
            "waiver_expired",
            "strategy_section",
            "strategy_placeholder",
            "strategy_stale",
        ] {
            assert!(b.rules.contains_key(id), "{id}");
            assert_eq!(b.rules[id].id, id);
        }
        assert!(b.placeholders.iter().any(|p| p.text == "TODO"));
    }
}
