//! Property: improving any one answer never lowers a criterion, principle or overall score,
//! and never worsens the readiness band.
//!
//! "Improving" is defined by the packs themselves: value B is better than value A for a field
//! when every criterion that reads the field scores B at least as high as A. Fields that gate
//! other criteria (`applies_when`, `blocker_when`, a case's `when`, `compare_with`) are left
//! out: changing them changes which questions apply or which rule judges them.

use cloudready::diagnostic::Loc;
use cloudready::inventory::{Date, FIELDS, Field, FieldId, FieldValue, Kind, Workload};
use cloudready::pack::{Packs, Rule};
use cloudready::score::{Context, Readiness, Status, score_workload};
use proptest::prelude::*;
use std::sync::LazyLock;

/// The built-in packs, compiled once for every case and test here: compiling all eight is
/// most of a case's time.
static PACKS: LazyLock<Packs> = LazyLock::new(|| Packs::builtin().unwrap());

/// The fields the property varies: read by some criterion, and gating none.
static SCORED: LazyLock<Vec<FieldId>> = LazyLock::new(|| {
    let gates = condition_fields(&PACKS);
    FieldId::all()
        .filter(|i| {
            !gates.contains(i)
                && PACKS
                    .all()
                    .any(|p| p.criteria.iter().any(|c| c.field == *i))
        })
        .collect()
});

fn reference() -> Date {
    Date::parse("2026-11-01").unwrap()
}

/// Candidate values for a field: every enum value, and numbers around every band limit.
fn candidates(packs: &Packs, field: FieldId) -> Vec<FieldValue> {
    let def = &FIELDS[field];
    let mut limits: Vec<f64> = vec![0.0, 1.0, 1e6];
    for p in packs.all() {
        for c in &p.criteria {
            if c.field != field {
                continue;
            }
            for case in &c.cases {
                if let Rule::Bands(b) = &case.rule {
                    for band in b {
                        if let Some(x) = band.below {
                            limits.extend([x - 1.0, x - 0.01, x, x + 0.01, x + 1.0]);
                        }
                    }
                }
            }
        }
    }
    match def.kind {
        Kind::Enum(v) => (0..v.len()).map(|i| FieldValue::Enum(i as u8)).collect(),
        Kind::Bool => vec![FieldValue::Bool(false), FieldValue::Bool(true)],
        Kind::Int { min, max } => {
            let mut v: Vec<i64> = limits
                .iter()
                .map(|x| x.round() as i64)
                .filter(|x| (min..=max).contains(x))
                .collect();
            v.extend([min, max.min(min + 3)]);
            v.sort();
            v.dedup();
            v.into_iter().map(FieldValue::Int).collect()
        }
        Kind::Number { min, max } => limits
            .iter()
            .copied()
            .filter(|x| (min..=max).contains(x))
            .map(FieldValue::Number)
            .collect(),
        Kind::Date => limits
            .iter()
            .chain([-4000.0, -1.0, 30.0, 400.0, 4000.0].iter())
            .map(|d| FieldValue::Date(Date::from_days(reference().days() + *d as i64)))
            .collect(),
        Kind::IdList | Kind::TextList => (0..6)
            .map(|n| {
                FieldValue::List(
                    (0..n)
                        .map(|i| (format!("w{i}").into(), Loc::new(0, 1, 1)))
                        .collect(),
                )
            })
            .collect(),
        Kind::Text => vec![FieldValue::Text("x".into())],
    }
}

fn condition_fields(packs: &Packs) -> Vec<FieldId> {
    packs
        .all()
        .flat_map(|p| {
            p.criteria
                .iter()
                .flat_map(|c| c.fields_read().into_iter().skip(1))
        })
        .collect()
}

fn with(w: &Workload, field: FieldId, v: &FieldValue) -> Workload {
    let mut w = w.clone();
    w.set(
        field,
        Some(Field {
            value: v.clone(),
            loc: Loc::new(0, 1, 1),
        }),
    );
    w
}

fn criterion_scores(packs: &Packs, w: &Workload, field: FieldId, cx: &Context) -> Vec<Option<u8>> {
    let s = score_workload(packs, w, cx);
    s.packs()
        .flat_map(|p| {
            p.criteria
                .iter()
                .filter(|c| c.criterion.field == field)
                .map(|c| c.score)
        })
        .collect()
}

/// B is at least as good as A for every criterion that reads the field (on a workload where
/// every condition holds as given).
fn dominates(
    packs: &Packs,
    w: &Workload,
    field: FieldId,
    a: &FieldValue,
    b: &FieldValue,
    cx: &Context,
) -> bool {
    let sa = criterion_scores(packs, &with(w, field, a), field, cx);
    let sb = criterion_scores(packs, &with(w, field, b), field, cx);
    sa.iter().zip(&sb).all(|(x, y)| match (x, y) {
        (Some(x), Some(y)) => y >= x,
        (None, None) => true,
        _ => false,
    })
}

fn rank(b: Readiness) -> Option<u8> {
    match b {
        Readiness::NotReady => Some(0),
        Readiness::Conditional => Some(1),
        Readiness::Ready => Some(2),
        Readiness::Unknown => None,
    }
}

fn arbitrary_workload(packs: &Packs, picks: &[u16]) -> Workload {
    let mut w = Workload::new("w", "W", Loc::new(0, 1, 1));
    for (i, def) in FieldId::all().zip(FIELDS) {
        if matches!(def.kind, Kind::Text) {
            continue;
        }
        let c = candidates(packs, i);
        let k = picks[i.index()] as usize % (c.len() + 1);
        // One in (n+1) chance the fact is unknown.
        if k < c.len() {
            w.set(
                i,
                Some(Field {
                    value: c[k].clone(),
                    loc: Loc::new(0, 1, 1),
                }),
            );
        }
    }
    w
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn better_answers_never_lower_a_score(picks in proptest::collection::vec(any::<u16>(), FIELDS.len()), f in any::<u16>(), pa in any::<u16>(), pb in any::<u16>()) {
        let packs: &Packs = &PACKS;
        let cx = Context { reference_date: Some(reference()), ..Context::default() };
        let scored: &[FieldId] = &SCORED;
        let field = scored[f as usize % scored.len()];
        let cands = candidates(packs, field);
        let a = &cands[pa as usize % cands.len()];
        let b = &cands[pb as usize % cands.len()];
        let base = arbitrary_workload(packs, &picks);
        prop_assume!(dominates(packs, &base, field, a, b, &cx));

        let wa = with(&base, field, a);
        let wb = with(&base, field, b);
        let sa = score_workload(packs, &wa, &cx);
        let sb = score_workload(packs, &wb, &cx);
        for (pa, pb) in sa.packs().zip(sb.packs()) {
            for (ca, cb) in pa.criteria.iter().zip(&pb.criteria) {
                if let (Some(x), Some(y)) = (ca.score, cb.score) {
                    prop_assert!(y >= x, "{}: {} -> {}", ca.criterion.id, x, y);
                }
                prop_assert_eq!(ca.status == Status::Unknown, cb.status == Status::Unknown);
            }
            match (pa.score, pb.score) {
                (Some(x), Some(y)) => prop_assert!(y >= x - 1e-9, "{}: {} -> {}", pa.pack.id, x, y),
                (x, y) => prop_assert_eq!(x.is_some(), y.is_some()),
            }
        }
        if let (Some(x), Some(y)) = (sa.overall, sb.overall) {
            prop_assert!(y >= x, "overall {} -> {}", x, y);
        }
        prop_assert!(sb.blockers.len() <= sa.blockers.len());
        if let (Some(x), Some(y)) = (rank(sa.band), rank(sb.band)) {
            prop_assert!(y >= x, "band {:?} -> {:?}", sa.band, sb.band);
        }
    }
}

/// The packs order every shared field consistently, so "better" is well defined: for each
/// field, the candidates can be sorted so that every criterion's score is non-decreasing.
#[test]
fn packs_agree_on_what_better_means() {
    let packs: &Packs = &PACKS;
    let cx = Context {
        reference_date: Some(reference()),
        ..Context::default()
    };
    let gates = condition_fields(packs);
    // A workload on which every criterion applies as far as possible: conditions left unknown
    // make gated criteria unknown, which the comparison treats as equal.
    let w = Workload::new("w", "W", Loc::new(0, 1, 1));
    for (field, def) in FieldId::all().zip(FIELDS) {
        if gates.contains(&field) {
            continue;
        }
        let c = candidates(packs, field);
        for a in &c {
            for b in &c {
                let ab = dominates(packs, &w, field, a, b, &cx);
                let ba = dominates(packs, &w, field, b, a, &cx);
                assert!(
                    ab || ba,
                    "{}: criteria disagree on {a:?} vs {b:?}",
                    def.path
                );
            }
        }
    }
}

/// Resilience needs are requirements, not merits: on the same hosting, relaxing the
/// availability, RTO or RPO target never lowers a score or worsens the band.
#[test]
fn relaxed_recovery_needs_never_score_lower_than_strict_ones() {
    let packs: &Packs = &PACKS;
    let cx = Context {
        reference_date: Some(reference()),
        ..Context::default()
    };
    let id = |p: &str| cloudready::inventory::field_id(p).unwrap();
    let (avail, rto, rpo, spread) = (
        id("resilience.availability"),
        id("resilience.rto_hours"),
        id("resilience.rpo_hours"),
        id("resilience.deployment"),
    );
    // Strictest first.
    let needs = [
        (99.99, 0.5, 0.1),
        (99.95, 1.0, 0.25),
        (99.9, 4.0, 1.0),
        (99.5, 24.0, 4.0),
        (99.0, 72.0, 24.0),
        (95.0, 96.0, 48.0),
    ];
    for d in 0..3u8 {
        let mut last: Option<(f64, Option<f64>, u8)> = None;
        for (a, t, p) in needs {
            let mut w = Workload::new("w", "W", Loc::new(0, 1, 1));
            for (f, v) in [
                (avail, FieldValue::Number(a)),
                (rto, FieldValue::Number(t)),
                (rpo, FieldValue::Number(p)),
                (spread, FieldValue::Enum(d)),
            ] {
                w = with(&w, f, &v);
            }
            let s = score_workload(packs, &w, &cx);
            let caf = s.framework.score.unwrap();
            let band = rank(s.band).unwrap_or(0);
            if let Some((c0, o0, b0)) = last {
                assert!(
                    caf >= c0,
                    "deployment {d}: CAF {c0} -> {caf} at {a}/{t}/{p}"
                );
                assert_eq!(
                    o0, s.overall,
                    "the overall score must not depend on the targets"
                );
                assert!(band >= b0, "deployment {d}: band fell at {a}/{t}/{p}");
            }
            last = Some((caf, s.overall, band));
        }
    }
}
