//! Principle packs: the seven principles and the common assessment framework as data.
//!
//! Packs are YAML files embedded in the binary; `--principles DIR` replaces any of them by a
//! file of the same name. Loading checks every criterion against the inventory's field table, so
//! a pack cannot name a field the inventory lacks or an answer a field cannot take.
//!
//! The model is here; [`file`] is the YAML file format as serde reads it, with spans; and
//! `compile.rs` turns a file into the model, checking it against the inventory's field table.

use std::path::Path;

mod compile;
mod file;

use serde::Deserialize;

use crate::assets;
use crate::diagnostic::{Code, Diagnostic, FileId, Sources};
use crate::error::{Error, Result};
use crate::inventory::{FIELDS, FieldId};

use compile::compile;

pub const PRINCIPLE_IDS: [&str; 7] = ["P1", "P2", "P3", "P4", "P5", "P6", "P7"];
pub const FRAMEWORK_ID: &str = "CAF";

#[derive(Debug, Clone)]
pub struct Answer {
    pub value: String,
    pub score: u8,
    pub finding: String,
    pub advice: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Band {
    /// Upper bound (exclusive); `None` for the last band.
    pub below: Option<f64>,
    pub score: u8,
    pub finding: String,
    pub advice: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Rule {
    /// Enum fields: one answer per value, indexed like the field's values.
    /// Bool fields: `[false, true]`.
    Choice(Vec<Answer>),
    /// Numeric, date (see [`Measure`]) and list (length) fields.
    Bands(Vec<Band>),
    /// An enum field ranked against another enum field of the workload (`compare_with`):
    /// `[below, at-or-above]`. Values are ranked by their position in the other field's values;
    /// a value the other field cannot take (such as `none`) ranks below all of them.
    Compare(FieldId, [Answer; 2]),
}

/// What bands over a date field measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Days from the reference date until the date (negative once it has passed).
    DaysUntil,
    /// Whole months from the date to the reference date (its age).
    MonthsSince,
}

impl Measure {
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::DaysUntil => "days_until",
            Measure::MonthsSince => "months_since",
        }
    }
}

/// One test of a condition: the field has one of the accepted values.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub field: FieldId,
    /// Accepted values as indices: enum value index, or 0/1 for false/true.
    pub accepted: Vec<u8>,
    /// The values as written, for people.
    pub text: Vec<String>,
}

/// A condition (`applies_when`, `blocker_when`, a case's `when`): every test in `all` holds,
/// and for each `any` group at least one branch (a list of tests that must all hold) does.
#[derive(Debug, Clone, Default)]
pub struct Guard {
    pub all: Vec<Condition>,
    pub any: Vec<Vec<Vec<Condition>>>,
}

impl Guard {
    pub fn is_always(&self) -> bool {
        self.all.is_empty() && self.any.is_empty()
    }
    /// Every field the condition reads.
    pub fn fields(&self) -> impl Iterator<Item = FieldId> + '_ {
        self.all
            .iter()
            .chain(self.any.iter().flatten().flatten())
            .map(|c| c.field)
    }
    /// The condition in words.
    pub fn describe(&self) -> String {
        let one = |c: &Condition| format!("{} is {}", FIELDS[c.field].path, c.text.join(" or "));
        let mut parts: Vec<String> = self.all.iter().map(one).collect();
        for group in &self.any {
            let branches: Vec<String> = group
                .iter()
                .map(|b| b.iter().map(one).collect::<Vec<_>>().join(" and "))
                .collect();
            parts.push(format!("({})", branches.join(", or ")));
        }
        if parts.is_empty() {
            "always".into()
        } else {
            parts.join(" and ")
        }
    }
}

/// A rule that applies when its condition holds; a criterion's cases are tried in order.
#[derive(Debug, Clone)]
pub struct Case {
    pub when: Guard,
    pub rule: Rule,
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub id: String,
    pub question: String,
    pub field: FieldId,
    pub weight: f64,
    /// Whether a gap can block readiness (always, or when `blocker_when` holds).
    pub blocker: bool,
    /// A blocker only for workloads this holds for (`None`: for every workload).
    pub blocker_when: Option<Guard>,
    /// A known score below this is a gap (and fails a blocker).
    pub pass: u8,
    pub applies_when: Guard,
    pub source: Option<String>,
    /// Advice when the fact is not recorded.
    pub unknown: String,
    /// How date fields are banded.
    pub measure: Measure,
    /// The rules, first case whose condition holds wins; a criterion without `cases` has one
    /// case that always holds.
    pub cases: Vec<Case>,
}

impl Criterion {
    /// The first case's rule (the only one for most criteria).
    pub fn rule(&self) -> &Rule {
        &self.cases[0].rule
    }
    /// Every field the criterion reads: the scored field first, then the fields its
    /// conditions and comparisons read.
    pub fn fields_read(&self) -> Vec<FieldId> {
        let mut out = vec![self.field];
        let conds = self
            .applies_when
            .fields()
            .chain(self.blocker_when.iter().flat_map(|g| g.fields()))
            .chain(self.cases.iter().flat_map(|c| c.when.fields()))
            .chain(self.cases.iter().filter_map(|c| match c.rule {
                Rule::Compare(f, _) => Some(f),
                _ => None,
            }));
        for f in conds {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }
}

#[derive(Debug, Clone)]
pub struct Pack {
    pub id: String,
    pub title: String,
    pub weight: f64,
    pub source: Option<String>,
    pub summary: Option<String>,
    pub file: String,
    pub criteria: Vec<Criterion>,
}

/// Thresholds that turn scores into a readiness band.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Readiness {
    pub ready: f64,
    pub conditional: f64,
    pub min_confidence: f64,
    /// A workload with a blocker that applies but cannot be judged (its fact is unknown) is at
    /// best conditional: readiness is not claimed on a missing fact an assessor would ask for.
    #[serde(default)]
    pub ready_needs_known_blockers: bool,
}

impl Default for Readiness {
    fn default() -> Self {
        Readiness {
            ready: 75.0,
            conditional: 50.0,
            min_confidence: 0.5,
            ready_needs_known_blockers: false,
        }
    }
}

/// The loaded framework: seven principles (in P1..P7 order) and the assessment framework.
#[derive(Debug, Clone)]
pub struct Packs {
    pub principles: Vec<Pack>,
    pub framework: Pack,
    pub readiness: Readiness,
    /// Where the packs came from, for messages.
    pub sources: Sources,
}

impl Packs {
    /// The built-in packs.
    pub fn builtin() -> Result<Packs> {
        Packs::load(None)
    }

    /// Built-in packs, with any file of the same name in `dir` taking its place.
    pub fn load(dir: Option<&Path>) -> Result<Packs> {
        let mut sources = Sources::default();
        let mut files: Vec<(FileId, &str)> = Vec::new();
        let folder = assets::Folder::new(
            dir,
            "principles",
            &assets::principle_files(),
            &[".yaml", ".yml"],
        )?;
        for asset in assets::PACKS {
            files.push((folder.read(&mut sources, asset)?, asset.name));
        }
        let mut diags = Vec::new();
        let mut packs = Vec::new();
        let mut readiness = Readiness::default();
        for (id, name) in &files {
            let text = sources.get(*id).map(|f| f.text.clone()).unwrap_or_default();
            let expect = expected_id(name);
            match compile(*id, &text, &expect) {
                Ok((mut p, r)) => {
                    p.file = sources.path(*id).to_string();
                    if let Some(r) = r {
                        readiness = r;
                    }
                    packs.push(p);
                }
                Err(mut d) => diags.append(&mut d),
            }
        }
        // Criterion ids are unique across packs: check, waivers and SARIF rules refer to them.
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for p in &packs {
            for c in &p.criteria {
                if let Some((_, other)) = seen.iter().find(|(i, _)| *i == c.id) {
                    diags.push(Diagnostic::error(
                        None,
                        format!(
                            "criterion id `{}` in {} is also used in {other}",
                            c.id, p.file
                        ),
                    ));
                }
                seen.push((&c.id, &p.file));
            }
        }
        // All weights 0 would leave every overall score undefined: every workload "unknown",
        // reported with full confidence.
        if diags.is_empty() && !packs.is_empty() && packs.iter().all(|p| p.weight == 0.0) {
            diags.push(
                Diagnostic::error(None, "every pack has weight 0, so no workload could get an overall score")
                    .hint("give at least one principle or CAF a weight above 0 (`weight:` in its pack file)"),
            );
        }
        if !diags.is_empty() {
            crate::diagnostic::default_code(&mut diags, Code::InvalidPack);
            return Err(Error::invalid(sources, diags));
        }
        let framework = packs
            .pop()
            .expect("the framework pack is last in assets::PACKS");
        Ok(Packs {
            principles: packs,
            framework,
            readiness,
            sources,
        })
    }

    /// Every pack: the seven principles, then the framework.
    pub fn all(&self) -> impl Iterator<Item = &Pack> {
        self.principles
            .iter()
            .chain(std::iter::once(&self.framework))
    }

    pub fn find(&self, id: &str) -> Option<&Pack> {
        self.all().find(|p| p.id.eq_ignore_ascii_case(id))
    }

    /// Overrides a principle's weight (from `cloudready.toml`).
    pub fn set_weight(&mut self, id: &str, weight: f64) -> bool {
        match self
            .principles
            .iter_mut()
            .chain(std::iter::once(&mut self.framework))
            .find(|p| p.id == id)
        {
            Some(p) => {
                p.weight = weight;
                true
            }
            None => false,
        }
    }
}

fn expected_id(file: &str) -> String {
    if file == "framework.yaml" {
        FRAMEWORK_ID.to_string()
    } else {
        file.split('-').next().unwrap_or("").to_ascii_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::compile::compile;
    use super::*;
    use crate::inventory::field_id;

    fn errs(text: &str) -> Vec<String> {
        match compile(0, text, "P6") {
            Ok(_) => vec![],
            Err(d) => d
                .into_iter()
                .map(|d| {
                    format!(
                        "{}:{} {}",
                        d.loc.map_or(0, |l| l.line),
                        d.loc.map_or(0, |l| l.col),
                        d.message
                    )
                })
                .collect(),
        }
    }

    const GOOD: &str = "id: P6\ntitle: t\ncriteria:\n  - id: P6.iac\n    question: q\n    field: operations.infrastructure_as_code\n    answers:\n      none: { score: 0 }\n      partial: { score: 50 }\n      full: { score: 100 }\n    source: s\n";

    #[test]
    fn builtin_packs_load() {
        let p = Packs::builtin().unwrap_or_else(|e| panic!("{}", e.render(false)));
        assert_eq!(
            p.principles
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>(),
            PRINCIPLE_IDS
        );
        assert_eq!(p.framework.id, FRAMEWORK_ID);
    }

    #[test]
    fn a_good_pack_compiles() {
        assert!(errs(GOOD).is_empty());
    }

    #[test]
    fn unknown_field_is_rejected_at_its_line() {
        let e = errs(&GOOD.replace("operations.infrastructure_as_code", "operations.infra_code"));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("6:12 `operations.infra_code` is not an inventory field"),
            "{e:?}"
        );
    }

    #[test]
    fn impossible_answer_is_rejected_at_its_line() {
        let e = errs(&GOOD.replace("partial:", "half:"));
        assert!(
            e.iter().any(|m| m.starts_with("9:7 `half` is not a value")),
            "{e:?}"
        );
        assert!(
            e.iter().any(|m| m.contains("no answer for partial")),
            "{e:?}"
        );
    }

    #[test]
    fn a_criterion_without_a_source_is_rejected_at_its_id() {
        let e = errs(&GOOD.replace("    source: s\n", ""));
        assert_eq!(e, ["4:9 criterion `P6.iac` needs a `source`"]);
    }

    #[test]
    fn a_field_scored_twice_in_one_pack_is_rejected_at_the_second() {
        let second = "  - id: P6.iac2\n    question: q\n    field: operations.infrastructure_as_code\n    source: s\n    answers:\n      none: { score: 0 }\n      partial: { score: 50 }\n      full: { score: 100 }\n";
        let e = errs(&format!("{GOOD}{second}"));
        assert_eq!(
            e,
            [
                "14:12 `operations.infrastructure_as_code` is already scored by `P6.iac` in this pack"
            ]
        );
    }

    #[test]
    fn comparisons_measures_and_any_are_checked_at_their_lines() {
        let t = "id: P6\ntitle: t\ncriteria:\n  - id: P6.a\n    question: q\n    field: assurance.irap_level\n    compare_with: operations.scaling\n    source: s\n    answers:\n      below: { score: 0 }\n      at-or-above: { score: 100 }\n  - id: P6.b\n    question: q\n    field: users\n    measure: months_since\n    source: s\n    bands: [{ score: 1 }]\n  - id: P6.c\n    question: q\n    field: exit_plan\n    source: s\n    applies_when:\n      any: [PROTECTED]\n    answers:\n      false: { score: 0 }\n      true: { score: 100 }\n";
        let e = errs(t);
        assert!(
            e.iter().any(|m| m.starts_with("7:19 `compare_with` ranks")),
            "{e:?}"
        );
        assert!(
            e.iter()
                .any(|m| m.starts_with("15:14 `measure` applies to date fields")),
            "{e:?}"
        );
        assert!(
            e.iter()
                .any(|m| m.starts_with("23:7 `any` in `applies_when`")),
            "{e:?}"
        );
        assert_eq!(e.len(), 3, "{e:?}");
    }

    #[test]
    fn cases_pick_the_first_rule_whose_condition_holds() {
        let t = "id: P6\ntitle: t\ncriteria:\n  - id: P6.a\n    question: q\n    field: resilience.rto_hours\n    source: s\n    cases:\n      - when: { resilience.deployment: single-zone }\n        bands: [{ below: 4, score: 20 }, { score: 100 }]\n    bands: [{ score: 100 }]\n";
        let (p, _) = compile(0, t, "P6").unwrap_or_else(|d| panic!("{d:?}"));
        let c = &p.criteria[0];
        assert_eq!(c.cases.len(), 2);
        assert!(c.cases[1].when.is_always());
        assert_eq!(
            c.fields_read(),
            [
                field_id("resilience.rto_hours").unwrap(),
                field_id("resilience.deployment").unwrap()
            ]
        );
    }

    #[test]
    fn bands_must_rise_and_end_open() {
        let t = "id: P6\ntitle: t\ncriteria:\n  - id: P6.e8\n    question: q\n    source: s\n    field: security.essential_eight\n    bands:\n      - { below: 2, score: 0 }\n      - { below: 1, score: 50 }\n      - { below: 3, score: 100 }\n";
        let e = errs(t);
        assert!(e.iter().any(|m| m.starts_with("10:9 band limits")), "{e:?}");
        assert!(
            e.iter().any(|m| m.starts_with("11:9 the last band")),
            "{e:?}"
        );
    }
}
