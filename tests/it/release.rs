//! Releasable versions (`--max-classification`) against the documents they must equal: the
//! release of an inventory at a level is the full document of the same inventory with the
//! withheld workloads deleted from the file, apart from the release banner.
//!
//! The reference inventory is made by editing the YAML text, not through the code under test:
//! each withheld workload's lines become blank (so every other line keeps its number), and
//! every dependency on one is deleted the same way.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{cmd, json, run_in};

const EXAMPLE: &str = "examples/inventory.yaml";
const LEVELS: [&str; 6] = [
    "UNOFFICIAL",
    "OFFICIAL",
    "OFFICIAL: Sensitive",
    "PROTECTED",
    "SECRET",
    "TOP SECRET",
];
/// What planning assumes where no classification is recorded (`hosting.yaml`).
const ASSUMED: usize = 3;

/// Each workload's classification (index), an unrecorded one counted as planning counts it.
fn classes(inventory: &str) -> BTreeMap<String, usize> {
    let doc = json(&["-q", "assess", inventory, "--format", "json"]);
    doc["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let class = w["classification"]
                .as_str()
                .map_or(ASSUMED, |c| LEVELS.iter().position(|l| *l == c).unwrap());
            (w["id"].as_str().unwrap().to_string(), class)
        })
        .collect()
}

/// The inventory text with every workload in `withheld` blanked out, and every dependency on
/// one: a block-style `dependencies:` list left empty becomes `dependencies: []`.
fn without(text: &str, withheld: &[&str]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut blanking = false;
    let mut deps_at: Option<(usize, usize)> = None; // (line of `dependencies:`, items kept)
    for line in &lines {
        if let Some(id) = line.strip_prefix("  - id: ") {
            blanking = withheld.contains(&id.trim());
        }
        if blanking {
            out.push(String::new());
            continue;
        }
        if line.trim_start().starts_with("dependencies:") && line.trim_end().ends_with(':') {
            deps_at = Some((out.len(), 0));
            out.push(line.to_string());
            continue;
        }
        if let Some((at, kept)) = deps_at {
            if let Some(dep) = line.trim_start().strip_prefix("- ")
                && line.starts_with("      ")
            {
                if withheld.contains(&dep.trim()) {
                    out.push(String::new());
                } else {
                    deps_at = Some((at, kept + 1));
                    out.push(line.to_string());
                }
                continue;
            }
            if kept == 0 {
                out[at].push_str(" []");
            }
            deps_at = None;
        }
        out.push(line.to_string());
    }
    if let Some((at, 0)) = deps_at {
        out[at].push_str(" []");
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

/// The document without what may differ: the release banner, and the inventory digest
/// (of different files) masked.
fn comparable(doc: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in doc.lines() {
        let line = if line.contains("Releasable version") {
            ""
        } else {
            line
        };
        // The banner leaves the blank line that set it apart (markdown) or an empty one
        // where it stood (HTML): runs of blank lines count as one.
        if line.trim().is_empty() && out.last().is_some_and(|l| l.is_empty()) {
            continue;
        }
        out.push(if line.trim().is_empty() {
            String::new()
        } else {
            mask_digest(line)
        });
    }
    out.join("\n")
}

fn mask_digest(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("sha256:") {
        let (head, tail) = rest.split_at(at + "sha256:".len());
        out.push_str(head);
        let hex = tail.chars().take_while(char::is_ascii_hexdigit).count();
        out.push('…');
        rest = &tail[hex..];
    }
    out.push_str(rest);
    out
}

/// Writes the reference inventory for a release of `EXAMPLE` at `level` under `dir` (at the
/// same relative path, so every message and location names the same file), and returns the
/// ids withheld.
fn reference(dir: &Path, level: usize) -> Vec<String> {
    let text = std::fs::read_to_string(crate::common::root().join(EXAMPLE)).unwrap();
    let withheld: Vec<String> = classes(EXAMPLE)
        .into_iter()
        .filter(|(_, c)| *c > level)
        .map(|(id, _)| id)
        .collect();
    let ids: Vec<&str> = withheld.iter().map(String::as_str).collect();
    let path = dir.join(EXAMPLE);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, without(&text, &ids)).unwrap();
    withheld
}

fn document(dir: Option<&Path>, extra: &[&str]) -> String {
    let mut args = vec!["-q", "strategy", EXAMPLE];
    args.extend_from_slice(extra);
    let r = match dir {
        Some(d) => run_in(d, &args),
        None => cmd(&args).run(),
    };
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r.stdout
}

#[test]
fn the_text_filter_keeps_every_line_number_and_drops_each_edge() {
    let text = "workloads:\n  - id: a\n    dependencies:\n      - b\n      - c\n  - id: b\n    name: B\n  - id: c\n    dependencies:\n      - b\n";
    let cut = without(text, &["b"]);
    assert_eq!(cut.lines().count(), text.lines().count());
    assert_eq!(
        cut,
        "workloads:\n  - id: a\n    dependencies:\n\n      - c\n\n\n  - id: c\n    dependencies: []\n\n"
    );
}

#[test]
fn a_release_equals_the_full_document_of_the_inventory_without_what_it_withholds() {
    let dir = tempfile::tempdir().unwrap();
    let mut withheld_at = Vec::new();
    for (level, name) in LEVELS.iter().enumerate() {
        let sub = dir.path().join(level.to_string());
        let withheld = reference(&sub, level);
        withheld_at.push(withheld.len());
        for format in ["markdown", "html"] {
            let release = document(None, &["--max-classification", name, "--format", format]);
            let full = document(Some(&sub), &["--format", format]);
            assert!(
                release.contains(&format!(
                    "{} workload{} classified above {name}",
                    withheld.len(),
                    if withheld.len() == 1 { "" } else { "s" }
                )),
                "{name} {format}: the banner counts what is withheld"
            );
            let (a, b) = (comparable(&release), comparable(&full));
            if a != b {
                let at = a.lines().zip(b.lines()).position(|(x, y)| x != y);
                let line = at.unwrap_or(0);
                panic!(
                    "{name} {format}: the release differs from the reduced inventory's document at line {}:\n  release: {:?}\n  reduced: {:?}",
                    line + 1,
                    a.lines().nth(line),
                    b.lines().nth(line)
                );
            }
        }
    }
    // The example spans every level: each one withholds less than the one below it.
    assert!(
        withheld_at.windows(2).all(|w| w[0] > w[1]),
        "{withheld_at:?}"
    );
    assert_eq!(withheld_at[5], 0);
}

/// Every sheet's cells below the marking row (which carries the release's note), as text.
fn workbook_cells(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).unwrap();
            let rows = range
                .rows()
                .skip(1)
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect();
            (n, rows)
        })
        .collect()
}

fn workbook(dir: &Path, run_dir: Option<&Path>, name: &str, extra: &[&str]) -> std::path::PathBuf {
    let path = dir.join(name);
    let out = path.to_str().unwrap();
    let mut args = vec!["-q", "assess", EXAMPLE, "--format", "xlsx", "-o", out];
    args.extend_from_slice(extra);
    let r = match run_dir {
        Some(d) => run_in(d, &args),
        None => cmd(&args).run(),
    };
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    path
}

#[test]
fn a_released_workbook_holds_the_cells_of_the_reduced_inventorys_workbook() {
    use calamine::Reader;
    let dir = tempfile::tempdir().unwrap();
    for (level, name) in LEVELS.iter().enumerate() {
        let sub = dir.path().join(level.to_string());
        let withheld = reference(&sub, level);
        let release = workbook(&sub, None, "release.xlsx", &["--max-classification", name]);
        let full = workbook(&sub, Some(&sub), "full.xlsx", &[]);
        let (a, b) = (workbook_cells(&release), workbook_cells(&full));
        assert_eq!(a.len(), b.len(), "{name}: sheets");
        for ((sheet, x), (_, y)) in a.iter().zip(&b) {
            assert_eq!(x.len(), y.len(), "{name} {sheet}: rows");
            for (i, (rx, ry)) in x.iter().zip(y).enumerate() {
                assert_eq!(rx, ry, "{name} {sheet}: row {}", i + 2);
            }
        }
        // The marking row names the marking and, in a release, what it left out.
        let mut book = calamine::open_workbook_auto(&release).unwrap();
        let ws = book.worksheet_range("Workloads").unwrap();
        let note = ws.get((0, 1)).map(|c| c.to_string()).unwrap_or_default();
        assert!(
            note.contains(&format!(
                "Releasable version at {name}: {} workload",
                withheld.len()
            )),
            "{name}: {note}"
        );
    }
}

#[test]
fn a_released_assessment_is_the_reduced_inventorys_in_every_text_format() {
    let dir = tempfile::tempdir().unwrap();
    for (level, name) in LEVELS.iter().enumerate() {
        let sub = dir.path().join(level.to_string());
        let withheld = reference(&sub, level);
        for format in ["json", "yaml", "csv", "markdown", "table"] {
            let args = ["-q", "assess", EXAMPLE, "--format", format];
            let mut with = args.to_vec();
            with.extend(["--max-classification", name]);
            let release = cmd(&with).code(0).run().stdout;
            let full = run_in(&sub, &args).stdout;
            let release: String = match format {
                // The release says what it left out in a key of its own, last.
                "json" => {
                    let mut v: serde_json::Value = serde_json::from_str(&release).unwrap();
                    let r = v.as_object_mut().unwrap().remove("release").unwrap();
                    assert_eq!(r["left_out"], withheld.len(), "{name}");
                    assert_eq!(r["level"], *name);
                    let mut f: serde_json::Value = serde_json::from_str(&full).unwrap();
                    assert_eq!(v, std::mem::take(&mut f), "{name} json");
                    continue;
                }
                "yaml" => release
                    .split("\nrelease:")
                    .next()
                    .unwrap()
                    .trim_end()
                    .to_string(),
                _ => comparable(&release),
            };
            let full = match format {
                "yaml" => full.trim_end().to_string(),
                _ => comparable(&full),
            };
            assert_eq!(release, full, "{name} {format}");
        }
    }
}

#[test]
fn a_release_warns_that_the_agencys_own_words_are_not_filtered() {
    let conf = "tests/fixtures/strategy/cloudready.toml";
    let args = ["strategy", EXAMPLE, "--config", conf];
    let mut release = args.to_vec();
    release.extend(["--max-classification", "PROTECTED"]);
    let r = cmd(&release).code(0).run();
    assert!(
        r.stderr.contains("warning: the `[strategy]` text")
            && r.stderr.contains("--max-classification does not filter it"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("anything classified above PROTECTED"),
        "{}",
        r.stderr
    );
    // The words are in the release as written.
    assert!(r.stdout.contains("Digital Investment Board"));
    // Not without a release, nor without words of the agency's own.
    let full = cmd(&args).code(0).run();
    assert!(
        !full.stderr.contains("is included as written"),
        "{}",
        full.stderr
    );
    let bare = cmd(&["strategy", EXAMPLE, "--max-classification", "PROTECTED"])
        .code(0)
        .run();
    assert!(
        !bare.stderr.contains("is included as written"),
        "{}",
        bare.stderr
    );
    let quiet = cmd(&["-q"].iter().chain(&release).copied().collect::<Vec<_>>())
        .code(0)
        .run();
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
}

#[test]
fn a_withheld_workload_cannot_be_asked_for_by_id() {
    // `ts-analysis` is TOP SECRET in the example.
    let r = cmd(&[
        "assess",
        EXAMPLE,
        "--max-classification",
        "SECRET",
        "--workload",
        "ts-analysis",
    ])
    .code(2)
    .run();
    assert!(
        r.stderr.contains("`ts-analysis` is not in the inventory"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}
