//! The ecosystem around the inventory: JSON Schema for editors, CSV and JSON inventories,
//! import, init, diff, completions and the man page. Each test runs the real binary.

use crate::common::*;

use serde_json::Value;
use std::path::Path;

fn yaml_to_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&run(&["schema"]).stdout).unwrap();
    jsonschema::validator_for(&schema).expect("the schema is itself valid")
}

#[test]
fn committed_schema_is_what_the_binary_prints() {
    let printed = run(&["schema"]);
    assert_eq!(printed.code, 0);
    let committed = std::fs::read_to_string(root().join("schema/inventory.schema.json")).unwrap();
    assert!(
        printed.stdout == committed,
        "schema/inventory.schema.json is stale: run `cloudready schema > schema/inventory.schema.json`"
    );
    let first = std::fs::read_to_string(root().join("examples/inventory.yaml")).unwrap();
    assert!(first.starts_with("# yaml-language-server: $schema=../schema/inventory.schema.json"));
}

#[test]
fn example_validates_against_the_schema_and_a_misspelt_key_does_not() {
    let v = validator();
    let example = yaml_to_json(&root().join("examples/inventory.yaml"));
    let errors: Vec<String> = v.iter_errors(&example).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let mut bad = example.clone();
    let ops = bad["workloads"][0]["operations"].as_object_mut().unwrap();
    let val = ops.remove("infrastructure_as_code").unwrap();
    ops.insert("infrastucture_as_code".into(), val);
    assert!(!v.is_valid(&bad), "a misspelt key must fail the schema");
    // The same mistake the loader rejects, shipped in examples/bad/.
    let misspelt = yaml_to_json(&root().join("examples/bad/misspelt-key.yaml"));
    assert!(!v.is_valid(&misspelt));

    let mut bad = example.clone();
    bad["workloads"][0]["classification"] = Value::from("CONFIDENTIAL");
    assert!(!v.is_valid(&bad), "an unknown classification fails");
    let mut bad = example.clone();
    bad["workloads"][0]["security"]["essential_eight"] = Value::from(4);
    assert!(!v.is_valid(&bad), "essential_eight is 0..3");
    let mut bad = example;
    bad["workloads"][0]["id"] = Value::from("Payroll System");
    assert!(!v.is_valid(&bad), "ids follow the id pattern");
}

#[test]
fn json_inventory_loads_and_errors_point_at_its_lines() {
    let ok = run(&["validate", &fixture("eco", "inventory.json")]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.contains("valid: 1 workload"));
    let bad = run(&["validate", &fixture("eco", "bad.json")]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("bad.json:6:23"), "{}", bad.stderr);
    assert!(
        bad.stderr
            .contains("did you mean `infrastructure_as_code`?")
    );
}

#[test]
fn csv_errors_name_row_column_and_header() {
    let r = run(&["validate", &fixture("eco", "bad-header.csv")]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad-header.csv:1:9"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("unknown column `current.hostng` (column 3)")
    );
    assert!(r.stderr.contains("did you mean `current.hosting`?"));
    let r = run(&["validate", &fixture("eco", "bad-cells.csv")]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad-cells.csv:2:26"), "{}", r.stderr);
    assert!(r.stderr.contains("`users` (column 4)"), "{}", r.stderr);
    // A bad cell does not hide the validator's findings on the rest of the file.
    assert!(r.stderr.contains("bad-cells.csv:2:17"), "{}", r.stderr);
    assert!(
        r.stderr.contains("did you mean `on-premises`?"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("2 errors found"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

/// The assessment as JSON, without the keys that name the source file and places in it.
fn assessment_without_locations(inventory: &str) -> Value {
    let r = run(&["assess", inventory, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut v: Value = serde_json::from_str(&r.stdout).unwrap();
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("location");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

#[test]
fn csv_imports_to_yaml_that_assesses_like_the_hand_written_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("inventory.yaml");
    let out_s = out.to_str().unwrap();
    let r = run(&["import", &fixture("eco", "workloads.csv"), "-o", out_s]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let yaml = std::fs::read_to_string(&out).unwrap();
    assert!(yaml.starts_with("# yaml-language-server: $schema="));
    assert!(
        yaml.contains("classification: \"OFFICIAL: Sensitive\""),
        "{yaml}"
    );
    assert!(yaml.contains("description: Pays 5,000 staff fortnightly, with \"bonus\" runs."));
    assert!(yaml.contains("dependencies: [identity, hr-core]"));
    assert!(yaml.contains("tags: [corporate, finance]"));
    assert!(
        yaml.contains("personal_information: true"),
        "yes reads as true"
    );

    let v = run(&["validate", out_s]);
    assert_eq!(v.code, 0, "{}", v.stderr);
    let imported = assessment_without_locations(out_s);
    assert_eq!(
        imported,
        assessment_without_locations(&fixture("eco", "workloads-hand.yaml"))
    );
    assert_eq!(
        imported,
        assessment_without_locations(&fixture("eco", "workloads.csv"))
    );

    // The same import again replaces its own sealed output; once a person edits the
    // inventory, -o never clobbers it without --force, and a failed run writes nothing.
    let again = run(&["import", &fixture("eco", "workloads.csv"), "-o", out_s]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let edited = std::fs::read_to_string(&out)
        .unwrap()
        .replacen("name:", "name: ", 1);
    std::fs::write(&out, edited).unwrap();
    let again = run(&["import", &fixture("eco", "workloads.csv"), "-o", out_s]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    let forced = run(&[
        "import",
        &fixture("eco", "workloads.csv"),
        "-o",
        out_s,
        "--force",
    ]);
    assert_eq!(forced.code, 0);
    let bad_out = dir.path().join("bad.yaml");
    let bad = run(&[
        "import",
        &fixture("eco", "bad-cells.csv"),
        "-o",
        bad_out.to_str().unwrap(),
    ]);
    assert_eq!(bad.code, 2);
    assert!(!bad_out.exists());
}

#[test]
fn json_imports_too_and_agency_can_be_named() {
    let r = run(&[
        "import",
        &fixture("eco", "inventory.json"),
        "--agency",
        "Dept: of Things",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("  name: \"Dept: of Things\"\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn init_then_assess_and_a_second_init_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("readiness");
    let d_s = d.to_str().unwrap();
    let r = run(&["init", d_s, "--agency", "Department of Testing"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let inv = d.join("inventory.yaml");
    let text = std::fs::read_to_string(&inv).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema=inventory.schema.json"));
    assert!(text.contains("name: Department of Testing"));
    assert!(d.join("cloudready.toml").exists() && d.join("inventory.schema.json").exists());
    let cfg: toml::Table =
        toml::from_str(&std::fs::read_to_string(d.join("cloudready.toml")).unwrap()).unwrap();
    for key in [
        "min_overall",
        "min_workload",
        "min_principle",
        "max_unknown",
        "fail_on_blockers",
    ] {
        assert!(cfg["check"].get(key).is_some(), "[check] {key}");
    }
    assert!(cfg["plan"].get("max_per_wave").is_some());

    let a = run(&["assess", inv.to_str().unwrap(), "--format", "json"]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    let doc: Value = serde_json::from_str(&a.stdout).unwrap();
    assert_eq!(doc["workloads"].as_array().unwrap().len(), 3);
    // The starter shows every field at least once, and validates against the schema.
    let starter = yaml_to_json(&inv);
    assert!(validator().is_valid(&starter));
    let payroll = &starter["workloads"][0];
    for f in [
        "owner",
        "description",
        "criticality",
        "classification",
        "users",
        "dependencies",
        "tags",
    ] {
        assert!(payroll.get(f).is_some(), "{f}");
    }

    let before = std::fs::read(&inv).unwrap();
    let again = run(&["init", d_s]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(std::fs::read(&inv).unwrap(), before, "nothing overwritten");
}

#[test]
fn diff_shows_the_automation_gain_on_p6_and_overall() {
    let r = run(&[
        "diff",
        &fixture("eco", "diff-old.yaml"),
        &fixture("eco", "diff-new.yaml"),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d: Value = serde_json::from_str(&r.stdout).unwrap();
    let ws = d["workloads"].as_array().unwrap();
    let payroll = ws.iter().find(|w| w["id"] == "payroll").unwrap();
    assert_eq!(payroll["status"], "changed");
    assert!(payroll["overall"]["delta"].as_f64().unwrap() > 0.0);
    let p6 = payroll["principles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "P6")
        .unwrap();
    assert_eq!(p6["old"], 0.0);
    assert_eq!(p6["new"], 100.0);
    assert_eq!(
        ws.iter().find(|w| w["id"] == "grants").unwrap()["status"],
        "added"
    );
    assert_eq!(
        ws.iter().find(|w| w["id"] == "fax-gateway").unwrap()["status"],
        "removed"
    );
    assert!(d["portfolio"]["overall"]["delta"].as_f64().unwrap() > 0.0);

    let text = run(&[
        "diff",
        &fixture("eco", "diff-old.yaml"),
        &fixture("eco", "diff-new.yaml"),
    ]);
    assert!(text.stdout.contains("P6 0 → 100 (+100)"), "{}", text.stdout);
    let md = run(&[
        "diff",
        &fixture("eco", "diff-old.yaml"),
        &fixture("eco", "diff-new.yaml"),
        "--format",
        "markdown",
    ]);
    assert!(
        md.stdout.contains("| `payroll` Payroll | changed |"),
        "{}",
        md.stdout
    );
}

#[test]
fn diff_reads_saved_assessments_like_inventories() {
    let dir = tempfile::tempdir().unwrap();
    let save = |inv: &str, name: &str| {
        let p = dir.path().join(name);
        let r = run(&[
            "assess",
            &fixture("eco", inv),
            "--format",
            "json",
            "-o",
            p.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        p
    };
    let old = save("diff-old.yaml", "old.json");
    let new = save("diff-new.yaml", "new.json");
    let from_docs = run(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(from_docs.code, 0, "{}", from_docs.stderr);
    let from_inv = run(&[
        "diff",
        &fixture("eco", "diff-old.yaml"),
        &fixture("eco", "diff-new.yaml"),
        "--format",
        "json",
    ]);
    let strip = |s: &str| {
        let mut v: Value = serde_json::from_str(s).unwrap();
        v.as_object_mut().unwrap().remove("old");
        v.as_object_mut().unwrap().remove("new");
        v
    };
    assert_eq!(strip(&from_docs.stdout), strip(&from_inv.stdout));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = run(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}");
        assert!(r.stdout.contains("cloudready"), "{shell}");
    }
    let man = run(&["man"]);
    assert_eq!(man.code, 0);
    assert!(
        man.stdout.contains(".TH cloudready"),
        "{}",
        &man.stdout[..200]
    );
}

#[test]
fn diff_rejects_a_broken_or_foreign_assessment_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\"schema\":\"cloudready-assessment/v1\",\n\"workloads\":[{\"id\":1}]}",
    )
    .unwrap();
    let r = run(&[
        "diff",
        bad.to_str().unwrap(),
        &fixture("eco", "diff-new.yaml"),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.json:2:"), "{}", r.stderr);
    assert!(r.stderr.contains("incomplete assessment document"));
    std::fs::write(&bad, "{\"schema\":\"cloudready-assessment/v9\"}").unwrap();
    let r = run(&[
        "diff",
        bad.to_str().unwrap(),
        &fixture("eco", "diff-new.yaml"),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unsupported assessment document"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_example_portfolio_survives_import_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("inventory.yaml");
    let r = run(&[
        "import",
        "examples/inventory.yaml",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        assessment_without_locations(out.to_str().unwrap()),
        assessment_without_locations("examples/inventory.yaml")
    );
}
