//! `check` as a CI tool: input problems in every report format, code scanning's and GitLab's
//! limits and conventions (repository-relative paths, stable fingerprints, capped
//! annotations), the format taken from `-o`, `--quiet`, `--soft-fail`, the environment
//! variables and which settings file applies.

use crate::common::*;

use std::path::Path;

use serde_json::Value;

const INV: &str = "tests/fixtures/check/inventory.yaml";
const BROKEN: &str = "tests/fixtures/inputs/wrong-type.yaml";
const TODAY: &str = "2026-11-23";

fn validator(name: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/schemas").join(name)).unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{doc:#}");
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// A scratch git repository with the check fixtures' inventory in `infra/`.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(dir.path().join("infra")).unwrap();
    std::fs::copy(root().join(INV), dir.path().join("infra/inventory.yaml")).unwrap();
    dir
}

#[test]
fn check_reports_a_broken_inventory_in_every_format_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let broken = root().join(BROKEN);
    let broken = broken.to_str().unwrap();
    let r = cmd(&["check", broken, "--format", "github"]).code(2).run();
    assert!(r.stdout.starts_with("::error file="), "{}", r.stdout);
    assert!(r.stdout.contains("title=wrong-type"), "{}", r.stdout);

    let sarif = dir.path().join("c.sarif");
    cmd(&[
        "check",
        broken,
        "--format",
        "sarif",
        "-o",
        sarif.to_str().unwrap(),
    ])
    .code(2)
    .run();
    let doc = read_json(&sarif);
    assert_valid(&validator("sarif-schema-2.1.0.json"), &doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["ruleId"] == "wrong-type"),
        "{doc:#}"
    );

    let junit = dir.path().join("c.xml");
    cmd(&[
        "check",
        broken,
        "--format",
        "junit",
        "-o",
        junit.to_str().unwrap(),
    ])
    .code(2)
    .run();
    let xml = std::fs::read_to_string(&junit).unwrap();
    let parsed = roxmltree::Document::parse(&xml).unwrap();
    assert!(
        parsed.descendants().any(|n| n.has_tag_name("failure")),
        "{xml}"
    );

    let r = cmd(&["check", broken, "--format", "json"]).code(2).run();
    assert_eq!(r.json()["passed"], false);
    // Text stays as it was: the problems with snippets on standard error, nothing on stdout.
    let r = cmd(&["check", broken]).code(2).run();
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr.contains("wrong-type") || r.stderr.contains("invalid type"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_config_that_cannot_be_read_is_reported_at_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("c.sarif");
    cmd(&[
        "check",
        INV,
        "--config",
        "no-such.toml",
        "-o",
        sarif.to_str().unwrap(),
    ])
    .code(2)
    .run();
    let doc = read_json(&sarif);
    assert_valid(&validator("sarif-schema-2.1.0.json"), &doc);
    let loc = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "no-such.toml", "{doc:#}");
    // Arguments that do not fit together are still refused before any report.
    let r = cmd(&[
        "check",
        INV,
        "--format",
        "text",
        "-o",
        sarif.to_str().unwrap(),
        "--force",
    ])
    .code(2)
    .run();
    assert!(r.stderr.contains("names a .sarif file"), "{}", r.stderr);
}

#[test]
fn sarif_paths_are_from_the_repository_root_with_the_working_directory_noted() {
    let dir = repo();
    let infra = dir.path().join("infra");
    for typed in ["inventory.yaml", "./inventory.yaml"] {
        let r = cmd(&["check", typed, "--date", TODAY, "--format", "sarif"])
            .dir(&infra)
            .env("GITHUB_WORKSPACE", dir.path())
            .code(1)
            .run();
        let doc = r.json();
        assert_valid(&validator("sarif-schema-2.1.0.json"), &doc);
        let run = &doc["runs"][0];
        assert_eq!(run["originalUriBaseIds"]["WORKDIR"]["uri"], "infra/");
        assert_eq!(run["originalUriBaseIds"]["WORKDIR"]["uriBaseId"], "SRCROOT");
        for res in run["results"].as_array().unwrap() {
            let a = &res["locations"][0]["physicalLocation"]["artifactLocation"];
            assert_eq!(a["uri"], "infra/inventory.yaml", "{typed}: {res:#}");
            assert_eq!(a["uriBaseId"], "SRCROOT");
        }
    }
    // An absolute path is given from the root too; standard input has no file to point at.
    let abs = infra.join("inventory.yaml");
    let r = cmd(&[
        "check",
        abs.to_str().unwrap(),
        "--date",
        TODAY,
        "--format",
        "sarif",
    ])
    .dir(dir.path())
    .code(1)
    .run();
    let text = r.stdout.clone();
    assert!(text.contains("\"uri\": \"infra/inventory.yaml\""), "{text}");
    assert!(!text.contains(dir.path().to_str().unwrap()), "{text}");
    let yaml = std::fs::read(&abs).unwrap();
    let r = cmd(&["check", "-", "--date", TODAY, "--format", "sarif"])
        .dir(dir.path())
        .stdin(yaml)
        .code(1)
        .run();
    assert!(!r.stdout.contains("\"uri\": \"-\""), "{}", r.stdout);
    let gh = cmd(&[
        "check",
        "./inventory.yaml",
        "--date",
        TODAY,
        "--format",
        "github",
    ])
    .dir(&infra)
    .env("GITHUB_WORKSPACE", dir.path())
    .code(1)
    .run();
    assert!(
        gh.stdout.contains("file=infra/inventory.yaml,"),
        "{}",
        gh.stdout
    );
}

/// Fingerprints name the finding, not its line: lines added above every finding leave them
/// as they were, and no two results share one.
#[test]
fn sarif_fingerprints_survive_lines_added_above() {
    let dir = repo();
    let fingerprints = |dir: &Path| -> Vec<String> {
        let r = cmd(&[
            "check",
            "infra/inventory.yaml",
            "--date",
            TODAY,
            "--format",
            "sarif",
        ])
        .dir(dir)
        .code(1)
        .run();
        r.json()["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["cloudreadyFinding/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let before = fingerprints(dir.path());
    let unique: std::collections::BTreeSet<&String> = before.iter().collect();
    assert_eq!(unique.len(), before.len(), "{before:?}");
    let p = dir.path().join("infra/inventory.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("# reviewed\n# again\n{text}")).unwrap();
    assert_eq!(fingerprints(dir.path()), before);
}

#[test]
fn gitlab_code_quality_matches_gitlabs_documented_format() {
    let dir = repo();
    let r = cmd(&[
        "check",
        "infra/inventory.yaml",
        "--date",
        TODAY,
        "--format",
        "gitlab",
    ])
    .dir(dir.path())
    .code(1)
    .run();
    let doc = r.json();
    let v = validator("gitlab-codequality.json");
    assert_valid(&v, &doc);
    let issues = doc.as_array().unwrap();
    assert!(!issues.is_empty());
    for i in issues {
        assert_eq!(i["location"]["path"], "infra/inventory.yaml");
    }
    let fps: std::collections::BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(
        fps.len(),
        issues.len(),
        "GitLab shows one issue per fingerprint"
    );
    assert!(issues.iter().any(|i| i["severity"] == "major"));
    // The schema does refuse what GitLab would not read.
    let mut bad = doc.clone();
    bad[0]["severity"] = "error".into();
    assert!(!v.is_valid(&bad));
    let mut bad = doc.clone();
    bad[0]["location"]["path"] = "./infra/inventory.yaml".into();
    assert!(!v.is_valid(&bad));
    // A broken inventory reaches GitLab too.
    let r = cmd(&["check", BROKEN, "--format", "gitlab"]).code(2).run();
    assert_valid(&v, &r.json());
}

#[test]
fn the_output_name_picks_the_format_and_a_mismatch_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    cmd(&["check", INV, "--date", TODAY, "-o", &at("x.sarif")])
        .code(1)
        .run();
    assert_eq!(read_json(&dir.path().join("x.sarif"))["version"], "2.1.0");
    cmd(&["check", INV, "--date", TODAY, "-o", &at("x.xml")])
        .code(1)
        .run();
    assert!(
        std::fs::read_to_string(dir.path().join("x.xml"))
            .unwrap()
            .starts_with("<?xml")
    );
    cmd(&[
        "check",
        INV,
        "--date",
        TODAY,
        "--format",
        "gitlab",
        "-o",
        &at("gl.json"),
    ])
    .code(1)
    .run();
    assert!(read_json(&dir.path().join("gl.json")).is_array());
    cmd(&["assess", INV, "-o", &at("a.xlsx")]).code(0).run();
    assert_eq!(
        &std::fs::read(dir.path().join("a.xlsx")).unwrap()[..2],
        b"PK"
    );
    cmd(&["assess", INV, "-o", &at("a.yaml")]).code(0).run();
    assert!(
        std::fs::read_to_string(dir.path().join("a.yaml"))
            .unwrap()
            .contains("schema: cloudready-assessment/v1")
    );
    for (args, ending) in [
        (vec!["check", INV, "--format", "json", "-o"], "x.sarif"),
        (vec!["validate", INV, "--format", "sarif", "-o"], "v.xml"),
        (vec!["assess", INV, "--format", "json", "-o"], "a.csv"),
        (vec!["diff", INV, INV, "--format", "json", "-o"], "d.md"),
        (vec!["strategy", INV, "--format", "html", "-o"], "s.docx"),
        (vec!["import", INV, "-o"], "i.json"),
        (vec!["schema", "-o"], "s.yaml"),
    ] {
        let mut a = args.clone();
        let target = at(&format!("refused-{ending}"));
        a.push(&target);
        let r = cmd(&a).code(2).run();
        assert!(r.stderr.contains("names a ."), "{a:?}: {}", r.stderr);
        assert!(!Path::new(&target).exists(), "{a:?} wrote {target}");
    }
}

#[test]
fn quiet_silences_the_summary_and_soft_fail_exits_0_with_the_findings() {
    let r = cmd(&["-q", "check", INV, "--date", TODAY]).code(1).run();
    assert!(r.stdout.contains("error["), "{}", r.stdout);
    assert!(!r.stdout.contains("check failed"), "{}", r.stdout);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let r = cmd(&["-q", "check", INV, "--date", TODAY, "--format", "github"])
        .code(1)
        .run();
    assert!(r.stdout.contains("::error "), "{}", r.stdout);
    assert!(!r.stdout.contains("check failed"), "{}", r.stdout);
    let r = cmd(&["check", INV, "--date", TODAY, "--soft-fail"])
        .code(0)
        .run();
    assert!(r.stdout.contains("check failed"), "{}", r.stdout);
    // Soft-fail is about findings: input nobody could judge still exits 2.
    cmd(&["check", BROKEN, "--soft-fail", "--format", "json"])
        .code(2)
        .run();
}

#[test]
fn environment_settings_come_between_flags_and_files() {
    let strict = fixture("check", "strict.toml");
    let lenient = fixture("check", "lenient.toml");
    let count = |r: &Run| r.json()["findings"].as_array().unwrap().len();
    let by_env = cmd(&["check", INV, "--date", TODAY])
        .env("CLOUDREADY_CONFIG", &strict)
        .env("CLOUDREADY_FORMAT", "json")
        .run();
    assert_eq!(by_env.code, 1, "{}", by_env.stderr);
    assert!(
        by_env.stderr.contains(&format!("settings: {strict}")),
        "{}",
        by_env.stderr
    );
    let by_flag = cmd(&["check", INV, "--date", TODAY, "--config", &lenient])
        .env("CLOUDREADY_CONFIG", &strict)
        .env("CLOUDREADY_FORMAT", "json")
        .run();
    assert!(
        by_flag.stderr.contains(&format!("settings: {lenient}")),
        "{}",
        by_flag.stderr
    );
    assert_ne!(count(&by_env), count(&by_flag));
    let r = cmd(&["check", INV, "--date", TODAY, "--format", "github"])
        .env("CLOUDREADY_FORMAT", "json")
        .run();
    assert!(r.stdout.starts_with("::"), "{}", r.stdout);
    // With no settings file anywhere, the run says so.
    let dir = tempfile::tempdir().unwrap();
    let inv = root().join(INV);
    let r = cmd(&["check", inv.to_str().unwrap(), "--date", TODAY])
        .dir(dir.path())
        .run();
    assert!(r.stderr.contains("settings: none found"), "{}", r.stderr);
}

#[test]
fn force_color_colours_a_pipe() {
    let r = cmd(&["check", INV, "--date", TODAY])
        .env("FORCE_COLOR", "1")
        .run();
    assert!(r.stdout.contains("\x1b["), "{}", r.stdout);
    let r = cmd(&["check", INV, "--date", TODAY])
        .env("FORCE_COLOR", "1")
        .env("NO_COLOR", "1")
        .run();
    assert!(!r.stdout.contains("\x1b["), "{}", r.stdout);
}

#[test]
fn validate_junit_has_no_passing_testcase_beside_a_failing_one() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.yaml");
    std::fs::write(
        &good,
        "schema: cloudready/v1\nagency: { name: Department of Example Affairs }\nworkloads:\n  - id: other\n    name: Other\n    classification: OFFICIAL\n",
    )
    .unwrap();
    let good = good.to_str().unwrap();
    let r = cmd(&["validate", BROKEN, good, "--format", "junit"])
        .code(2)
        .run();
    let xml = roxmltree::Document::parse(&r.stdout).unwrap();
    let cases: Vec<(String, String, bool)> = xml
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|n| {
            (
                n.attribute("classname").unwrap().to_string(),
                n.attribute("name").unwrap().to_string(),
                n.children().any(|c| c.has_tag_name("failure")),
            )
        })
        .collect();
    assert!(
        cases.iter().any(|(f, _, failed)| f == BROKEN && *failed),
        "{cases:?}"
    );
    assert!(
        !cases
            .iter()
            .any(|(f, n, _)| f == BROKEN && n == "valid-inventory"),
        "{cases:?}"
    );
    assert!(
        cases
            .iter()
            .any(|(f, n, failed)| f == good && n == "valid-inventory" && !failed),
        "{cases:?}"
    );
}

/// A reader that stops early (`| head`) is the reader's choice: every format exits 0, YAML
/// included.
#[test]
fn a_closed_pipe_ends_every_assess_format_with_exit_0() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("big.yaml");
    std::fs::write(&inv, cloudready::synth::inventory(400)).unwrap();
    for format in ["yaml", "json", "csv", "markdown", "table"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cloudready"))
            .args(["-q", "assess", inv.to_str().unwrap(), "--format", format])
            .env_remove("NO_COLOR")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut head = [0u8; 64];
        child.stdout.take().unwrap().read_exact(&mut head).unwrap();
        // The read end is dropped here, as `head` exits after its lines.
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_help_names_every_input_and_document_format() {
    let r = cmd(&["import", "--help"]).code(0).run();
    assert!(r.stdout.contains(".xlsx/.ods"), "{}", r.stdout);
    let r = cmd(&["--help"]).code(0).run();
    let line = r
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("strategy"))
        .unwrap();
    assert!(line.contains("Word"), "{line}");
}

/// `init`'s own starter is clean: its first `check` raises no note at all.
#[test]
fn the_init_starter_checks_without_a_note() {
    let dir = tempfile::tempdir().unwrap();
    cmd(&["init", dir.path().to_str().unwrap()]).code(0).run();
    let r = cmd(&["check", "inventory.yaml"])
        .dir(dir.path())
        .code(0)
        .run();
    assert!(!r.stderr.contains("note:"), "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert!(
        r.stderr.contains("settings: cloudready.toml"),
        "{}",
        r.stderr
    );
}
