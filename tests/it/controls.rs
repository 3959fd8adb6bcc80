//! The framework's controls decide readiness, as an IRAP assessor probes them: one workload per
//! case in tests/fixtures/assessor/probes-controls.yaml, each asserting its band, failed
//! blockers, unmet controls and strategy end to end through the binary; and the property that
//! making any one framework control better never lowers the band.

use crate::common::*;

use cloudready::diagnostic::Loc;
use cloudready::inventory::{Date, FIELDS, Field, FieldValue, Kind, Workload, field_id};
use cloudready::pack::Packs;
use cloudready::score::{Context, Readiness, score_workload};
use proptest::prelude::*;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::LazyLock;

const PROBES: &str = "tests/fixtures/assessor/probes-controls.yaml";

/// The probe file assessed once for every test here.
static ASSESSED: LazyLock<HashMap<String, Value>> = LazyLock::new(|| {
    let doc = json(&["-q", "assess", PROBES, "--format", "json"]);
    doc["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["id"].as_str().unwrap().to_string(), w.clone()))
        .collect()
});

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default()
}

/// One probe's band, failed blockers, unmet controls and recommended strategy.
fn verdict(id: &str) -> (&'static str, Vec<String>, Vec<String>, String) {
    let w = &ASSESSED[id];
    let own = |k: &str| strs(&w[k]).into_iter().map(String::from).collect();
    let band = match w["band"].as_str().unwrap() {
        "ready" => "ready",
        "conditional" => "conditional",
        "not-ready" => "not-ready",
        _ => "unknown",
    };
    let strategy = w["strategy"]["recommended"].as_str().unwrap().to_string();
    (band, own("blockers"), own("unmet_controls"), strategy)
}

fn expect(id: &str, band: &str, blockers: &[&str], unmet: &[&str], strategy: &str) {
    let (b, bl, un, st) = verdict(id);
    assert_eq!(
        (b, bl, un, st.as_str()),
        (
            band,
            blockers.iter().map(|s| s.to_string()).collect(),
            unmet.iter().map(|s| s.to_string()).collect(),
            strategy
        ),
        "{id}"
    );
}

#[test]
fn the_control_probe_is_ready_so_each_case_fails_on_its_own_fact() {
    expect("sound-protected-iaas", "ready", &[], &[], "retain");
    let w = &ASSESSED["sound-protected-iaas"];
    assert_eq!(w["principles_band"], "ready");
    assert_eq!(w["framework_band"], "ready");
}

#[test]
fn essential_eight_below_level_two_blocks_as_the_pspf_requires() {
    expect(
        "ml0-protected-iaas",
        "not-ready",
        &["CAF.essential-eight"],
        &[],
        "replatform",
    );
    // The overall is the principles' alone, and the document says which band each part earns.
    let w = &ASSESSED["ml0-protected-iaas"];
    assert_eq!(w["overall"], ASSESSED["sound-protected-iaas"]["overall"]);
    assert_eq!(w["principles_band"], "ready");
}

#[test]
fn no_privileged_mfa_blocks_and_unrestricted_admin_is_an_unmet_control() {
    expect(
        "no-privileged-mfa",
        "not-ready",
        &["CAF.mfa"],
        &["CAF.privileged-access"],
        "replatform",
    );
}

#[test]
fn an_unauthorised_official_sensitive_system_is_blocked() {
    expect(
        "unauthorised-sensitive",
        "not-ready",
        &["CAF.authorisation"],
        &[],
        "replatform",
    );
}

#[test]
fn non_classified_gaps_in_ism_1781_and_1570_keep_official_from_ready() {
    expect(
        "unencrypted-official",
        "conditional",
        &[],
        &["CAF.encryption"],
        "replatform",
    );
    expect(
        "unassessed-official-saas",
        "conditional",
        &[],
        &["CAF.irap-level"],
        "retain",
    );
}

#[test]
fn a_single_zone_critical_system_that_misses_its_targets_is_not_ready() {
    expect(
        "single-zone-critical",
        "conditional",
        &[],
        &["CAF.availability-fit", "CAF.rto-fit"],
        "replatform",
    );
}

#[test]
fn top_secret_needs_asd_not_an_irap_assessor() {
    // Its provider's assessment is what blocks it: it moves to an ASD-assessed environment
    // rather than staying (strategies.yaml, `move-off-blocking-accredited`).
    expect(
        "top-secret-irap",
        "not-ready",
        &["CAF.assessor"],
        &[],
        "rehost",
    );
    expect("top-secret-asd", "ready", &[], &[], "retain");
    // Nothing recorded who assessed: a recorded IRAP level counts as an IRAP assessor's,
    // shown at the IRAP level's place.
    let c = ASSESSED["top-secret-irap"]["framework"]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "CAF.assessor")
        .unwrap()
        .clone();
    assert_eq!(
        (c["answer"].as_str(), c["score"].as_u64()),
        (Some("irap"), Some(0))
    );
    assert!(c["finding"].as_str().unwrap().contains("ISM-1972"));
}

#[test]
fn offshore_administration_of_protected_or_wog_data_keeps_it_from_ready() {
    for id in ["offshore-admin-protected", "offshore-admin-wog"] {
        let (band, blockers, unmet, _) = verdict(id);
        assert_eq!(
            (band, blockers.len(), unmet),
            ("conditional", 0, vec!["CAF.admin-access".to_string()]),
            "{id}"
        );
    }
    // Plain OFFICIAL data may be administered offshore under a contract that allows it.
    expect("offshore-admin-official", "ready", &[], &[], "retain");
}

/// The built-in packs, compiled once for every case.
static PACKS: LazyLock<Packs> = LazyLock::new(|| Packs::builtin().unwrap());

/// The fields the framework's criteria score (not those they are gated on), with each one's
/// values ordered worst to best by the criteria themselves.
static CONTROLS: LazyLock<Vec<(cloudready::inventory::FieldId, Vec<FieldValue>)>> =
    LazyLock::new(|| {
        let gates: Vec<_> = PACKS
            .all()
            .flat_map(|p| {
                p.criteria
                    .iter()
                    .flat_map(|c| c.fields_read().into_iter().skip(1))
            })
            .collect();
        PACKS
            .framework
            .criteria
            .iter()
            .map(|c| c.field)
            .filter(|f| !gates.contains(f))
            .filter_map(|f| match FIELDS[f].kind {
                Kind::Enum(v) => Some((f, (0..v.len() as u8).map(FieldValue::Enum).collect())),
                Kind::Bool => Some((f, vec![FieldValue::Bool(false), FieldValue::Bool(true)])),
                Kind::Int { min, max } => {
                    Some((f, (min..=max.min(3)).map(FieldValue::Int).collect()))
                }
                _ => None,
            })
            .collect()
    });

fn rank(b: Readiness) -> Option<u8> {
    match b {
        Readiness::NotReady => Some(0),
        Readiness::Conditional => Some(1),
        Readiness::Ready => Some(2),
        Readiness::Unknown => None,
    }
}

/// The probe workloads as loaded, to vary one control at a time.
static WORKLOADS: LazyLock<Vec<Workload>> = LazyLock::new(|| {
    cloudready::pipeline::load(&[root().join(PROBES)], 1 << 28)
        .expect("probes load")
        .workloads
});

fn score_of(w: &Workload, f: cloudready::inventory::FieldId, v: &FieldValue) -> Vec<Option<u8>> {
    let mut w = w.clone();
    w.set(
        f,
        Some(Field {
            value: v.clone(),
            loc: Loc::new(0, 1, 1),
        }),
    );
    let cx = Context {
        reference_date: Date::parse("2026-11-01"),
        ..Context::default()
    };
    let s = score_workload(&PACKS, &w, &cx);
    s.framework
        .criteria
        .iter()
        .filter(|c| c.criterion.field == f)
        .map(|c| c.score)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Making any one framework control better (a value every criterion reading it scores at
    /// least as high) never lowers the band, on every probe workload.
    #[test]
    fn a_better_control_never_lowers_the_band(wi in any::<u16>(), fi in any::<u16>(), a in any::<u16>(), b in any::<u16>()) {
        let ws: &[Workload] = &WORKLOADS;
        let base = &ws[wi as usize % ws.len()];
        let (f, values) = &CONTROLS[fi as usize % CONTROLS.len()];
        let (va, vb) = (&values[a as usize % values.len()], &values[b as usize % values.len()]);
        let (sa, sb) = (score_of(base, *f, va), score_of(base, *f, vb));
        let better = sa.iter().zip(&sb).all(|(x, y)| match (x, y) {
            (Some(x), Some(y)) => y >= x,
            (None, None) => true,
            _ => false,
        });
        prop_assume!(better);
        let cx = Context { reference_date: Date::parse("2026-11-01"), ..Context::default() };
        let with = |v: &FieldValue| {
            let mut w = base.clone();
            w.set(*f, Some(Field { value: v.clone(), loc: Loc::new(0, 1, 1) }));
            w
        };
        let (wa, wb) = (with(va), with(vb));
        let (ba, bb) = (score_workload(&PACKS, &wa, &cx).band, score_workload(&PACKS, &wb, &cx).band);
        if let (Some(x), Some(y)) = (rank(ba), rank(bb)) {
            prop_assert!(y >= x, "{} on {}: {:?} -> {:?}", FIELDS[*f].path, base.id, ba, bb);
        }
    }
}

#[test]
fn the_property_covers_the_controls_the_issue_names() {
    let paths: Vec<&str> = CONTROLS.iter().map(|(f, _)| FIELDS[*f].path).collect();
    for p in [
        "security.essential_eight",
        "security.mfa",
        "security.privileged_access",
        "security.encryption",
        "authorisation.status",
        "assurance.irap_level",
        "assurance.assessed_by",
        "service.admin_access",
    ] {
        assert!(paths.contains(&p), "{p} not varied: {paths:?}");
    }
    assert!(field_id("service.admin_access").is_some());
}
