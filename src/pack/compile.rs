//! From a pack file to the model: every field, answer, band and condition checked against the
//! inventory's field table, every problem reported with its file and line.

use serde_saphyr::Spanned;

use super::file::*;
use super::*;
use crate::diagnostic::{Diagnostic, FileId, Loc, did_you_mean};
use crate::inventory::{FIELDS, FieldId, Kind, field_id, list_values};

fn at<T>(file: FileId, s: &Spanned<T>) -> Loc {
    Loc::new(
        file,
        s.referenced.line() as u32,
        s.referenced.column() as u32,
    )
}

/// The values a field can take, as text, for answers and conditions.
fn choices(kind: Kind) -> Option<Vec<&'static str>> {
    match kind {
        Kind::Enum(v) => Some(v.to_vec()),
        Kind::Bool => Some(vec!["false", "true"]),
        _ => None,
    }
}

fn resolve_field(
    file: FileId,
    f: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<FieldId> {
    match field_id(&f.value) {
        Some(i) => Some(i),
        None => {
            let mut d = Diagnostic::error(
                at(file, f).with_len(f.value.len()),
                format!("`{}` is not an inventory field", f.value),
            );
            d = match did_you_mean(&f.value, FIELDS.iter().map(|x| x.path)) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint("see `cloudready schema` or the README for the inventory fields"),
            };
            diags.push(d);
            None
        }
    }
}

type Compiled = (Pack, Option<Readiness>);

pub(super) fn compile(
    file: FileId,
    text: &str,
    expect_id: &str,
) -> std::result::Result<Compiled, Vec<Diagnostic>> {
    let raw: PackFile =
        serde_saphyr::from_str_with_options(text, serde_saphyr::options! { with_snippet: false })
            .map_err(|e| {
            let loc = e
                .location()
                .map(|l| Loc::new(file, l.line() as u32, l.column() as u32));
            let mut msg = e.without_snippet().to_string();
            if let Some(i) = msg.find(" at line ") {
                msg.truncate(i);
            }
            vec![
                Diagnostic::error(loc, format!("invalid principle pack: {msg}"))
                    .hint("see the README's \"Customising a principle pack\" for the format"),
            ]
        })?;
    let mut d = Vec::new();
    if raw.id.value != expect_id {
        d.push(
            Diagnostic::error(
                at(file, &raw.id),
                format!("pack id `{}` does not match its file", raw.id.value),
            )
            .hint(format!("this file holds pack `{expect_id}`")),
        );
    }
    if !(raw.weight.value.is_finite() && raw.weight.value >= 0.0) {
        d.push(Diagnostic::error(
            at(file, &raw.weight),
            "a pack weight must be a number of at least 0",
        ));
    }
    let readiness = raw.readiness.as_ref().map(|r| {
        let v = r.value;
        if !(0.0..=100.0).contains(&v.conditional) || !(v.conditional..=100.0).contains(&v.ready) || !(0.0..=1.0).contains(&v.min_confidence) {
            d.push(Diagnostic::error(at(file, r), "readiness thresholds must satisfy 0 <= conditional <= ready <= 100 and 0 <= min_confidence <= 1"));
        }
        v
    });
    if raw.criteria.is_empty() {
        d.push(Diagnostic::error(
            Loc::new(file, 1, 1),
            "a pack needs at least one criterion",
        ));
    }
    let mut criteria: Vec<Criterion> = Vec::with_capacity(raw.criteria.len());
    for c in raw.criteria {
        let field_at = at(file, &c.field).with_len(c.field.value.len());
        if let Some(cc) = compile_criterion(file, c, expect_id, &mut d) {
            // One fact, one judgement per principle: a second criterion on the same field
            // would count that fact twice in this pack's score.
            if let Some(first) = criteria.iter().find(|x| x.field == cc.field) {
                d.push(
                    Diagnostic::error(
                        field_at,
                        format!(
                            "`{}` is already scored by `{}` in this pack",
                            FIELDS[cc.field].path, first.id
                        ),
                    )
                    .hint("a fact is judged once per principle: merge the two with `cases` or `blocker_when`, or score another field (conditions may read any field)"),
                );
            }
            criteria.push(cc);
        }
    }
    if !d.is_empty() {
        return Err(d);
    }
    Ok((
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

fn compile_guard(
    file: FileId,
    m: &Spanned<CondMap>,
    what: &str,
    nested: bool,
    d: &mut Vec<Diagnostic>,
) -> Guard {
    let mut g = Guard::default();
    for (k, v) in &m.value.0 {
        if k.value == "any" {
            match &v.value {
                CondVal::Branches(bs) if !nested => {
                    let group = bs
                        .iter()
                        .map(|b| {
                            let inner = Spanned::new(
                                Ordered(
                                    b.0.iter()
                                        .map(|(k, v)| (clone_spanned(k), clone_cond(v)))
                                        .collect(),
                                ),
                                k.referenced,
                                k.defined,
                            );
                            compile_guard(file, &inner, what, true, d).all
                        })
                        .collect();
                    g.any.push(group);
                }
                _ => d.push(
                    Diagnostic::error(
                        at(file, k),
                        format!("`any` in `{what}` takes a list of conditions, one level deep"),
                    )
                    .hint("any: [{ classification: PROTECTED }, { whole_of_government: true }]"),
                ),
            }
            continue;
        }
        let Some(cf) = resolve_field(file, k, d) else {
            continue;
        };
        let Some(vals) = choices(FIELDS[cf].kind) else {
            d.push(Diagnostic::error(
                at(file, k),
                format!(
                    "`{what}` can test enum and true/false fields; `{}` is {}",
                    k.value,
                    FIELDS[cf].kind.describe()
                ),
            ));
            continue;
        };
        let CondVal::Scalars(texts) = &v.value else {
            d.push(Diagnostic::error(
                at(file, v),
                format!("`{}` takes a value or a list of values", k.value),
            ));
            continue;
        };
        let mut accepted = Vec::new();
        for s in texts {
            match vals.iter().position(|x| x == s) {
                Some(i) => accepted.push(i as u8),
                None => d.push(
                    Diagnostic::error(
                        at(file, v),
                        format!("`{s}` is not a value `{}` can take", k.value),
                    )
                    .hint(format!("valid values: {}", list_values(&vals))),
                ),
            }
        }
        g.all.push(Condition {
            field: cf,
            accepted,
            text: texts.clone(),
        });
    }
    g
}

fn clone_spanned(s: &Spanned<String>) -> Spanned<String> {
    Spanned::new(s.value.clone(), s.referenced, s.defined)
}

fn clone_cond(v: &Spanned<CondVal>) -> Spanned<CondVal> {
    let val = match &v.value {
        CondVal::Scalars(x) => CondVal::Scalars(x.clone()),
        CondVal::Branches(bs) => CondVal::Branches(
            bs.iter()
                .map(|b| {
                    Ordered(
                        b.0.iter()
                            .map(|(k, v)| (clone_spanned(k), clone_cond(v)))
                            .collect(),
                    )
                })
                .collect(),
        ),
    };
    Spanned::new(val, v.referenced, v.defined)
}

type AnswersFile = Spanned<Ordered<Spanned<String>, Spanned<AnswerFile>>>;
type BandsFile = Spanned<Vec<Spanned<BandFile>>>;

/// Compiles one rule (the criterion's own answers or bands, or one case's).
#[allow(clippy::too_many_arguments)]
fn compile_rule(
    file: FileId,
    crit_id: &str,
    def: &crate::inventory::FieldDef,
    field_at: Loc,
    compare: Option<FieldId>,
    answers: &Option<AnswersFile>,
    bands: &Option<BandsFile>,
    d: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    let check_score = |s: &Spanned<u8>, d: &mut Vec<Diagnostic>| {
        if s.value > 100 {
            d.push(Diagnostic::error(
                at(file, s),
                format!("score {} is above 100", s.value),
            ));
        }
    };
    let answer_of = |k: &str, a: &AnswerFile, fallback: String| Answer {
        value: k.to_string(),
        score: a.score.value.min(100),
        finding: a.finding.clone().unwrap_or(fallback),
        advice: a.advice.clone(),
    };
    if let Some(with) = compare {
        let Some(answers) = answers else {
            d.push(
                Diagnostic::error(
                    field_at,
                    format!(
                        "criterion `{crit_id}` compares with another field, so it needs `answers`"
                    ),
                )
                .hint("answers: { below: {...}, at-or-above: {...} }"),
            );
            return None;
        };
        let keys = ["below", "at-or-above"];
        let mut slots: [Option<Answer>; 2] = [None, None];
        for (k, a) in &answers.value.0 {
            check_score(&a.value.score, d);
            match keys.iter().position(|x| *x == k.value) {
                Some(i) => {
                    slots[i] = Some(answer_of(
                        &k.value,
                        &a.value,
                        format!("{} is {} {}.", def.path, k.value, FIELDS[with].path),
                    ))
                }
                None => d.push(
                    Diagnostic::error(
                        at(file, k).with_len(k.value.len()),
                        format!("`{}` is not an answer to a comparison", k.value),
                    )
                    .hint("a comparison's answers are `below` and `at-or-above`"),
                ),
            }
        }
        return match slots {
            [Some(b), Some(m)] => Some(Rule::Compare(with, [b, m])),
            _ => {
                d.push(Diagnostic::error(
                    at(file, answers),
                    format!(
                        "criterion `{crit_id}` needs answers for both `below` and `at-or-above`"
                    ),
                ));
                None
            }
        };
    }
    match (choices(def.kind), answers, bands) {
        (Some(vals), Some(answers), None) => {
            let mut slots: Vec<Option<Answer>> = vec![None; vals.len()];
            for (k, a) in &answers.value.0 {
                check_score(&a.value.score, d);
                match vals.iter().position(|x| *x == k.value) {
                    Some(i) => {
                        slots[i] = Some(answer_of(
                            vals[i],
                            &a.value,
                            format!("{} is {}.", def.path, vals[i]),
                        ))
                    }
                    None => {
                        let mut diag = Diagnostic::error(
                            at(file, k).with_len(k.value.len()),
                            format!("`{}` is not a value `{}` can take", k.value, def.path),
                        );
                        diag = match did_you_mean(&k.value, vals.iter().copied()) {
                            Some(s) => diag.hint(format!(
                                "did you mean `{s}`? Valid values: {}",
                                list_values(&vals)
                            )),
                            None => diag.hint(format!("valid values: {}", list_values(&vals))),
                        };
                        d.push(diag);
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
                d.push(
                    Diagnostic::error(
                        at(file, answers),
                        format!(
                            "criterion `{crit_id}` has no answer for {}",
                            list_values(&missing)
                        ),
                    )
                    .hint(
                        "give every value the field can take an answer, so no fact goes unscored",
                    ),
                );
                return None;
            }
            Some(Rule::Choice(slots.into_iter().flatten().collect()))
        }
        (None, None, Some(bands)) if def.kind != Kind::Text => {
            let mut out = Vec::new();
            let n = bands.value.len();
            let mut last = f64::NEG_INFINITY;
            for (i, b) in bands.value.iter().enumerate() {
                check_score(&b.value.score, d);
                match (b.value.below, i + 1 == n) {
                    (Some(x), false) if x > last && x.is_finite() => last = x,
                    (Some(_), false) => d.push(Diagnostic::error(
                        at(file, b),
                        "band limits must be finite and rise from one band to the next",
                    )),
                    (None, false) => d.push(Diagnostic::error(
                        at(file, b),
                        "only the last band may leave out `below`",
                    )),
                    (Some(_), true) => d.push(Diagnostic::error(
                        at(file, b),
                        "the last band must leave out `below`, so every value falls in a band",
                    )),
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
                d.push(Diagnostic::error(
                    at(file, bands),
                    "`bands` needs at least one band",
                ));
            }
            Some(Rule::Bands(out))
        }
        (_, Some(_), Some(_)) => {
            d.push(Diagnostic::error(
                field_at,
                format!("criterion `{crit_id}` has both `answers` and `bands`; keep one"),
            ));
            None
        }
        (Some(vals), _, _) => {
            d.push(
                Diagnostic::error(
                    field_at,
                    format!(
                        "`{}` takes fixed values, so criterion `{crit_id}` needs `answers`",
                        def.path
                    ),
                )
                .hint(format!(
                    "give an answer for each of: {}",
                    list_values(&vals)
                )),
            );
            None
        }
        (None, _, _) if def.kind == Kind::Text => {
            d.push(Diagnostic::error(
                field_at,
                format!("`{}` is free text and cannot be scored", def.path),
            ));
            None
        }
        (None, _, _) => {
            let what = match def.kind {
                Kind::Date => "days until the date, or its age in months",
                Kind::IdList | Kind::TextList => "the number of items",
                _ => "the number",
            };
            d.push(
                Diagnostic::error(
                    field_at,
                    format!(
                        "`{}` is {}, so criterion `{crit_id}` needs `bands` (over {what})",
                        def.path,
                        def.kind.describe(),
                    ),
                )
                .hint("bands: [{ below: 1, score: 0, advice: ... }, { score: 100 }]"),
            );
            None
        }
    }
}

fn compile_criterion(
    file: FileId,
    c: CriterionFile,
    pack_id: &str,
    d: &mut Vec<Diagnostic>,
) -> Option<Criterion> {
    let id_loc = at(file, &c.id);
    let prefix = format!("{pack_id}.");
    let slug_ok = c.id.value.strip_prefix(&prefix).is_some_and(|s| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    });
    if !slug_ok {
        d.push(
            Diagnostic::error(
                id_loc,
                format!("criterion id `{}` must be `{prefix}<name>`", c.id.value),
            )
            .hint(format!(
                "for example `{prefix}iac`: lowercase letters, digits and `-`"
            )),
        );
    }
    if !(c.weight.value.is_finite() && c.weight.value > 0.0) {
        d.push(Diagnostic::error(
            at(file, &c.weight),
            format!(
                "criterion `{}`: weight must be a number above 0",
                c.id.value
            ),
        ));
    }
    // Every criterion says what it rests on, so `principles --trace` can show it.
    let source = match &c.source {
        Some(s) if !s.value.trim().is_empty() => Some(s.value.clone()),
        Some(s) => {
            d.push(Diagnostic::error(
                at(file, s),
                format!("criterion `{}` has an empty `source`", c.id.value),
            ));
            None
        }
        None => {
            d.push(
                Diagnostic::error(id_loc, format!("criterion `{}` needs a `source`", c.id.value))
                    .hint("name what it rests on: the principle's text, an ISM control, the PSPF, the HCF, the 2025 cloud policy or the DTA's cloud assessment tool"),
            );
            None
        }
    };
    let field = resolve_field(file, &c.field, d)?;
    let def = &FIELDS[field];
    let field_at = at(file, &c.field);
    let applies_when = c
        .applies_when
        .as_ref()
        .map(|m| compile_guard(file, m, "applies_when", false, d))
        .unwrap_or_default();
    let blocker_when = c
        .blocker_when
        .as_ref()
        .map(|m| compile_guard(file, m, "blocker_when", false, d));
    let measure = match &c.measure {
        None => Measure::DaysUntil,
        Some(m) => {
            let v = match m.value.as_str() {
                "days_until" => Some(Measure::DaysUntil),
                "months_since" => Some(Measure::MonthsSince),
                _ => None,
            };
            match (v, def.kind) {
                (Some(v), Kind::Date) => v,
                (Some(_), _) => {
                    d.push(Diagnostic::error(
                        at(file, m),
                        format!(
                            "`measure` applies to date fields; `{}` is {}",
                            def.path,
                            def.kind.describe()
                        ),
                    ));
                    Measure::DaysUntil
                }
                (None, _) => {
                    d.push(
                        Diagnostic::error(at(file, m), format!("`{}` is not a measure", m.value))
                            .hint("valid: days_until (days from the reference date until the date), months_since (the date's age in whole months)"),
                    );
                    Measure::DaysUntil
                }
            }
        }
    };
    let compare = match &c.compare_with {
        None => None,
        Some(w) => {
            let other = resolve_field(file, w, d);
            match (other.map(|o| FIELDS[o].kind), def.kind) {
                (Some(Kind::Enum(theirs)), Kind::Enum(ours))
                    if ours.iter().any(|v| theirs.contains(v)) =>
                {
                    other
                }
                (Some(_), _) => {
                    d.push(
                        Diagnostic::error(
                            at(file, w),
                            format!(
                                "`compare_with` ranks one enum field against another that shares its values; `{}` and `{}` do not",
                                def.path, w.value
                            ),
                        )
                        .hint("for example `field: assurance.irap_level` with `compare_with: classification`"),
                    );
                    None
                }
                (None, _) => None,
            }
        }
    };
    if c.compare_with.is_some() && compare.is_none() {
        // Already reported; its answers cannot be checked without the comparison.
        return None;
    }
    let mut cases = Vec::new();
    if let Some(cs) = &c.cases {
        for case in &cs.value {
            let when = compile_guard(file, &case.value.when, "when", false, d);
            if let Some(rule) = compile_rule(
                file,
                &c.id.value,
                def,
                at(file, case),
                compare,
                &case.value.answers,
                &case.value.bands,
                d,
            ) {
                cases.push(Case { when, rule });
            }
        }
        if cs.value.is_empty() {
            d.push(Diagnostic::error(
                at(file, cs),
                "`cases` needs at least one case",
            ));
        }
    }
    if c.cases.is_none() || c.answers.is_some() || c.bands.is_some() {
        // The criterion's own answers or bands: the only rule, or what applies when no case does.
        if let Some(rule) = compile_rule(
            file,
            &c.id.value,
            def,
            field_at,
            compare,
            &c.answers,
            &c.bands,
            d,
        ) {
            cases.push(Case {
                when: Guard::default(),
                rule,
            });
        }
    }
    if cases.is_empty() {
        return None;
    }
    let pass = c.pass.as_ref().map_or(50, |p| {
        if p.value > 100 {
            d.push(Diagnostic::error(
                at(file, p),
                format!("score {} is above 100", p.value),
            ));
        }
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
        pass,
        applies_when,
        source,
        measure,
        cases,
    })
}
