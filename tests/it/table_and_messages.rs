//! The table and the messages of everyday use: the table on a real terminal, the strategy
//! columns, `wrote FILE` messages, plurals, the check summary, `init` then `check`.

use crate::common::*;

use std::process::{Command, Stdio};

use unicode_width::UnicodeWidthStr;

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Runs cloudready with `args` on a pseudo-terminal `cols` wide (util-linux `script`), and
/// returns what the terminal showed: standard output and standard error together, as a user
/// sees them.
fn on_terminal(cols: u16, args: &[&str]) -> String {
    let bin = assert_cmd::cargo::cargo_bin!("cloudready");
    let cmd = format!(
        "stty rows 40 cols {cols}; exec {} {}",
        quote(bin.to_str().unwrap()),
        args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
    );
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(root())
        // The terminal's own width, not an inherited one, is what is under test.
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("`script` (util-linux) runs commands on a pseudo-terminal for this test");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).replace('\r', "")
}

fn widest(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

#[test]
fn the_table_fits_a_100_and_an_80_column_terminal() {
    for cols in [100, 80] {
        let shown = on_terminal(cols, &["assess", "examples/inventory.yaml"]);
        assert!(shown.contains("│ Workload"), "a table at {cols}:\n{shown}");
        assert!(
            widest(&shown) <= cols as usize,
            "a line wider than {cols} columns:\n{shown}"
        );
        // Every workload still has its row, and the reader is told what was left out.
        assert!(shown.contains("benefits-mainframe") && shown.contains("vmware-small-apps"));
        assert!(shown.contains("--wide"), "{shown}");
    }
    // At 100 the principle scores survive, merged into one column.
    let shown = on_terminal(100, &["assess", "examples/inventory.yaml"]);
    let header = shown.lines().find(|l| l.contains("Workload")).unwrap();
    assert!(header.contains("P1  P2  P3"), "{header}");
}

#[test]
fn long_ids_and_wide_characters_still_fit() {
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("inventory.yaml");
    std::fs::write(
        &inv,
        "schema: cloudready/v1\nagency: { name: Test }\nworkloads:\n  \
         - id: an-unusually-long-workload-identifier-that-goes-on-and-on-and-on\n    \
           name: 給与計算システム（本番環境）とその周辺の長い名前\n  \
         - id: b\n    name: B\n",
    )
    .unwrap();
    for cols in [100, 80, 60] {
        let shown = on_terminal(cols, &["assess", inv.to_str().unwrap()]);
        assert!(
            widest(&shown) <= cols as usize,
            "a line wider than {cols} columns:\n{shown}"
        );
    }
}

#[test]
fn wide_and_piped_tables_keep_every_column() {
    let shown = on_terminal(100, &["assess", "--wide", "examples/inventory.yaml"]);
    assert!(widest(&shown) > 100, "--wide is not fitted:\n{shown}");
    let piped = run(&["assess", "examples/inventory.yaml"]);
    let header = piped
        .stdout
        .lines()
        .find(|l| l.contains("Workload"))
        .unwrap();
    for col in [
        "Name", "P1", "P7", "CAF", "Overall", "Conf.", "Band", "Strategy", "Wave",
    ] {
        assert!(header.contains(col), "{col} missing from {header}");
    }
    assert!(!piped.stdout.contains("Not shown"), "{}", piped.stdout);
    // The same columns as --wide on a terminal.
    let wide_header = shown.lines().find(|l| l.contains("Workload")).unwrap();
    assert_eq!(header, wide_header);
}

fn assessment() -> serde_json::Value {
    let r = run(&["assess", "examples/inventory.yaml", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

#[test]
fn the_strategy_column_shows_the_recommendation_and_marks_other_plans() {
    let doc = assessment();
    let r = run(&["assess", "examples/inventory.yaml"]);
    let header: Vec<&str> = r
        .stdout
        .lines()
        .find(|l| l.contains("Workload"))
        .unwrap()
        .split(['│', '┆'])
        .map(str::trim)
        .collect();
    let col = header.iter().position(|h| *h == "Strategy").unwrap();
    let mut marked = 0;
    for w in doc["workloads"].as_array().unwrap() {
        let id = w["id"].as_str().unwrap();
        let row = r
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("│ {id} ")))
            .unwrap_or_else(|| panic!("no row for {id}"));
        let cell = row.split(['│', '┆']).map(str::trim).nth(col).unwrap();
        let s = &w["strategy"];
        let recommended = s["recommended"].as_str().unwrap();
        let differs = s["planned"].as_str().is_some_and(|p| p != recommended);
        let expected = if differs {
            format!("{recommended}*")
        } else {
            recommended.to_string()
        };
        assert_eq!(cell, expected, "{id}");
        marked += usize::from(differs);
    }
    // The example has plans that differ from the evidence, and the footnote explains the mark.
    assert!(marked >= 3, "{marked}");
    assert!(
        r.stdout.contains("* the agency planned another"),
        "{}",
        r.stdout
    );
}

#[test]
fn csv_has_recommended_planned_and_adopted_strategy() {
    let doc = assessment();
    let r = run(&["assess", "examples/inventory.yaml", "--format", "csv"]);
    let mut rows = csv::Reader::from_reader(r.stdout.as_bytes());
    let header = rows.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (rec, plan, adopt) = (
        at("recommended_strategy"),
        at("planned_strategy"),
        at("adopted_strategy"),
    );
    let workloads = doc["workloads"].as_array().unwrap();
    let mut differ = 0;
    for (row, w) in rows.records().map(Result::unwrap).zip(workloads) {
        let s = &w["strategy"];
        assert_eq!(&row[rec], s["recommended"].as_str().unwrap());
        assert_eq!(&row[plan], s["planned"].as_str().unwrap_or(""));
        assert_eq!(&row[adopt], s["adopted"].as_str().unwrap());
        differ += usize::from(!row[plan].is_empty() && row[plan] != row[rec]);
    }
    assert!(differ >= 3, "the example has plans that differ: {differ}");
}

#[test]
fn every_dash_o_says_what_it_wrote_unless_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let inv = root().join("examples/inventory.yaml");
    let inv = inv.to_str().unwrap();
    let csv = d.join("inventory.csv");
    std::fs::write(&csv, "id,name\npayroll,Payroll\n").unwrap();
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("a.txt", vec!["assess", inv]),
        ("a.json", vec!["assess", inv, "--format", "json"]),
        ("s.md", vec!["strategy", inv]),
        ("c.sarif", vec!["check", inv, "--format", "sarif"]),
        ("d.txt", vec!["diff", inv, inv]),
        ("schema.json", vec!["schema"]),
        ("i.yaml", vec!["import", csv.to_str().unwrap()]),
    ];
    for (file, args) in runs {
        let out = d.join(file);
        let out = out.to_str().unwrap();
        let mut with_o = args.clone();
        with_o.extend(["-o", out]);
        let r = run_in(d, &with_o);
        assert!(r.code == 0 || args[0] == "check", "{args:?}: {}", r.stderr);
        assert!(
            r.stderr
                .lines()
                .any(|l| l.starts_with("wrote ") && l.ends_with(out)),
            "{args:?}: no `wrote {out}` in\n{}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
        let mut quiet = vec!["--quiet"];
        quiet.extend(with_o);
        quiet.push("--force");
        let r = run_in(d, &quiet);
        assert!(
            !r.stderr.contains("wrote"),
            "{args:?} --quiet: {}",
            r.stderr
        );
    }
}

#[test]
fn one_workload_is_singular() {
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("one.yaml");
    std::fs::write(
        &inv,
        "schema: cloudready/v1\nagency: { name: Test }\nworkloads:\n  - id: a\n    name: A\n",
    )
    .unwrap();
    let p = inv.to_str().unwrap();
    let r = run(&["validate", p]);
    assert_eq!(r.stdout.trim(), "valid: 1 workload in 1 file");
    let r = run(&["assess", p]);
    assert!(r.stdout.contains("1 workload "), "{}", r.stdout);
    assert!(!r.stdout.contains("1 workloads"), "{}", r.stdout);
    let r = run(&["assess", p, "--format", "markdown"]);
    assert!(r.stdout.contains("1 workload;"), "{}", r.stdout);
}

#[test]
fn a_failed_check_says_how_many_errors_in_how_many_workloads() {
    let r = run(&[
        "check",
        "examples/inventory.yaml",
        "--config",
        "examples/cloudready.toml",
        "--date",
        "2026-11-23",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let last = r.stdout.lines().last().unwrap();
    assert_eq!(
        last,
        "13 errors in 7 of 21 workloads, 0 warnings, 2 waived — check failed"
    );
}

#[test]
fn init_then_check_passes_and_the_bar_is_really_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = run_in(d, &["init", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run_in(d, &["check", "inventory.yaml"]);
    assert_eq!(
        r.code, 0,
        "init's starter fails its own check:\n{}",
        r.stdout
    );
    assert!(r.stdout.contains("check passed"), "{}", r.stdout);
    // The starter's cloudready.toml is what let it pass: a higher bar in it fails.
    let toml = d.join("cloudready.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(text.contains("min_workload = 15"), "{text}");
    std::fs::write(
        &toml,
        text.replace("min_workload = 15", "min_workload = 90"),
    )
    .unwrap();
    let r = run_in(d, &["check", "inventory.yaml"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("min_workload"), "{}", r.stdout);
}

/// The README shows what a 100-column terminal really shows, note included.
#[test]
fn the_readme_sample_is_what_a_terminal_shows() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let (_, after) = readme
        .split_once("$ cloudready assess examples/inventory.yaml\n")
        .expect("README has the sample");
    let (sample, _) = after.split_once("\n```").unwrap();
    let shown = on_terminal(100, &["assess", "examples/inventory.yaml"]);
    assert_eq!(
        sample.trim_end(),
        shown.trim_end(),
        "README.md's sample differs from what `cloudready assess examples/inventory.yaml` prints \
         at 100 columns; replace it with:\n{shown}"
    );
}

/// Every width a terminal might have, from very narrow to very wide: the table and the lines
/// under it never exceed it, and a wide enough terminal gets every column.
#[test]
fn fitted_tables_never_exceed_the_width() {
    use cloudready::pipeline::{self, Settings};
    let settings = Settings::builtin().unwrap();
    let inv = pipeline::load(&[root().join("examples/inventory.yaml")], 1 << 28).unwrap();
    let doc = settings.assess(&inv, &[]);
    let full = cloudready::render::table::render(&doc, false);
    let full_width = widest(&full);
    for width in 50..=200 {
        let text = cloudready::render::table::render_fit(&doc, false, Some(width));
        assert!(widest(&text) <= width, "at {width}:\n{text}");
        // From 68 columns no cell wraps (below that comfy-table wraps the narrowest layout's
        // cells rather than overflow).
        if width >= 68 {
            for id in ["benefits-mainframe", "vmware-small-apps", "portfolio"] {
                assert!(text.contains(id), "{id} at {width}:\n{text}");
            }
        }
        if width >= full_width {
            assert!(!text.contains("Not shown"), "at {width}:\n{text}");
        }
    }
}

/// At 80 columns (and from there up) the table keeps the principle scores, merged under their
/// ids, and gives up the plan's columns first; the legend that explains P1–P7 then explains
/// what is shown.
#[test]
fn at_80_columns_the_principle_scores_stay() {
    use cloudready::pipeline::{self, Settings};
    let settings = Settings::builtin().unwrap();
    let inv = pipeline::load(&[root().join("examples/inventory.yaml")], 1 << 28).unwrap();
    let doc = settings.assess(&inv, &[]);
    for width in 80..=120 {
        let text = cloudready::render::table::render_fit(&doc, false, Some(width));
        let header = text.lines().nth(1).unwrap();
        assert!(
            header.contains("P1  P2  P3  P4  P5  P6  P7") || header.contains("┆ P7 ┆"),
            "at {width}:\n{text}"
        );
        assert!(
            !text.contains("Not shown, to fit 80 columns: Name, P1–P7"),
            "{text}"
        );
    }
    let text = cloudready::render::table::render_fit(&doc, false, Some(80));
    assert!(
        text.contains("Not shown, to fit 80 columns: Name, CAF, Conf., Strategy, Wave"),
        "{text}"
    );
}
