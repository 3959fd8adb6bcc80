//! CLI tests: run the real binary on fixtures and check exit codes, messages and output.

use crate::common::*;

use std::path::Path;

/// The 1-based line of the first line in `path` that contains `needle` and is not a comment.
fn line_of(path: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .position(|l| l.contains(needle) && !l.trim_start().starts_with('#'))
        .unwrap_or_else(|| panic!("{needle:?} not in {}", path.display()))
        + 1
}

/// A bad input exits 2 with `file:line:` in the message, the hint (an error that has one), and
/// no panic.
fn rejects(path: &Path, line: usize, message: &str, hint: Option<&str>) {
    let p = path.to_str().unwrap();
    let r = run(&["validate", p]);
    assert_eq!(r.code, 2, "exit code for {p}: {}", r.stderr);
    let rel = path.strip_prefix(root()).unwrap_or(path).to_str().unwrap();
    let shown = p.to_string();
    let _ = rel;
    assert!(
        r.stderr.contains(&format!("{shown}:{line}:")),
        "expected {shown}:{line}: in\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(message),
        "expected {message:?} in\n{}",
        r.stderr
    );
    if let Some(hint) = hint {
        assert!(
            r.stderr.contains(hint) && r.stderr.contains("= hint:"),
            "expected hint {hint:?} in\n{}",
            r.stderr
        );
    }
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "nothing on stdout: {}", r.stdout);
}

#[test]
fn unquoted_official_sensitive_says_to_quote_it() {
    let p = root().join("examples/bad/unquoted-classification.yaml");
    let line = line_of(&p, "classification: OFFICIAL: Sensitive");
    rejects(&p, line, "invalid YAML", Some("\"OFFICIAL: Sensitive\""));
}

#[test]
fn misspelt_key_suggests_the_right_one() {
    let p = root().join("examples/bad/misspelt-key.yaml");
    let line = line_of(&p, "infrastucture_as_code");
    rejects(
        &p,
        line,
        "unknown key `infrastucture_as_code`",
        Some("did you mean `infrastructure_as_code`?"),
    );
}

#[test]
fn invalid_classification_lists_valid_values() {
    let p = root().join("examples/bad/invalid-value.yaml");
    let line = line_of(&p, "CONFIDENTIAL");
    rejects(
        &p,
        line,
        "invalid value `CONFIDENTIAL` for `classification`",
        Some("2018 PSPF reform"),
    );
    rejects(
        &p,
        line,
        "invalid value",
        Some("\"OFFICIAL: Sensitive\", PROTECTED, SECRET"),
    );
}

#[test]
fn duplicate_id_points_at_the_second() {
    let p = fixture_path("inputs", "duplicate-id.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    // The second occurrence of the duplicated id line.
    let ids: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            l.trim_start()
                .strip_prefix("- id:")
                .map(|v| (i + 1, v.trim()))
        })
        .collect();
    let (line, id) = ids
        .iter()
        .enumerate()
        .find_map(|(k, (l, id))| ids[..k].iter().any(|(_, o)| o == id).then_some((*l, *id)))
        .expect("fixture has a duplicate id");
    rejects(
        &p,
        line,
        &format!("duplicate workload id `{id}`"),
        Some("unique across all inventory files"),
    );
}

#[test]
fn dependency_on_missing_id() {
    let p = fixture_path("inputs", "missing-dependency.yaml");
    let r = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("which is not in the inventory"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("hint"), "{}", r.stderr);
}

#[test]
fn wrong_type_names_the_expected_type() {
    let p = fixture_path("inputs", "wrong-type.yaml");
    let line = line_of(&p, "users:");
    rejects(&p, line, "`users` must be a whole number", None);
    // What was found, and where: the value itself under the caret.
    let r = run(&["validate", p.to_str().unwrap()]);
    assert!(r.stderr.contains("found `lots`"), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("{line} |     users: \"lots\"")),
        "{}",
        r.stderr
    );
}

#[test]
fn tab_indentation_says_use_spaces() {
    let p = fixture_path("inputs", "tab-indent.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with('\t') || l.trim_start_matches(' ').starts_with('\t'))
        .unwrap()
        + 1;
    let r = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("tabs for indentation"), "{}", r.stderr);
    // The parser may notice the tab on its line or the next; either is the right neighbourhood.
    let shown = p.to_str().unwrap();
    assert!(
        (line..=line + 1).any(|l| r.stderr.contains(&format!("{shown}:{l}:"))),
        "expected line {line} in\n{}",
        r.stderr
    );
}

#[test]
fn unsupported_schema() {
    let p = fixture_path("inputs", "bad-schema.yaml");
    let line = line_of(&p, "schema:");
    rejects(
        &p,
        line,
        "unsupported schema `cloudready/v9`",
        Some("cloudready/v1"),
    );
}

/// Short answers, whole: the version, a valid inventory's one line (none with `--quiet`), and a
/// usage error.
#[test]
fn short_answers_are_exact() {
    cmd(&["--version"])
        .code(0)
        .stdout(&format!("cloudready {}\n", env!("CARGO_PKG_VERSION")))
        .stderr("")
        .run();
    cmd(&["validate", "examples/minimal.yaml"])
        .code(0)
        .stdout("valid: 1 workload in 1 file\n")
        .stderr("")
        .run();
    cmd(&["-q", "validate", "examples/minimal.yaml"])
        .code(0)
        .stdout("")
        .stderr("")
        .run();
    cmd(&["validate", "-", "-"])
        .stdin("x")
        .code(2)
        .stdout("")
        .stderr(
            "error: `-` (standard input) is given more than once; it can be read only once: \
             name the other inventories as files\n",
        )
        .run();
}

#[test]
fn empty_file() {
    let p = fixture_path("inputs", "empty.yaml");
    let r = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("the file is empty"), "{}", r.stderr);
    assert!(r.stderr.contains(p.to_str().unwrap()), "{}", r.stderr);
    assert!(r.stderr.contains("cloudready init"), "{}", r.stderr);
}

#[test]
fn binary_file() {
    let p = fixture_path("inputs", "binary.bin");
    let r = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not UTF-8 text: byte 0x"), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("{}:1:", p.to_str().unwrap())),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("hint"), "{}", r.stderr);
}

#[test]
fn missing_file_and_directory_exit_2() {
    let r = run(&["validate", "no/such/inventory.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no/such/inventory.yaml: no such file"),
        "{}",
        r.stderr
    );
    let r = run(&["validate", "examples"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is a directory"), "{}", r.stderr);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["assess"]).code, 2);
    assert_eq!(
        run(&["assess", "examples/inventory.yaml", "--format", "pdf"]).code,
        2
    );
    assert_eq!(run(&["frobnicate"]).code, 2);
    let r = run(&["assess", "examples/inventory.yaml", "--workload", "payrol"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `payroll`"), "{}", r.stderr);
}

#[test]
fn table_has_a_column_per_principle_and_colour_only_on_request() {
    let r = run(&["assess", "examples/inventory.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let header = r.stdout.lines().find(|l| l.contains("Workload")).unwrap();
    for col in [
        "P1", "P2", "P3", "P4", "P5", "P6", "P7", "CAF", "Overall", "Band",
    ] {
        assert!(header.contains(col), "{col} missing from {header}");
    }
    // Not a terminal: plain.
    assert!(!r.stdout.contains('\x1b'), "no escape codes when piped");
    // Forced colour: the bands are coloured.
    let r = run(&["--color", "always", "assess", "examples/inventory.yaml"]);
    assert!(r.stdout.contains("\x1b["), "colour when asked");
    // NO_COLOR keeps auto plain.
    let out = cloudready()
        .env("NO_COLOR", "1")
        .args(["assess", "examples/inventory.yaml"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
}

#[test]
fn best_worst_and_bare_workloads() {
    let best = json(&[
        "assess",
        "--format",
        "json",
        fixture_path("inputs", "best.yaml").to_str().unwrap(),
    ]);
    let w = &best["workloads"][0];
    assert!(
        w["overall"].as_f64().unwrap() >= 90.0,
        "best: {}",
        w["overall"]
    );
    assert_eq!(w["band"], "ready");
    for p in w["principles"].as_array().unwrap() {
        assert!(
            p["score"].as_f64().unwrap() >= 90.0,
            "best {}: {}",
            p["id"],
            p["score"]
        );
    }

    let worst = json(&[
        "assess",
        "--format",
        "json",
        fixture_path("inputs", "worst.yaml").to_str().unwrap(),
    ]);
    let w = &worst["workloads"][0];
    assert!(
        w["overall"].as_f64().unwrap() <= 25.0,
        "worst: {}",
        w["overall"]
    );
    assert_eq!(w["band"], "not-ready");

    let bare = json(&[
        "assess",
        "--format",
        "json",
        fixture_path("inputs", "bare.yaml").to_str().unwrap(),
    ]);
    let w = &bare["workloads"][0];
    assert_eq!(w["band"], "unknown");
    assert!(w["confidence"].as_f64().unwrap() < 0.5);
    assert!(w["overall"].is_null());
    // Unknown facts are unknown, never zero.
    for p in w["principles"].as_array().unwrap() {
        for c in p["criteria"].as_array().unwrap() {
            assert!(c["score"].is_null() && c["answer"].is_null(), "{c}");
            assert_eq!(c["status"], "unknown");
        }
    }
}

#[test]
fn json_follows_the_documented_shape_and_points_into_the_yaml() {
    let inv = root().join("examples/inventory.yaml");
    let doc = json(&["assess", "--format", "json", "examples/inventory.yaml"]);
    assert_eq!(doc["schema"], "cloudready-assessment/v1");
    assert!(doc["agency"]["name"].is_string());
    let text = std::fs::read_to_string(&inv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let ws = doc["workloads"].as_array().unwrap();
    assert!(ws.len() >= 15);
    let ids: Vec<&str> = ws.iter().map(|w| w["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "stable order by id");
    let mut located = 0;
    for w in ws {
        for key in [
            "id",
            "name",
            "overall",
            "band",
            "confidence",
            "principles",
            "framework",
            "blockers",
            "hosting",
            "strategy",
            "wave",
        ] {
            assert!(w.get(key).is_some(), "workload lacks {key}");
        }
        assert!(
            ["ready", "conditional", "not-ready", "unknown"].contains(&w["band"].as_str().unwrap())
        );
        let principles = w["principles"].as_array().unwrap();
        assert_eq!(
            principles
                .iter()
                .map(|p| p["id"].as_str().unwrap())
                .collect::<Vec<_>>(),
            ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]
        );
        assert_eq!(w["framework"]["id"], "CAF");
        for p in principles.iter().chain(std::iter::once(&w["framework"])) {
            for key in ["id", "title", "score", "confidence", "criteria"] {
                assert!(p.get(key).is_some(), "pack lacks {key}");
            }
            for c in p["criteria"].as_array().unwrap() {
                for key in [
                    "id", "field", "answer", "score", "finding", "advice", "location",
                ] {
                    assert!(c.get(key).is_some(), "criterion lacks {key}: {c}");
                }
                if c["score"].is_number() {
                    // Every known answer points at the line and column where it is written.
                    let loc = &c["location"];
                    assert_eq!(loc["file"], "examples/inventory.yaml");
                    let line = lines[loc["line"].as_u64().unwrap() as usize - 1];
                    let col = loc["column"].as_u64().unwrap() as usize;
                    let at: String = line.chars().skip(col - 1).collect();
                    let answer = c["answer"].as_str().unwrap();
                    let leaf = c["field"].as_str().unwrap().rsplit('.').next().unwrap();
                    assert!(line.contains(leaf), "line {line:?} should hold {leaf}");
                    if !c["field"].as_str().unwrap().ends_with("end_of_support")
                        && c["field"] != "dependencies"
                    {
                        assert!(
                            at.trim_start_matches(['"', '\'']).starts_with(answer),
                            "{at:?} should start with {answer:?} ({})",
                            c["id"]
                        );
                    }
                    assert!(c["finding"].as_str().is_some_and(|f| !f.is_empty()));
                    located += 1;
                } else {
                    assert!(c["location"].is_null());
                }
            }
        }
    }
    assert!(located > 100, "most criteria are answered in the example");
    let p = &doc["portfolio"];
    for key in ["overall", "bands", "principles", "waves"] {
        assert!(p.get(key).is_some(), "portfolio lacks {key}");
    }
    assert_eq!(p["principles"].as_array().unwrap().len(), 7);
}

#[test]
fn same_input_same_bytes() {
    for format in ["json", "yaml", "csv", "markdown", "table"] {
        let a = run(&["assess", "--format", format, "examples/inventory.yaml"]);
        let b = run(&["assess", "--format", format, "examples/inventory.yaml"]);
        assert_eq!(a.code, 0, "{format}: {}", a.stderr);
        assert!(!a.stdout.is_empty());
        assert_eq!(a.stdout, b.stdout, "{format} differs between runs");
    }
}

#[test]
fn output_file_is_written_and_never_clobbered_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("assessment.json");
    let o = out.to_str().unwrap();
    let r = run(&[
        "assess",
        "examples/inventory.yaml",
        "--format",
        "json",
        "-o",
        o,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let first = std::fs::read_to_string(&out).unwrap();
    assert!(first.contains("cloudready-assessment/v1"));
    // Our own output may be refreshed.
    assert_eq!(
        run(&[
            "assess",
            "examples/inventory.yaml",
            "--format",
            "json",
            "-o",
            o
        ])
        .code,
        0
    );
    // Someone else's file is left alone.
    let theirs = dir.path().join("notes.json");
    std::fs::write(&theirs, "{\"mine\": true}").unwrap();
    let r = run(&[
        "assess",
        "examples/inventory.yaml",
        "--format",
        "json",
        "-o",
        theirs.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(&theirs).unwrap(),
        "{\"mine\": true}"
    );
    let r = run(&[
        "assess",
        "examples/inventory.yaml",
        "--format",
        "json",
        "--force",
        "-o",
        theirs.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0);
    // A failed run writes nothing.
    let fresh = dir.path().join("fresh.json");
    let r = run(&[
        "assess",
        "examples/bad/misspelt-key.yaml",
        "--format",
        "json",
        "-o",
        fresh.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(!fresh.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn several_files_share_one_id_space() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.yaml");
    let b = dir.path().join("b.yaml");
    std::fs::write(&a, "schema: cloudready/v1\nagency: { name: DEA }\nworkloads:\n  - id: one\n    name: One\n    dependencies: [two]\n").unwrap();
    std::fs::write(
        &b,
        "schema: cloudready/v1\nagency: { name: DEA }\nworkloads:\n  - id: two\n    name: Two\n",
    )
    .unwrap();
    let doc = json(&[
        "assess",
        "--format",
        "json",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(doc["workloads"].as_array().unwrap().len(), 2);
    std::fs::write(
        &b,
        "schema: cloudready/v1\nagency: { name: DEA }\nworkloads:\n  - id: one\n    name: Again\n",
    )
    .unwrap();
    let r = run(&["validate", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("duplicate workload id `one`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("{}:4:", b.to_str().unwrap())),
        "{}",
        r.stderr
    );
}

#[test]
fn cycles_are_notes_not_errors() {
    let r = run(&["validate", "examples/inventory.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("valid: "), "{}", r.stdout);
    assert!(r.stderr.contains("dependency cycle"), "{}", r.stderr);
    let r = run(&["--quiet", "validate", "examples/inventory.yaml"]);
    assert!(r.stderr.is_empty() && r.stdout.is_empty());
}

#[test]
fn workload_filter_and_formats() {
    let doc = json(&[
        "assess",
        "--format",
        "json",
        "examples/inventory.yaml",
        "--workload",
        "payroll",
    ]);
    assert_eq!(doc["workloads"].as_array().unwrap().len(), 1);
    let csv = run(&["assess", "--format", "csv", "examples/inventory.yaml"]);
    let header = csv.stdout.lines().next().unwrap();
    assert!(
        header
            .starts_with("id,name,classification,overall,band,confidence,P1,P2,P3,P4,P5,P6,P7,CAF"),
        "{header}"
    );
    let md = run(&["assess", "--format", "markdown", "examples/inventory.yaml"]);
    assert!(
        md.stdout.contains("| Workload | P1 | P2 |"),
        "{}",
        md.stdout
    );
    let y = run(&["assess", "--format", "yaml", "examples/inventory.yaml"]);
    assert!(
        y.stdout.contains("schema: cloudready-assessment/v1"),
        "{}",
        &y.stdout[..200.min(y.stdout.len())]
    );
}

#[test]
fn principles_command_shows_the_framework() {
    let r = run(&["principles"]);
    assert_eq!(r.code, 0);
    for id in ["P1", "P7", "CAF"] {
        assert!(r.stdout.contains(id));
    }
    let r = run(&["principles", "P6"]);
    assert!(
        r.stdout.contains("P6.") && r.stdout.contains("operations."),
        "{}",
        r.stdout
    );
    let v: serde_json::Value =
        serde_json::from_str(&run(&["principles", "--format", "json"]).stdout).unwrap();
    assert_eq!(v["principles"].as_array().unwrap().len(), 7);
    let r = run(&["principles", "P9"]);
    assert_eq!(r.code, 2);
}

#[test]
fn custom_pack_directory_changes_the_score() {
    // Copy P6 and make infrastructure as code count for nothing but a perfect score.
    let dir = tempfile::tempdir().unwrap();
    let builtin = run(&["principles", "P6", "--format", "json"]);
    assert_eq!(builtin.code, 0);
    let p6_src = std::fs::read_to_string(root().join("principles/p6-automation.yaml")).unwrap();
    let changed = p6_src.replacen("\nweight: 1\n", "\nweight: 5\n", 1);
    assert_ne!(p6_src, changed, "P6 pack has a top-level weight line");
    std::fs::write(dir.path().join("p6-automation.yaml"), &changed).unwrap();
    let d = dir.path().to_str().unwrap();
    let before = json(&[
        "assess",
        "--format",
        "json",
        "examples/inventory.yaml",
        "--workload",
        "payroll",
    ]);
    let after = json(&[
        "assess",
        "--format",
        "json",
        "examples/inventory.yaml",
        "--workload",
        "payroll",
        "--principles",
        d,
    ]);
    assert_ne!(
        before["workloads"][0]["overall"],
        after["workloads"][0]["overall"]
    );

    // A pack naming a field the inventory lacks is rejected with its own file and line.
    let broken = p6_src.replacen("field: operations.", "field: operations.made_up_", 1);
    std::fs::write(dir.path().join("p6-automation.yaml"), &broken).unwrap();
    let r = run(&["assess", "examples/inventory.yaml", "--principles", d]);
    assert_eq!(r.code, 2);
    let line = line_of(&dir.path().join("p6-automation.yaml"), "made_up_");
    assert!(
        r.stderr.contains(&format!("p6-automation.yaml:{line}:")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("is not an inventory field"),
        "{}",
        r.stderr
    );

    // A file that is not a pack is refused with the list of pack names.
    std::fs::write(dir.path().join("p6-automation.yaml"), &p6_src).unwrap();
    std::fs::write(dir.path().join("p6-automaton.yaml"), &p6_src).unwrap();
    let r = run(&["assess", "examples/inventory.yaml", "--principles", d]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean `p6-automation.yaml`"),
        "{}",
        r.stderr
    );
}

#[test]
fn stdin_is_read_with_dash() {
    let text = std::fs::read_to_string(root().join("examples/minimal.yaml")).unwrap();
    let out = cloudready()
        .args(["validate", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
