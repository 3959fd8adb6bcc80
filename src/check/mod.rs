//! `check`: the CI gate. Holds the portfolio to the `[check]` bar of `cloudready.toml`
//! ([`thresholds`]), reports failed blockers ([`blockers`]) and expired waivers ([`waivers`]),
//! and lints strategy documents ([`document`]). Every finding is a [`Diagnostic`] in one
//! [`Report`], rendered by [`crate::report`] for people and tools.
//!
//! Rule ids (a diagnostic's code): a criterion id for a failed blocker; `min_overall`,
//! `min_workload`, `min_principle`, `max_unknown` for thresholds; `waiver_expired`;
//! `strategy_section`, `strategy_placeholder`, `strategy_stale`, `strategy_prompt` for strategy
//! documents. They are the ids DESIGN.md fixes and waivers name, so they keep their spelling.
//! Rule texts are data (`rules/check-rules.yaml`; criteria take theirs from the packs).

pub mod blockers;
pub mod document;
pub mod thresholds;
pub mod waivers;

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::assessment::Assessment;
use crate::config::PORTFOLIO;
use crate::datafile::{self, DataFile, Ordered};
use crate::diagnostic::{Diagnostic, FileId, Loc, Sources};
use crate::error::{Error, Result};
use crate::inventory::{Date, Inventory};
use crate::pack::Packs;
use crate::pipeline::Settings;
use crate::report::{PortfolioSummary, Report, RuleText, Tool};
use crate::score::WorkloadScore;

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
#[derive(Debug, Clone)]
pub struct RuleBook {
    pub rules: BTreeMap<String, RuleText>,
    pub placeholders: Vec<Placeholder>,
}

/// check-rules.yaml as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleBookFile {
    rules: Ordered<Spanned<String>, RuleText>,
    placeholders: Vec<Spanned<Placeholder>>,
}

const RULES_KIND: datafile::Kind = datafile::Kind {
    what: "check rule texts",
    hint: "each rule has `name`, `short` and `help`; each placeholder a `text`, and `word` and `case` (true or false)",
};

impl RuleBook {
    pub fn builtin() -> Result<RuleBook> {
        let mut sources = Sources::default();
        let file = sources.add(
            "<built-in>/rules/check-rules.yaml",
            crate::assets::CHECK_RULES.text.into(),
        );
        RuleBook::compile(file, crate::assets::CHECK_RULES.text)
            .map_err(|d| Error::invalid(sources, d))
    }

    /// Reads the rule texts; an empty placeholder (which every document would hold) is refused.
    pub fn compile(file: FileId, text: &str) -> std::result::Result<RuleBook, Vec<Diagnostic>> {
        let (raw, mut f): (RuleBookFile, _) = DataFile::read(file, text, RULES_KIND)?;
        let mut rules = BTreeMap::new();
        for (id, mut r) in raw.rules.0 {
            r.id = id.value.clone();
            rules.insert(id.value, r);
        }
        for p in &raw.placeholders {
            if p.value.text.trim().is_empty() {
                f.error(
                    f.at(p),
                    "a placeholder's `text` is empty, so every document would hold it",
                );
            }
        }
        let placeholders = raw.placeholders.into_iter().map(|p| p.value).collect();
        f.finish(RuleBook {
            rules,
            placeholders,
        })
    }
}

/// Everything a check run looks at.
pub struct Input<'a> {
    pub inventory: &'a Inventory,
    pub settings: &'a Settings,
    /// Every workload's scores with their criteria.
    pub scores: &'a [WorkloadScore<'a>],
    /// The assessment document (portfolio, plan) built from `scores`, as `assess` shows it.
    pub document: &'a Assessment<'a>,
    /// Strategy documents: path as given, and text.
    pub documents: &'a [(String, String)],
    /// The command that regenerates a strategy from this inventory (shown when one is stale).
    pub regenerate: String,
}

/// What the rule checks share while they run: the files findings point into (the inventory
/// files, then the settings file, then the documents), the findings, and the cases checked.
pub(crate) struct Gate<'a> {
    pub input: &'a Input<'a>,
    pub packs: &'a Packs,
    pub today: Date,
    pub sources: Sources,
    /// The settings file's id in `sources`, when one was read.
    pub config_file: Option<FileId>,
    pub diagnostics: Vec<Diagnostic>,
    /// (group, rule) pairs checked: a JUnit testcase each.
    pub cases: BTreeSet<(String, String)>,
}

impl Gate<'_> {
    /// Records a finding about `group` (a workload id, `portfolio` or a document), marking it
    /// waived when a valid waiver covers that group and rule.
    pub(crate) fn push(&mut self, group: &str, d: Diagnostic) {
        let waiver = self
            .input
            .settings
            .config
            .waiver(group, &d.code, self.today)
            .map(|w| crate::diagnostic::Waived {
                reason: w.reason.clone(),
                approved_by: w.approved_by.clone(),
                expires: w.expires.to_string(),
            });
        let mut d = d;
        d.group = Some(group.to_string());
        d.waiver = waiver;
        self.diagnostics.push(d);
    }

    pub(crate) fn case(&mut self, group: &str, rule: &str) {
        self.cases.insert((group.to_string(), rule.to_string()));
    }

    /// A place in the settings file, moved into this run's sources.
    pub(crate) fn config_loc(&self, loc: Loc) -> Option<Loc> {
        self.config_file.map(|f| Loc { file: f, ..loc })
    }
}

/// Runs every check.
pub fn run(input: &Input, book: &RuleBook) -> Report {
    let settings = input.settings;
    let mut sources = input.inventory.sources.clone();
    let config_file = settings
        .config
        .sources
        .get(0)
        .map(|f| sources.add(f.path.clone(), f.text.clone()));
    let mut gate = Gate {
        input,
        packs: &settings.packs,
        today: settings.today(),
        sources,
        config_file,
        diagnostics: Vec::new(),
        cases: BTreeSet::new(),
    };
    blockers::check(&mut gate);
    thresholds::check(&mut gate);
    waivers::check(&mut gate);
    document::check_all(&mut gate, book);

    // Every rule that was applied or reported, criteria with their pack's texts.
    let mut ids: BTreeSet<&str> = gate.cases.iter().map(|(_, r)| r.as_str()).collect();
    ids.extend(gate.diagnostics.iter().map(|d| d.code_or_default()));
    let rules = ids
        .into_iter()
        .map(|id| match book.rules.get(id) {
            Some(r) => r.clone(),
            None => criterion_rule(gate.packs, id),
        })
        .collect();
    let portfolio = &input.document.portfolio;
    let mut report = Report {
        tool: Tool::Check,
        sources: gate.sources,
        diagnostics: gate.diagnostics,
        rules,
        cases: gate.cases.into_iter().collect(),
        subjects: input.scores.len(),
        portfolio: Some(PortfolioSummary {
            overall: portfolio.overall,
            bands: portfolio.bands,
            waves: portfolio
                .waves
                .iter()
                .map(|w| w.workloads.iter().map(|s| s.to_string()).collect())
                .collect(),
        }),
    };
    report.sort();
    report
}

/// The group portfolio-wide findings are reported under.
pub(crate) const PORTFOLIO_GROUP: &str = PORTFOLIO;

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
            "strategy_prompt",
        ] {
            assert!(b.rules.contains_key(id), "{id}");
            assert_eq!(b.rules[id].id, id);
        }
        assert!(b.placeholders.iter().any(|p| p.text == "TODO"));
    }

    /// A shape problem in the rule texts is shown at its line and column, with a hint.
    #[test]
    fn a_bad_check_rule_is_reported_at_its_line_and_column() {
        let text = crate::assets::CHECK_RULES.text.replacen(
            "    short: The portfolio's mean",
            "    shrt: The portfolio's mean",
            1,
        );
        let line = text.lines().position(|l| l.contains("shrt:")).unwrap() as u32 + 1;
        let mut sources = Sources::default();
        let file = sources.add("rules/check-rules.yaml", text.clone());
        let d = RuleBook::compile(file, &text).unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].loc.map(|l| (l.line, l.col)), Some((line, 5)));
        assert_eq!(d[0].message, "invalid check rule texts: unknown key `shrt`");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `short`?"));
        let shown = Error::invalid(sources, d).render(false);
        assert!(
            shown.contains(&format!("rules/check-rules.yaml:{line}:5")),
            "{shown}"
        );
        assert!(shown.contains("shrt: The portfolio's mean"), "{shown}");
    }

    #[test]
    fn an_empty_placeholder_is_refused_at_its_place() {
        let text =
            crate::assets::CHECK_RULES
                .text
                .replacen("{ text: \"TBD\",", "{ text: \" \",", 1);
        let line = text
            .lines()
            .position(|l| l.contains("text: \" \""))
            .unwrap() as u32
            + 1;
        let d = RuleBook::compile(0, &text).unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].loc.map(|l| l.line), Some(line));
        assert!(d[0].message.contains("`text` is empty"), "{d:?}");
    }
}
