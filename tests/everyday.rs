//! Everyday use: the table on a real terminal, the strategy columns, `wrote FILE` messages,
//! plurals, the check summary, `init` then `check`.

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use unicode_width::UnicodeWidthStr;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cloudready() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("cloudready");
    c.env_remove("NO_COLOR").current_dir(root());
    c
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = cloudready().current_dir(dir).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(args: &[&str]) -> Run {
    run_in(&root(), args)
}

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
