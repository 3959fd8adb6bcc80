//! One pipeline: every command sees the same settings, plan and numbers.
//!
//! With a `cloudready.toml` in the working directory (or named by `--config`), `assess`,
//! `strategy`, `check` and `diff` must agree on the portfolio score, the bands and the waves;
//! and every score shown to people is the same whole number in every output.

use crate::common::*;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Standard output of a run in `dir` that must exit 0.
fn ok(dir: &Path, args: &[&str]) -> String {
    cmd(args).dir(dir).code(0).run().stdout
}

/// The portfolio as one comparable value: overall (one decimal), band counts, wave members.
#[derive(Debug, PartialEq)]
struct Portfolio {
    overall: Option<f64>,
    bands: Vec<(String, u64)>,
    waves: Vec<Vec<String>>,
}

fn bands_of(v: &Value) -> Vec<(String, u64)> {
    let mut b: Vec<(String, u64)> = v
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
        .filter(|(_, n)| *n > 0)
        .collect();
    b.sort();
    b
}

fn waves_of(v: &Value) -> Vec<Vec<String>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|w| {
            w["workloads"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

fn from_document(p: &Value) -> Portfolio {
    Portfolio {
        overall: p["overall"].as_f64(),
        bands: bands_of(&p["bands"]),
        waves: waves_of(&p["waves"]),
    }
}

/// A template that prints what the strategy document was built from: the portfolio in its
/// template context (the built-in templates read the same values).
const PROBE_TEMPLATE: &str = r#"{"overall": {% if portfolio.overall is number %}{{ portfolio.overall }}{% else %}null{% endif %}, "bands": {"ready": {{ portfolio.bands.ready }}, "conditional": {{ portfolio.bands.conditional }}, "not-ready": {{ portfolio["bands"]["not-ready"] }}, "unknown": {{ portfolio.bands.unknown }}}, "waves": [{% for w in portfolio.waves %}{"workloads": [{% for id in w.workloads %}"{{ id }}"{% if not loop.last %}, {% endif %}{% endfor %}]}{% if not loop.last %}, {% endif %}{% endfor %}]}
"#;

struct Workspace {
    dir: tempfile::TempDir,
    inventory: PathBuf,
    config: PathBuf,
    templates: PathBuf,
}

/// A folder with the fixture inventory, a probe template, and a `cloudready.toml` that changes
/// weights, `max_per_wave` and waives the fixture's failed blocker.
fn workspace() -> Workspace {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inventory.yaml");
    std::fs::copy(
        root().join("tests/fixtures/pipeline/inventory.yaml"),
        &inventory,
    )
    .unwrap();
    // The blocker's id comes from the packs in use, so the test follows them.
    let doc: Value = serde_json::from_str(&ok(
        dir.path(),
        &["-q", "assess", "inventory.yaml", "-f", "json"],
    ))
    .unwrap();
    let payroll = doc["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == "payroll")
        .unwrap();
    let blocker = payroll["blockers"][0]
        .as_str()
        .expect("the fixture's payroll fails a blocker");
    let config = dir.path().join("cloudready.toml");
    std::fs::write(
        &config,
        format!(
            "[weights]\nP1 = 3\nP6 = 0.5\n\n[plan]\nmax_per_wave = 2\n\n[[waiver]]\n\
             workload = \"payroll\"\nrule = \"{blocker}\"\nreason = \"Encryption lands with the \
             2027 upgrade.\"\napproved_by = \"CISO\"\nexpires = 2099-12-31\n"
        ),
    )
    .unwrap();
    let templates = dir.path().join("probe-templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join("strategy.md.tera"), PROBE_TEMPLATE).unwrap();
    Workspace {
        dir,
        inventory,
        config,
        templates,
    }
}

/// What each command reports for the portfolio, run in `cwd` with `extra` flags (`--config`).
fn every_command(cwd: &Path, ws: &Workspace, extra: &[&str]) -> Vec<(&'static str, Portfolio)> {
    let inv = ws.inventory.to_str().unwrap();
    let with = |args: &[&str]| -> Vec<String> {
        args.iter()
            .chain(extra.iter())
            .map(|s| s.to_string())
            .collect()
    };
    let run = |args: Vec<String>| -> String {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        ok(cwd, &a)
    };
    let assess: Value = serde_json::from_str(&run(with(&["-q", "assess", inv, "-f", "json"])))
        .expect("assess json");
    let templates = ws.templates.to_str().unwrap();
    let strategy_out = run(with(&[
        "-q",
        "strategy",
        inv,
        "--format",
        "markdown",
        "--templates",
        templates,
    ]));
    let strategy: Value = serde_json::from_str(strategy_out.lines().next().unwrap())
        .unwrap_or_else(|e| panic!("{e}: {strategy_out}"));
    // The gate may pass or fail; its report is what is compared.
    let check_args = with(&["-q", "check", inv, "-f", "json"]);
    let a: Vec<&str> = check_args.iter().map(String::as_str).collect();
    let Run {
        code,
        stdout: check_out,
        stderr: err,
    } = run_in(cwd, &a);
    assert!(code == 0 || code == 1, "check exited {code}: {err}");
    let check: Value = serde_json::from_str(&check_out).expect("check json");
    let diff: Value =
        serde_json::from_str(&run(with(&["-q", "diff", inv, inv, "-f", "json"]))).unwrap();
    let diff_portfolio = Portfolio {
        overall: diff["portfolio"]["overall"]["new"].as_f64(),
        bands: {
            let mut b: Vec<(String, u64)> = diff["portfolio"]["bands"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, c)| (k.clone(), c["new"].as_f64().unwrap_or(0.0) as u64))
                .filter(|(_, n)| *n > 0)
                .collect();
            b.sort();
            b
        },
        // A diff shows no waves; compare those it has.
        waves: from_document(&assess["portfolio"]).waves,
    };
    vec![
        ("assess", from_document(&assess["portfolio"])),
        ("strategy", from_document(&strategy)),
        ("check", from_document(&check["portfolio"])),
        ("diff", diff_portfolio),
    ]
}

fn assert_all_agree(results: &[(&str, Portfolio)]) {
    let (first, expected) = &results[0];
    for (name, p) in &results[1..] {
        assert_eq!(p, expected, "{name} disagrees with {first}");
    }
}

#[test]
fn every_command_reads_the_settings_in_the_working_directory() {
    let ws = workspace();
    let with_settings = every_command(ws.dir.path(), &ws, &[]);
    assert_all_agree(&with_settings);

    // The settings really changed something: without them the portfolio differs.
    let elsewhere = tempfile::tempdir().unwrap();
    let defaults = every_command(elsewhere.path(), &ws, &[]);
    assert_all_agree(&defaults);
    let (with, without) = (&with_settings[0].1, &defaults[0].1);
    assert_ne!(with.overall, without.overall, "weights change the score");
    assert!(
        with.waves.iter().all(|w| w.len() <= 2),
        "max_per_wave = 2: {:?}",
        with.waves
    );
    assert!(
        without.waves.iter().any(|w| w.len() > 2),
        "default waves are larger: {:?}",
        without.waves
    );
}

#[test]
fn config_flag_gives_the_same_numbers_from_elsewhere() {
    let ws = workspace();
    let in_place = every_command(ws.dir.path(), &ws, &[]);
    let elsewhere = tempfile::tempdir().unwrap();
    let config = ws.config.to_str().unwrap();
    let named = every_command(elsewhere.path(), &ws, &["--config", config]);
    assert_all_agree(&named);
    assert_eq!(named[0].1, in_place[0].1);
}

#[test]
fn diff_of_two_inventories_reports_a_changed_recommendation() {
    let dir = tempfile::tempdir().unwrap();
    let old =
        std::fs::read_to_string(root().join("tests/fixtures/pipeline/inventory.yaml")).unwrap();
    // Grants Management: a customised product becomes a barely customised one with a SaaS
    // edition, and the evidence now points at buying the service.
    let new = old.replace(
        "style: cots, customisation: medium, cloud_alternative: saas",
        "style: cots, customisation: none, cloud_alternative: saas",
    );
    assert_ne!(old, new);
    std::fs::write(dir.path().join("old.yaml"), old).unwrap();
    std::fs::write(dir.path().join("new.yaml"), new).unwrap();
    let recommended = |file: &str| -> String {
        let doc: Value =
            serde_json::from_str(&ok(dir.path(), &["-q", "assess", file, "-f", "json"])).unwrap();
        doc["workloads"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["id"] == "grants")
            .unwrap()["strategy"]["recommended"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (before, after) = (recommended("old.yaml"), recommended("new.yaml"));
    assert_ne!(before, after, "the fixture changes the recommendation");

    let json: Value = serde_json::from_str(&ok(
        dir.path(),
        &["-q", "diff", "old.yaml", "new.yaml", "-f", "json"],
    ))
    .unwrap();
    let w = json["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == "grants")
        .unwrap();
    assert_eq!(w["status"], "changed");
    assert_eq!(w["strategy"]["old"], before.as_str(), "{json:#}");
    assert_eq!(w["strategy"]["new"], after.as_str(), "{json:#}");
    let text = ok(dir.path(), &["-q", "diff", "old.yaml", "new.yaml"]);
    assert!(
        text.contains(&format!("strategy {before} → {after}")),
        "{text}"
    );
}

/// The whole number people see for a one-decimal score: rounded down.
fn shown(x: f64) -> String {
    ((x + 1e-6).floor() as i64).to_string()
}

#[test]
fn every_output_shows_the_same_number_for_each_score() {
    let dir = root();
    let example = "examples/inventory.yaml";
    let doc: Value =
        serde_json::from_str(&ok(&dir, &["-q", "assess", example, "-f", "json"])).unwrap();
    let workloads = doc["workloads"].as_array().unwrap();
    let table = ok(&dir, &["-q", "assess", example]);
    let csv = ok(&dir, &["-q", "assess", example, "-f", "csv"]);
    let markdown = ok(&dir, &["-q", "assess", example, "-f", "markdown"]);
    // The cards are in the annex, written beside the paper.
    let tmp = tempfile::tempdir().unwrap();
    let (annex_html, annex_md) = (tmp.path().join("annex.html"), tmp.path().join("annex.md"));
    let html = ok(
        &dir,
        &[
            "-q",
            "strategy",
            example,
            "-f",
            "html",
            "--annex",
            annex_html.to_str().unwrap(),
        ],
    );
    let strategy_md = ok(
        &dir,
        &[
            "-q",
            "strategy",
            example,
            "-f",
            "markdown",
            "--annex",
            annex_md.to_str().unwrap(),
        ],
    );
    let cards_html = std::fs::read_to_string(&annex_html).unwrap();
    let cards_md = std::fs::read_to_string(&annex_md).unwrap();

    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let mut some_half = false;
    for w in workloads {
        let id = w["id"].as_str().unwrap();
        let name = w["name"].as_str().unwrap();
        let Some(overall) = w["overall"].as_f64() else {
            continue;
        };
        some_half |= (overall * 10.0).round() as i64 % 10 >= 5;
        let expect = shown(overall);

        // Table: the row of this workload has the number as a cell.
        let row = table
            .lines()
            .find(|l| l.contains(&format!(" {id} ")))
            .unwrap_or_else(|| panic!("{id} not in the table"));
        let cells: Vec<&str> = row.split(['│', '┆']).map(str::trim).collect();
        assert!(cells.contains(&expect.as_str()), "table {id}: {row}");

        // CSV: the overall column.
        let line = csv
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap();
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields[col("overall")], expect, "csv {id}");

        // Markdown table row.
        let md_row = markdown
            .lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("({id})")))
            .unwrap_or_else(|| panic!("{id} not in markdown"));
        let md_cells: Vec<&str> = md_row.split('|').map(str::trim).collect();
        assert!(
            md_cells.contains(&expect.as_str()),
            "markdown {id}: {md_row}"
        );

        // HTML heatmap: the last cell of the workload's row is its overall score.
        if let Some(at) = html.find(&format!("class=\"label\">{name}</text>")) {
            let row_end = html[at..].find('\n').map_or(html.len(), |e| at + e);
            let row = &html[at..row_end];
            let last = row.rsplit("class=\"cell\">").next().unwrap();
            let value = last.split('<').next().unwrap();
            assert_eq!(value, expect, "heatmap {id}");
        }
        // HTML and markdown cards: "Overall N" / "overall N".
        assert!(
            cards_html.contains(&format!("Overall {expect},")),
            "html card {id} ({expect})"
        );
        assert!(
            cards_md.contains(&format!("overall {expect},")),
            "markdown card {id} ({expect})"
        );
    }
    assert!(some_half, "the example has a score whose rounding matters");

    // The executive summary's portfolio score, and the table's portfolio row.
    let p = shown(doc["portfolio"]["overall"].as_f64().unwrap());
    assert!(
        strategy_md.contains(&format!("**{p} out of 100**")),
        "strategy summary shows {p}"
    );
    assert!(
        html.contains(&format!("<span class=\"kpi-value\">{p}</span>")),
        "html summary shows {p}"
    );
    let portfolio_row = table.lines().find(|l| l.contains(" portfolio ")).unwrap();
    assert!(
        portfolio_row
            .split(['│', '┆'])
            .map(str::trim)
            .any(|c| c == p),
        "{portfolio_row}"
    );
}

/// Same input, same bytes, and the same exit code, for every output of every command (no
/// timestamps unless `--date` is given).
#[test]
fn every_output_is_deterministic_with_its_exit_code() {
    let dir = root();
    let inv = "examples/inventory.yaml";
    let config = "examples/cloudready.toml";
    let mut cases: Vec<(Vec<&str>, i32)> = Vec::new();
    for f in ["table", "json", "yaml", "csv", "markdown"] {
        cases.push((vec!["-q", "assess", inv, "--format", f], 0));
    }
    for f in ["markdown", "html"] {
        cases.push((vec!["-q", "strategy", inv, "--format", f], 0));
    }
    for f in ["text", "json", "sarif", "junit", "github"] {
        cases.push((
            vec![
                "-q",
                "check",
                inv,
                "--config",
                config,
                "--date",
                "2026-11-23",
                "--format",
                f,
            ],
            1,
        ));
    }
    for f in ["text", "json", "markdown"] {
        cases.push((vec!["-q", "diff", inv, inv, "--format", f], 0));
    }
    cases.push((
        vec![
            "-q",
            "validate",
            "examples/bad/unquoted-classification.yaml",
            "--format",
            "sarif",
        ],
        2,
    ));
    for (args, code) in &cases {
        let first = run_in(&dir, args);
        let second = run_in(&dir, args);
        assert_eq!(first.code, *code, "{args:?}: {}", first.stderr);
        assert_eq!(second.code, *code, "{args:?}");
        assert!(!first.stdout.is_empty(), "{args:?} printed nothing");
        assert_eq!(first.stdout, second.stdout, "{args:?} differs between runs");
    }
}
