//! Issue #15, "Reliability, round two": one or more regression tests per numbered defect
//! (the number is in each test's name), plus variants of the cases that found them.

use crate::common::*;

use std::path::Path;
use std::time::{Duration, Instant};

// --- 1. Linear list and id checks -------------------------------------------------------

/// 500,000 tags took almost five minutes (release build) when each was compared with every
/// earlier one. A debug build now takes about three seconds on an idle machine; the bound is
/// generous for a loaded CI runner, and the quadratic version is far past it.
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
        start.elapsed() < Duration::from_secs(120),
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

// --- 3. CSV that loses rows -------------------------------------------------------------

#[test]
fn item03_unterminated_quote_is_an_error_at_the_quote() {
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
fn item03_rows_with_too_few_or_too_many_cells_are_errors() {
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

// --- 12. Several files: every problem -------------------------------------------------

#[test]
fn item12_every_files_problems_are_reported() {
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
    let r = run(&[
        "validate",
        &fixture("reliability", "broken.yaml"),
        p.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("not in the inventory"), "{}", r.stderr);
}

// --- 13. Smaller ones ----------------------------------------------------------------

#[test]
fn item13_a_list_with_a_missing_id_and_a_repeat_reports_both() {
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

// --- 4. Markdown injection, 5. terminal escapes -------------------------------------

/// The hostile name carries an OSC 8 link left open, an OSC title, BEL, DEL and a C1 control,
/// `<script>`, a `javascript:` link; the owner a `|` and a line break that starts a heading.
const HOSTILE: &str = "hostile-text.yaml";

fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
}

#[test]
fn item04_markdown_strategy_escapes_inventory_text() {
    let r = run(&[
        "-q",
        "strategy",
        &fixture("reliability", HOSTILE),
        "--format",
        "markdown",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("<script>"), "{}", r.stdout);
    assert!(
        r.stdout.contains("\\<script\\>x\\</script\\>"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("[x](javascript:") && r.stdout.contains("\\[x\\](javascript:"),
        "{}",
        r.stdout
    );
    // No line of the document starts with the injected heading.
    assert!(!r.stdout.lines().any(|l| l.starts_with("# heading")));
    // The digest comment is the template's own (`| safe`), left as written under the marking.
    assert!(
        r.stdout
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("<!-- cloudready:inventory sha256:")),
        "{}",
        r.stdout
    );
}

#[test]
fn item04_templates_opt_out_with_safe() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("strategy.md.tera"),
        "{{ agency.name }}|{{ agency.name | safe }}\n",
    )
    .unwrap();
    let inv = dir.path().join("inv.yaml");
    std::fs::write(
        &inv,
        "schema: cloudready/v1\nagency: { name: \"A <b>*x*</b>\" }\nworkloads: []\n",
    )
    .unwrap();
    let r = run(&[
        "-q",
        "strategy",
        inv.to_str().unwrap(),
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("A \\<b\\>\\*x\\*\\</b\\>|A <b>*x*</b>\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn item05_no_control_character_reaches_standard_output() {
    for format in ["table", "csv", "markdown", "json", "yaml"] {
        let r = run(&[
            "assess",
            &fixture("reliability", HOSTILE),
            "--format",
            format,
        ]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        assert!(!has_control(&r.stdout), "{format}: {:?}", r.stdout);
        assert!(!has_control(&r.stderr), "{format}: {:?}", r.stderr);
    }
    for format in ["markdown", "html"] {
        let r = run(&[
            "strategy",
            &fixture("reliability", HOSTILE),
            "--format",
            format,
        ]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        assert!(!has_control(&r.stdout), "{format}");
    }
    // JSON keeps the data exact: the controls are escaped, not replaced.
    let r = run(&[
        "assess",
        &fixture("reliability", HOSTILE),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        v["workloads"][0]["name"]
            .as_str()
            .unwrap()
            .contains("\u{1b}]8;;http://evil"),
    );
    // Colour stays: only cloudready's own colour codes pass.
    let r = run(&[
        "--color",
        "always",
        "assess",
        &fixture("reliability", HOSTILE),
    ]);
    assert!(r.stdout.contains("\x1b["), "colour codes kept");
    assert!(!r.stdout.contains("\x1b]"), "{:?}", r.stdout);
}

#[test]
fn item05_errors_and_notes_replace_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.yaml");
    std::fs::write(
        &p,
        "schema: cloudready/v1\nagency: { name: A }\nworkloads:\n  - id: a\n    name: A\n    classification: \"\\e]8;;http://x\\aSECRET\"\n",
    )
    .unwrap();
    let r = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("invalid value `\u{FFFD}]8;;http://x\u{FFFD}SECRET`"),
        "{}",
        r.stderr
    );
    assert!(!has_control(&r.stderr), "{:?}", r.stderr);
}

/// The fuzz harness's invariants over hostile seeds in every input format: no panic, no
/// control character and no raw `<script` in any output, the strategy documents included.
#[test]
fn item04_05_harness_holds_on_hostile_seeds() {
    use cloudready::fuzzing::Outcome;
    let harness = cloudready::fuzzing::Harness::new();
    // Every assessment format and both strategy documents: `Harness::run`'s outputs.
    const OUTPUTS: usize = 10;
    // The seeds that are broken inventories on purpose, refused with a located error.
    const REFUSED: &[&str] = &[
        "bad-schema.yaml",
        "duplicate-id.yaml",
        "hostile.json",
        "tab-indent.yaml",
        "wrong-type.yaml",
    ];
    let rendered = |name: &str, outcome: Outcome| match outcome {
        Outcome::Rendered(outputs) => {
            assert_eq!(outputs.len(), OUTPUTS, "{name}");
            assert!(outputs.iter().all(|o| !o.is_empty()), "{name}");
        }
        Outcome::Refused(message) => panic!("{name} was refused:\n{message}"),
    };
    let refused = |name: &str, outcome: Outcome| match outcome {
        Outcome::Refused(message) => {
            assert!(message.contains("error"), "{name}: {message}");
            assert!(message.contains(&format!("{name}:")), "{name}: {message}");
        }
        Outcome::Rendered(_) => panic!("{name} was not refused"),
    };
    let seeds = root().join("fuzz/seeds");
    let mut seen = 0;
    for e in std::fs::read_dir(&seeds).unwrap() {
        let p = e.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        // As the fuzz target reads them, and as plain files.
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let body = match bytes.first() {
            Some(0 | 1) => &bytes[1..],
            _ => &bytes[..],
        };
        let outcome = harness.run(&name, body);
        if REFUSED.contains(&name.as_str()) {
            refused(&name, outcome);
        } else {
            rendered(&name, outcome);
        }
        seen += 1;
    }
    assert!(seen >= 12, "only {seen} seeds in {}", seeds.display());
    // A control character in an id is refused (the harness holds the error to the same
    // invariants as any output).
    refused(
        "x.csv",
        harness.run(
            "x.csv",
            "id,name\n\"a\x1b\",\"<script>\u{9b}\"\n".as_bytes(),
        ),
    );
    // Found by the fuzz target: a lone CR in a name reached the HTML strategy (a terminal
    // would return to the start of the line and write over it).
    let found = std::fs::read(fixture("reliability", "fuzz-lone-cr.bin")).unwrap();
    rendered("fuzz.csv", harness.run("fuzz.csv", &found[1..]));
    rendered(
        "cr.yaml",
        harness.run(
            "cr.yaml",
            b"schema: cloudready/v1\nagency: {name: \"A\\rB\"}\nworkloads:\n  - {id: a, name: \"x\\ry\\r\\nz\"}\n",
        ),
    );
}

// --- 11. Error floods ----------------------------------------------------------------

#[test]
fn item11_huge_values_and_columns_are_cut_to_a_readable_width() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("flood.yaml");
    let huge = "x".repeat(2_000_000);
    let pad = " ".repeat(500_000);
    std::fs::write(
        &p,
        format!(
            "{}  - id: a\n    name: A\n    users: {huge}\n  - {{id: b, name: B, {pad}users: lots}}\n",
            header()
        ),
    )
    .unwrap();
    let r = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.len() < 4_000, "{} bytes of errors", r.stderr.len());
    assert!(
        r.stderr.contains("found `xxxxxxxx") && r.stderr.contains("x…`"),
        "{}",
        r.stderr
    );
    // The caret still sits under `lots`.
    let lines: Vec<&str> = r.stderr.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.contains("users: lots"))
        .unwrap();
    let chars = |s: &str, pat: &str| s.find(pat).map(|b| s[..b].chars().count());
    assert_eq!(
        chars(lines[i + 1], "^"),
        chars(lines[i], "lots"),
        "{}\n{}",
        lines[i],
        lines[i + 1]
    );
}

// --- 13. CR-only line endings keep the snippet -----------------------------------------

#[test]
fn item13_cr_only_line_endings_keep_the_snippet() {
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

// --- 2. Special output files ---------------------------------------------------------

/// `-o /dev/stdout` hung: the ownership check read the target first. A FIFO with a reader
/// gets the stream; nothing is read from it and it stays a FIFO, with or without --force.
#[cfg(unix)]
#[test]
fn item02_fifo_and_devices_are_written_as_streams() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for force in [false, true] {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let mut args = vec!["assess", "examples/inventory.yaml", "--format", "csv", "-o"];
        args.push(fifo.to_str().unwrap());
        if force {
            args.push("--force");
        }
        let r = run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let got = reader.join().unwrap();
        assert!(got.starts_with("id,name,classification"), "{got}");
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
    }
    // A character device: /dev/null is written, not replaced, even with --force.
    for force in [false, true] {
        let mut args = vec!["assess", "examples/inventory.yaml", "-o", "/dev/null"];
        if force {
            args.push("--force");
        }
        let r = run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }
}

/// `-o /dev/stdout` is standard output (no hang), and `-o -` too, not a file named `-`.
#[test]
fn item02_dash_and_dev_stdout_are_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let inv = root().join("examples/inventory.yaml");
    let inv = inv.to_str().unwrap();
    let want = run_in(dir.path(), &["assess", inv, "--format", "json"]).stdout;
    for target in ["-", "/dev/stdout"] {
        let start = Instant::now();
        let r = run_in(
            dir.path(),
            &["assess", inv, "--format", "json", "-o", target],
        );
        assert_eq!(r.code, 0, "{target}: {}", r.stderr);
        assert!(start.elapsed() < Duration::from_secs(60));
        assert_eq!(r.stdout, want, "{target}");
    }
    assert!(!dir.path().join("-").exists());
}

/// A full device: the error names the path given (it said `<output>` for the strategy).
#[cfg(target_os = "linux")]
#[test]
fn item13_a_full_disk_names_the_path() {
    for args in [
        vec![
            "assess",
            "examples/inventory.yaml",
            "--format",
            "json",
            "-o",
            "/dev/full",
        ],
        vec!["strategy", "examples/inventory.yaml", "-o", "/dev/full"],
        vec!["assess", "examples/inventory.yaml", "-o", "/dev/full"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(
            r.stderr.contains("/dev/full: no space left"),
            "{args:?}: {}",
            r.stderr
        );
    }
}

// --- 6. Ownership by seal ------------------------------------------------------------

/// A file a person wrote, mentioning the phrases cloudready used to look for, is not replaced.
#[test]
fn item06_a_phrase_in_a_file_does_not_make_it_ours() {
    let dir = tempfile::tempdir().unwrap();
    let inv = root().join("examples/inventory.yaml");
    let inv = inv.to_str().unwrap();
    for (name, text, format) in [
        (
            "a.json",
            "{\"schema\": \"cloudready-assessment/v1\", \"mine\": 1}\n",
            "json",
        ),
        ("b.md", "# Cloud readiness: my own notes\n", "markdown"),
        ("c.yaml", "# cloudready-assessment/v1\nmine: 1\n", "yaml"),
        ("d.txt", "┌ my own drawing\n", "table"),
        (
            "e.csv",
            "id,name,classification,overall,band\nmine,Mine,,,\n",
            "csv",
        ),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let r = run(&["assess", inv, "--format", format, "-o", p.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(r.stderr.contains("--force"), "{name}: {}", r.stderr);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), text, "{name}");
    }
}

/// Re-running writes over cloudready's own unedited output without --force, in every format;
/// after an edit it needs --force.
#[test]
fn item06_reruns_replace_their_own_sealed_output() {
    let dir = tempfile::tempdir().unwrap();
    let inv = root().join("examples/inventory.yaml");
    let inv = inv.to_str().unwrap();
    let out = |n: &str| dir.path().join(n).display().to_string();
    let runs: Vec<Vec<String>> = [
        ("assess", "json", "a.json"),
        ("assess", "yaml", "a.yaml"),
        ("assess", "markdown", "a.md"),
        ("assess", "table", "a.txt"),
        ("assess", "csv", "a.csv"),
        ("strategy", "markdown", "s.md"),
        ("strategy", "html", "s.html"),
    ]
    .iter()
    .map(|(cmd, f, n)| {
        vec![
            "-q".into(),
            cmd.to_string(),
            inv.into(),
            "--format".into(),
            f.to_string(),
            "-o".into(),
            out(n),
        ]
    })
    .chain([
        vec![
            "-q".into(),
            "import".into(),
            root()
                .join("tests/fixtures/eco/workloads.csv")
                .display()
                .to_string(),
            "-o".into(),
            out("i.yaml"),
        ],
        vec!["schema".into(), "-o".into(), out("schema.json")],
    ])
    .collect();
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let first = run(&args);
        assert_eq!(first.code, 0, "{args:?}: {}", first.stderr);
        let again = run(&args);
        assert_eq!(again.code, 0, "{args:?}: {}", again.stderr);
    }
    // The outputs stay what they claim to be.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out("a.json")).unwrap()).unwrap();
    assert!(
        json["cloudready_seal"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    assert_eq!(json["schema"], "cloudready-assessment/v1");
    let r = run(&["validate", &out("i.yaml")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out("schema.json")).unwrap()).unwrap();
    assert!(schema["$comment"].as_str().unwrap().contains("sha256:"));
    // An edited output is someone's work now.
    let p = out("a.yaml");
    let edited = std::fs::read_to_string(&p)
        .unwrap()
        .replacen("agency", "agency ", 1);
    std::fs::write(&p, &edited).unwrap();
    let r = run(&["assess", inv, "--format", "yaml", "-o", &p]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), edited);
    // The CSV has no seal: the same bytes are fine, other bytes need --force.
    let csv = out("a.csv");
    std::fs::write(&csv, std::fs::read_to_string(&csv).unwrap() + "x,y\n").unwrap();
    let r = run(&["assess", inv, "--format", "csv", "-o", &csv]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

// --- 7. Interrupted writes leave no temporary file -----------------------------------

#[cfg(unix)]
#[test]
fn item07_signals_remove_the_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    // Big enough that the JSON takes a while to write in a debug build.
    let mut text = header();
    for i in 0..20_000 {
        text.push_str(&format!(
            "  - id: w{i}\n    name: Workload {i}\n    classification: OFFICIAL\n    current: {{ hosting: on-premises }}\n"
        ));
    }
    let inv = dir.path().join("big.yaml");
    std::fs::write(&inv, text).unwrap();
    for signal in ["INT", "TERM", "HUP"] {
        let out = dir.path().join(format!("out-{signal}.json"));
        std::fs::write(&out, b"old").unwrap();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("cloudready"))
            .args([
                "-q",
                "assess",
                inv.to_str().unwrap(),
                "--format",
                "json",
                "--force",
                "-o",
            ])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let temp = || {
            std::fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        };
        let start = Instant::now();
        while !temp() && start.elapsed() < Duration::from_secs(60) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(
            temp(),
            "{signal}: no temporary file appeared (the write was too quick)"
        );
        std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success(), "{signal}: {status:?}");
        assert!(!temp(), "{signal}: temporary file left behind");
        assert_eq!(std::fs::read(&out).unwrap(), b"old", "{signal}");
    }
}

// --- 13. Files: mode, symlinks, long names --------------------------------------------

#[cfg(unix)]
#[test]
fn item13_rewrites_keep_mode_and_follow_symlinks() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    let args = |p: &Path| {
        vec![
            "assess".to_string(),
            "examples/inventory.yaml".into(),
            "--format".into(),
            "json".into(),
            "-o".into(),
            p.display().to_string(),
        ]
    };
    let go = |p: &Path| {
        let a = args(p);
        run(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    assert_eq!(go(&real).code, 0);
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let r = go(&link);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn item13_a_245_character_output_name_works() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(format!("{}.json", "a".repeat(240)));
    let r = run(&[
        "assess",
        "examples/inventory.yaml",
        "--format",
        "json",
        "-o",
        p.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(p.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

// --- 8. Ids and text keep their source spelling ------------------------------------------

#[test]
fn item08_numbers_written_as_ids_and_text_keep_their_spelling() {
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

// --- 10. import and init write YAML that reads back the same ---------------------------

const NASTY: &[&str] = &[
    "\u{7f}del",
    "nel\u{85}",
    "csi\u{9b}31m",
    "\u{feff}leading bom",
    "a\u{fffe}b",
    "end\u{ffff}",
    "line\u{2028}sep",
    "tab\there",
    "\u{1b}[31mred",
    "back\\slash \"quoted\"",
    " padded ",
    "- dash",
    "\u{a0}nbsp",
    "010",
];

#[test]
fn item10_import_round_trips_every_character() {
    use cloudready::load::{LoadOptions, load_from_bytes};
    let workloads: Vec<serde_json::Value> = NASTY
        .iter()
        .enumerate()
        .map(
            |(i, s)| serde_json::json!({"id": format!("w{i}"), "name": s, "owner": s, "tags": [s]}),
        )
        .collect();
    let json = serde_json::json!({
        "schema": "cloudready/v1",
        "agency": {"name": "\u{feff}\u{7f}Agency\u{9f}"},
        "workloads": workloads,
    });
    let opts = LoadOptions::default();
    // ASCII-only JSON: every other character as its `\u` escape.
    let ascii: String = json
        .to_string()
        .chars()
        .map(|c| {
            if c.is_ascii() && !c.is_control() {
                c.to_string()
            } else {
                format!("\\u{:04x}", c as u32)
            }
        })
        .collect();
    let inv = load_from_bytes(&[("in.json".into(), ascii.into_bytes())], &opts)
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
    let yaml = cloudready::import::to_yaml(&inv);
    let back = load_from_bytes(&[("out.yaml".into(), yaml.clone().into_bytes())], &opts)
        .unwrap_or_else(|e| panic!("{}\n{yaml}", e.render(false)));
    assert_eq!(back.agency.name, inv.agency.name);
    for (a, b) in inv.workloads.iter().zip(&back.workloads) {
        assert_eq!(a.name, b.name, "{yaml}");
    }
    assert_eq!(
        serde_json::to_string(&back.workloads.iter().map(|w| &w.name).collect::<Vec<_>>()).unwrap(),
        serde_json::to_string(&inv.workloads.iter().map(|w| &w.name).collect::<Vec<_>>()).unwrap()
    );
}

#[test]
fn item10_init_with_any_agency_name_validates() {
    for name in NASTY.iter().filter(|s| !s.trim().is_empty()) {
        let dir = tempfile::tempdir().unwrap();
        let agency = format!("--agency={name}");
        let r = run(&["-q", "init", dir.path().to_str().unwrap(), &agency]);
        assert_eq!(r.code, 0, "{name:?}: {}", r.stderr);
        let inv = dir.path().join("inventory.yaml");
        let r = run(&["validate", inv.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{name:?}: {}", r.stderr);
    }
}

// --- 13. The smaller ones ------------------------------------------------------------

#[test]
fn item13_strategy_refuses_an_extension_it_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("strategy.pdf");
    let r = run(&[
        "strategy",
        "examples/minimal.yaml",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not .pdf"), "{}", r.stderr);
    assert!(!pdf.exists());
    // Explicitly asked for, it is written under that name.
    let r = run(&[
        "strategy",
        "examples/minimal.yaml",
        "--format",
        "html",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read_to_string(&pdf).unwrap().contains("<html"));
}

#[test]
fn item13_a_truncated_assessment_is_called_incomplete() {
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
fn item13_largest_input_limit_does_not_overflow() {
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
fn item13_standard_input_twice_is_a_usage_error() {
    let r = run_with(&["validate", "-", "-"], Some(b"x".to_vec()));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("more than once"), "{}", r.stderr);
    assert!(!r.stderr.contains("empty"), "{}", r.stderr);
}

/// A later file that cannot be written takes the earlier ones with it (here the file-size
/// limit stops the schema, the largest, after the inventory and config were written).
#[cfg(target_os = "linux")]
#[test]
fn item13_init_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new");
    let bin = assert_cmd::cargo::cargo_bin!("cloudready");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -f 12; trap '' XFSZ; exec '{}' -q init '{}'",
            bin.display(),
            target.display()
        ))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
    assert!(
        !target.exists(),
        "left: {:?}",
        std::fs::read_dir(&target).map(|d| d.count())
    );
    // Without the limit, all three.
    let r = run(&["-q", "init", target.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read_dir(&target).unwrap().count(), 3);
}

#[test]
fn item13_all_zero_weights_are_refused() {
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
fn item13_target_wave_gets_a_note() {
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

#[test]
fn item13_a_workload_named_todo_is_not_a_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("inv.yaml");
    std::fs::write(
        &inv,
        format!(
            "{}  - id: todo\n    name: TODO List Service\n    classification: OFFICIAL\n",
            header()
        ),
    )
    .unwrap();
    let doc = dir.path().join("strategy.md");
    let r = run(&[
        "-q",
        "strategy",
        inv.to_str().unwrap(),
        "-o",
        doc.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let check = |doc: &Path| {
        run(&[
            "check",
            inv.to_str().unwrap(),
            "--strategy",
            doc.to_str().unwrap(),
            "--format",
            "json",
        ])
    };
    let r = check(&doc);
    assert!(!r.stdout.contains("strategy_placeholder\""), "{}", r.stdout);
    // A real placeholder beside the name is still found.
    let edited = dir.path().join("edited.md");
    std::fs::write(
        &edited,
        std::fs::read_to_string(&doc).unwrap() + "\nTODO: write the summary\n",
    )
    .unwrap();
    let r = check(&edited);
    assert!(r.stdout.contains("strategy_placeholder"), "{}", r.stdout);
}
