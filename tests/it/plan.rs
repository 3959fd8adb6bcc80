//! Planning, end to end: hosting eligibility, provider catalog, strategy, effort and waves, run
//! through the real binary on the example inventory and fixtures.

use crate::common::*;

use serde_json::Value;
use std::collections::HashMap;

/// `-q assess ARGS --format json`, which must exit 0.
fn assess_json(args: &[&str]) -> Value {
    let mut a = vec!["-q", "assess"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--format", "json"]);
    json(&a)
}

fn workloads(doc: &Value) -> HashMap<String, Value> {
    doc["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["id"].as_str().unwrap().to_string(), w.clone()))
        .collect()
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

const SEVEN: [&str; 7] = [
    "rehost",
    "replatform",
    "refactor",
    "repurchase",
    "retire",
    "retain",
    "relocate",
];

/// Hosting option ids with `public: true`, read from `principles hosting --format json`.
fn public_options() -> Vec<String> {
    let r = run(&["principles", "hosting", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<String> = v["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["public"] == true)
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.len() >= 2, "{ids:?}");
    ids
}

#[test]
fn every_example_workload_gets_a_strategy_hosting_and_a_wave_unless_it_stays() {
    let doc = assess_json(&["examples/inventory.yaml"]);
    assert!(doc["portfolio"]["providers_catalog"].is_null());
    let ws = doc["workloads"].as_array().unwrap();
    assert_eq!(ws.len(), 21);
    let mut in_waves: Vec<String> = Vec::new();
    for wave in doc["portfolio"]["waves"].as_array().unwrap() {
        in_waves.extend(strs(&wave["workloads"]).iter().map(|s| s.to_string()));
        assert!(wave["effort"]["points"].as_f64().unwrap() > 0.0);
    }
    for w in ws {
        let id = w["id"].as_str().unwrap();
        let s = &w["strategy"];
        let rec = s["recommended"].as_str().unwrap();
        assert!(SEVEN.contains(&rec), "{id}: {rec}");
        assert!(s["reason"].as_str().unwrap().len() > 20, "{id}");
        assert!(
            ["S", "M", "L", "XL"].contains(&s["effort"]["size"].as_str().unwrap()),
            "{id}"
        );
        assert!(!s["effort"]["reason"].as_str().unwrap().is_empty());
        assert!(
            !strs(&w["hosting"]["allowed"]).is_empty(),
            "{id} has no hosting option"
        );
        let adopted = s["adopted"].as_str().unwrap();
        let stays = adopted == "retire" || adopted == "retain";
        assert_eq!(
            w["wave"].is_null(),
            stays,
            "{id}: {adopted} wave {}",
            w["wave"]
        );
        assert_eq!(in_waves.iter().any(|x| x == id), !stays, "{id}");
    }
}

#[test]
fn secret_and_top_secret_get_no_public_cloud_option_or_provider() {
    let public = public_options();
    for file in ["examples/inventory.yaml", "tests/fixtures/plan/waves.yaml"] {
        let doc = assess_json(&[file, "--providers", "examples/providers.yaml"]);
        let mut seen = 0;
        for w in doc["workloads"].as_array().unwrap() {
            let c = w["classification"].as_str().unwrap_or("");
            if c != "SECRET" && c != "TOP SECRET" {
                continue;
            }
            seen += 1;
            let allowed = strs(&w["hosting"]["allowed"]);
            assert!(!allowed.is_empty());
            for p in &public {
                assert!(!allowed.contains(&p.as_str()), "{}: {allowed:?}", w["id"]);
            }
            assert!(strs(&w["hosting"]["providers"]).is_empty());
            assert!(
                w["hosting"]["providers_reason"]
                    .as_str()
                    .unwrap()
                    .contains(c),
                "{}",
                w["hosting"]["providers_reason"]
            );
        }
        assert!(seen >= 2, "{file}: {seen}");
    }
}

#[test]
fn onshore_workloads_get_no_offshore_option_or_provider() {
    let doc = assess_json(&[
        "examples/inventory.yaml",
        "--providers",
        "examples/providers.yaml",
    ]);
    assert_eq!(doc["portfolio"]["providers_catalog"]["as_of"], "2026-11-01");
    assert!(
        doc["portfolio"]["providers_catalog"]["sources"]
            .as_array()
            .unwrap()
            .len()
            >= 3
    );
    let ws = workloads(&doc);
    // The catalog's offshore-only entry is offered where residency allows it ...
    let open = &ws["public-website"]["hosting"];
    assert!(strs(&open["providers"]).contains(&"aws-offshore"));
    assert!(strs(&open["allowed"]).contains(&"public-cloud"));
    // ... and never to a workload whose data must stay onshore.
    let mut onshore = 0;
    for (id, w) in &ws {
        if id == "public-website" || id == "ministerial-correspondence" {
            continue; // anywhere; residency not recorded (treated as onshore, checked below)
        }
        onshore += 1;
        let h = &w["hosting"];
        assert!(!strs(&h["providers"]).contains(&"aws-offshore"), "{id}");
        for offshore in ["public-cloud", "saas"] {
            assert!(!strs(&h["allowed"]).contains(&offshore), "{id}");
        }
    }
    assert!(onshore >= 19);
    let unknown = &ws["ministerial-correspondence"]["hosting"];
    assert!(!strs(&unknown["providers"]).contains(&"aws-offshore"));
}

#[test]
fn protected_needs_irap_at_protected_and_hcf_certification() {
    let doc = assess_json(&[
        "examples/inventory.yaml",
        "--providers",
        "examples/providers.yaml",
    ]);
    let ws = workloads(&doc);
    // Google Cloud's HCF status is recorded as unknown in the example catalog.
    let protected = strs(&ws["case-management"]["hosting"]["providers"]);
    assert!(protected.contains(&"aws-australia"), "{protected:?}");
    assert!(!protected.contains(&"google-cloud-australia"));
    // Its IRAP assessment is recorded as 26 months old at the inventory's as_of: left out, and
    // the reason says so (changed on purpose: an assessment that old no longer qualifies).
    let payroll = &ws["payroll"]["hosting"];
    let sensitive = strs(&payroll["providers"]);
    assert!(sensitive.contains(&"aws-australia"), "{sensitive:?}");
    assert!(!sensitive.contains(&"google-cloud-australia"));
    let why = payroll["providers_reason"].as_str().unwrap();
    assert!(
        why.contains("google-cloud-australia (IRAP assessment of 2024-08-31 is 26 months old"),
        "{why}"
    );
}

#[test]
fn a_workload_never_moves_before_its_dependencies_and_a_cycle_moves_together() {
    for file in ["examples/inventory.yaml", "tests/fixtures/plan/waves.yaml"] {
        let doc = assess_json(&[file]);
        let ws = workloads(&doc);
        // Every edge, checked directly from the inventory.
        let mut checked = 0;
        for (id, w) in &ws {
            let Some(mine) = w["wave"].as_u64() else {
                continue;
            };
            for dep in deps_of(file, id) {
                if let Some(theirs) = ws[&dep]["wave"].as_u64() {
                    assert!(
                        mine >= theirs,
                        "{file}: {id} (wave {mine}) before {dep} ({theirs})"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked >= 5, "{file}: only {checked} edges checked");
        for wave in doc["portfolio"]["waves"].as_array().unwrap() {
            assert!(strs(&wave["workloads"]).len() <= 10, "max_per_wave 10");
        }
    }
    let ws = workloads(&assess_json(&["examples/inventory.yaml"]));
    assert_eq!(ws["hr-core"]["wave"], ws["payroll"]["wave"]);
    let ws = workloads(&assess_json(&["tests/fixtures/plan/waves.yaml"]));
    assert_eq!(ws["cycle-a"]["wave"], ws["cycle-b"]["wave"]);
    // 12 in a chain with at most 10 a wave: the chain spans two waves, in order.
    // chain-12 has no dependencies and must move first, although its id sorts last.
    assert_eq!(ws["chain-12"]["wave"], 1);
    assert_eq!(ws["chain-01"]["wave"], 2);
    assert!(ws["cycle-a"]["wave"].as_u64() >= ws["chain-01"]["wave"].as_u64());
}

/// Dependencies of `id` as written in the fixture (a tiny reader for flow lists and blocks).
fn deps_of(file: &str, id: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let start = format!("  - id: {id}\n");
    let Some(i) = text.find(&start) else {
        return Vec::new();
    };
    let rest = &text[i + start.len()..];
    let block = &rest[..rest.find("\n  - id: ").unwrap_or(rest.len())];
    let mut out = Vec::new();
    let mut lines = block.lines().peekable();
    while let Some(l) = lines.next() {
        let t = l.trim();
        if let Some(v) = t.strip_prefix("dependencies:") {
            let v = v.trim();
            if v.starts_with('[') {
                out.extend(
                    v.trim_matches(|c| c == '[' || c == ']')
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty()),
                );
            } else {
                while let Some(n) = lines.peek() {
                    match n.trim().strip_prefix("- ") {
                        Some(d) => {
                            out.push(d.split('#').next().unwrap().trim().to_string());
                            lines.next();
                        }
                        None => break,
                    }
                }
            }
        }
    }
    out
}

#[test]
fn retire_and_repurchase_rules_fire_and_disagreement_is_shown() {
    let ws = workloads(&assess_json(&["examples/inventory.yaml"]));
    let fax = &ws["fax-gateway"]["strategy"];
    assert_eq!(fax["recommended"], "retire");
    assert_eq!(fax["rule"], "retire-unused");
    assert!(fax["planned"].is_null());
    assert_eq!(fax["agrees"], true);
    assert!(ws["fax-gateway"]["wave"].is_null());
    let desk = &ws["service-desk"]["strategy"];
    assert_eq!(desk["recommended"], "repurchase");
    assert_eq!(desk["rule"], "repurchase-cots");
    assert_eq!(desk["planned"], "rehost");
    assert_eq!(desk["agrees"], false);
    assert_eq!(
        desk["note"],
        "You planned rehost; the evidence suggests repurchase."
    );
    // The agency's plan is kept: the workload still moves (as planned) in a wave.
    assert_eq!(desk["adopted"], "rehost");
    assert!(ws["service-desk"]["wave"].as_u64().is_some());
    let secret = &ws["intel-liaison"]["strategy"];
    assert_eq!(secret["recommended"], "retain");
}

#[test]
fn an_agency_rule_change_in_a_principles_folder_changes_the_result() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = std::fs::read_to_string(root().join("principles/strategies.yaml")).unwrap();
    // Accept COTS products with medium customisation for repurchase too.
    let needle = "      architecture.style: cots\n      architecture.cloud_alternative: saas\n      architecture.customisation: [none, low]";
    assert!(builtin.contains(needle));
    let changed = builtin.replacen(
        needle,
        "      architecture.style: cots\n      architecture.cloud_alternative: saas\n      architecture.customisation: [none, low, medium]",
        1,
    );
    std::fs::write(dir.path().join("strategies.yaml"), changed).unwrap();
    let before = workloads(&assess_json(&["examples/inventory.yaml"]));
    assert_eq!(before["hr-core"]["strategy"]["recommended"], "rehost");
    assert_eq!(before["hr-core"]["strategy"]["agrees"], false);
    let d = dir.path().to_str().unwrap();
    let after = workloads(&assess_json(&[
        "examples/inventory.yaml",
        "--principles",
        d,
    ]));
    assert_eq!(after["hr-core"]["strategy"]["recommended"], "repurchase");
    assert_eq!(after["hr-core"]["strategy"]["agrees"], true);
    // The table of rules shows the agency's version too.
    let r = run(&["principles", "strategies", "--principles", d]);
    assert!(r.stdout.contains("none, low, medium"), "{}", r.stdout);
}

#[test]
fn a_bad_rule_is_rejected_with_its_line_and_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = std::fs::read_to_string(root().join("principles/strategies.yaml")).unwrap();
    let bad = builtin.replacen(
        "architecture.style: mainframe",
        "architecture.styel: mainframe",
        1,
    );
    let line = bad
        .lines()
        .position(|l| l.contains("architecture.styel"))
        .unwrap()
        + 1;
    let path = dir.path().join("strategies.yaml");
    std::fs::write(&path, bad).unwrap();
    let d = dir.path().to_str().unwrap();
    let r = run(&["assess", "examples/inventory.yaml", "--principles", d]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("{}:{line}:", path.display())),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("`architecture.styel` is not an inventory field")
    );
    assert!(
        r.stderr.contains("did you mean `architecture.style`?"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());

    // A value the field cannot take.
    let bad = builtin.replacen("strategy: retire", "strategy: retyre", 1);
    std::fs::write(&path, bad).unwrap();
    let r = run(&["assess", "examples/inventory.yaml", "--principles", d]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `retire`?"), "{}", r.stderr);
}

#[test]
fn a_bad_provider_catalog_is_rejected_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("examples/providers.yaml")).unwrap();
    let bad = text.replacen("kind: community-cloud", "kind: comunity-cloud", 1);
    let line = bad
        .lines()
        .position(|l| l.contains("comunity-cloud"))
        .unwrap()
        + 1;
    let path = dir.path().join("providers.yaml");
    std::fs::write(&path, bad).unwrap();
    let p = path.to_str().unwrap();
    let r = run(&["assess", "examples/inventory.yaml", "--providers", p]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{p}:{line}:")), "{}", r.stderr);
    assert!(
        r.stderr.contains("did you mean `community-cloud`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn table_and_principles_show_the_plan() {
    let r = run(&["assess", "examples/inventory.yaml", "--color", "never"]);
    assert_eq!(r.code, 0);
    let header = r.stdout.lines().nth(1).unwrap();
    assert!(
        header.contains("Strategy") && header.contains("Wave"),
        "{header}"
    );
    let fax = r
        .stdout
        .lines()
        .find(|l| l.contains("fax-gateway"))
        .unwrap();
    assert!(fax.contains("retire"), "{fax}");
    let desk = r
        .stdout
        .lines()
        .find(|l| l.contains("service-desk"))
        .unwrap();
    // The recommendation, marked: the agency planned rehost.
    assert!(desk.contains("repurchase*"), "{desk}");

    let h = run(&["principles", "hosting"]);
    assert_eq!(h.code, 0, "{}", h.stderr);
    assert!(h.stdout.contains("public-cloud-onshore") && h.stdout.contains("TOP SECRET"));
    let s = run(&["principles", "strategies"]);
    assert_eq!(s.code, 0);
    assert!(s.stdout.contains("retire-unused") && s.stdout.contains("Effort"));
    let md = run(&["principles", "strategies", "--format", "markdown"]);
    assert!(
        md.stdout
            .contains("| # | Rule | When | Strategy | Reason |"),
        "{}",
        md.stdout
    );
}

#[test]
fn planning_is_deterministic() {
    let a = run(&[
        "-q",
        "assess",
        "examples/inventory.yaml",
        "--format",
        "json",
        "--providers",
        "examples/providers.yaml",
    ]);
    let b = run(&[
        "-q",
        "assess",
        "examples/inventory.yaml",
        "--format",
        "json",
        "--providers",
        "examples/providers.yaml",
    ]);
    assert_eq!((a.code, b.code), (0, 0), "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
}
