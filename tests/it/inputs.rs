//! Reading inventories: id and list checks that stay linear on huge lists, CSV that never
//! loses a row, capped notes, every file's problems at once, CR-only line endings, ids that
//! keep their spelling, input limits, standard input, settings and planning notes.

use crate::common::*;

use std::time::{Duration, Instant};

// --- Linear list and id checks -----------------------------------------------------------

/// 500,000 tags took almost five minutes (release build) when each was compared with every
/// earlier one. A debug build now takes about three seconds on an idle machine; the bound is
/// generous for a loaded CI runner, and the quadratic version is far past it.
#[test]
fn half_a_million_tags_validate_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let tags: Vec<String> = (0..500_000).map(|i| format!("t{i}")).collect();
    let text = format!(
        "{}  - id: a\n    name: A\n    tags: [{}]\n",
        header(),
        tags.join(", ")
    );
    let p = dir.path().join("tags.yaml");
    std::fs::write(&p, text).unwrap();
    let start = Instant::now();
    let r = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "{:?}",
        start.elapsed()
    );
}

/// Variant: many dependencies, and a long list holding one repeat at its very end, which must
/// still be found.
#[test]
fn long_dependency_list_is_linear_and_repeats_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let n = 100_000;
    let mut text = header();
    let deps: Vec<String> = (0..n).map(|i| format!("w{i}")).collect();
    text.push_str(&format!(
        "  - id: hub\n    name: Hub\n    dependencies: [{}, w0]\n",
        deps.join(", ")
    ));
    for i in 0..n {
        text.push_str(&format!("  - id: w{i}\n    name: W\n"));
    }
    let p = dir.path().join("deps.yaml");
    std::fs::write(&p, text).unwrap();
    let start = Instant::now();
    let r = run(&["validate", p.to_str().unwrap()]);
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`w0` is listed twice in `dependencies`"),
        "{}",
        r.stderr
    );
}

// --- CSV that loses rows -----------------------------------------------------------------

#[test]
fn unterminated_quote_is_an_error_at_the_quote() {
    let r = run(&["validate", &fixture("reliability", "unterminated.csv")]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("unterminated.csv:2:5")
            && r.stderr.contains("opens column 2 on row 2 is never closed"),
        "{}",
        r.stderr
    );
}

#[test]
fn rows_with_too_few_or_too_many_cells_are_errors() {
    let r = run(&["validate", &fixture("reliability", "cell-counts.csv")]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("row 2 has 2 cells but the header names 3 columns"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("cell-counts.csv:2:12"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("row 3 has 4 cells but the header names 3 columns"),
        "{}",
        r.stderr
    );
}

/// Variants: an unterminated quote in the header, and one on the last line with no newline.
#[test]
fn unterminated_quote_variants() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, at) in [
        ("head.csv", "id,\"name,users\na,A,1\n", "head.csv:1:4"),
        ("last.csv", "id,name\na,A\nb,\"B", "last.csv:3:3"),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let r = run(&["validate", p.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{name}: {}", r.stdout);
        assert!(
            r.stderr.contains(at) && r.stderr.contains("never closed"),
            "{name}: {}",
            r.stderr
        );
    }
}

// --- Notes are capped --------------------------------------------------------------------

#[test]
fn cycle_notes_are_capped_and_summarised() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = header();
    let n = 20_000;
    for i in 0..n {
        text.push_str(&format!(
            "  - id: w{i}\n    name: W\n    dependencies: [w{}]\n",
            i ^ 1
        ));
    }
    let p = dir.path().join("cycles.yaml");
    std::fs::write(&p, text).unwrap();
    let start = Instant::now();
    let r = run(&["validate", p.to_str().unwrap()]);
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr.matches("note: dependency cycle:").count(),
        20,
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("9980 more dependency cycles (19960 workloads) not shown"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.len() < 10_000, "{} bytes of notes", r.stderr.len());
}

// --- Several files: every problem --------------------------------------------------------

#[test]
fn every_files_problems_are_reported() {
    let r = run(&[
        "validate",
        &fixture("reliability", "broken.yaml"),
        &fixture("reliability", "second.yaml"),
        &fixture("reliability", "third.yaml"),
    ]);
    assert_eq!(r.code, 2);
    // The syntax error in the first file…
    assert!(r.stderr.contains("broken.yaml:"), "{}", r.stderr);
    // …does not hide the second file's bad value or the duplicate across files.
    assert!(
        r.stderr.contains("second.yaml:6:12") && r.stderr.contains("`users` must be"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("duplicate workload id `shared`")
            && r.stderr.contains("already used in")
            && r.stderr.contains("second.yaml at line 7"),
        "{}",
        r.stderr
    );
}

/// A dependency on a workload that may sit in the unreadable file is not called missing.
#[test]
fn no_false_missing_dependency_beside_a_broken_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("dep.yaml");
    std::fs::write(
        &p,
        format!(
            "{}  - id: c\n    name: C\n    dependencies: [a]\n",
            header()
        ),
    )
    .unwrap();
    let r = run(&[
        "validate",
        &fixture("reliability", "broken.yaml"),
        p.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("not in the inventory"), "{}", r.stderr);
}

#[test]
fn a_list_with_a_missing_id_and_a_repeat_reports_both() {
    let r = run(&[
        "validate",
        &fixture("reliability", "deps-two-problems.yaml"),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`a` is listed twice in `dependencies`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("depends on `zzz`, which is not in the inventory"),
        "{}",
        r.stderr
    );
}

// --- CR-only line endings keep the snippet -----------------------------------------------

#[test]
fn cr_only_line_endings_keep_the_snippet() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("mac.yaml");
    std::fs::write(
        &p,
        "schema: cloudready/v1\ragency: { name: A }\rworkloads:\r  - id: a\r    name: A\r    users: lots\r",
    )
    .unwrap();
    let r = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("mac.yaml:6:12"), "{}", r.stderr);
    assert!(r.stderr.contains("6 |     users: lots"), "{}", r.stderr);
}

// --- Ids and text keep their source spelling ---------------------------------------------

#[test]
fn numbers_written_as_ids_and_text_keep_their_spelling() {
    let r = run(&["validate", &fixture("reliability", "numeric-ids.yaml")]);
    assert_eq!(r.code, 0, "`1.10` and `1.1` are two ids: {}", r.stderr);
    let r = run(&[
        "-q",
        "assess",
        &fixture("reliability", "numeric-ids.yaml"),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let ws = v["workloads"].as_array().unwrap();
    let pairs: Vec<(&str, &str)> = ws
        .iter()
        .map(|w| (w["id"].as_str().unwrap(), w["name"].as_str().unwrap()))
        .collect();
    assert_eq!(pairs, [("0x1a", "1e3"), ("1.1", "One"), ("1.10", "0x1A")]);
    assert_eq!(v["agency"]["name"], "010");
    // The imported YAML keeps them too, quoted.
    let r = run(&["-q", "import", &fixture("reliability", "numeric-ids.yaml")]);
    assert!(
        r.stdout
            .contains("  - id: \"1.10\"\n    name: \"0x1A\"\n    owner: \"010\"\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("tags: [\"010\", \"10\"]"), "{}", r.stdout);
    // The same in JSON, where numbers are JSON numbers.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("n.json");
    std::fs::write(
        &p,
        r#"{"schema":"cloudready/v1","agency":{"name":"A"},"workloads":[{"id":1.10,"name":"X"},{"id":1.1,"name":"Y","dependencies":[1.10]}]}"#,
    )
    .unwrap();
    let r = run(&["-q", "assess", p.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("\n1.10,X,") && r.stdout.contains("\n1.1,Y,"),
        "{}",
        r.stdout
    );
}

// --- Limits, standard input and settings -------------------------------------------------

#[test]
fn a_truncated_assessment_is_called_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let full = run(&[
        "-q",
        "assess",
        "examples/inventory.yaml",
        "--format",
        "json",
    ])
    .stdout;
    let cut = dir.path().join("cut.json");
    std::fs::write(&cut, &full[..full.len() / 2]).unwrap();
    let r = run(&["diff", cut.to_str().unwrap(), "examples/inventory.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("incomplete assessment document") && !r.stderr.contains("YAML"),
        "{}",
        r.stderr
    );
}

#[test]
fn largest_input_limit_does_not_overflow() {
    let r = run(&[
        "validate",
        "--max-input-size",
        &u64::MAX.to_string(),
        "examples/minimal.yaml",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run_with(
        &["validate", "--max-input-size", &u64::MAX.to_string(), "-"],
        Some(std::fs::read(root().join("examples/minimal.yaml")).unwrap()),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn standard_input_twice_is_a_usage_error() {
    let r = run_with(&["validate", "-", "-"], Some(b"x".to_vec()));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("more than once"), "{}", r.stderr);
    assert!(!r.stderr.contains("empty"), "{}", r.stderr);
}

#[test]
fn all_zero_weights_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("zero.toml");
    std::fs::write(
        &cfg,
        "[weights]\nP1 = 0\nP2 = 0\nP3 = 0\nP4 = 0\nP5 = 0\nP6 = 0\nP7 = 0\nCAF = 0\n",
    )
    .unwrap();
    let r = run(&[
        "assess",
        "examples/minimal.yaml",
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("every pack weighs 0"), "{}", r.stderr);
    // One weight above 0 is enough.
    std::fs::write(
        &cfg,
        "[weights]\nP1 = 0\nP2 = 0\nP3 = 0\nP4 = 0\nP5 = 0\nP6 = 0\nP7 = 0\nCAF = 1\n",
    )
    .unwrap();
    let r = run(&[
        "assess",
        "examples/minimal.yaml",
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Packs: every pack file with weight 0.
    let packs = dir.path().join("packs");
    std::fs::create_dir(&packs).unwrap();
    for e in std::fs::read_dir(root().join("principles")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            let text = std::fs::read_to_string(&p).unwrap();
            let zeroed: Vec<String> = text
                .lines()
                .map(|l| {
                    if l.starts_with("weight:") {
                        "weight: 0".into()
                    } else {
                        l.to_string()
                    }
                })
                .collect();
            std::fs::write(packs.join(p.file_name().unwrap()), zeroed.join("\n") + "\n").unwrap();
        }
    }
    let r = run(&[
        "assess",
        "examples/minimal.yaml",
        "--principles",
        packs.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("every pack has weight 0"), "{}", r.stderr);
}

#[test]
fn target_wave_gets_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("w.yaml");
    std::fs::write(
        &p,
        format!(
            "{}  - id: a\n    name: A\n    target: {{ wave: 3 }}\n  - id: b\n    name: B\n    target: {{ wave: 1 }}\n",
            header()
        ),
    )
    .unwrap();
    let r = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr.matches("note:").count(), 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("`target.wave` is recorded for 2 workloads but does not steer the plan"),
        "{}",
        r.stderr
    );
}
