//! The hosting rules as an IRAP assessor probes them (issue #22, part two): one workload per
//! case in tests/fixtures/assessor/probes-hosting.yaml, assessed against the catalog in
//! providers-hosting.yaml, each asserting its band, failed blockers, hosting options, providers
//! and strategy end to end through the binary; then the dates (an assessment after the
//! reference date, a year-only catalog date, files with different `as_of`) and the
//! contradictions between a workload's facts.

use crate::common::*;

use serde_json::Value;
use std::collections::HashMap;
use std::sync::LazyLock;

const PROBES: &str = "tests/fixtures/assessor/probes-hosting.yaml";
const SECOND: &str = "tests/fixtures/assessor/probes-hosting-second.yaml";
const CATALOG: &str = "tests/fixtures/assessor/providers-hosting.yaml";

fn by_id(doc: &Value) -> HashMap<String, Value> {
    doc["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["id"].as_str().unwrap().to_string(), w.clone()))
        .collect()
}

fn assess(extra: &[&str]) -> HashMap<String, Value> {
    let mut a = vec!["-q", "assess", PROBES, "--providers", CATALOG];
    a.extend_from_slice(extra);
    a.extend_from_slice(&["--format", "json"]);
    by_id(&json(&a))
}

/// The probe file assessed once for the tests that need no other options.
static ASSESSED: LazyLock<HashMap<String, Value>> = LazyLock::new(|| assess(&[]));

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default()
}

fn criterion<'a>(w: &'a Value, id: &str) -> &'a Value {
    w["principles"]
        .as_array()
        .unwrap()
        .iter()
        .chain(std::iter::once(&w["framework"]))
        .flat_map(|p| p["criteria"].as_array().unwrap())
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no criterion {id}"))
}

/// What an assessor checks of one probe.
struct Verdict<'a> {
    band: &'a str,
    blockers: &'a [&'a str],
    allowed: &'a [&'a str],
    providers: &'a [&'a str],
    /// The recommended strategy and the rule that chose it.
    strategy: (&'a str, &'a str),
}

fn expect(w: &Value, v: Verdict) {
    let id = w["id"].as_str().unwrap();
    assert_eq!(w["band"], v.band, "{id}: band");
    assert_eq!(strs(&w["blockers"]), v.blockers, "{id}: blockers");
    assert_eq!(strs(&w["hosting"]["allowed"]), v.allowed, "{id}: allowed");
    assert_eq!(
        strs(&w["hosting"]["providers"]),
        v.providers,
        "{id}: providers"
    );
    let s = &w["strategy"];
    assert_eq!(
        (
            s["recommended"].as_str().unwrap(),
            s["rule"].as_str().unwrap()
        ),
        v.strategy,
        "{id}: strategy"
    );
}

/// What every PROTECTED probe on a sound onshore public cloud may use.
const PROTECTED_ALLOWED: &[&str] = &[
    "public-cloud-onshore",
    "saas-onshore",
    "community-cloud",
    "private-cloud",
    "on-premises",
];
/// The catalog entries that qualify for PROTECTED (and whole-of-government) data: onshore,
/// certified where the HCF applies, and assessed less than 24 months before 2026-11-01.
const PROTECTED_PROVIDERS: &[&str] = &[
    "au-cloud",
    "year-2026-cloud",
    "au-saas",
    "gov-community-protected",
];

#[test]
fn the_control_is_ready_and_stays_where_it_runs() {
    expect(
        &ASSESSED["sound-protected-cloud"],
        Verdict {
            band: "ready",
            blockers: &[],
            allowed: PROTECTED_ALLOWED,
            providers: PROTECTED_PROVIDERS,
            strategy: ("retain", "retain-cloud-ready"),
        },
    );
}

/// ISM-1529: community or private clouds for SECRET; the SECRET-only entry serves it, the
/// PROTECTED community cloud does not.
#[test]
fn a_secret_system_on_an_accredited_community_cloud_is_retained_there() {
    let w = &ASSESSED["secret-community-cloud"];
    expect(
        w,
        Verdict {
            band: "ready",
            blockers: &[],
            allowed: &["community-cloud", "private-cloud", "on-premises"],
            providers: &["secret-community"],
            strategy: ("retain", "retain-accredited"),
        },
    );
    assert_eq!(criterion(w, "CAF.hosting-classified")["score"], 100);
    let reasons = strs(&w["hosting"]["reasons"]).join(" ");
    assert!(reasons.contains("ISM-1529"), "{reasons}");
    assert!(!reasons.contains("default"), "{reasons}");
    assert!(!reasons.contains("rules out community-cloud"), "{reasons}");
    let why = w["hosting"]["providers_reason"].as_str().unwrap();
    assert!(
        why.contains("gov-community-protected (holds data up to PROTECTED only"),
        "{why}"
    );
    let reason = w["strategy"]["reason"].as_str().unwrap();
    assert!(reason.contains("ISM-1529"), "{reason}");
}

/// ISM-1529 and ISM-1972: a TOP SECRET community cloud assessed by ASD is a home for it, and
/// TOP SECRET workloads now match ASD-assessed catalog entries (never the IRAP-assessed one).
#[test]
fn a_top_secret_system_on_an_asd_assessed_community_cloud_is_retained_and_matched() {
    let w = &ASSESSED["top-secret-community-asd"];
    expect(
        w,
        Verdict {
            band: "ready",
            blockers: &[],
            allowed: &[
                "community-cloud",
                "private-cloud",
                "dedicated-top-secret",
                "on-premises",
            ],
            providers: &["ts-community-asd", "ts-private-asd"],
            strategy: ("retain", "retain-accredited"),
        },
    );
    let why = w["hosting"]["providers_reason"].as_str().unwrap();
    assert!(
        why.contains("ts-private-irap (assessed by an IRAP assessor") && why.contains("ISM-1972"),
        "{why}"
    );
    assert!(
        why.contains("secret-community (holds data up to SECRET only"),
        "{why}"
    );
}

/// The HCF: whole-of-government systems get only onshore options and certified, assessed
/// providers; and the strategy moves it off the provider and region that block it.
#[test]
fn a_whole_of_government_official_system_offshore_gets_only_onshore_certified_options() {
    let w = &ASSESSED["wog-official-offshore"];
    expect(
        w,
        Verdict {
            band: "not-ready",
            blockers: &[
                "CAF.residency",
                "CAF.data-location",
                "CAF.backup-location",
                "CAF.irap-level",
                "CAF.hcf",
            ],
            allowed: PROTECTED_ALLOWED,
            providers: PROTECTED_PROVIDERS,
            strategy: ("rehost", "move-off-blocking-cloud"),
        },
    );
    let reasons = strs(&w["hosting"]["reasons"]).join(" ");
    assert!(reasons.contains("whole-of-government"), "{reasons}");
    let why = w["hosting"]["providers_reason"].as_str().unwrap();
    for left_out in [
        "au-cloud-uncertified (Hosting Certification Framework status none",
        "offshore-cloud (no onshore region",
        "unassessed-au-cloud (no IRAP assessment recorded)",
    ] {
        assert!(why.contains(left_out), "{left_out} in {why}");
    }
    // The same facts without the whole-of-government flag: any region, any provider.
    let o = &ASSESSED["onshore-data-offshore-backups"];
    assert!(strs(&o["hosting"]["allowed"]).contains(&"public-cloud"));
    assert!(strs(&o["hosting"]["providers"]).contains(&"offshore-cloud"));
}

/// No strategy advises staying on, or improving in place on, the provider or region that
/// blocks a workload.
#[test]
fn no_workload_blocked_by_its_provider_or_region_is_told_to_stay_there() {
    let hosting_blockers = [
        "CAF.data-location",
        "CAF.backup-location",
        "CAF.hcf",
        "CAF.irap-level",
        "CAF.irap-current",
        "CAF.assessor",
    ];
    let ws = assess(&["--date", "2026-11-01"]);
    let second = by_id(&json(&[
        "-q",
        "assess",
        SECOND,
        "--providers",
        CATALOG,
        "--date",
        "2026-11-01",
        "--format",
        "json",
    ]));
    let mut seen = 0;
    for w in ws.values().chain(second.values()) {
        let blocked = strs(&w["blockers"])
            .iter()
            .any(|b| hosting_blockers.contains(b));
        if !blocked {
            continue;
        }
        seen += 1;
        let s = &w["strategy"];
        let reason = s["reason"].as_str().unwrap();
        assert_ne!(s["recommended"], "retain", "{}", w["id"]);
        assert!(
            !reason.contains("there (P4)") && !reason.contains("in place"),
            "{}: {reason}",
            w["id"]
        );
    }
    assert_eq!(seen, 2);
}

/// An assessment dated after the reference date is no current assessment: unknown, with a
/// finding that says why, so it keeps the workload from ready without blocking it.
#[test]
fn an_irap_assessment_dated_after_as_of_is_unknown_with_a_finding() {
    let w = &ASSESSED["future-irap-date"];
    expect(
        w,
        Verdict {
            band: "conditional",
            blockers: &[],
            allowed: PROTECTED_ALLOWED,
            providers: PROTECTED_PROVIDERS,
            strategy: ("replatform", "replatform-in-cloud"),
        },
    );
    let c = criterion(w, "CAF.irap-current");
    assert_eq!(c["status"], "unknown");
    assert_eq!(c["answer"], "2030-01-01");
    let finding = c["finding"].as_str().unwrap();
    assert!(
        finding.contains("2030-01-01, after the reference date 2026-11-01"),
        "{finding}"
    );
    // The same date judged from a later --date is an ordinary, current assessment.
    let later = assess(&["--date", "2030-06-01"]);
    assert_eq!(
        criterion(&later["future-irap-date"], "CAF.irap-current")["status"],
        "met"
    );
}

/// A catalog entry dated after the reference date does not qualify; one dated after the
/// catalog's own date is an error at its place.
#[test]
fn a_catalog_assessment_after_the_reference_date_does_not_qualify() {
    let ws = assess(&["--date", "2025-12-31"]);
    let h = &ws["sound-protected-cloud"]["hosting"];
    assert!(!strs(&h["providers"]).contains(&"au-saas"));
    let why = h["providers_reason"].as_str().unwrap();
    assert!(
        why.contains(
            "au-saas (IRAP assessment of 2026-01-01 is dated after the reference date 2025-12-31"
        ),
        "{why}"
    );

    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("providers.yaml");
    let text = std::fs::read_to_string(root().join(CATALOG))
        .unwrap()
        .replacen("date: 2026-01-15", "date: 2026-12-15", 1);
    std::fs::write(&cat, &text).unwrap();
    let line = text.lines().position(|l| l.contains("2026-12-15")).unwrap() + 1;
    let col = text
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("2026-12-15")
        .unwrap()
        + 1;
    let r = cmd(&["assess", PROBES, "--providers", cat.to_str().unwrap()])
        .code(2)
        .run();
    assert!(
        r.stderr
            .contains("`2026-12-15` is after the catalog's `as_of` (2026-10-01)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("providers.yaml:{line}:{col}")),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}

/// A year-only date stands for each day of that year up to the catalog's date: decided when
/// all those days are on one side of the 24-month line, unknown otherwise.
#[test]
fn a_year_only_catalog_date_is_decided_when_the_whole_year_is_on_one_side() {
    let w = &ASSESSED["year-only-catalog"];
    expect(
        w,
        Verdict {
            band: "ready",
            blockers: &[],
            allowed: PROTECTED_ALLOWED,
            providers: PROTECTED_PROVIDERS,
            strategy: ("retain", "retain-cloud-ready"),
        },
    );
    let why = w["hosting"]["providers_reason"].as_str().unwrap();
    assert!(
        why.contains("year-2024-cloud (IRAP assessment dated only by year (2024), which spans both sides of the 24-month line at 2026-11-01"),
        "{why}"
    );
    assert!(
        why.contains("year-2023-cloud (IRAP assessment dated 2023, every day of which is 24 months or more before 2026-11-01"),
        "{why}"
    );
    // Judged before the catalog's date, 2026 may be after the reference date: unknown.
    let earlier = assess(&["--date", "2026-09-01"]);
    let h = &earlier["year-only-catalog"]["hosting"];
    assert!(!strs(&h["providers"]).contains(&"year-2026-cloud"));
    assert!(
        h["providers_reason"]
            .as_str()
            .unwrap()
            .contains("year-2026-cloud (IRAP assessment dated only by year (2026), which may fall after the reference date 2026-09-01"),
        "{}",
        h["providers_reason"]
    );
}

/// A SECRET- or TOP SECRET-only environment is never offered to a lower workload, nor listed as
/// left out for it.
#[test]
fn a_secret_or_top_secret_only_entry_is_never_offered_to_a_lower_workload() {
    let high_only = [
        "secret-community",
        "ts-community-asd",
        "ts-private-asd",
        "ts-private-irap",
    ];
    for (id, w) in ASSESSED.iter() {
        let class = w["classification"].as_str().unwrap();
        if class == "SECRET" || class == "TOP SECRET" {
            continue;
        }
        let h = &w["hosting"];
        let why = h["providers_reason"].as_str().unwrap_or("");
        for e in high_only {
            assert!(!strs(&h["providers"]).contains(&e), "{id} offered {e}");
            assert!(!why.contains(e), "{id}: {why}");
        }
    }
}

/// Several files with different `as_of`: an error naming both files, unless --date is given;
/// and with --date, which file comes first does not change a result.
#[test]
fn files_with_different_as_of_are_refused_unless_date_is_given() {
    for args in [
        vec!["assess", PROBES, SECOND],
        vec!["assess", SECOND, PROBES],
        vec!["validate", PROBES, SECOND],
        vec!["check", PROBES, SECOND],
    ] {
        let r = cmd(&args).code(2).run();
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
        assert!(
            r.stderr.contains(PROBES) && r.stderr.contains(SECOND),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("`agency.as_of` is"), "{}", r.stderr);
        assert!(r.stderr.contains("--date"), "{}", r.stderr);
    }
    let r = cmd(&["assess", PROBES, SECOND]).code(2).run();
    assert!(
        r.stderr.contains(&format!(
            "`agency.as_of` is 2026-06-30 in {SECOND}, but 2026-11-01 in {PROBES}"
        )),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(&format!("{SECOND}:6:")), "{}", r.stderr);

    let both = |files: [&str; 2]| {
        let mut a = vec!["-q", "assess"];
        a.extend(files);
        a.extend([
            "--providers",
            CATALOG,
            "--date",
            "2026-11-01",
            "--format",
            "json",
        ]);
        json(&a)
    };
    let a = both([PROBES, SECOND]);
    let b = both([SECOND, PROBES]);
    assert_eq!(a["workloads"], b["workloads"]);
    assert_eq!(a["reference_date"], "2026-11-01");
    // Judged at 2026-11-01, the second file's 27-month-old assessment blocks and moves it.
    let ws = by_id(&a);
    expect(
        &ws["second-file-system"],
        Verdict {
            band: "not-ready",
            blockers: &["CAF.irap-current"],
            allowed: PROTECTED_ALLOWED,
            providers: PROTECTED_PROVIDERS,
            strategy: ("rehost", "move-off-blocking-cloud"),
        },
    );
    // Judged at its own date, it is current.
    let alone = by_id(&json(&[
        "-q",
        "assess",
        SECOND,
        "--providers",
        CATALOG,
        "--format",
        "json",
    ]));
    assert_eq!(alone["second-file-system"]["band"], "ready");
}

/// Contradictory facts: a warning naming them at the first one's place, the contradiction in
/// the document, and a lower confidence that keeps the workload from ready.
#[test]
fn contradictory_facts_are_warned_about_and_lower_confidence() {
    let w = &ASSESSED["contradictory-facts"];
    expect(
        w,
        Verdict {
            band: "conditional",
            blockers: &[],
            allowed: PROTECTED_ALLOWED,
            providers: PROTECTED_PROVIDERS,
            strategy: ("replatform", "replatform-in-cloud"),
        },
    );
    let rules: Vec<&str> = w["contradictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "cloud-without-service-model",
            "service-kind-differs-from-hosting"
        ]
    );
    assert_eq!(
        strs(&w["contradictions"][0]["facts"]),
        [
            "current.hosting: public-cloud",
            "current.service_model: none"
        ]
    );
    // Two contradictions at 0.25 each, from what the facts would otherwise give.
    let sound = ASSESSED["sound-protected-cloud"]["confidence"]
        .as_f64()
        .unwrap();
    let c = w["confidence"].as_f64().unwrap();
    assert!((sound - c - 0.5).abs() < 0.011, "{sound} -> {c}");
    // Its scores alone would make it ready.
    assert!(w["overall"].as_f64().unwrap() >= 75.0);

    for (id, expected) in [
        (
            "saas-style-on-premises",
            &["saas-model-on-premises", "saas-style-on-premises"][..],
        ),
        (
            "onshore-data-offshore-backups",
            &["onshore-data-offshore-backups"][..],
        ),
        ("sound-protected-cloud", &[][..]),
        ("secret-community-cloud", &[][..]),
    ] {
        let got: Vec<&str> = ASSESSED[id]["contradictions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["rule"].as_str().unwrap())
            .collect();
        assert_eq!(got, expected, "{id}");
    }
    let o = &ASSESSED["onshore-data-offshore-backups"];
    assert_eq!(o["band"], "conditional");
    assert!(strs(&o["blockers"]).is_empty());

    let r = cmd(&["assess", PROBES, "--format", "json"]).code(0).run();
    let text = std::fs::read_to_string(root().join(PROBES)).unwrap();
    let start = text.find("- id: contradictory-facts").unwrap();
    let line = text[..start].lines().count()
        + text[start..]
            .lines()
            .position(|l| l.contains("hosting: public-cloud"))
            .unwrap();
    assert!(
        r.stderr.contains(
            "warning: `contradictory-facts`: these facts contradict each other: `current.hosting: public-cloud`, `current.service_model: none`"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("{PROBES}:{line}:16")),
        "{line}: {}",
        r.stderr
    );
    // `--quiet` leaves warnings out.
    let q = cmd(&["-q", "assess", PROBES]).code(0).run();
    assert!(!q.stderr.contains("contradict"), "{}", q.stderr);
}

/// The rules are data: an agency's own file replaces them, and a strategy rule naming a
/// criterion the packs do not have as a blocker is refused at its place.
#[test]
fn contradiction_and_strategy_rules_are_data_checked_at_their_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("contradictions.yaml"),
        "confidence_penalty: 0\nkeeps_from_ready: false\nrules: []\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let ws = by_id(&json(&[
        "-q",
        "assess",
        PROBES,
        "--principles",
        d,
        "--format",
        "json",
    ]));
    assert!(
        ws["contradictory-facts"]["contradictions"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(ws["contradictory-facts"]["band"], "ready");

    let strategies = std::fs::read_to_string(root().join("principles/strategies.yaml"))
        .unwrap()
        .replacen("CAF.hcf, CAF.irap-level", "CAF.hfc, CAF.irap-level", 1);
    let bad = tempfile::tempdir().unwrap();
    std::fs::write(bad.path().join("strategies.yaml"), &strategies).unwrap();
    let line = strategies
        .lines()
        .position(|l| l.contains("CAF.hfc"))
        .unwrap()
        + 1;
    let col = strategies
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("CAF.hfc")
        .unwrap()
        + 1;
    let r = cmd(&[
        "assess",
        PROBES,
        "--principles",
        bad.path().to_str().unwrap(),
    ])
    .code(2)
    .run();
    assert!(
        r.stderr
            .contains("`CAF.hfc` is not a blocker criterion of the packs"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("did you mean `CAF.hcf`?"), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("strategies.yaml:{line}:{col}")),
        "{}",
        r.stderr
    );
}
