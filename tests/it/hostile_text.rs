//! Hostile text in an inventory: Markdown and HTML injection into the strategy document,
//! terminal escapes on standard output and in errors, the fuzz harness's invariants on its
//! seeds, huge values cut to a readable width, and names that only look like placeholders.

use crate::common::*;

use std::path::Path;

// --- Markdown injection and terminal escapes ---------------------------------------------

/// The hostile name carries an OSC 8 link left open, an OSC title, BEL, DEL and a C1 control,
/// `<script>`, a `javascript:` link; the owner a `|` and a line break that starts a heading.
const HOSTILE: &str = "hostile-text.yaml";

fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
}

#[test]
fn markdown_strategy_escapes_inventory_text() {
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
fn templates_opt_out_with_safe() {
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
fn no_control_character_reaches_standard_output() {
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
fn errors_and_notes_replace_control_characters() {
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
fn harness_holds_on_hostile_seeds() {
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

// --- Error floods ------------------------------------------------------------------------

#[test]
fn huge_values_and_columns_are_cut_to_a_readable_width() {
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

// --- Placeholders ------------------------------------------------------------------------

#[test]
fn a_workload_named_todo_is_not_a_placeholder() {
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
