//! The condition language of the planning rules (`when:` in strategies.yaml and hosting.yaml).
//!
//! A condition is a mapping; every entry must hold (an empty mapping always holds):
//!
//! | key | value | holds when |
//! |---|---|---|
//! | an enum or true/false field, e.g. `architecture.style` | a value or list | the field has one of them |
//! | a list field (`tags`, `dependencies`) | a value or list | the list contains one of them |
//! | a list field | `{ min: n, max: n }` | its length is in range (inclusive) |
//! | a number field, e.g. `users` | `{ min: n, max: n }` | the number is in range (inclusive) |
//! | a date field, e.g. `current.end_of_support` | `{ before_days: n, after_days: n }` | the date is earlier than `n` days after the reference date / at least `n` days after it |
//! | `band` | a band or list (`ready`, `conditional`, `not-ready`, `unknown`) | the readiness band is one of them |
//! | `overall`, `confidence`, `score.P1`..`score.P7`, `score.CAF` | `{ min, max }` | the score is in range |
//! | `hosting.public` | true or false | some public-cloud or SaaS option is (or is not) allowed |
//! | `hosting.current_allowed` | true or false | where it runs today (`current.hosting`) is (or is not) one of its allowed options |
//! | `missing` | a field path or list | one of those fields is not recorded |
//! | `dependants` | `{ min: n, max: n }` | the number of workloads that depend on it is in range |
//! | `not` | a condition or a list of them | none of them holds |
//!
//! A missing fact never matches: a condition on a field the inventory leaves out, an unknown
//! score or a date without a reference date does not hold, so the next rule gets its turn.
//! Under `not` that reads the other way: `not: { current.end_of_support: { before_days: 0 } }`
//! holds when no past support date is recorded, so a rule that must never touch unsupported
//! software still applies where the date is unknown (the date's criterion reports it unknown).

use serde_saphyr::Spanned;

use crate::datafile::{DataFile, Ordered, Value};
use crate::diagnostic::did_you_mean;
use crate::inventory::{Date, FIELDS, FieldId, FieldValue, Kind, Workload, field_id, list_values};
use crate::pack::{FRAMEWORK_ID, PRINCIPLE_IDS};
use crate::score::{Readiness, WorkloadScore};

/// A `when:` as written: field (or score) → value, in file order.
pub type When = Ordered<Spanned<String>, Spanned<Value>>;

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// Enum (value index) or bool (0/1) field is one of these.
    OneOf(FieldId, Vec<u8>),
    /// A list field contains one of these.
    Contains(FieldId, Vec<String>),
    /// A number, or a list's length, in range.
    Range(FieldId, Option<f64>, Option<f64>),
    /// A date relative to the reference date: earlier than `before` days after it, at least
    /// `after` days after it.
    Days(FieldId, Option<i64>, Option<i64>),
    Band(Vec<Readiness>),
    Overall(Option<f64>, Option<f64>),
    Confidence(Option<f64>, Option<f64>),
    /// Pack score by index: 0..7 the principles, 7 the framework.
    Score(usize, Option<f64>, Option<f64>),
    PublicHosting(bool),
    CurrentAllowed(bool),
    /// One of these fields is not recorded.
    Missing(Vec<FieldId>),
    /// The number of workloads that depend on this one, in range.
    Dependants(Option<f64>, Option<f64>),
    /// None of these holds.
    Not(Vec<Cond>),
}

/// A compiled `when:` with its source text for people.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cond {
    pub tests: Vec<Test>,
}

/// What a condition may look at besides the workload.
pub struct Facts<'a> {
    pub workload: &'a Workload,
    pub score: Option<&'a WorkloadScore<'a>>,
    pub reference: Option<Date>,
    /// Whether some public option is allowed (strategy rules only).
    pub public_allowed: Option<bool>,
    /// Whether its current hosting is an allowed option (strategy rules only).
    pub current_allowed: Option<bool>,
    /// How many workloads depend on it (strategy rules only).
    pub dependants: Option<usize>,
}

fn in_range(x: f64, min: Option<f64>, max: Option<f64>) -> bool {
    min.is_none_or(|m| x >= m) && max.is_none_or(|m| x <= m)
}

impl Cond {
    pub fn is_always(&self) -> bool {
        self.tests.is_empty()
    }

    pub fn holds(&self, f: &Facts) -> bool {
        self.tests.iter().all(|t| test(t, f))
    }
}

fn test(t: &Test, f: &Facts) -> bool {
    let field = |id: FieldId| f.workload.get(id).map(|x| &x.value);
    match t {
        Test::OneOf(id, vals) => match field(*id) {
            Some(FieldValue::Enum(i)) => vals.contains(i),
            Some(FieldValue::Bool(b)) => vals.contains(&u8::from(*b)),
            _ => false,
        },
        Test::Contains(id, vals) => match field(*id) {
            Some(FieldValue::List(l)) => l.iter().any(|(s, _)| vals.iter().any(|v| **v == **s)),
            _ => false,
        },
        Test::Range(id, min, max) => match field(*id) {
            Some(FieldValue::List(l)) => in_range(l.len() as f64, *min, *max),
            Some(v) => v.as_number().is_some_and(|x| in_range(x, *min, *max)),
            None => false,
        },
        Test::Days(id, before, after) => match (field(*id), f.reference) {
            (Some(FieldValue::Date(d)), Some(r)) => {
                let days = d.days() - r.days();
                before.is_none_or(|b| days < b) && after.is_none_or(|a| days >= a)
            }
            _ => false,
        },
        Test::Band(b) => f.score.is_some_and(|s| b.contains(&s.band)),
        Test::Overall(min, max) => f
            .score
            .and_then(|s| s.overall)
            .is_some_and(|x| in_range(x, *min, *max)),
        Test::Confidence(min, max) => f.score.is_some_and(|s| in_range(s.confidence, *min, *max)),
        Test::Score(i, min, max) => f
            .score
            .and_then(|s| s.packs().nth(*i).and_then(|p| p.score))
            .is_some_and(|x| in_range(x, *min, *max)),
        Test::PublicHosting(b) => f.public_allowed == Some(*b),
        Test::CurrentAllowed(b) => f.current_allowed == Some(*b),
        Test::Missing(ids) => ids.iter().any(|&i| f.workload.get(i).is_none()),
        Test::Dependants(min, max) => f.dependants.is_some_and(|n| in_range(n as f64, *min, *max)),
        Test::Not(conds) => !conds.iter().any(|c| c.holds(f)),
    }
}

/// What a rule file may test: hosting rules run before scoring, so only inventory fields.
#[derive(Clone, Copy, PartialEq)]
pub enum Scope {
    Fields,
    FieldsAndScores,
}

const SCORE_KEYS: &[&str] = &[
    "band",
    "overall",
    "confidence",
    "hosting.public",
    "hosting.current_allowed",
    "dependants",
];

fn score_index(key: &str) -> Option<usize> {
    let id = key.strip_prefix("score.")?;
    PRINCIPLE_IDS
        .iter()
        .position(|p| *p == id)
        .or_else(|| (id == FRAMEWORK_ID).then_some(PRINCIPLE_IDS.len()))
}

fn range(
    v: &Spanned<Value>,
    what: &str,
    keys: [&str; 2],
    f: &mut DataFile,
) -> (Option<f64>, Option<f64>) {
    let Some(m) = f.entries(v, &keys, what) else {
        return (None, None);
    };
    let get = |k: &str| m.iter().find(|(x, _)| *x == k).map(|(_, v)| *v);
    let lo = get(keys[0]).and_then(|x| f.number(x, what));
    let hi = get(keys[1]).and_then(|x| f.number(x, what));
    if m.is_empty() {
        f.error(
            f.at(v),
            format!("{what} needs `{}` or `{}`", keys[0], keys[1]),
        );
    }
    (lo, hi)
}

/// Compiles a `when:` mapping, checking every key and value against the inventory's field table.
pub fn compile(when: &When, scope: Scope, f: &mut DataFile) -> Cond {
    let mut tests = Vec::new();
    for (key, v) in &when.0 {
        let what = format!("`{}`", key.value);
        let test = match key.value.as_str() {
            "missing" => Some(missing(v, &what, f)),
            "not" => Some(not(v, scope, &what, f)),
            k if scope == Scope::FieldsAndScores && is_score_key(k) => score_test(k, v, &what, f),
            k => match field_id(k) {
                Some(id) => field_test(id, key, v, &what, f),
                None => {
                    unknown_key(key, scope, f);
                    None
                }
            },
        };
        tests.extend(test);
    }
    Cond { tests }
}

fn missing(v: &Spanned<Value>, what: &str, f: &mut DataFile) -> Test {
    let paths: Vec<&str> = FIELDS.iter().map(|x| x.path).collect();
    let ids = f
        .values(v, what)
        .into_iter()
        .filter_map(|(s, l)| f.one_of(&s, l, &paths, "an inventory field"))
        .filter_map(FieldId::from_index)
        .collect();
    Test::Missing(ids)
}

/// `not`: one condition, or a list of them; none may hold.
fn not(v: &Spanned<Value>, scope: Scope, what: &str, f: &mut DataFile) -> Test {
    let one = |m: &When, f: &mut DataFile| compile(m, scope, f);
    let conds = match &v.value {
        Value::Map(m) => vec![one(m, f)],
        Value::List(items) => items
            .iter()
            .filter_map(|i| match &i.value {
                Value::Map(m) => Some(one(m, f)),
                other => {
                    f.error(
                        f.value_at(i),
                        format!("{what} lists conditions (mappings), not {}", other.kind()),
                    );
                    None
                }
            })
            .collect(),
        other => {
            f.error_hint(
                f.value_at(v),
                format!(
                    "{what} needs a condition or a list of them, not {}",
                    other.kind()
                ),
                "for example `not: { current.end_of_support: { before_days: 0 } }`",
            );
            Vec::new()
        }
    };
    Test::Not(conds)
}

fn is_score_key(key: &str) -> bool {
    score_index(key).is_some() || SCORE_KEYS.contains(&key)
}

/// A test of the scores or the hosting decision (strategy rules only).
fn score_test(key: &str, v: &Spanned<Value>, what: &str, f: &mut DataFile) -> Option<Test> {
    if let Some(i) = score_index(key) {
        let (lo, hi) = range(v, what, ["min", "max"], f);
        return Some(Test::Score(i, lo, hi));
    }
    match key {
        "band" => {
            let names: Vec<&str> = Readiness::ALL.iter().map(|b| b.as_str()).collect();
            let bands = f
                .values(v, what)
                .into_iter()
                .filter_map(|(s, l)| {
                    f.one_of(&s, l, &names, "a readiness band")
                        .map(|i| Readiness::ALL[i])
                })
                .collect();
            Some(Test::Band(bands))
        }
        "overall" => {
            let (lo, hi) = range(v, what, ["min", "max"], f);
            Some(Test::Overall(lo, hi))
        }
        "confidence" => {
            let (lo, hi) = range(v, what, ["min", "max"], f);
            Some(Test::Confidence(lo, hi))
        }
        "hosting.public" => f.boolean(v, what).map(Test::PublicHosting),
        "dependants" => {
            let (lo, hi) = range(v, what, ["min", "max"], f);
            Some(Test::Dependants(lo, hi))
        }
        _ => f.boolean(v, what).map(Test::CurrentAllowed),
    }
}

fn unknown_key(key: &Spanned<String>, scope: Scope, f: &mut DataFile) {
    let key_loc = f.word_at(key);
    let key = key.value.as_str();
    let mut keys: Vec<String> = FIELDS.iter().map(|x| x.path.to_string()).collect();
    if scope == Scope::FieldsAndScores {
        keys.extend(SCORE_KEYS.iter().map(|s| s.to_string()));
        keys.extend(PRINCIPLE_IDS.iter().map(|p| format!("score.{p}")));
        keys.push(format!("score.{FRAMEWORK_ID}"));
    }
    let what = if key.starts_with("score.") {
        "a pack score (score.P1..score.P7, score.CAF)"
    } else {
        "an inventory field"
    };
    let message = format!("`{key}` is not {what}");
    let hint = match did_you_mean(key, keys.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `{s}`?"),
        None if scope == Scope::Fields => {
            "hosting rules test inventory fields only (see `cloudready principles hosting`)".into()
        }
        None => "conditions test inventory fields, `band`, `overall`, `confidence`, `score.P1`..`score.P7`, `score.CAF`, `hosting.public`, `hosting.current_allowed`, `dependants` or `not`".into(),
    };
    f.error_hint(key_loc, message, hint);
}

/// A test of an inventory field, by the field's kind.
fn field_test(
    id: FieldId,
    key: &Spanned<String>,
    v: &Spanned<Value>,
    what: &str,
    f: &mut DataFile,
) -> Option<Test> {
    let path = key.value.as_str();
    let one_of = |f: &mut DataFile, options: &[&str], what_value: &str| -> Vec<u8> {
        f.values(v, what)
            .into_iter()
            .filter_map(|(s, l)| f.one_of(&s, l, options, what_value).map(|i| i as u8))
            .collect()
    };
    match FIELDS[id].kind {
        Kind::Enum(vals) => Some(Test::OneOf(
            id,
            one_of(f, vals, &format!("a value `{path}` can take")),
        )),
        Kind::Bool => Some(Test::OneOf(
            id,
            one_of(f, &["false", "true"], "true or false"),
        )),
        Kind::Int { .. } | Kind::Number { .. } => {
            let (lo, hi) = range(v, what, ["min", "max"], f);
            Some(Test::Range(id, lo, hi))
        }
        Kind::Date => {
            let (lo, hi) = range(v, what, ["before_days", "after_days"], f);
            Some(Test::Days(id, lo.map(|x| x as i64), hi.map(|x| x as i64)))
        }
        Kind::IdList | Kind::TextList if v.value.as_map().is_some() => {
            let (lo, hi) = range(v, what, ["min", "max"], f);
            Some(Test::Range(id, lo, hi))
        }
        Kind::IdList | Kind::TextList => {
            let vals = f.values(v, what).into_iter().map(|(s, _)| s).collect();
            Some(Test::Contains(id, vals))
        }
        Kind::Text => {
            f.error_hint(
                f.word_at(key),
                format!("`{path}` is free text; conditions cannot test it"),
                format!(
                    "test an enum, number, date or list field; e.g. `tags: [legacy]` ({})",
                    list_values(&["tags", "architecture.style"])
                ),
            );
            None
        }
    }
}

fn bounds(min: Option<f64>, max: Option<f64>) -> String {
    let f = crate::inventory::fmt_number;
    match (min, max) {
        (Some(a), Some(b)) => format!("{} to {}", f(a), f(b)),
        (Some(a), None) => format!("at least {}", f(a)),
        (None, Some(b)) => format!("at most {}", f(b)),
        (None, None) => "any".into(),
    }
}

impl Cond {
    /// The condition in words, for `cloudready principles strategies`.
    pub fn describe(&self) -> String {
        if self.tests.is_empty() {
            return "always".into();
        }
        let enum_names = |id: FieldId, vals: &[u8]| -> String {
            let names: Vec<&str> = match FIELDS[id].kind {
                Kind::Enum(v) => vals
                    .iter()
                    .filter_map(|&i| v.get(i as usize).copied())
                    .collect(),
                _ => vals
                    .iter()
                    .map(|&i| if i == 1 { "true" } else { "false" })
                    .collect(),
            };
            list_values(&names)
        };
        self.tests
            .iter()
            .map(|t| match t {
                Test::OneOf(id, v) => format!("{} is {}", FIELDS[*id].path, enum_names(*id, v)),
                Test::Contains(id, v) => format!("{} has {}", FIELDS[*id].path, v.join(" or ")),
                Test::Range(id, a, b) => format!("{} {}", FIELDS[*id].path, bounds(*a, *b)),
                Test::Days(id, before, after) => {
                    let mut p = Vec::new();
                    if let Some(b) = before {
                        p.push(format!("before reference date + {b} days"));
                    }
                    if let Some(a) = after {
                        p.push(format!("at or after reference date + {a} days"));
                    }
                    format!("{} {}", FIELDS[*id].path, p.join(" and "))
                }
                Test::Band(b) => format!(
                    "band is {}",
                    b.iter()
                        .map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
                Test::Overall(a, b) => format!("overall {}", bounds(*a, *b)),
                Test::Confidence(a, b) => format!("confidence {}", bounds(*a, *b)),
                Test::Score(i, a, b) => {
                    let id = PRINCIPLE_IDS.get(*i).copied().unwrap_or(FRAMEWORK_ID);
                    format!("{id} score {}", bounds(*a, *b))
                }
                Test::PublicHosting(true) => "a public option is allowed".into(),
                Test::PublicHosting(false) => "no public option is allowed".into(),
                Test::CurrentAllowed(true) => "its current hosting is allowed".into(),
                Test::CurrentAllowed(false) => "its current hosting is not allowed".into(),
                Test::Dependants(a, b) => format!("dependants {}", bounds(*a, *b)),
                Test::Not(conds) => format!(
                    "not ({})",
                    conds
                        .iter()
                        .map(Cond::describe)
                        .collect::<Vec<_>>()
                        .join(") and not (")
                ),
                Test::Missing(ids) => format!(
                    "{} not recorded",
                    ids.iter()
                        .map(|&i| FIELDS[i].path)
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}
