//! Recommendations an architect would sign and a roadmap that can be delivered: the retire,
//! relocate and consumed-service rules of strategies.yaml, card advice filtered by the adopted
//! move, wave 0, waves sized by effort points, financial-year quarters and the capacity risk
//! of systems that cannot move before their support ends.

use crate::common::*;

use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// One workload, well enough recorded (about the example's VMware cluster) that the strategy
/// table reaches its later rules; `W::default()` changes nothing.
#[derive(Clone)]
struct W {
    id: &'static str,
    users: u32,
    criticality: Option<&'static str>,
    end_of_support: Option<&'static str>,
    cloud_alternative: &'static str,
    customisation: &'static str,
    tags: &'static [&'static str],
    dependencies: &'static [&'static str],
    planned: Option<&'static str>,
}

impl Default for W {
    fn default() -> Self {
        W {
            id: "x",
            users: 900,
            criticality: Some("medium"),
            end_of_support: Some("2030-06-30"),
            cloud_alternative: "paas",
            customisation: "low",
            tags: &[],
            dependencies: &[],
            planned: None,
        }
    }
}

impl W {
    fn yaml(&self) -> String {
        let mut s = format!(
            "  - id: {id}\n    name: System {id}\n    owner: Infrastructure Services\n",
            id = self.id
        );
        if let Some(c) = self.criticality {
            s += &format!("    criticality: {c}\n");
        }
        s += &format!(
            "    classification: OFFICIAL\n    users: {}\n    exit_plan: false\n\
             \x20   data: {{ personal_information: false, residency: onshore, volume_gb: 300, location: onshore, backup_location: onshore }}\n\
             \x20   current:\n      hosting: private-cloud\n      service_model: iaas\n      annual_cost_aud: 100000\n",
            self.users
        );
        if let Some(d) = self.end_of_support {
            s += &format!("      end_of_support: {d}\n");
        }
        s += &format!(
            "    service: {{ kind: private-cloud }}\n\
             \x20   assurance: {{ irap_level: OFFICIAL, irap_date: 2026-05-01, hcf: assured }}\n\
             \x20   authorisation: {{ status: authorised, date: 2025-08-01 }}\n\
             \x20   architecture: {{ style: monolith, stateless: false, containerised: false, customisation: {}, cloud_alternative: {} }}\n\
             \x20   operations: {{ infrastructure_as_code: partial, deployment: scripted, scaling: manual, monitoring: centralised, usage_reporting: periodic }}\n\
             \x20   security: {{ risk_assessment: documented, essential_eight: 2, identity: federated, encryption: both, mfa: privileged-only, privileged_access: restricted, event_logging: centralised }}\n\
             \x20   resilience: {{ availability: 99.5, rto_hours: 8, rpo_hours: 24, deployment: multi-zone, recovery_tested: true, backups_outside_provider: true }}\n",
            self.customisation, self.cloud_alternative
        );
        if !self.dependencies.is_empty() {
            s += &format!("    dependencies: [{}]\n", self.dependencies.join(", "));
        }
        if let Some(p) = self.planned {
            s += &format!("    target: {{ strategy: {p} }}\n");
        }
        if !self.tags.is_empty() {
            s += &format!("    tags: [{}]\n", self.tags.join(", "));
        }
        s
    }
}

fn inventory(ws: &[W]) -> String {
    let mut s = String::from(
        "schema: cloudready/v1\nagency: { name: Test Agency, as_of: 2026-11-01 }\nworkloads:\n",
    );
    for w in ws {
        s += &w.yaml();
    }
    s
}

/// Writes the inventory (and a cloudready.toml when `config` is not empty) into `dir`.
fn write(dir: &Path, ws: &[W], config: &str) {
    std::fs::write(dir.join("inventory.yaml"), inventory(ws)).unwrap();
    if !config.is_empty() {
        std::fs::write(dir.join("cloudready.toml"), config).unwrap();
    }
}

fn assess(dir: &Path) -> Value {
    let r = cmd(&["-q", "assess", "inventory.yaml", "--format", "json"])
        .dir(dir)
        .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json()
}

fn by_id(doc: &Value) -> HashMap<String, Value> {
    doc["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["id"].as_str().unwrap().to_string(), w.clone()))
        .collect()
}

fn in_waves(doc: &Value) -> Vec<String> {
    doc["portfolio"]["waves"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["workloads"].as_array().unwrap().clone())
        .map(|id| id.as_str().unwrap().to_string())
        .collect()
}

fn rule(ws: &HashMap<String, Value>, id: &str) -> (String, String) {
    let s = &ws[id]["strategy"];
    (
        s["recommended"].as_str().unwrap().to_string(),
        s["rule"].as_str().unwrap().to_string(),
    )
}

fn strategy_md(dir: &Path) -> String {
    let r = cmd(&["-q", "strategy", "inventory.yaml", "--format", "markdown"])
        .dir(dir)
        .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn retire_only_what_nothing_depends_on_and_is_below_high_criticality() {
    let dir = tempfile::tempdir().unwrap();
    let ws = [
        // A critical integration hub that records no users but that two systems depend on.
        W {
            id: "hub",
            users: 0,
            criticality: Some("critical"),
            ..W::default()
        },
        W {
            id: "app-a",
            dependencies: &["hub"],
            ..W::default()
        },
        W {
            id: "app-b",
            dependencies: &["hub"],
            ..W::default()
        },
        // Nothing depends on these, but their criticality is high or not recorded.
        W {
            id: "master-data",
            users: 0,
            criticality: Some("high"),
            ..W::default()
        },
        W {
            id: "unrated",
            users: 0,
            criticality: None,
            ..W::default()
        },
        // A low-criticality low-value system on its own: the one to switch off.
        W {
            id: "fax",
            users: 0,
            criticality: Some("low"),
            ..W::default()
        },
    ];
    write(dir.path(), &ws, "");
    let doc = assess(dir.path());
    let w = by_id(&doc);
    assert_eq!(
        rule(&w, "hub"),
        ("retain".into(), "investigate-unused-depended-on".into())
    );
    for id in ["master-data", "unrated"] {
        assert_eq!(
            rule(&w, id),
            ("retain".into(), "investigate-unused-critical".into()),
            "{id}"
        );
    }
    for id in ["hub", "master-data", "unrated"] {
        let reason = w[id]["strategy"]["reason"].as_str().unwrap();
        assert!(reason.starts_with("Investigate: "), "{id}: {reason}");
        assert!(w[id]["wave"].is_null(), "{id}");
    }
    assert_eq!(rule(&w, "fax"), ("retire".into(), "retire-unused".into()));
    // A retired system never carries a wave.
    assert!(w["fax"]["wave"].is_null());
    assert!(!in_waves(&doc).contains(&"fax".to_string()));
}

#[test]
fn relocate_never_carries_unsupported_software_nor_what_saas_could_replace() {
    let dir = tempfile::tempdir().unwrap();
    let vm = |id, eos, alt, custom| W {
        id,
        end_of_support: eos,
        cloud_alternative: alt,
        customisation: custom,
        tags: &["vmware"],
        ..W::default()
    };
    let ws = [
        vm("vm-supported", Some("2029-06-30"), "paas", "low"),
        vm("vm-unsupported", Some("2025-10-02"), "paas", "low"),
        vm("vm-saas-light", Some("2029-06-30"), "saas", "low"),
        vm("vm-saas-heavy", Some("2029-06-30"), "saas", "high"),
        vm("vm-no-date", None, "paas", "low"),
    ];
    write(dir.path(), &ws, "");
    let w = by_id(&assess(dir.path()));
    assert_eq!(
        rule(&w, "vm-supported"),
        ("relocate".into(), "relocate-virtualised".into())
    );
    assert_eq!(
        rule(&w, "vm-unsupported"),
        ("replatform".into(), "replatform-unsupported".into())
    );
    // Bought as a service instead (a monolith meets `repurchase-commodity` first).
    assert_eq!(rule(&w, "vm-saas-light").0, "repurchase");
    // Heavily customised: a SaaS would not carry it, so relocating still fits.
    assert_eq!(rule(&w, "vm-saas-heavy").0, "relocate");
    // An unrecorded support date does not rule relocation out (its criterion says unknown).
    assert_eq!(rule(&w, "vm-no-date").0, "relocate");
}

#[test]
fn relocate_rule_stays_off_a_lightly_customised_saas_alternative_even_first_in_the_table() {
    // An agency moving the VMware rule to the top keeps its exclusions: they are in its `when`.
    let dir = tempfile::tempdir().unwrap();
    let ws = [
        W {
            id: "vm-saas-light",
            cloud_alternative: "saas",
            tags: &["vmware"],
            ..W::default()
        },
        W {
            id: "vm-unsupported",
            end_of_support: Some("2025-10-02"),
            tags: &["vmware"],
            ..W::default()
        },
    ];
    write(dir.path(), &ws, "");
    let text = std::fs::read_to_string(root().join("principles/strategies.yaml")).unwrap();
    let start = text.find("  - id: relocate-virtualised").unwrap();
    let end = start + text[start..].find("\n\n").unwrap() + 2;
    let block = &text[start..end];
    let moved = text
        .replacen(block, "", 1)
        .replacen("rules:\n", &format!("rules:\n{block}"), 1);
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(dir.path().join("rules/strategies.yaml"), moved).unwrap();
    let r = cmd(&[
        "-q",
        "assess",
        "inventory.yaml",
        "--format",
        "json",
        "--principles",
        "rules",
    ])
    .dir(dir.path())
    .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let w = by_id(&r.json());
    assert_ne!(rule(&w, "vm-saas-light").0, "relocate");
    assert_ne!(rule(&w, "vm-unsupported").0, "relocate");
}

#[test]
fn a_consumed_shared_service_is_retained_and_managed_through_its_provider() {
    let dir = tempfile::tempdir().unwrap();
    let ws = [
        W {
            id: "govteams",
            tags: &["shared-service"],
            ..W::default()
        },
        W {
            id: "wog-payments",
            tags: &["whole-of-government-service"],
            end_of_support: Some("2026-12-31"),
            ..W::default()
        },
        W {
            id: "own-system",
            ..W::default()
        },
    ];
    write(dir.path(), &ws, "");
    let doc = assess(dir.path());
    let w = by_id(&doc);
    for id in ["govteams", "wog-payments"] {
        assert_eq!(
            rule(&w, id),
            ("retain".into(), "retain-consumed-service".into()),
            "{id}"
        );
        let reason = w[id]["strategy"]["reason"].as_str().unwrap();
        assert!(reason.contains("through its provider"), "{reason}");
        assert!(!reason.contains("as is"), "{reason}");
        assert!(w[id]["wave"].is_null(), "{id}");
    }
    assert_ne!(rule(&w, "own-system").0, "retain");
}

#[test]
fn card_advice_follows_the_adopted_move() {
    let dir = tempfile::tempdir().unwrap();
    let ws = [
        // Recommended replatform, but the agency plans to buy SaaS: no container advice.
        W {
            id: "saasbound",
            planned: Some("repurchase"),
            ..W::default()
        },
        W {
            id: "moving",
            ..W::default()
        },
    ];
    write(dir.path(), &ws, "");
    let w = by_id(&assess(dir.path()));
    let left: Vec<&str> = w["saasbound"]["strategy"]["advice_left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(left.contains(&"P2") && left.contains(&"P6"), "{left:?}");
    assert!(w["moving"]["strategy"].get("advice_left_out").is_none());
    // The assessment keeps every criterion's advice; only the card leaves it out.
    let advice = "package it as container images";
    let json = cmd(&["-q", "assess", "inventory.yaml", "--format", "json"])
        .dir(dir.path())
        .run()
        .stdout;
    assert_eq!(json.matches(advice).count(), 2);
    let md = strategy_md(dir.path());
    let card = |id: &str| {
        let name = format!("System {id}");
        let at = md.rfind(&name).unwrap();
        let end = md[at..].find("\n#").map_or(md.len(), |e| at + e);
        md[at..end].to_string()
    };
    assert!(!card("saasbound").contains(advice), "{}", card("saasbound"));
    assert!(card("moving").contains(advice), "{}", card("moving"));
}

#[test]
fn waves_follow_the_adopted_move() {
    let dir = tempfile::tempdir().unwrap();
    let ws = [
        // The evidence says retire; the agency plans a rehost: it moves, so it has a wave.
        W {
            id: "kept-alive",
            users: 0,
            criticality: Some("low"),
            planned: Some("rehost"),
            ..W::default()
        },
        // The evidence says move; the agency retires it: no wave.
        W {
            id: "switched-off",
            planned: Some("retire"),
            ..W::default()
        },
        W {
            id: "kept-here",
            planned: Some("retain"),
            ..W::default()
        },
    ];
    write(dir.path(), &ws, "");
    let doc = assess(dir.path());
    let w = by_id(&doc);
    assert_eq!(w["kept-alive"]["strategy"]["recommended"], "retire");
    assert_eq!(w["kept-alive"]["strategy"]["adopted"], "rehost");
    assert_eq!(w["kept-alive"]["wave"], 1);
    for id in ["switched-off", "kept-here"] {
        assert_ne!(
            w[id]["strategy"]["recommended"],
            w[id]["strategy"]["adopted"]
        );
        assert!(w[id]["wave"].is_null(), "{id}");
    }
    assert_eq!(in_waves(&doc), vec!["kept-alive".to_string()]);
}

#[test]
fn wave_zero_builds_the_foundations_for_a_set_number_of_months() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[W::default()], "");
    let doc = assess(dir.path());
    let f = &doc["portfolio"]["foundation"];
    assert_eq!(f["wave"], 0);
    assert_eq!(f["months"], 3);
    let ids: Vec<&str> = f["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "landing-zone",
            "identity",
            "network",
            "cost-tooling",
            "skills"
        ]
    );
    // as_of 2026-11-01: wave 0 runs Dec 2026 to Feb 2027, wave 1 (3 months) from Mar 2027.
    let md = strategy_md(dir.path());
    assert!(
        md.contains("| 0 | Dec 2026 – Feb 2027 | 2026 Q4 – 2027 Q1 | Foundations: landing zone"),
        "{md}"
    );
    assert!(md.contains("| 1 | Mar 2027 – May 2027 |"), "{md}");
    // Six months of foundations push wave 1 back to Jun 2027; none starts it in Dec 2026.
    write(
        dir.path(),
        &[W::default()],
        "[plan]\nfoundation_months = 6\n",
    );
    assert_eq!(assess(dir.path())["portfolio"]["foundation"]["months"], 6);
    assert!(strategy_md(dir.path()).contains("| 1 | Jun 2027 – Aug 2027 |"));
    write(
        dir.path(),
        &[W::default()],
        "[plan]\nfoundation_months = 0\n",
    );
    assert!(assess(dir.path())["portfolio"]["foundation"].is_null());
    let md = strategy_md(dir.path());
    assert!(md.contains("| 1 | Dec 2026 – Feb 2027 |"), "{md}");
    assert!(!md.contains("| 0 |"));
}

#[test]
fn waves_are_sized_by_effort_points_and_max_per_wave_still_holds() {
    let dir = tempfile::tempdir().unwrap();
    let ids = ["a", "b", "c", "d", "e"];
    let ws: Vec<W> = ids.iter().map(|&id| W { id, ..W::default() }).collect();
    let waves = |config: &str| -> Vec<(usize, f64)> {
        write(dir.path(), &ws, config);
        assess(dir.path())["portfolio"]["waves"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| {
                (
                    w["workloads"].as_array().unwrap().len(),
                    w["effort"]["points"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    // Five M (3-point) moves: one wave by default, by 6 points two a wave, by count two a wave.
    assert_eq!(waves(""), vec![(5, 15.0)]);
    assert_eq!(
        waves("[plan]\nwave_points = 6\n"),
        vec![(2, 6.0), (2, 6.0), (1, 3.0)]
    );
    assert_eq!(
        waves("[plan]\nwave_points = 100\nmax_per_wave = 2\n"),
        vec![(2, 6.0), (2, 6.0), (1, 3.0)]
    );
    // A budget below one workload's points still moves it, one a wave.
    assert_eq!(waves("[plan]\nwave_points = 2\n").len(), 5);
    write(dir.path(), &ws, "[plan]\nwave_points = 0\n");
    let r = cmd(&["-q", "assess", "inventory.yaml"])
        .dir(dir.path())
        .run();
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cloudready.toml:2:"), "{}", r.stderr);
}

#[test]
fn the_dated_roadmap_can_use_australian_financial_year_quarters() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[W::default()],
        "[plan]\nquarters = \"financial\"\n",
    );
    let md = strategy_md(dir.path());
    // Dec 2026 is the second quarter of 2026–27; Mar to May 2027 its third and fourth.
    assert!(
        md.contains("| 0 | Dec 2026 – Feb 2027 | 2026–27 Q2 – 2026–27 Q3 |"),
        "{md}"
    );
    assert!(
        md.contains("| 1 | Mar 2027 – May 2027 | 2026–27 Q3 – 2026–27 Q4 |"),
        "{md}"
    );
    write(
        dir.path(),
        &[W::default()],
        "[plan]\nquarters = \"fiscal\"\n",
    );
    let r = cmd(&["-q", "strategy", "inventory.yaml"])
        .dir(dir.path())
        .run();
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cloudready.toml:2:12"), "{}", r.stderr);
    assert!(
        r.stderr.contains("`calendar` or `financial`"),
        "{}",
        r.stderr
    );
}

#[test]
fn systems_that_cannot_move_before_their_support_ends_are_a_counted_capacity_risk() {
    let dir = tempfile::tempdir().unwrap();
    let ws = [
        // Past support already, moving in wave 1.
        W {
            id: "past",
            end_of_support: Some("2026-06-30"),
            ..W::default()
        },
        // Wave 1 runs Mar to May 2027: support ending in April or May ends before it is over.
        W {
            id: "april",
            end_of_support: Some("2027-04-15"),
            ..W::default()
        },
        W {
            id: "may",
            end_of_support: Some("2027-05-31"),
            ..W::default()
        },
        W {
            id: "june",
            end_of_support: Some("2027-06-01"),
            ..W::default()
        },
        // Past support but staying (not a migration capacity question).
        W {
            id: "staying",
            end_of_support: Some("2026-06-30"),
            planned: Some("retain"),
            ..W::default()
        },
    ];
    write(dir.path(), &ws, "");
    let doc = assess(dir.path());
    let risk = &doc["portfolio"]["capacity_risk"];
    assert_eq!(risk["count"], 3, "{risk}");
    // In inventory order, which is by id.
    assert_eq!(
        risk["workloads"],
        serde_json::json!(["april", "may", "past"])
    );
    assert_eq!(risk["past"], serde_json::json!(["past"]));
    assert_eq!(
        risk["before_wave_ends"],
        serde_json::json!(["april", "may"])
    );
    let md = strategy_md(dir.path());
    assert!(
        md.contains("**Capacity risk:** 3 systems past or near end of support cannot move before their dates"),
        "{md}"
    );
    // Without a reference date nothing is dated, so no capacity risk is claimed.
    let undated = inventory(&ws).replace(", as_of: 2026-11-01", "");
    std::fs::write(dir.path().join("inventory.yaml"), undated).unwrap();
    assert!(assess(dir.path())["portfolio"]["capacity_risk"].is_null());
}

#[test]
fn card_advice_naming_no_criterion_is_rejected_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[W::default()], "");
    let text = std::fs::read_to_string(root().join("principles/strategies.yaml")).unwrap();
    let bad = text.replacen("drop: [P2, P6, P7.scaling]", "drop: [P2, P6, P7.scalng]", 1);
    let line = bad.lines().position(|l| l.contains("P7.scalng")).unwrap() + 1;
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(dir.path().join("rules/strategies.yaml"), bad).unwrap();
    let r = cmd(&["-q", "assess", "inventory.yaml", "--principles", "rules"])
        .dir(dir.path())
        .run();
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("strategies.yaml:{line}:")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `P7.scaling`?"),
        "{}",
        r.stderr
    );
}
