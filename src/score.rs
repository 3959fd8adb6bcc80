//! Scoring: each criterion from the workload's evidence, then principles, overall, confidence,
//! readiness band and blockers. Missing facts are unknown, never zero.
//!
//! The rules themselves (answers, bands, weights, thresholds) are data in the packs; this module
//! only applies them.

use std::borrow::Cow;

use crate::diagnostic::Loc;
use crate::inventory::{Date, FIELDS, FieldId, FieldValue, Kind, Workload};
use crate::pack::{Answer, Band, Condition, Criterion, Guard, Measure, Pack, Packs, Rule};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Known, at or above the criterion's pass mark.
    Met,
    /// Known, below the pass mark.
    Gap,
    /// The fact is not in the inventory.
    Unknown,
    /// The criterion's `applies_when` does not hold.
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Met,
        Status::Gap,
        Status::Unknown,
        Status::NotApplicable,
    ];
    /// The name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Gap => "gap",
            Status::Unknown => "unknown",
            Status::NotApplicable => "not-applicable",
        }
    }
}

#[derive(Debug, Clone)]
pub struct CriterionScore<'a> {
    pub criterion: &'a Criterion,
    pub status: Status,
    /// The evidence as written in the inventory.
    pub answer: Option<Cow<'a, str>>,
    pub score: Option<u8>,
    pub finding: Cow<'a, str>,
    pub advice: Option<&'a str>,
    /// Where the evidence is written (known answers only).
    pub loc: Option<Loc>,
    /// Whether this criterion is a blocker for this workload (`blocker_when` holds). An unknown
    /// criterion is marked blocking when it would block had its fact been recorded.
    pub blocking: bool,
}

impl CriterionScore<'_> {
    pub fn failed_blocker(&self) -> bool {
        self.blocking && self.status == Status::Gap
    }
    /// A blocker that applies to this workload but whose fact is not recorded.
    pub fn unknown_blocker(&self) -> bool {
        self.blocking && self.status == Status::Unknown
    }
}

#[derive(Debug, Clone)]
pub struct PackScore<'a> {
    pub pack: &'a Pack,
    /// Weighted mean of the known criteria, 0..100; `None` when nothing is known.
    pub score: Option<f64>,
    /// Known weight / applicable weight (1 when nothing applies).
    pub confidence: f64,
    pub applicable_weight: f64,
    /// Every criterion, in the pack's order; empty when scored for totals only
    /// ([`Detail::Totals`]): the criteria are a pure function of pack, workload and date, so a
    /// renderer can recompute them one workload at a time instead of holding them all.
    pub criteria: Vec<CriterionScore<'a>>,
    /// Ids of blocker criteria that failed (waived or not).
    pub failed_blockers: Vec<&'a str>,
    /// Ids of blocker criteria that apply but cannot be judged.
    pub unknown_blockers: Vec<&'a str>,
    /// Ids of criteria that policy mandates for this workload (`mandatory_when`) and that are
    /// recorded as a gap, blockers aside.
    pub unmet_controls: Vec<&'a str>,
}

/// How much of a scoring to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every criterion with its evidence, finding and advice.
    Criteria,
    /// Only the scores, confidence, band and blockers: what planning, the portfolio and the
    /// table need, at a fraction of the memory.
    Totals,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Readiness {
    Ready,
    Conditional,
    NotReady,
    Unknown,
}

impl Readiness {
    pub const ALL: [Readiness; 4] = [
        Readiness::Ready,
        Readiness::Conditional,
        Readiness::NotReady,
        Readiness::Unknown,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Readiness::Ready => "ready",
            Readiness::Conditional => "conditional",
            Readiness::NotReady => "not-ready",
            Readiness::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone)]
pub struct WorkloadScore<'a> {
    pub workload: &'a Workload,
    /// P1..P7 in order.
    pub principles: Vec<PackScore<'a>>,
    pub framework: PackScore<'a>,
    /// Weighted mean of the principles with a score, rounded to one decimal.
    pub overall: Option<f64>,
    pub confidence: f64,
    pub band: Readiness,
    /// Failed blocker criteria not under a valid waiver.
    pub blockers: Vec<&'a str>,
    /// Failed blocker criteria that a valid waiver covers.
    pub waived_blockers: Vec<&'a str>,
    /// Blocker criteria that apply but cannot be judged for want of a fact.
    pub unknown_blockers: Vec<&'a str>,
    /// Controls policy mandates for this workload that are recorded unmet (not blockers):
    /// each keeps it out of `ready`.
    pub unmet_controls: Vec<&'a str>,
    /// The band the principles alone give (blockers and the rules above aside), before the
    /// framework's own band and its unmet controls are taken into account.
    pub principles_band: Readiness,
    /// The band the framework's own score gives, when the readiness rule counts it.
    pub framework_band: Option<Readiness>,
}

impl<'a> WorkloadScore<'a> {
    pub fn packs(&self) -> impl Iterator<Item = &PackScore<'a>> {
        self.principles
            .iter()
            .chain(std::iter::once(&self.framework))
    }
}

/// What scoring needs besides the workload: the date "days until" is counted from, which
/// failed blockers a valid waiver covers, and how far the workload's own facts undermine it.
pub struct Context<'w> {
    pub reference_date: Option<Date>,
    pub waived: &'w dyn Fn(&str, &str) -> bool,
    pub doubt: &'w dyn Fn(&Workload) -> Doubt,
}

impl Default for Context<'_> {
    fn default() -> Self {
        Context {
            reference_date: None,
            waived: &|_, _| false,
            doubt: &|_| Doubt::default(),
        }
    }
}

/// What contradictions among a workload's facts take from its assessment.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Doubt {
    /// Subtracted from its confidence (which stays at 0 or more).
    pub confidence_penalty: f64,
    /// Whether it may not be `ready` (conditional at best).
    pub keeps_from_ready: bool,
}

pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Scores one criterion.
pub fn score_criterion<'a>(
    c: &'a Criterion,
    w: &'a Workload,
    reference: Option<Date>,
) -> CriterionScore<'a> {
    judge(c, w, reference, Detail::Criteria)
}

/// Whether a condition holds for a workload, fails, or cannot be told (a field it reads is
/// not recorded).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tri<'a> {
    Holds,
    /// The test that failed (`None` when an `any` group failed as a whole).
    Fails(Option<&'a Condition>),
    Unknown(FieldId),
}

fn test_one<'a>(c: &'a Condition, w: &Workload) -> Tri<'a> {
    match w.get(c.field).map(|f| &f.value) {
        Some(FieldValue::Enum(i)) if c.accepted.contains(i) => Tri::Holds,
        Some(FieldValue::Bool(b)) if c.accepted.contains(&u8::from(*b)) => Tri::Holds,
        Some(_) => Tri::Fails(Some(c)),
        None => Tri::Unknown(c.field),
    }
}

fn test_all<'a>(cs: &'a [Condition], w: &Workload) -> Tri<'a> {
    for c in cs {
        let t = test_one(c, w);
        if t != Tri::Holds {
            return t;
        }
    }
    Tri::Holds
}

/// Evaluates a condition: the `all` tests in order (the first that fails or is unknown
/// decides), then each `any` group (holds when a branch holds; fails when every branch fails;
/// otherwise unknown).
pub fn holds<'a>(g: &'a Guard, w: &Workload) -> Tri<'a> {
    let t = test_all(&g.all, w);
    if t != Tri::Holds {
        return t;
    }
    for group in &g.any {
        let mut unknown = None;
        let mut held = false;
        for branch in group {
            match test_all(branch, w) {
                Tri::Holds => {
                    held = true;
                    break;
                }
                Tri::Unknown(f) => {
                    unknown.get_or_insert(f);
                }
                Tri::Fails(_) => {}
            }
        }
        if !held {
            return match unknown {
                Some(f) => Tri::Unknown(f),
                None => Tri::Fails(None),
            };
        }
    }
    Tri::Holds
}

pub use crate::date::months_between;

/// [`score_criterion`]; with [`Detail::Totals`] the texts made for this one criterion (a
/// formatted finding, a number shown as the answer) are left empty, as nobody will read them.
fn judge<'a>(
    c: &'a Criterion,
    w: &'a Workload,
    reference: Option<Date>,
    detail: Detail,
) -> CriterionScore<'a> {
    let blocking = c.blocker
        && c.blocker_when
            .as_ref()
            .is_none_or(|g| holds(g, w) == Tri::Holds);
    let j = Judge {
        c,
        w,
        reference,
        detail,
        blocking,
    };
    j.score().unwrap_or_else(|early| early)
}

/// A criterion's steps on one workload. Each step either passes on what it found or ends the
/// judgement early (`Err`) with the criterion unknown or not applicable.
struct Judge<'a> {
    c: &'a Criterion,
    w: &'a Workload,
    reference: Option<Date>,
    detail: Detail,
    blocking: bool,
}

type Step<'a, T> = Result<T, CriterionScore<'a>>;

/// What the workload's value scored: the answer as shown, its score, finding and advice.
type Answered<'a> = (Cow<'a, str>, u8, &'a str, Option<&'a str>);

impl<'a> Judge<'a> {
    fn score(&self) -> Step<'a, CriterionScore<'a>> {
        let c = self.c;
        self.applies()?;
        let rule = self.rule()?;
        let Some(field) = self.w.get(c.field) else {
            return Err(self.not(
                Status::Unknown,
                self.text(&|| format!("Not recorded: `{}`.", FIELDS[c.field].path)),
                Some(c.unknown.as_str()),
            ));
        };
        let (answer, score, finding, advice) = self.answer(rule, &field.value)?;
        Ok(CriterionScore {
            criterion: c,
            status: if score >= c.pass {
                Status::Met
            } else {
                Status::Gap
            },
            answer: Some(answer),
            score: Some(score),
            finding: Cow::Borrowed(finding),
            advice,
            loc: Some(field.loc),
            blocking: self.blocking,
        })
    }

    /// Only builds the text when it will be read.
    fn text(&self, make: &dyn Fn() -> String) -> Cow<'a, str> {
        match self.detail {
            Detail::Criteria => Cow::Owned(make()),
            Detail::Totals => Cow::Borrowed(""),
        }
    }

    fn not(
        &self,
        status: Status,
        finding: Cow<'a, str>,
        advice: Option<&'a str>,
    ) -> CriterionScore<'a> {
        CriterionScore {
            criterion: self.c,
            status,
            answer: None,
            score: None,
            finding,
            advice,
            loc: None,
            blocking: self.blocking && status == Status::Unknown,
        }
    }

    fn not_judged(&self, finding: &'static str) -> CriterionScore<'a> {
        self.not(Status::Unknown, Cow::Borrowed(finding), None)
    }

    fn depends(&self, f: FieldId) -> CriterionScore<'a> {
        self.not(
            Status::Unknown,
            self.text(&|| {
                format!(
                    "Cannot be judged: it depends on `{}`, which is not recorded.",
                    FIELDS[f].path
                )
            }),
            Some(self.c.unknown.as_str()),
        )
    }

    /// The `applies_when` step.
    fn applies(&self) -> Step<'a, ()> {
        let c = self.c;
        match holds(&c.applies_when, self.w) {
            Tri::Holds => Ok(()),
            // Whether it applies at all is unknown, so it is not (yet) a blocker for this
            // workload.
            Tri::Unknown(f) => Err(CriterionScore {
                blocking: false,
                ..self.depends(f)
            }),
            Tri::Fails(cond) => Err(self.not(
                Status::NotApplicable,
                self.text(&|| match cond {
                    Some(cond) => format!(
                        "Does not apply: {} is not {}.",
                        FIELDS[cond.field].path,
                        cond.text.join(" or ")
                    ),
                    None => format!("Does not apply: {}.", c.applies_when.describe()),
                }),
                None,
            )),
        }
    }

    /// The rule of the first case whose `when` holds.
    fn rule(&self) -> Step<'a, &'a Rule> {
        for case in &self.c.cases {
            match holds(&case.when, self.w) {
                Tri::Holds => return Ok(&case.rule),
                Tri::Fails(_) => {}
                Tri::Unknown(f) => return Err(self.depends(f)),
            }
        }
        Err(self.not(
            Status::NotApplicable,
            Cow::Borrowed("Does not apply: none of its cases fits this workload."),
            None,
        ))
    }

    fn answer(&self, rule: &'a Rule, value: &'a FieldValue) -> Step<'a, Answered<'a>> {
        let chosen = |a: &'a Answer| {
            (
                Cow::Borrowed(a.value.as_str()),
                a.score,
                &*a.finding,
                a.advice.as_deref(),
            )
        };
        match (rule, value) {
            (Rule::Choice(answers), FieldValue::Enum(i)) => answers
                .get(*i as usize)
                .map(chosen)
                .ok_or_else(|| self.not_judged("No answer for this value.")),
            (Rule::Choice(answers), FieldValue::Bool(b)) => Ok(chosen(&answers[usize::from(*b)])),
            (Rule::Compare(with, answers), FieldValue::Enum(i)) => self.compare(*with, answers, *i),
            (Rule::Bands(bands), v) => self.band(bands, v),
            _ => Err(self.not_judged("Value does not fit this criterion.")),
        }
    }

    /// Ranks the value (index `i`) against the value of field `with`, which shares its names.
    fn compare(&self, with: FieldId, answers: &'a [Answer; 2], i: u8) -> Step<'a, Answered<'a>> {
        let (Kind::Enum(ours), Kind::Enum(theirs)) = (FIELDS[self.c.field].kind, FIELDS[with].kind)
        else {
            return Err(self.not_judged("Values cannot be compared."));
        };
        let Some(FieldValue::Enum(j)) = self.w.get(with).map(|f| &f.value) else {
            return Err(self.depends(with));
        };
        let ours_name = ours.get(i as usize).copied().unwrap_or("");
        let rank = theirs.iter().position(|v| *v == ours_name);
        let a = &answers[usize::from(rank.is_some_and(|r| r >= *j as usize))];
        Ok((
            Cow::Borrowed(ours_name),
            a.score,
            &a.finding,
            a.advice.as_deref(),
        ))
    }

    /// The first band the value (a number, a list's length, a date's days or months) is below.
    fn band(&self, bands: &'a [Band], v: &'a FieldValue) -> Step<'a, Answered<'a>> {
        let (x, shown): (f64, Cow<'a, str>) = match v {
            FieldValue::Date(d) => {
                let Some(r) = self.reference else {
                    return Err(self.not(
                        Status::Unknown,
                        Cow::Borrowed(
                            "Cannot be judged: set `agency.as_of` (or pass --date) so the days until this date can be counted.",
                        ),
                        Some("Add `as_of: YYYY-MM-DD` under `agency`."),
                    ));
                };
                // An age is counted back from the reference date: a date after it is no
                // completed event (an assessment not yet done), so it is not judged at all.
                if self.c.measure == Measure::MonthsSince && *d > r {
                    return Err(CriterionScore {
                        answer: Some(self.text(&|| d.to_string())),
                        loc: self.w.get(self.c.field).map(|f| f.loc),
                        ..self.not(
                        Status::Unknown,
                        self.text(&|| {
                            format!(
                                "Cannot be judged: `{}` is {d}, after the reference date {r}; only what was completed by then has an age, so it cannot count as current.",
                                FIELDS[self.c.field].path
                            )
                        }),
                        Some("Correct the date (or `agency.as_of` / --date): it is when the event was completed, on or before the reference date."),
                    )
                    });
                }
                let x = match self.c.measure {
                    Measure::DaysUntil => (d.days() - r.days()) as f64,
                    Measure::MonthsSince => months_between(*d, r) as f64,
                };
                (x, self.text(&|| d.to_string()))
            }
            FieldValue::List(l) => (l.len() as f64, self.text(&|| l.len().to_string())),
            other => match other.as_number() {
                Some(n) => (n, self.text(&|| crate::inventory::fmt_number(n))),
                None => return Err(self.not_judged("Value cannot be banded.")),
            },
        };
        let band = bands
            .iter()
            .find(|b| b.below.is_none_or(|lim| x < lim))
            .unwrap_or(&bands[bands.len() - 1]);
        Ok((
            shown,
            band.score,
            band.finding.as_str(),
            band.advice.as_deref(),
        ))
    }
}

pub fn score_pack<'a>(p: &'a Pack, w: &'a Workload, reference: Option<Date>) -> PackScore<'a> {
    score_pack_with(p, w, reference, Detail::Criteria)
}

pub fn score_pack_with<'a>(
    p: &'a Pack,
    w: &'a Workload,
    reference: Option<Date>,
    detail: Detail,
) -> PackScore<'a> {
    let mut known_w = 0.0;
    let mut applicable_w = 0.0;
    let mut sum = 0.0;
    let mut criteria = Vec::new();
    let mut failed_blockers = Vec::new();
    let mut unknown_blockers = Vec::new();
    let mut unmet_controls = Vec::new();
    if detail == Detail::Criteria {
        criteria.reserve_exact(p.criteria.len());
    }
    for c in &p.criteria {
        let s = judge(c, w, reference, detail);
        if s.status != Status::NotApplicable {
            applicable_w += c.weight;
        }
        if let Some(v) = s.score {
            known_w += c.weight;
            sum += c.weight * f64::from(v);
        }
        if s.failed_blocker() {
            failed_blockers.push(c.id.as_str());
        }
        if s.unknown_blocker() {
            unknown_blockers.push(c.id.as_str());
        }
        if s.status == Status::Gap
            && !s.blocking
            && c.mandatory_when
                .as_ref()
                .is_some_and(|g| holds(g, w) == Tri::Holds)
        {
            unmet_controls.push(c.id.as_str());
        }
        if detail == Detail::Criteria {
            criteria.push(s);
        }
    }
    PackScore {
        pack: p,
        score: (known_w > 0.0).then(|| sum / known_w),
        confidence: if applicable_w > 0.0 {
            known_w / applicable_w
        } else {
            1.0
        },
        applicable_weight: applicable_w,
        criteria,
        failed_blockers,
        unknown_blockers,
        unmet_controls,
    }
}

/// Scores a workload against every pack and decides its readiness band.
pub fn score_workload<'a>(packs: &'a Packs, w: &'a Workload, cx: &Context) -> WorkloadScore<'a> {
    score_workload_with(packs, w, cx, Detail::Criteria)
}

pub fn score_workload_with<'a>(
    packs: &'a Packs,
    w: &'a Workload,
    cx: &Context,
    detail: Detail,
) -> WorkloadScore<'a> {
    let principles: Vec<PackScore<'a>> = packs
        .principles
        .iter()
        .map(|p| score_pack_with(p, w, cx.reference_date, detail))
        .collect();
    let framework = score_pack_with(&packs.framework, w, cx.reference_date, detail);

    let (mut num, mut den) = (0.0, 0.0);
    for p in &principles {
        if let Some(s) = p.score {
            num += p.pack.weight * s;
            den += p.pack.weight;
        }
    }
    let overall = (den > 0.0).then(|| round1(num / den));

    // Confidence over every pack the workload is judged by, the framework included.
    let (mut cn, mut cd) = (0.0, 0.0);
    for p in principles.iter().chain(std::iter::once(&framework)) {
        if p.applicable_weight > 0.0 {
            cn += p.pack.weight * p.confidence;
            cd += p.pack.weight;
        }
    }
    let doubt = (cx.doubt)(w);
    let confidence = if cd > 0.0 { cn / cd } else { 0.0 };
    let confidence = (confidence - doubt.confidence_penalty).max(0.0);

    let mut blockers = Vec::new();
    let mut waived_blockers = Vec::new();
    for p in principles.iter().chain(std::iter::once(&framework)) {
        for &id in &p.failed_blockers {
            if (cx.waived)(&w.id, id) {
                waived_blockers.push(id);
            } else {
                blockers.push(id);
            }
        }
    }
    let unknown_blockers: Vec<&'a str> = principles
        .iter()
        .chain(std::iter::once(&framework))
        .flat_map(|p| p.unknown_blockers.iter().copied())
        .collect();
    let unmet_controls: Vec<&'a str> = principles
        .iter()
        .chain(std::iter::once(&framework))
        .flat_map(|p| p.unmet_controls.iter().copied())
        .collect();
    let r = packs.readiness;
    let principles_band = score_band(&r, overall, confidence);
    let framework_band = framework
        .score
        .filter(|_| r.framework_band)
        .map(|f| score_band(&r, Some(f), 1.0));
    let known_enough =
        (!r.ready_needs_known_blockers || unknown_blockers.is_empty()) && !doubt.keeps_from_ready;
    let band = if !blockers.is_empty() {
        Readiness::NotReady
    } else {
        let mut b = principles_band;
        if let Some(fb) = framework_band
            && b != Readiness::Unknown
        {
            b = b.max(fb);
        }
        let capped = !waived_blockers.is_empty() || !known_enough || !unmet_controls.is_empty();
        if b == Readiness::Ready && capped {
            b = Readiness::Conditional;
        }
        b
    };
    WorkloadScore {
        workload: w,
        principles,
        framework,
        overall,
        confidence,
        band,
        blockers,
        waived_blockers,
        unknown_blockers,
        unmet_controls,
        principles_band,
        framework_band,
    }
}

/// The band a score earns on its own: unknown below the confidence floor or without a score.
fn score_band(r: &crate::pack::Readiness, score: Option<f64>, confidence: f64) -> Readiness {
    match score {
        _ if confidence < r.min_confidence => Readiness::Unknown,
        None => Readiness::Unknown,
        Some(o) if o >= r.ready => Readiness::Ready,
        Some(o) if o >= r.conditional => Readiness::Conditional,
        Some(_) => Readiness::NotReady,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Field, field_id};
    use crate::pack::{Answer, Band, Condition, Pack, Readiness as Thresholds};

    fn answer(v: &str, score: u8) -> Answer {
        Answer {
            value: v.into(),
            score,
            finding: format!("{v}."),
            advice: Some(format!("improve {v}")),
        }
    }

    fn crit(id: &str, field: &str, weight: f64, rule: Rule) -> Criterion {
        Criterion {
            id: id.into(),
            question: "q".into(),
            field: field_id(field).unwrap(),
            weight,
            blocker: false,
            blocker_when: None,
            mandatory_when: None,
            pass: 50,
            applies_when: Guard::default(),
            source: None,
            unknown: "collect it".into(),
            measure: Measure::DaysUntil,
            cases: vec![crate::pack::Case {
                when: Guard::default(),
                rule,
            }],
        }
    }

    fn iac() -> Rule {
        Rule::Choice(vec![
            answer("none", 0),
            answer("partial", 50),
            answer("full", 100),
        ])
    }

    /// Scores for `operations.scaling`: manual 0, scheduled 60, automatic 100.
    fn iac_like() -> Rule {
        Rule::Choice(vec![
            answer("manual", 0),
            answer("scheduled", 60),
            answer("automatic", 100),
        ])
    }

    fn pack(id: &str, criteria: Vec<Criterion>) -> Pack {
        Pack {
            id: id.into(),
            title: id.into(),
            weight: 1.0,
            source: None,
            summary: None,
            file: String::new(),
            criteria,
        }
    }

    fn packs(principle: Pack, framework: Pack) -> Packs {
        Packs {
            principles: vec![principle],
            framework,
            readiness: Thresholds::default(),
            sources: Default::default(),
        }
    }

    fn set(w: &mut Workload, path: &str, v: FieldValue) {
        w.set(
            field_id(path).unwrap(),
            Some(Field {
                value: v,
                loc: Loc::new(0, 7, 9),
            }),
        );
    }

    #[test]
    fn principle_is_weighted_mean_of_known_criteria_only() {
        let p = pack(
            "P6",
            vec![
                crit("P6.iac", "operations.infrastructure_as_code", 3.0, iac()),
                crit(
                    "P6.deploy",
                    "operations.deployment",
                    1.0,
                    Rule::Choice(vec![
                        answer("manual", 0),
                        answer("scripted", 50),
                        answer("pipeline", 100),
                    ]),
                ),
            ],
        );
        let mut w = Workload::new("w", "W", Loc::new(0, 1, 1));
        let s = score_pack(&p, &w, None);
        assert_eq!((s.score, s.confidence), (None, 0.0));
        set(
            &mut w,
            "operations.infrastructure_as_code",
            FieldValue::Enum(1),
        );
        let s = score_pack(&p, &w, None);
        // Unknown deployment is left out, not counted as zero.
        assert_eq!(s.score, Some(50.0));
        assert_eq!(s.confidence, 0.75);
        assert_eq!(s.criteria[0].loc, Some(Loc::new(0, 7, 9)));
        assert_eq!(s.criteria[1].status, Status::Unknown);
        assert_eq!(s.criteria[1].advice, Some("collect it"));
        set(&mut w, "operations.deployment", FieldValue::Enum(2));
        let s = score_pack(&p, &w, None);
        assert_eq!(s.score, Some((3.0 * 50.0 + 100.0) / 4.0));
        assert_eq!(s.criteria[0].status, Status::Met);
    }

    #[test]
    fn conditions_make_criteria_not_applicable_or_unknown() {
        let mut c = crit(
            "CAF.enc",
            "security.encryption",
            1.0,
            Rule::Choice(vec![
                answer("none", 0),
                answer("in-transit", 50),
                answer("at-rest", 50),
                answer("both", 100),
            ]),
        );
        c.applies_when = Guard {
            all: vec![Condition {
                field: field_id("classification").unwrap(),
                accepted: vec![2, 3],
                text: vec!["OFFICIAL: Sensitive".into(), "PROTECTED".into()],
            }],
            any: vec![],
        };
        let p = pack("CAF", vec![c]);
        let mut w = Workload::new("w", "W", Loc::new(0, 1, 1));
        set(&mut w, "security.encryption", FieldValue::Enum(0));
        assert_eq!(score_pack(&p, &w, None).criteria[0].status, Status::Unknown);
        set(&mut w, "classification", FieldValue::Enum(1));
        let s = score_pack(&p, &w, None);
        assert_eq!(s.criteria[0].status, Status::NotApplicable);
        assert_eq!((s.score, s.confidence), (None, 1.0));
        set(&mut w, "classification", FieldValue::Enum(3));
        assert_eq!(score_pack(&p, &w, None).criteria[0].status, Status::Gap);
    }

    #[test]
    fn dates_band_on_days_from_the_reference() {
        let bands = Rule::Bands(vec![
            Band {
                below: Some(0.0),
                score: 0,
                finding: "past".into(),
                advice: None,
            },
            Band {
                below: Some(365.0),
                score: 50,
                finding: "soon".into(),
                advice: None,
            },
            Band {
                below: None,
                score: 100,
                finding: "far".into(),
                advice: None,
            },
        ]);
        let p = pack(
            "CAF",
            vec![crit("CAF.eos", "current.end_of_support", 1.0, bands)],
        );
        let mut w = Workload::new("w", "W", Loc::new(0, 1, 1));
        set(
            &mut w,
            "current.end_of_support",
            FieldValue::Date(Date::parse("2027-06-30").unwrap()),
        );
        assert_eq!(score_pack(&p, &w, None).criteria[0].status, Status::Unknown);
        let r = Date::parse("2026-11-01");
        assert_eq!(score_pack(&p, &w, r).score, Some(50.0));
        assert_eq!(
            score_pack(&p, &w, Date::parse("2027-07-01")).score,
            Some(0.0)
        );
        assert_eq!(
            score_pack(&p, &w, Date::parse("2020-01-01")).score,
            Some(100.0)
        );
    }

    #[test]
    fn blockers_decide_the_band_unless_waived() {
        let mut c = crit("CAF.iac", "operations.infrastructure_as_code", 1.0, iac());
        c.blocker = true;
        let ps = packs(
            pack(
                "P6",
                vec![crit(
                    "P6.iac",
                    "operations.infrastructure_as_code",
                    1.0,
                    iac(),
                )],
            ),
            pack("CAF", vec![c]),
        );
        let mut w = Workload::new("w", "W", Loc::new(0, 1, 1));
        set(
            &mut w,
            "operations.infrastructure_as_code",
            FieldValue::Enum(2),
        );
        let s = score_workload(&ps, &w, &Context::default());
        assert_eq!((s.overall, s.band), (Some(100.0), Readiness::Ready));
        set(
            &mut w,
            "operations.infrastructure_as_code",
            FieldValue::Enum(0),
        );
        let s = score_workload(&ps, &w, &Context::default());
        assert_eq!(s.band, Readiness::NotReady);
        assert_eq!(s.blockers, vec!["CAF.iac"]);
        let waive = |id: &str, rule: &str| id == "w" && rule == "CAF.iac";
        let s = score_workload(
            &ps,
            &w,
            &Context {
                waived: &waive,
                ..Context::default()
            },
        );
        assert!(s.blockers.is_empty());
        assert_eq!(s.waived_blockers, vec!["CAF.iac"]);
        // Score 0 is still not ready on its own merits.
        assert_eq!(s.band, Readiness::NotReady);
    }

    #[test]
    fn the_framework_band_and_mandated_controls_cap_the_principles_band() {
        let ps_with = |framework_band: bool, mandatory: bool| {
            let p6 = crit("P6.iac", "operations.infrastructure_as_code", 1.0, iac());
            let mut c = crit("CAF.scaling", "operations.scaling", 1.0, iac_like());
            c.mandatory_when = mandatory.then(Guard::default);
            let mut ps = packs(pack("P6", vec![p6]), pack("CAF", vec![c]));
            ps.readiness.framework_band = framework_band;
            ps
        };
        let mut w = Workload::new("w", "W", Loc::new(0, 1, 1));
        set(
            &mut w,
            "operations.infrastructure_as_code",
            FieldValue::Enum(2),
        );
        let band = |ps: &Packs, w: &Workload, scaling: u8| {
            let mut w = w.clone();
            set(&mut w, "operations.scaling", FieldValue::Enum(scaling));
            let s = score_workload(ps, &w, &Context::default());
            (
                s.band,
                s.principles_band,
                s.framework_band,
                s.unmet_controls.len(),
            )
        };
        // Without the rule, the framework's score never reaches the band.
        let off = ps_with(false, false);
        assert_eq!(
            band(&off, &w, 0),
            (Readiness::Ready, Readiness::Ready, None, 0)
        );
        // With it, the lower of the two bands: a framework at 0 is not ready, at 60 conditional.
        let on = ps_with(true, false);
        let nr = Some(Readiness::NotReady);
        assert_eq!(
            band(&on, &w, 0),
            (Readiness::NotReady, Readiness::Ready, nr, 0)
        );
        let cond = Some(Readiness::Conditional);
        assert_eq!(
            band(&on, &w, 1),
            (Readiness::Conditional, Readiness::Ready, cond, 0)
        );
        // A mandated control recorded as a gap keeps even a high framework score from ready.
        let mut strict = ps_with(false, true);
        strict.framework.criteria[0].pass = 100;
        assert_eq!(
            band(&strict, &w, 1),
            (Readiness::Conditional, Readiness::Ready, None, 1)
        );
        assert_eq!(
            band(&strict, &w, 2),
            (Readiness::Ready, Readiness::Ready, None, 0)
        );
        // The overall stays the principles' alone.
        let mut w0 = w.clone();
        set(&mut w0, "operations.scaling", FieldValue::Enum(0));
        assert_eq!(
            score_workload(&on, &w0, &Context::default()).overall,
            Some(100.0)
        );
    }

    #[test]
    fn too_little_evidence_is_unknown() {
        let ps = packs(
            pack(
                "P6",
                vec![
                    crit("P6.iac", "operations.infrastructure_as_code", 1.0, iac()),
                    crit(
                        "P6.x",
                        "operations.deployment",
                        3.0,
                        Rule::Choice(vec![
                            answer("manual", 0),
                            answer("scripted", 50),
                            answer("pipeline", 100),
                        ]),
                    ),
                ],
            ),
            pack(
                "CAF",
                vec![crit(
                    "CAF.iac",
                    "operations.infrastructure_as_code",
                    1.0,
                    iac(),
                )],
            ),
        );
        let mut w = Workload::new("w", "W", Loc::new(0, 1, 1));
        set(
            &mut w,
            "operations.infrastructure_as_code",
            FieldValue::Enum(2),
        );
        let s = score_workload(&ps, &w, &Context::default());
        // P6 knows 1 of 4 weight, CAF all of it: (0.25 + 1) / 2.
        assert_eq!(s.confidence, 0.625);
        assert_eq!(s.band, Readiness::Ready);
        let bare = Workload::new("b", "B", Loc::new(0, 1, 1));
        let s = score_workload(&ps, &bare, &Context::default());
        assert_eq!(
            (s.overall, s.confidence, s.band),
            (None, 0.0, Readiness::Unknown)
        );
    }

    #[test]
    fn any_holds_fails_or_is_unknown() {
        let class = field_id("classification").unwrap();
        let wog = field_id("whole_of_government").unwrap();
        let g = Guard {
            all: vec![],
            any: vec![vec![
                vec![Condition {
                    field: class,
                    accepted: vec![3],
                    text: vec!["PROTECTED".into()],
                }],
                vec![Condition {
                    field: wog,
                    accepted: vec![1],
                    text: vec!["true".into()],
                }],
            ]],
        };
        let mut w = Workload::new("w", "W", Loc::new(0, 1, 1));
        // Nothing known: unknown, naming the first missing field.
        assert_eq!(holds(&g, &w), Tri::Unknown(class));
        set(&mut w, "classification", FieldValue::Enum(1));
        // OFFICIAL, whole-of-government unknown: still unknown.
        assert_eq!(holds(&g, &w), Tri::Unknown(wog));
        set(&mut w, "whole_of_government", FieldValue::Bool(false));
        assert_eq!(holds(&g, &w), Tri::Fails(None));
        set(&mut w, "whole_of_government", FieldValue::Bool(true));
        assert_eq!(holds(&g, &w), Tri::Holds);
    }

    #[test]
    fn months_are_whole_months_of_age() {
        let m = |a: &str, b: &str| months_between(Date::parse(a).unwrap(), Date::parse(b).unwrap());
        assert_eq!(m("2024-11-01", "2026-11-01"), 24);
        assert_eq!(m("2024-11-02", "2026-11-01"), 23);
        assert_eq!(m("2024-10-31", "2026-11-01"), 24);
        assert_eq!(m("2026-11-01", "2026-11-01"), 0);
        assert_eq!(m("2026-12-15", "2026-11-01"), -1);
    }

    #[test]
    fn an_applicable_blocker_left_unknown_keeps_a_workload_from_ready() {
        let mut c = crit("CAF.iac", "operations.infrastructure_as_code", 1.0, iac());
        c.blocker = true;
        let mut ps = packs(
            pack(
                "P6",
                vec![crit(
                    "P6.dep",
                    "operations.deployment",
                    1.0,
                    Rule::Choice(vec![
                        answer("manual", 0),
                        answer("scripted", 50),
                        answer("pipeline", 100),
                    ]),
                )],
            ),
            pack(
                "CAF",
                vec![
                    c,
                    crit(
                        "CAF.dep",
                        "operations.deployment",
                        1.0,
                        Rule::Choice(vec![
                            answer("manual", 0),
                            answer("scripted", 50),
                            answer("pipeline", 100),
                        ]),
                    ),
                ],
            ),
        );
        let mut w = Workload::new("w", "W", Loc::new(0, 1, 1));
        set(&mut w, "operations.deployment", FieldValue::Enum(2));
        let s = score_workload(&ps, &w, &Context::default());
        assert_eq!(s.unknown_blockers, vec!["CAF.iac"]);
        // Without the rule the unknown blocker does not matter.
        assert_eq!(s.band, Readiness::Ready);
        ps.readiness.ready_needs_known_blockers = true;
        let s = score_workload(&ps, &w, &Context::default());
        assert_eq!(s.band, Readiness::Conditional);
        set(
            &mut w,
            "operations.infrastructure_as_code",
            FieldValue::Enum(2),
        );
        let s = score_workload(&ps, &w, &Context::default());
        assert_eq!((s.band, s.unknown_blockers.len()), (Readiness::Ready, 0));
    }

    /// Scoring for totals skips the criteria and their texts but must reach the same numbers.
    #[test]
    fn totals_equal_the_full_scoring() {
        let inv = crate::load::load_from_bytes(
            &[("s.yaml".into(), crate::synth::inventory(400).into_bytes())],
            &Default::default(),
        )
        .unwrap();
        let packs = Packs::builtin().unwrap();
        let waived = |w: &str, _: &str| w.ends_with('7');
        let cx = Context {
            reference_date: inv.agency.as_of,
            waived: &waived,
            ..Context::default()
        };
        let mut blockers = 0;
        for w in &inv.workloads {
            let full = score_workload(&packs, w, &cx);
            let lean = score_workload_with(&packs, w, &cx, Detail::Totals);
            assert!(lean.packs().all(|p| p.criteria.is_empty()));
            assert_eq!(
                (full.overall, full.confidence, full.band),
                (lean.overall, lean.confidence, lean.band),
                "{}",
                w.id
            );
            assert_eq!(full.blockers, lean.blockers);
            assert_eq!(full.waived_blockers, lean.waived_blockers);
            for (a, b) in full.packs().zip(lean.packs()) {
                assert_eq!((a.score, a.confidence), (b.score, b.confidence));
            }
            blockers += full.blockers.len() + full.waived_blockers.len();
        }
        assert!(blockers > 0, "the sample should exercise blockers");
    }
}
