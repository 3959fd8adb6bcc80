//! `cloudready check` on fixtures: exit codes for thresholds and waivers, config errors, the
//! SARIF output against the official schema, the JUnit output as XML, GitHub annotations, and
//! the strategy-document checks.

use crate::common::*;

use std::path::{Path, PathBuf};

use serde_json::Value;

const INV: &str = "tests/fixtures/check/inventory.yaml";
/// Waivers are judged on this day, so the tests do not depend on the clock.
const TODAY: &str = "2026-11-23";

/// `check INV --date TODAY --config FIXTURE [extra...]`
fn check(config: &str, extra: &[&str]) -> Run {
    check_on(TODAY, config, extra)
}

fn check_on(today: &str, config: &str, extra: &[&str]) -> Run {
    let cfg = fixture("check", config);
    let mut args = vec!["check", INV, "--date", today, "--config", &cfg];
    args.extend_from_slice(extra);
    run(&args)
}

/// (rule, workload, waived) of every finding of a JSON report.
fn findings(v: &Value) -> Vec<(String, String, bool)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["group"].as_str().unwrap().to_string(),
                !f["waiver"].is_null(),
            )
        })
        .collect()
}

/// The 1-based line of the first line in `path` that contains `needle`.
fn line_of(path: &str, needle: &str) -> u64 {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in {path}")) as u64
        + 1
}

#[test]
fn thresholds_fail_with_exit_1_and_name_each_rule() {
    let r = check("strict.toml", &["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let mut got = findings(&r.json());
    got.sort();
    let want = [
        ("CAF.authorisation", "legacy"),
        ("CAF.encryption", "legacy"),
        ("max_unknown", "mystery"),
        ("min_overall", "portfolio"),
        ("min_principle", "legacy"),
        ("min_workload", "legacy"),
    ];
    assert_eq!(
        got,
        want.iter()
            .map(|(r, w)| (r.to_string(), w.to_string(), false))
            .collect::<Vec<_>>()
    );
    // The unknown workload is judged by max_unknown, never by min_workload.
    let text = check("strict.toml", &[]);
    assert_eq!(text.code, 1);
    assert!(
        text.stdout.contains(
            "6 errors in 2 of 3 workloads and the portfolio, 0 warnings, 0 waived — check failed"
        ),
        "{}",
        text.stdout
    );
}

#[test]
fn thresholds_met_and_blockers_as_warnings_pass_with_exit_0() {
    let r = check("lenient.toml", &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("warning[CAF.authorisation]"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("0 errors, 2 warnings, 0 waived — check passed"),
        "{}",
        r.stdout
    );
}

#[test]
fn without_a_config_failed_blockers_fail() {
    let r = run(&["check", INV, "--date", TODAY]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let r = run(&["check", "tests/fixtures/inputs/best.yaml", "--date", TODAY]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn a_waiver_suppresses_exactly_its_finding() {
    let r = check("waive-one.toml", &["--format", "json"]);
    assert_eq!(r.code, 1, "the other blocker still fails");
    let v = r.json();
    assert_eq!(
        findings(&v),
        [
            ("CAF.authorisation".to_string(), "legacy".to_string(), false),
            ("CAF.encryption".to_string(), "legacy".to_string(), true),
        ]
    );
    let waived = &v["findings"][1]["waiver"];
    assert_eq!(waived["approved_by"], "CISO");
    assert_eq!(waived["expires"], "2027-06-30");
    let r = check("waive-both.toml", &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("0 errors, 0 warnings, 2 waived — check passed")
    );
}

#[test]
fn an_expired_waiver_waives_nothing_and_fails() {
    let r = check("expired.toml", &["--format", "json"]);
    assert_eq!(r.code, 1);
    let v = r.json();
    let got = findings(&v);
    assert!(got.contains(&("CAF.authorisation".into(), "legacy".into(), false)));
    assert!(got.contains(&("waiver_expired".into(), "legacy".into(), false)));
    let expired = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "waiver_expired")
        .unwrap();
    assert_eq!(
        expired["location"]["file"],
        fixture("check", "expired.toml")
    );
    assert_eq!(
        expired["location"]["line"],
        line_of(&fixture("check", "expired.toml"), "2026-06-30")
    );
    // The day before it expires, the same waiver still holds.
    let r = check_on("2026-06-30", "expired.toml", &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn a_bad_config_exits_2_with_its_line() {
    for (file, needle, message) in [
        (
            "bad-key.toml",
            "min_workloads",
            "did you mean `min_workload`?",
        ),
        ("bad-type.toml", "max_unknown", "invalid type"),
        ("bad-rule.toml", "rule =", "did you mean `CAF.encryption`?"),
    ] {
        let r = check(file, &[]);
        assert_eq!(r.code, 2, "{file}: {}", r.stderr);
        let line = line_of(&fixture("check", file), needle);
        assert!(
            r.stderr
                .contains(&format!("{}:{line}:", fixture("check", file))),
            "{file}: {}",
            r.stderr
        );
        assert!(r.stderr.contains(message), "{file}: {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    let r = check("no-such.toml", &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no such file"), "{}", r.stderr);
}

#[test]
fn sarif_is_valid_and_points_at_the_yaml_lines() {
    let r = check(
        "expired.toml",
        &[
            "--format",
            "sarif",
            "--strategy",
            &fixture("check", "strategy-placeholder.md"),
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let sarif = r.json();
    let validator = sarif_validator();
    assert_valid(&validator, &sarif);
    // The validator does reject what SARIF forbids.
    let mut bad = sarif.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad));
    assert_eq!(sarif["version"], "2.1.0");

    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    for res in results {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
        assert!(!rules[i]["help"]["text"].as_str().unwrap().is_empty());
    }
    let by_rule = |id: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == id)
            .unwrap_or_else(|| panic!("no {id} in {results:#?}"))
    };
    let region = |r: &Value| r["locations"][0]["physicalLocation"].clone();
    let enc = region(by_rule("CAF.encryption"));
    assert_eq!(enc["artifactLocation"]["uri"], INV);
    assert_eq!(
        enc["region"]["startLine"].as_u64().unwrap(),
        line_of(INV, "encryption: none")
    );
    assert_eq!(
        enc["region"]["startColumn"],
        "      encryption: ".len() as u64 + 1
    );
    // Waived: kept, with the reason as an external suppression.
    let s = &by_rule("CAF.encryption")["suppressions"][0];
    assert_eq!(s["kind"], "external");
    assert!(
        s["justification"]
            .as_str()
            .unwrap()
            .contains("platform upgrade")
    );
    assert!(by_rule("CAF.authorisation").get("suppressions").is_none());
    let exp = region(by_rule("waiver_expired"));
    assert_eq!(
        exp["artifactLocation"]["uri"],
        fixture("check", "expired.toml")
    );
    let ph = region(by_rule("strategy_placeholder"));
    assert_eq!(
        ph["region"]["startLine"].as_u64().unwrap(),
        line_of(&fixture("check", "strategy-placeholder.md"), "TBD")
    );
}

#[test]
fn junit_parses_with_one_failure_per_unwaived_violation() {
    for (config, failures) in [
        ("strict.toml", 6),
        ("waive-one.toml", 1),
        ("expired.toml", 2),
        ("waive-both.toml", 0),
    ] {
        let r = check(config, &["--format", "junit"]);
        let xml = roxmltree::Document::parse(&r.stdout)
            .unwrap_or_else(|e| panic!("{config}: {e}\n{}", r.stdout));
        let failed: Vec<(String, String)> = xml
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .map(|f| {
                let case = f.parent().unwrap();
                (
                    case.attribute("classname").unwrap().to_string(),
                    case.attribute("name").unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(failed.len(), failures, "{config}: {failed:?}");
        let suite = xml
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .unwrap();
        assert_eq!(
            suite.attribute("failures"),
            Some(failures.to_string().as_str())
        );
        let cases = xml
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count();
        assert_eq!(suite.attribute("tests"), Some(cases.to_string().as_str()));
        // A testcase per workload and rule: each pair once.
        let mut pairs: Vec<(&str, &str)> = xml
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .map(|n| {
                (
                    n.attribute("classname").unwrap(),
                    n.attribute("name").unwrap(),
                )
            })
            .collect();
        let n = pairs.len();
        pairs.sort();
        pairs.dedup();
        assert_eq!(pairs.len(), n, "{config}");
        if config == "expired.toml" {
            assert!(failed.contains(&("legacy".into(), "waiver_expired".into())));
            assert!(failed.contains(&("legacy".into(), "CAF.authorisation".into())));
        }
    }
}

#[test]
fn github_annotations_name_file_and_line() {
    let r = check("waive-one.toml", &["--format", "github"]);
    assert_eq!(r.code, 1);
    let line = line_of(INV, "status: none");
    assert!(
        r.stdout.contains(&format!(
            "::error file={INV},line={line},col=15,title=CAF.authorisation (legacy)::blocker"
        )),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("::notice file="), "{}", r.stdout);
}

/// A document as the strategy renderer writes it: a heading per principle and the digest of
/// the inventory it came from.
fn generated_strategy(dir: &Path) -> PathBuf {
    let packs = cloudready::pack::Packs::builtin().unwrap();
    let mut sources = cloudready::diagnostic::Sources::default();
    sources.add(INV, std::fs::read_to_string(root().join(INV)).unwrap());
    let digest = cloudready::digest::inventory_digest(&sources);
    let mut doc = format!(
        "# Cloud strategy\n{}\n\n## Our principles\n\n",
        cloudready::digest::comment(&digest)
    );
    for p in &packs.principles {
        doc.push_str(&format!(
            "### {}: {}\n\nWhat it means here.\n\n",
            p.id, p.title
        ));
    }
    let path = dir.join("strategy.md");
    std::fs::write(&path, doc).unwrap();
    path
}

#[test]
fn a_generated_untouched_strategy_passes() {
    let dir = tempfile::tempdir().unwrap();
    let doc = generated_strategy(dir.path());
    let r = check("waive-both.toml", &["--strategy", doc.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    // Once the inventory changes, the same document is stale.
    let inv = dir.path().join("inventory.yaml");
    let text = std::fs::read_to_string(root().join(INV)).unwrap();
    std::fs::write(
        &inv,
        text.replace("Legacy Case System", "Legacy Case System v2"),
    )
    .unwrap();
    let cfg = fixture("check", "waive-both.toml");
    let r = run(&[
        "check",
        inv.to_str().unwrap(),
        "--date",
        TODAY,
        "--config",
        &cfg,
        "--strategy",
        doc.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("error[strategy_stale]"), "{}", r.stdout);
}

#[test]
fn strategy_problems_fail_with_a_message_naming_them() {
    for (doc, rule, says, needle) in [
        (
            "strategy-missing-p5.md",
            "strategy_section",
            "no heading names principle P5",
            None,
        ),
        (
            "strategy-placeholder.md",
            "strategy_placeholder",
            "placeholder text `TBD`",
            Some("TBD"),
        ),
        (
            "strategy-stale.md",
            "strategy_stale",
            "regenerate it with `cloudready strategy tests/fixtures/check/inventory.yaml -o tests/fixtures/check/strategy-stale.md --force`",
            Some("cloudready:inventory"),
        ),
    ] {
        let path = fixture("check", doc);
        let r = check("waive-both.toml", &["--strategy", &path]);
        assert_eq!(r.code, 1, "{doc}: {}", r.stdout);
        let line = needle.map_or(1, |n| line_of(&path, n));
        assert!(
            r.stdout.contains(&format!("error[{rule}] {path}:{line}:")),
            "{doc}: {}",
            r.stdout
        );
        assert!(r.stdout.contains(says), "{doc}: {}", r.stdout);
    }
    // Both placeholders in the one document, each with its own line.
    let r = check(
        "waive-both.toml",
        &[
            "--strategy",
            &fixture("check", "strategy-placeholder.md"),
            "--format",
            "json",
        ],
    );
    let n = findings(&r.json())
        .iter()
        .filter(|f| f.0 == "strategy_placeholder")
        .count();
    assert_eq!(n, 2);
}

#[test]
fn output_is_deterministic_and_written_atomically() {
    let a = check("strict.toml", &["--format", "sarif"]);
    let b = check("strict.toml", &["--format", "sarif"]);
    assert_eq!((a.code, b.code), (1, 1), "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.sarif");
    let o = out.to_str().unwrap();
    let r = check("strict.toml", &["--format", "sarif", "-o", o]);
    assert_eq!(r.code, 1);
    // The file is standard output's text plus the seal, in SARIF's property bag.
    let mut written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let seal = written
        .as_object_mut()
        .unwrap()
        .remove("properties")
        .unwrap();
    assert!(
        seal["cloudready_seal"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    assert_eq!(
        written,
        serde_json::from_str::<serde_json::Value>(&a.stdout).unwrap()
    );
    // Our own report may be replaced, in any format (under a name that implies none, since a
    // known extension refuses another format); someone else's file may not.
    let plain = dir.path().join("report");
    let o = plain.to_str().unwrap();
    for format in ["text", "json", "sarif", "junit", "github", "sarif"] {
        let r = check("strict.toml", &["--format", format, "-o", o]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
    }
    let foreign = dir.path().join("notes");
    std::fs::write(&foreign, "mine").unwrap();
    let r = check(
        "strict.toml",
        &["--format", "junit", "-o", foreign.to_str().unwrap()],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&foreign).unwrap(), "mine");
}

#[test]
fn assess_takes_weights_and_waivers_from_the_config() {
    let r = run(&["assess", INV, "--format", "json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let legacy = |v: &Value| v["workloads"][0].clone();
    assert_eq!(legacy(&v)["band"], "not-ready");
    let cfg = fixture("check", "waive-both.toml");
    let r = run(&[
        "assess", INV, "--format", "json", "--config", &cfg, "--date", TODAY,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let w: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(legacy(&w)["blockers"].as_array().unwrap().len(), 0);
    assert_eq!(legacy(&w)["waived_blockers"].as_array().unwrap().len(), 2);

    let dir = tempfile::tempdir().unwrap();
    let weights = dir.path().join("cloudready.toml");
    std::fs::write(&weights, "[weights]\nP7 = 100\n").unwrap();
    let r = run(&[
        "assess",
        INV,
        "--format",
        "json",
        "--config",
        weights.to_str().unwrap(),
    ]);
    let heavy: Value = serde_json::from_str(&r.stdout).unwrap();
    let (before, after) = (
        legacy(&v)["overall"].as_f64().unwrap(),
        legacy(&heavy)["overall"].as_f64().unwrap(),
    );
    let p7 = legacy(&v)["principles"][6]["score"].as_f64().unwrap();
    assert!(
        (after - p7).abs() < (before - p7).abs(),
        "{before} → {after}, P7 {p7}"
    );
    std::fs::write(&weights, "[weights]\nP9 = 1\n").unwrap();
    let r = run(&["assess", INV, "--config", weights.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(":2:1"), "{}", r.stderr);
}

#[test]
fn the_example_config_works_with_the_example_inventory() {
    let r = run(&[
        "check",
        "examples/inventory.yaml",
        "--config",
        "examples/cloudready.toml",
        "--date",
        TODAY,
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("13 errors in 7 of 21 workloads, 0 warnings, 2 waived — check failed"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_portfolio_finding_can_be_waived() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("cloudready.toml");
    std::fs::write(
        &cfg,
        "[check]\nmin_overall = 60\nfail_on_blockers = false\n\n[[waiver]]\n\
         workload = \"portfolio\"\nrule = \"min_overall\"\nreason = \"Uplift funded in the 2027 budget.\"\n\
         approved_by = \"Secretary\"\nexpires = 2027-06-30\n",
    )
    .unwrap();
    let r = run(&[
        "check",
        INV,
        "--date",
        TODAY,
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("waived[min_overall]"), "{}", r.stdout);
}

#[test]
fn a_waiver_for_a_workload_not_in_the_inventory_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("cloudready.toml");
    std::fs::write(
        &cfg,
        "[[waiver]]\nworkload = \"legacyy\"\nrule = \"CAF.authorisation\"\nreason = \"r\"\n\
         approved_by = \"c\"\nexpires = 2027-06-30\n",
    )
    .unwrap();
    let r = run(&[
        "check",
        INV,
        "--date",
        TODAY,
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "the misspelt waiver waives nothing");
    assert!(r.stderr.contains("cloudready.toml:2:12"), "{}", r.stderr);
    assert!(r.stderr.contains("did you mean `legacy`?"), "{}", r.stderr);
}

/// Input errors reach code scanning too: `validate --format sarif` on broken inventories
/// (several files, several problems) is valid SARIF 2.1.0 pointing at the offending lines; the
/// other report formats parse; exit code 2 stays (bad input).
#[test]
fn validate_reports_input_errors_as_valid_sarif_junit_and_json() {
    let broken = "tests/fixtures/inputs/wrong-type.yaml";
    let dup = "tests/fixtures/inputs/duplicate-id.yaml";
    let r = run(&["validate", broken, dup, "--format", "sarif"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let sarif = r.json();
    let validator = sarif_validator();
    assert_valid(&validator, &sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let users_line = line_of(broken, "users:");
    assert!(
        results.iter().any(|res| {
            let loc = &res["locations"][0]["physicalLocation"];
            loc["artifactLocation"]["uri"] == broken && loc["region"]["startLine"] == users_line
        }),
        "a result at {broken}:{users_line}: {sarif:#}"
    );
    for res in results {
        assert_eq!(res["level"], "error");
        let rule = res["ruleId"].as_str().unwrap();
        let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], rule);
    }

    let r = run(&["validate", broken, "--format", "junit"]);
    assert_eq!(r.code, 2);
    let xml = roxmltree::Document::parse(&r.stdout).unwrap();
    assert!(xml.descendants().any(|n| n.has_tag_name("failure")));

    let r = run(&["validate", broken, "--format", "json"]);
    assert_eq!(r.code, 2);
    let v = r.json();
    assert_eq!(v["schema"], "cloudready-validate/v1");
    assert_eq!(v["passed"], false);

    // A valid inventory gives a passing report and exit 0.
    let r = run(&["validate", "examples/inventory.yaml", "--format", "sarif"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(validator.is_valid(&r.json()));
}

/// Every kind of problem the code can report has a stable code and a rule text (SARIF's rule
/// list, JUnit): input problems in kebab-case, `check`'s own rules as DESIGN.md spells them.
#[test]
fn every_diagnostic_code_is_stable_and_documented() {
    let rules = std::fs::read_to_string(root().join("rules/check-rules.yaml")).unwrap();
    let mut codes: std::collections::BTreeSet<String> = cloudready::diagnostic::Code::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    // `check`'s own rules are named where they are found.
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for (i, _) in text.match_indices(".rule(\"") {
                let rest = &text[i + 7..];
                codes.insert(rest[..rest.find('"').unwrap()].to_string());
            }
        }
    }
    assert!(codes.len() > 30, "{codes:?}");
    for code in &codes {
        let kebab = code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let check_rule = code.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        assert!(
            kebab || check_rule,
            "`{code}` is neither kebab-case nor a check rule id"
        );
        assert!(
            rules.contains(&format!("\n  {code}:\n")),
            "`{code}` has no text in rules/check-rules.yaml"
        );
    }
}

/// The official SARIF 2.1.0 schema (a copy in tests/fixtures/schemas, with its source noted).
fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/schemas/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, sarif: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
