//! Facts that cannot all be true of one workload, from `contradictions.yaml`: each rule is a
//! condition over inventory fields (the hosting rules' condition language) and the facts it
//! names. A workload that matches a rule is warned about, naming those facts, and its
//! confidence is lowered, because the scores rest on facts of which one at least is wrong.

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::datafile::{self, DataFile, Value};
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::inventory::{FIELDS, FieldId, Inventory, Workload};
use crate::score::Doubt;

use super::cond::{self, Cond, Facts, Scope, When};

#[derive(Debug, Clone)]
pub struct Contradiction {
    pub id: String,
    pub when: Cond,
    /// The facts that contradict each other; the warning points at the first.
    pub facts: Vec<FieldId>,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct Contradictions {
    /// Subtracted from a workload's confidence for each rule it matches (never below 0).
    pub confidence_penalty: f64,
    /// Whether a workload with a contradiction may still be `ready`.
    pub keeps_from_ready: bool,
    pub rules: Vec<Contradiction>,
}

/// One contradiction found in a workload, as the assessment document shows it.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct ContradictionDoc<'a> {
    pub rule: &'a str,
    /// Each fact as `field: value`.
    pub facts: Vec<String>,
    pub reason: &'a str,
}

pub const HINT: &str = "see principles/contradictions.yaml for the format";

const KIND: datafile::Kind = datafile::Kind {
    what: "contradiction rules",
    hint: HINT,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    confidence_penalty: Spanned<Value>,
    keeps_from_ready: bool,
    rules: Vec<Spanned<RuleFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    when: When,
    facts: Spanned<Value>,
    reason: String,
}

pub fn compile(file: FileId, text: &str) -> Result<Contradictions, Vec<Diagnostic>> {
    let (raw, mut f): (File, _) = DataFile::read(file, text, KIND)?;
    let penalty = f
        .number(&raw.confidence_penalty, "`confidence_penalty`")
        .unwrap_or(0.0);
    if !(0.0..=1.0).contains(&penalty) {
        f.error(
            f.at(&raw.confidence_penalty),
            "`confidence_penalty` is a share of confidence, from 0 to 1",
        );
    }
    let paths: Vec<&str> = FIELDS.iter().map(|x| x.path).collect();
    let mut rules: Vec<Contradiction> = Vec::new();
    for r in &raw.rules {
        let when = cond::compile(&r.value.when, Scope::Fields, &mut f);
        if when.is_always() {
            f.error(
                f.at(r),
                "a contradiction needs a `when` that tests its facts",
            );
        }
        let facts: Vec<FieldId> = f
            .values(&r.value.facts, "`facts`")
            .into_iter()
            .filter_map(|(s, l)| f.one_of(&s, l, &paths, "an inventory field"))
            .filter_map(FieldId::from_index)
            .collect();
        if facts.len() < 2 {
            f.error(
                f.at(&r.value.facts),
                "`facts` names the two or more fields that contradict each other",
            );
        }
        if rules.iter().any(|x| x.id == r.value.id) {
            f.error(
                f.at(r),
                format!("contradiction `{}` is defined twice", r.value.id),
            );
        }
        rules.push(Contradiction {
            id: r.value.id.clone(),
            when,
            facts,
            reason: r.value.reason.clone(),
        });
    }
    f.finish(Contradictions {
        confidence_penalty: penalty,
        keeps_from_ready: raw.keeps_from_ready,
        rules,
    })
}

impl Contradictions {
    /// The rules `w`'s facts match, in file order.
    pub fn found<'r, 'w>(
        &'r self,
        w: &'w Workload,
    ) -> impl Iterator<Item = &'r Contradiction> + use<'r, 'w> {
        let facts = Facts {
            workload: w,
            score: None,
            reference: None,
            public_allowed: None,
            current_allowed: None,
            dependants: None,
        };
        self.rules.iter().filter(move |r| r.when.holds(&facts))
    }

    /// How much the contradictions in `w` take from its assessment.
    pub fn doubt(&self, w: &Workload) -> Doubt {
        let n = self.found(w).count();
        Doubt {
            confidence_penalty: self.confidence_penalty * n as f64,
            keeps_from_ready: self.keeps_from_ready && n > 0,
        }
    }

    /// The contradictions in `w`, as the document shows them.
    pub fn docs<'r>(&'r self, w: &Workload) -> Vec<ContradictionDoc<'r>> {
        self.found(w)
            .map(|r| ContradictionDoc {
                rule: &r.id,
                facts: r.facts.iter().map(|&f| fact(w, f)).collect(),
                reason: &r.reason,
            })
            .collect()
    }

    /// One warning per contradiction, at the first fact it names (or the workload's id).
    pub fn warnings(&self, inv: &Inventory) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for w in &inv.workloads {
            for r in self.found(w) {
                let at = r
                    .facts
                    .iter()
                    .find_map(|&f| w.get(f).map(|x| x.loc))
                    .unwrap_or(w.id_loc);
                let facts: Vec<String> = r
                    .facts
                    .iter()
                    .map(|&f| format!("`{}`", fact(w, f)))
                    .collect();
                let d = Diagnostic::warning(
                    at,
                    format!(
                        "`{}`: these facts contradict each other: {}",
                        w.id,
                        facts.join(", ")
                    ),
                )
                .code(Code::Contradiction)
                .hint(format!(
                    "{} Correct whichever is wrong; until then its confidence is lowered.",
                    r.reason
                ));
                out.push(Diagnostic {
                    workload: Some(w.id.clone()),
                    ..d
                });
            }
        }
        out
    }
}

/// `field: value` as the workload records it (`field: not recorded` when absent).
fn fact(w: &Workload, f: FieldId) -> String {
    let path = FIELDS[f].path;
    match w.text_ref(f) {
        Some(v) => format!("{path}: {v}"),
        None => format!("{path}: not recorded"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Loc;
    use crate::inventory::{Field, FieldValue, field_id};

    fn rules() -> Contradictions {
        compile(0, include_str!("../../principles/contradictions.yaml"))
            .unwrap_or_else(|d| panic!("{d:?}"))
    }

    fn set(w: &mut Workload, path: &str, value: &str) {
        let id = field_id(path).unwrap();
        let crate::inventory::Kind::Enum(names) = FIELDS[id].kind else {
            panic!("{path} is not an enum");
        };
        let i = names.iter().position(|n| *n == value).unwrap();
        w.set(
            id,
            Some(Field {
                value: FieldValue::Enum(i as u8),
                loc: Loc::new(0, 3, 5),
            }),
        );
    }

    #[test]
    fn public_cloud_with_no_service_model_is_a_contradiction() {
        let r = rules();
        let mut w = Workload::new("w", "W", Loc::new(0, 1, 1));
        set(&mut w, "current.hosting", "public-cloud");
        set(&mut w, "current.service_model", "iaas");
        assert_eq!(r.found(&w).count(), 0);
        assert_eq!(r.doubt(&w), Doubt::default());
        set(&mut w, "current.service_model", "none");
        let docs = r.docs(&w);
        assert_eq!(docs.len(), 1, "{docs:?}");
        assert_eq!(
            docs[0].facts,
            [
                "current.hosting: public-cloud",
                "current.service_model: none"
            ]
        );
        let d = r.doubt(&w);
        assert!(d.confidence_penalty > 0.0 && d.keeps_from_ready, "{d:?}");
    }

    #[test]
    fn a_service_kind_other_than_the_hosting_contradicts_it_only_without_a_planned_move() {
        let r = rules();
        let mut w = Workload::new("w", "W", Loc::new(0, 1, 1));
        set(&mut w, "current.hosting", "on-premises");
        set(&mut w, "service.kind", "on-premises");
        assert_eq!(r.found(&w).count(), 0);
        set(&mut w, "service.kind", "public-cloud");
        let ids: Vec<&str> = r.found(&w).map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["service-kind-differs-from-hosting"]);
        // A planned move: the assurance facts may describe where it will run.
        set(&mut w, "target.strategy", "rehost");
        assert_eq!(r.found(&w).count(), 0);
        set(&mut w, "target.strategy", "retain");
        assert_eq!(r.found(&w).count(), 1);
    }

    #[test]
    fn a_rule_must_name_two_facts_and_a_real_field() {
        let text = "confidence_penalty: 0.2\nkeeps_from_ready: true\nrules:\n  - id: x\n    when: { current.hosting: saas }\n    facts: [current.hostng]\n    reason: r\n";
        let d = compile(0, text).unwrap_err();
        assert!(
            d.iter().any(|d| d
                .hint
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean `current.hosting`?"))),
            "{d:?}"
        );
        assert!(d.iter().any(|d| d.message.contains("two or more")), "{d:?}");
    }
}
