//! Issue #15, "Reliability, round two": one or more regression tests per numbered defect
//! (the number is in each test's name), plus variants of the cases that found them.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin_cmd;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures/reliability")
        .join(name)
        .display()
        .to_string()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    let mut c = cargo_bin_cmd!("cloudready");
    c.env("NO_COLOR", "1").current_dir(dir).args(args);
    if let Some(input) = stdin {
        c.write_stdin(input);
    }
    let out = c.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(args: &[&str]) -> Run {
    run_in(&root(), args, None)
}

fn header() -> String {
    "schema: cloudready/v1\nagency: { name: Department of Examples }\nworkloads:\n".into()
}

// --- 1. Linear list and id checks -------------------------------------------------------

/// 500,000 tags took almost five minutes when each was compared with every earlier one. A
/// debug build now takes a few seconds; the bound is generous, the quadratic version is off it
/// by two orders of magnitude.
#[test]
fn item01_half_a_million_tags_validate_quickly() {
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
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
}

/// Variant: many dependencies, and a long list holding one repeat at its very end, which must
/// still be found.
#[test]
fn item01_long_dependency_list_is_linear_and_repeats_are_found() {
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
        start.elapsed() < Duration::from_secs(30),
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

// --- 3. CSV that loses rows -------------------------------------------------------------

#[test]
fn item03_unterminated_quote_is_an_error_at_the_quote() {
    let r = run(&["validate", &fixture("unterminated.csv")]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("unterminated.csv:2:5")
            && r.stderr.contains("opens column 2 on row 2 is never closed"),
        "{}",
        r.stderr
    );
}

#[test]
fn item03_rows_with_too_few_or_too_many_cells_are_errors() {
    let r = run(&["validate", &fixture("cell-counts.csv")]);
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
fn item03_unterminated_quote_variants() {
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

// --- 9. Notes are capped --------------------------------------------------------------

#[test]
fn item09_cycle_notes_are_capped_and_summarised() {
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
        start.elapsed() < Duration::from_secs(30),
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

// --- 12. Several files: every problem -------------------------------------------------

#[test]
fn item12_every_files_problems_are_reported() {
    let r = run(&[
        "validate",
        &fixture("broken.yaml"),
        &fixture("second.yaml"),
        &fixture("third.yaml"),
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
fn item12_no_false_missing_dependency_beside_a_broken_file() {
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
    let r = run(&["validate", &fixture("broken.yaml"), p.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("not in the inventory"), "{}", r.stderr);
}

// --- 13. Smaller ones ----------------------------------------------------------------

#[test]
fn item13_a_list_with_a_missing_id_and_a_repeat_reports_both() {
    let r = run(&["validate", &fixture("deps-two-problems.yaml")]);
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
