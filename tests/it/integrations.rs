//! CI integrations: the pre-commit hook definitions and the composite GitHub Action name real
//! subcommands, and the action's check step, run as a runner would run it, gates on the exit
//! code and writes SARIF. (`tests/precommit/try.sh`, run by .ci/run, tries the hooks with
//! pre-commit itself.)

use crate::common::*;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn yaml(name: &str) -> Value {
    let text = std::fs::read_to_string(root().join(name)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn pre_commit_hooks_run_validate_and_check_on_every_inventory_file() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().unwrap();
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["cloudready-validate", "cloudready-check"]);
    for h in hooks {
        let entry = h["entry"].as_str().unwrap();
        let sub = entry.strip_prefix("cloudready ").unwrap();
        // The entry is a real subcommand.
        cmd(&[sub, "--help"]).code(0).run();
        // Published for real users: pre-commit builds it with cargo.
        assert_eq!(h["language"], "rust", "{entry}");
        // Ids and dependencies span files, so the hook gets the whole inventory, not the
        // changed file names.
        assert_eq!(h["pass_filenames"], false, "{entry}");
        let files = regex_lite(h["files"].as_str().unwrap());
        for f in ["inventory.yaml", "corp/inventory.yml", "cmdb.csv", "x.json"] {
            assert!(files(f), "{entry} skips {f}");
        }
        // The settings and spreadsheet inventories change what the hooks would say too.
        for f in [
            "cloudready.toml",
            "cmdb.xlsx",
            "cmdb.xlsm",
            "cmdb.xls",
            "cmdb.ods",
        ] {
            assert!(files(f), "{entry} skips {f}");
        }
        assert!(!files("README.md"), "{entry} runs on README.md");
    }
}

/// Just enough of the hooks' `files` patterns (`\.(a|b)$` alternations) to test them.
fn regex_lite(pattern: &str) -> impl Fn(&str) -> bool {
    let inner = pattern
        .strip_prefix(r"\.(")
        .and_then(|p| p.strip_suffix(")$"))
        .unwrap_or_else(|| panic!("unexpected files pattern {pattern}"));
    let exts: Vec<String> = inner
        .split('|')
        .flat_map(|e| match e {
            "ya?ml" => vec!["yaml".to_string(), "yml".to_string()],
            e => vec![e.to_string()],
        })
        .collect();
    move |f: &str| exts.iter().any(|e| f.ends_with(&format!(".{e}")))
}

/// Runs the action's `check` step's script as a runner would: inputs substituted into its
/// environment, `GITHUB_OUTPUT` a file. Returns the exit code it recorded and the step's log.
fn check_step(dir: &Path, inputs: &[(&str, &str)]) -> (String, String) {
    let action = yaml("action.yml");
    let defaults = &action["inputs"];
    let input = |name: &str| {
        inputs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
            .unwrap_or_else(|| defaults[name]["default"].as_str().unwrap().to_string())
    };
    let step = action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "check")
        .unwrap();
    assert_eq!(step["shell"], "bash");
    let output = dir.join("github-output");
    std::fs::write(&output, "").unwrap();
    let mut cmd = Command::new("bash");
    cmd.args(["-e", "-c", step["run"].as_str().unwrap()])
        .current_dir(dir)
        .env("GITHUB_OUTPUT", &output);
    for (k, v) in step["env"].as_object().unwrap() {
        let v = v.as_str().unwrap();
        let value = match v.strip_prefix("${{ inputs.") {
            Some(rest) => input(rest.strip_suffix(" }}").unwrap()),
            None => v.to_string(),
        };
        cmd.env(k, value);
    }
    // Where the install step puts it on a runner; here, the binary under test.
    cmd.env(
        "CLOUDREADY_BIN",
        assert_cmd::cargo::cargo_bin!("cloudready"),
    );
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "the step itself failed: {out:?}");
    let recorded = std::fs::read_to_string(&output).unwrap();
    let code = recorded
        .strip_prefix("exit-code=")
        .unwrap_or_else(|| panic!("no exit-code output: {recorded:?}"))
        .trim()
        .to_string();
    (code, String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn the_action_annotates_uploads_sarif_and_gates_on_the_check() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    for name in ["inventory", "config", "sarif", "strategy"] {
        assert!(
            action["inputs"][name]["description"].is_string(),
            "input {name}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        root().join("examples/inventory.yaml"),
        d.join("inventory.yaml"),
    )
    .unwrap();
    std::fs::copy(
        root().join("examples/cloudready.toml"),
        d.join("strict.toml"),
    )
    .unwrap();

    // Defaults: ./inventory.yaml, no cloudready.toml: only failed blockers fail, and the
    // example records some (a sensitive system encrypted one way only, among others).
    let (code, log) = check_step(d, &[]);
    assert_eq!(code, "1", "{log}");
    assert!(log.contains("title=CAF.encryption (payroll)"), "{log}");
    assert!(
        !log.contains("min_workload"),
        "no threshold without a config: {log}"
    );
    assert!(!d.join("cloudready.sarif").exists());

    // The example config fails; annotations in the log; SARIF written for upload.
    let (code, log) = check_step(d, &[("config", "strict.toml"), ("sarif", "true")]);
    assert_eq!(code, "1", "{log}");
    assert!(log.contains("::error file=inventory.yaml,line="), "{log}");
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("cloudready.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");

    // Several inventory files, space-separated, are one portfolio; a missing one is exit 2.
    let (code, log) = check_step(d, &[("inventory", "inventory.yaml missing.yaml")]);
    assert_eq!(code, "2", "{log}");
}
