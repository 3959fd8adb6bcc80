//! From a pack file to the model: every field, answer, band and condition checked against the
//! inventory's field table, every problem reported with its file and line.

use serde_saphyr::Spanned;

use super::file::*;
use super::*;
use crate::datafile::{self, DataFile, Ordered};
use crate::diagnostic::{Diagnostic, FileId, Loc, did_you_mean};
use crate::inventory::{FIELDS, FieldDef, FieldId, Kind, field_id, list_values};

const KIND: datafile::Kind = datafile::Kind {
    what: "principle pack",
    hint: "see the README's \"Customising a principle pack\" for the format",
};

/// The values a field can take, as text, for answers and conditions.
fn choices(kind: Kind) -> Option<Vec<&'static str>> {
    match kind {
        Kind::Enum(v) => Some(v.to_vec()),
        Kind::Bool => Some(vec!["false", "true"]),
        _ => None,
    }
}

fn resolve_field(f: &mut DataFile, name: &Spanned<String>) -> Option<FieldId> {
    let found = field_id(&name.value);
    if found.is_none() {
        let hint = match did_you_mean(&name.value, FIELDS.iter().map(|x| x.path)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "see `cloudready schema` or the README for the inventory fields".into(),
        };
        f.error_hint(
            f.word_at(name),
            format!("`{}` is not an inventory field", name.value),
            hint,
        );
    }
    found
}

type Compiled = (Pack, Option<Readiness>);

pub(super) fn compile(
    file: FileId,
    text: &str,
    expect_id: &str,
) -> std::result::Result<Compiled, Vec<Diagnostic>> {
    let (raw, mut f): (PackFile, _) = DataFile::read(file, text, KIND)?;
    if raw.id.value != expect_id {
        f.error_hint(
            f.at(&raw.id),
            format!("pack id `{}` does not match its file", raw.id.value),
            format!("this file holds pack `{expect_id}`"),
        );
    }
    if !(raw.weight.value.is_finite() && raw.weight.value >= 0.0) {
        f.error(
            f.at(&raw.weight),
            "a pack weight must be a number of at least 0",
        );
    }
    let readiness = raw.readiness.as_ref().map(|r| {
        let v = r.value;
        if !(0.0..=100.0).contains(&v.conditional) || !(v.conditional..=100.0).contains(&v.ready) || !(0.0..=1.0).contains(&v.min_confidence) {
            f.error(f.at(r), "readiness thresholds must satisfy 0 <= conditional <= ready <= 100 and 0 <= min_confidence <= 1");
        }
        v
    });
    if raw.criteria.is_empty() {
        f.error(Loc::new(file, 1, 1), "a pack needs at least one criterion");
    }
    let criteria = compile_criteria(&mut f, raw.criteria, expect_id);
    f.finish((
        Pack {
            id: raw.id.value,
            title: raw.title,
            weight: raw.weight.value,
            source: raw.source,
            summary: raw.summary,
            file: String::new(),
            criteria,
        },
        readiness,
    ))
}

fn compile_criteria(f: &mut DataFile, raw: Vec<CriterionFile>, pack_id: &str) -> Vec<Criterion> {
    let mut criteria: Vec<Criterion> = Vec::with_capacity(raw.len());
    for c in raw {
        let field_at = f.word_at(&c.field);
        let Some(cc) = compile_criterion(f, c, pack_id) else {
            continue;
        };
        // One fact, one judgement per principle: a second criterion on the same field
        // would count that fact twice in this pack's score.
        if let Some(first) = criteria.iter().find(|x| x.field == cc.field) {
            f.error_hint(
                field_at,
                format!(
                    "`{}` is already scored by `{}` in this pack",
                    FIELDS[cc.field].path, first.id
                ),
                "a fact is judged once per principle: merge the two with `cases` or `blocker_when`, or score another field (conditions may read any field)",
            );
        }
        criteria.push(cc);
    }
    criteria
}

fn compile_guard(f: &mut DataFile, m: &CondMap, what: &str, nested: bool) -> Guard {
    let mut g = Guard::default();
    for (k, v) in &m.0 {
        if k.value == "any" {
            match &v.value {
                CondVal::Branches(bs) if !nested => {
                    let group = bs
                        .iter()
                        .map(|b| compile_guard(f, b, what, true).all)
                        .collect();
                    g.any.push(group);
                }
                _ => f.error_hint(
                    f.at(k),
                    format!("`any` in `{what}` takes a list of conditions, one level deep"),
                    "any: [{ classification: PROTECTED }, { whole_of_government: true }]",
                ),
            }
            continue;
        }
        if let Some(c) = compile_condition(f, k, v, what) {
            g.all.push(c);
        }
    }
    g
}

/// One `field: value(s)` test of a condition.
fn compile_condition(
    f: &mut DataFile,
    k: &Spanned<String>,
    v: &Spanned<CondVal>,
    what: &str,
) -> Option<Condition> {
    let cf = resolve_field(f, k)?;
    let Some(vals) = choices(FIELDS[cf].kind) else {
        f.error(
            f.at(k),
            format!(
                "`{what}` can test enum and true/false fields; `{}` is {}",
                k.value,
                FIELDS[cf].kind.describe()
            ),
        );
        return None;
    };
    let CondVal::Scalars(texts) = &v.value else {
        f.error(
            f.at(v),
            format!("`{}` takes a value or a list of values", k.value),
        );
        return None;
    };
    let mut accepted = Vec::new();
    for s in texts {
        match vals.iter().position(|x| x == s) {
            Some(i) => accepted.push(i as u8),
            None => f.error_hint(
                f.at(v),
                format!("`{s}` is not a value `{}` can take", k.value),
                format!("valid values: {}", list_values(&vals)),
            ),
        }
    }
    Some(Condition {
        field: cf,
        accepted,
        text: texts.clone(),
    })
}

type AnswersFile = Spanned<Ordered<Spanned<String>, Spanned<AnswerFile>>>;
type BandsFile = Spanned<Vec<Spanned<BandFile>>>;

/// What every rule of one criterion is checked against.
struct RuleCx<'a> {
    crit_id: &'a str,
    def: &'static FieldDef,
    /// The field it is ranked against (`compare_with`).
    compare: Option<FieldId>,
}

/// One rule as written: the criterion's own answers or bands, or one case's, and where
/// problems with it as a whole are reported.
struct RuleFile<'a> {
    at: Loc,
    answers: Option<&'a AnswersFile>,
    bands: Option<&'a BandsFile>,
}

fn check_score(f: &mut DataFile, s: &Spanned<u8>) {
    if s.value > 100 {
        f.error(f.at(s), format!("score {} is above 100", s.value));
    }
}

fn answer_of(value: &str, a: &AnswerFile, fallback: String) -> Answer {
    Answer {
        value: value.to_string(),
        score: a.score.value.min(100),
        finding: a.finding.clone().unwrap_or(fallback),
        advice: a.advice.clone(),
    }
}

/// Compiles one rule, by the kind of the field it scores.
fn compile_rule(f: &mut DataFile, cx: &RuleCx, r: RuleFile) -> Option<Rule> {
    if let Some(with) = cx.compare {
        return compile_compare(f, cx, with, r);
    }
    match (choices(cx.def.kind), r.answers, r.bands) {
        (Some(vals), Some(answers), None) => compile_choice(f, cx, &vals, answers),
        (None, None, Some(bands)) if cx.def.kind != Kind::Text => Some(compile_bands(f, bands)),
        _ => {
            mismatched_rule(f, cx, r);
            None
        }
    }
}

/// `below` and `at-or-above` answers of an enum field ranked against another.
fn compile_compare(f: &mut DataFile, cx: &RuleCx, with: FieldId, r: RuleFile) -> Option<Rule> {
    let crit_id = cx.crit_id;
    let Some(answers) = r.answers else {
        f.error_hint(
            r.at,
            format!("criterion `{crit_id}` compares with another field, so it needs `answers`"),
            "answers: { below: {...}, at-or-above: {...} }",
        );
        return None;
    };
    let keys = ["below", "at-or-above"];
    let mut slots: [Option<Answer>; 2] = [None, None];
    for (k, a) in &answers.value.0 {
        check_score(f, &a.value.score);
        match keys.iter().position(|x| *x == k.value) {
            Some(i) => {
                let fallback = format!("{} is {} {}.", cx.def.path, k.value, FIELDS[with].path);
                slots[i] = Some(answer_of(&k.value, &a.value, fallback));
            }
            None => f.error_hint(
                f.word_at(k),
                format!("`{}` is not an answer to a comparison", k.value),
                "a comparison's answers are `below` and `at-or-above`",
            ),
        }
    }
    match slots {
        [Some(b), Some(m)] => Some(Rule::Compare(with, [b, m])),
        _ => {
            f.error(
                f.at(answers),
                format!("criterion `{crit_id}` needs answers for both `below` and `at-or-above`"),
            );
            None
        }
    }
}

/// One answer per value an enum or true/false field can take.
fn compile_choice(
    f: &mut DataFile,
    cx: &RuleCx,
    vals: &[&'static str],
    answers: &AnswersFile,
) -> Option<Rule> {
    let path = cx.def.path;
    let mut slots: Vec<Option<Answer>> = vec![None; vals.len()];
    for (k, a) in &answers.value.0 {
        check_score(f, &a.value.score);
        match vals.iter().position(|x| *x == k.value) {
            Some(i) => {
                let fallback = format!("{path} is {}.", vals[i]);
                slots[i] = Some(answer_of(vals[i], &a.value, fallback));
            }
            None => {
                let hint = match did_you_mean(&k.value, vals.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? Valid values: {}", list_values(vals)),
                    None => format!("valid values: {}", list_values(vals)),
                };
                f.error_hint(
                    f.word_at(k),
                    format!("`{}` is not a value `{path}` can take", k.value),
                    hint,
                );
            }
        }
    }
    let missing: Vec<&str> = vals
        .iter()
        .zip(&slots)
        .filter(|(_, s)| s.is_none())
        .map(|(v, _)| *v)
        .collect();
    if !missing.is_empty() {
        f.error_hint(
            f.at(answers),
            format!(
                "criterion `{}` has no answer for {}",
                cx.crit_id,
                list_values(&missing)
            ),
            "give every value the field can take an answer, so no fact goes unscored",
        );
        return None;
    }
    Some(Rule::Choice(slots.into_iter().flatten().collect()))
}

/// Ordered bands over a number, a date's days or age, or a list's length.
fn compile_bands(f: &mut DataFile, bands: &BandsFile) -> Rule {
    let mut out = Vec::new();
    let n = bands.value.len();
    let mut last = f64::NEG_INFINITY;
    for (i, b) in bands.value.iter().enumerate() {
        check_score(f, &b.value.score);
        match (b.value.below, i + 1 == n) {
            (Some(x), false) if x > last && x.is_finite() => last = x,
            (Some(_), false) => f.error(
                f.at(b),
                "band limits must be finite and rise from one band to the next",
            ),
            (None, false) => f.error(f.at(b), "only the last band may leave out `below`"),
            (Some(_), true) => f.error(
                f.at(b),
                "the last band must leave out `below`, so every value falls in a band",
            ),
            (None, true) => {}
        }
        out.push(Band {
            below: b.value.below,
            score: b.value.score.value.min(100),
            finding: b.value.finding.clone().unwrap_or_default(),
            advice: b.value.advice.clone(),
        });
    }
    if n == 0 {
        f.error(f.at(bands), "`bands` needs at least one band");
    }
    Rule::Bands(out)
}

/// Why the answers or bands given cannot score the field.
fn mismatched_rule(f: &mut DataFile, cx: &RuleCx, r: RuleFile) {
    let (def, crit_id) = (cx.def, cx.crit_id);
    match (choices(def.kind), r.answers, r.bands) {
        (_, Some(_), Some(_)) => f.error(
            r.at,
            format!("criterion `{crit_id}` has both `answers` and `bands`; keep one"),
        ),
        (Some(vals), _, _) => f.error_hint(
            r.at,
            format!(
                "`{}` takes fixed values, so criterion `{crit_id}` needs `answers`",
                def.path
            ),
            format!("give an answer for each of: {}", list_values(&vals)),
        ),
        (None, _, _) if def.kind == Kind::Text => f.error(
            r.at,
            format!("`{}` is free text and cannot be scored", def.path),
        ),
        (None, _, _) => {
            let what = match def.kind {
                Kind::Date => "days until the date, or its age in months",
                Kind::IdList | Kind::TextList => "the number of items",
                _ => "the number",
            };
            f.error_hint(
                r.at,
                format!(
                    "`{}` is {}, so criterion `{crit_id}` needs `bands` (over {what})",
                    def.path,
                    def.kind.describe(),
                ),
                "bands: [{ below: 1, score: 0, advice: ... }, { score: 100 }]",
            );
        }
    }
}

fn compile_criterion(f: &mut DataFile, c: CriterionFile, pack_id: &str) -> Option<Criterion> {
    check_criterion_id(f, &c.id, pack_id);
    if !(c.weight.value.is_finite() && c.weight.value > 0.0) {
        f.error(
            f.at(&c.weight),
            format!(
                "criterion `{}`: weight must be a number above 0",
                c.id.value
            ),
        );
    }
    let source = criterion_source(f, &c);
    let field = resolve_field(f, &c.field)?;
    let def = &FIELDS[field];
    let applies_when = c
        .applies_when
        .as_ref()
        .map(|m| compile_guard(f, &m.value, "applies_when", false))
        .unwrap_or_default();
    let blocker_when = c
        .blocker_when
        .as_ref()
        .map(|m| compile_guard(f, &m.value, "blocker_when", false));
    let mandatory_when = c
        .mandatory_when
        .as_ref()
        .map(|m| compile_guard(f, &m.value, "mandatory_when", false))
        .or_else(|| c.mandatory.then(Guard::default));
    let measure = c
        .measure
        .as_ref()
        .map_or(Measure::DaysUntil, |m| compile_measure(f, m, def));
    let compare = c
        .compare_with
        .as_ref()
        .and_then(|w| compile_compare_with(f, w, def));
    if c.compare_with.is_some() && compare.is_none() {
        // Already reported; its answers cannot be checked without the comparison.
        return None;
    }
    let cx = RuleCx {
        crit_id: &c.id.value,
        def,
        compare,
    };
    let cases = compile_cases(f, &cx, &c);
    if cases.is_empty() {
        return None;
    }
    let pass = c.pass.as_ref().map_or(50, |p| {
        check_score(f, p);
        p.value
    });
    Some(Criterion {
        unknown: c.unknown.unwrap_or_else(|| {
            format!(
                "Record `{}` ({}) in the inventory.",
                def.path,
                def.kind.describe()
            )
        }),
        id: c.id.value,
        question: c.question,
        field,
        weight: c.weight.value,
        blocker: c.blocker || blocker_when.is_some(),
        blocker_when,
        mandatory_when,
        pass,
        applies_when,
        source,
        measure,
        cases,
    })
}

fn check_criterion_id(f: &mut DataFile, id: &Spanned<String>, pack_id: &str) {
    let prefix = format!("{pack_id}.");
    let slug_ok = id.value.strip_prefix(&prefix).is_some_and(|s| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    });
    if !slug_ok {
        f.error_hint(
            f.at(id),
            format!("criterion id `{}` must be `{prefix}<name>`", id.value),
            format!("for example `{prefix}iac`: lowercase letters, digits and `-`"),
        );
    }
}

/// Every criterion says what it rests on, so `principles --trace` can show it.
fn criterion_source(f: &mut DataFile, c: &CriterionFile) -> Option<String> {
    match &c.source {
        Some(s) if !s.value.trim().is_empty() => Some(s.value.clone()),
        Some(s) => {
            f.error(
                f.at(s),
                format!("criterion `{}` has an empty `source`", c.id.value),
            );
            None
        }
        None => {
            f.error_hint(
                f.at(&c.id),
                format!("criterion `{}` needs a `source`", c.id.value),
                "name what it rests on: the principle's text, an ISM control, the PSPF, the HCF, the 2025 cloud policy or the DTA's cloud assessment tool",
            );
            None
        }
    }
}

fn compile_measure(f: &mut DataFile, m: &Spanned<String>, def: &FieldDef) -> Measure {
    let v = match m.value.as_str() {
        "days_until" => Some(Measure::DaysUntil),
        "months_since" => Some(Measure::MonthsSince),
        _ => None,
    };
    match (v, def.kind) {
        (Some(v), Kind::Date) => v,
        (Some(_), _) => {
            f.error(
                f.at(m),
                format!(
                    "`measure` applies to date fields; `{}` is {}",
                    def.path,
                    def.kind.describe()
                ),
            );
            Measure::DaysUntil
        }
        (None, _) => {
            f.error_hint(
                f.at(m),
                format!("`{}` is not a measure", m.value),
                "valid: days_until (days from the reference date until the date), months_since (the date's age in whole months)",
            );
            Measure::DaysUntil
        }
    }
}

/// The field a `compare_with` names, when it is an enum sharing values with the scored one.
fn compile_compare_with(f: &mut DataFile, w: &Spanned<String>, def: &FieldDef) -> Option<FieldId> {
    let other = resolve_field(f, w)?;
    match (FIELDS[other].kind, def.kind) {
        (Kind::Enum(theirs), Kind::Enum(ours)) if ours.iter().any(|v| theirs.contains(v)) => {
            Some(other)
        }
        _ => {
            f.error_hint(
                f.at(w),
                format!(
                    "`compare_with` ranks one enum field against another that shares its values; `{}` and `{}` do not",
                    def.path, w.value
                ),
                "for example `field: assurance.irap_level` with `compare_with: classification`",
            );
            None
        }
    }
}

/// The criterion's rules in the order they are tried: its cases, then its own answers or
/// bands (the only rule, or what applies when no case does).
fn compile_cases(f: &mut DataFile, cx: &RuleCx, c: &CriterionFile) -> Vec<Case> {
    let mut cases = Vec::new();
    if let Some(cs) = &c.cases {
        for case in &cs.value {
            let when = compile_guard(f, &case.value.when.value, "when", false);
            let r = RuleFile {
                at: f.at(case),
                answers: case.value.answers.as_ref(),
                bands: case.value.bands.as_ref(),
            };
            if let Some(rule) = compile_rule(f, cx, r) {
                cases.push(Case { when, rule });
            }
        }
        if cs.value.is_empty() {
            f.error(f.at(cs), "`cases` needs at least one case");
        }
    }
    if c.cases.is_none() || c.answers.is_some() || c.bands.is_some() {
        let r = RuleFile {
            at: f.at(&c.field),
            answers: c.answers.as_ref(),
            bands: c.bands.as_ref(),
        };
        if let Some(rule) = compile_rule(f, cx, r) {
            cases.push(Case {
                when: Guard::default(),
                rule,
            });
        }
    }
    cases
}
