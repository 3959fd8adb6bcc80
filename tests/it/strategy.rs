//! `cloudready strategy`: snapshots of both formats, escaping, template overrides and errors,
//! and the rules for writing the document.

use crate::common::*;

use std::path::PathBuf;

#[test]
fn markdown_snapshot() {
    let r = run(&[
        "-q",
        "strategy",
        "examples/inventory.yaml",
        "--format",
        "markdown",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("strategy_markdown", r.stdout);
}

#[test]
fn html_snapshot() {
    let r = run(&[
        "-q",
        "strategy",
        "examples/inventory.yaml",
        "--format",
        "html",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("strategy_html", r.stdout);
}

#[test]
fn document_has_every_section_and_principle_heading() {
    let md = run(&["-q", "strategy", "examples/inventory.yaml"]).stdout;
    for h in [
        "## 1. Executive summary",
        "## 2. Vision, drivers and outcomes",
        "## 3. Risks that matter first",
        "## 4. The 2025 Whole-of-Government Cloud Computing Policy, requirement by requirement",
        "### Requirement 1: Prioritise cloud",
        "### Requirement 2: Leverage cloud for innovation, including AI",
        "### Requirement 3: Adopt cloud securely and responsibly",
        "### Requirement 4: Manage cost",
        "### Requirement 5: Build cloud skills",
        "## 5. Our principles",
        "## 6. Current state and run-cost baseline",
        "## 7. Hosting, classification and certification",
        "## 8. Migration approach",
        "## 9. Roadmap and decommissioning",
        "## 10. Governance, security, exit and people",
        "## Appendix A: system cards",
        "## How this draft was made",
    ] {
        assert!(md.contains(h), "missing {h}");
    }
    for p in 1..=7 {
        let h = format!("### Principle {p}: ");
        assert!(md.contains(&h), "missing {h}");
    }
    // Plain language: no criterion or hosting option ids, no settings file before the note.
    let (body, note) = md.split_at(md.find("## How this draft was made").unwrap());
    for id in [
        "P4.style",
        "CAF.",
        "public-cloud-onshore",
        "saas-onshore",
        "cloudready.toml",
    ] {
        assert!(!body.contains(id), "{id} in the body");
    }
    assert!(note.contains("cloudready.toml") && note.contains("wave_months"));
    let html = run(&[
        "-q",
        "strategy",
        "examples/inventory.yaml",
        "--format",
        "html",
    ])
    .stdout;
    assert!(html.contains("<html lang=\"en-AU\">"));
    assert!(html.contains("<main id=\"main\">"));
    assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
    assert!(html.matches("<figcaption").count() >= 2);
    // Self-contained: nothing fetched from a network, no script at all.
    for bad in ["<script", "http://", "https://", "@import", "url("] {
        assert!(!html.contains(bad), "HTML contains {bad}");
    }
}

#[test]
fn carries_the_inventory_digest_and_no_date_unless_asked() {
    let text = std::fs::read(root().join("examples/inventory.yaml")).unwrap();
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(&text)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let md = run(&["-q", "strategy", "examples/inventory.yaml"]).stdout;
    assert_eq!(
        md.lines().nth(1),
        Some(format!("<!-- cloudready:inventory sha256:{hex} -->").as_str()),
        "{}",
        &md[..120]
    );
    assert!(!md.contains("prepared "));
    let dated = run(&[
        "-q",
        "strategy",
        "examples/inventory.yaml",
        "--date",
        "2026-11-23",
    ])
    .stdout;
    assert!(dated.contains("prepared 2026-11-23"));
    let again = run(&["-q", "strategy", "examples/inventory.yaml"]).stdout;
    assert_eq!(md, again, "same input, same bytes");
}

const HOSTILE: &str = "<script>alert(1)</script> & {{ x }}";

fn hostile_inventory(dir: &std::path::Path) -> PathBuf {
    let p = dir.join("hostile.yaml");
    std::fs::write(
        &p,
        format!(
            "schema: cloudready/v1\nagency: {{ name: \"Dept <b>&</b> {{% raw %}}\" }}\nworkloads:\n  - id: evil\n    name: \"{HOSTILE}\"\n    owner: \"\\\"quoted\\\" 'owner'\"\n    classification: OFFICIAL\n    current: {{ hosting: on-premises }}\n"
        ),
    )
    .unwrap();
    p
}

#[test]
fn inventory_text_is_escaped_in_html_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let inv = hostile_inventory(dir.path());
    let html = run(&["-q", "strategy", inv.to_str().unwrap(), "--format", "html"]);
    assert_eq!(html.code, 0, "{}", html.stderr);
    assert!(!html.stdout.contains("<script>"), "raw script tag in HTML");
    assert!(!html.stdout.contains("<b>&</b>"));
    assert!(
        html.stdout
            .contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; {{ x }}")
            || html
                .stdout
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; {{ x }}"),
        "escaped name missing"
    );
    let md = run(&[
        "-q",
        "strategy",
        inv.to_str().unwrap(),
        "--format",
        "markdown",
    ]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    // Markdown escapes it as `assess --format markdown` does: shown, never run.
    assert!(
        !md.stdout.contains("<script>"),
        "raw script tag in markdown"
    );
    assert!(
        md.stdout
            .contains("\\<script\\>alert(1)\\</script\\> & {{ x }}"),
        "escaped name missing:\n{}",
        md.stdout
    );
}

/// Runs `strategy` on the classified fixture with extra arguments; exit 0 asserted.
fn classified(extra: &[&str]) -> String {
    let mut args = vec!["-q", "strategy", FIXTURE];
    args.extend_from_slice(extra);
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

const FIXTURE: &str = "tests/fixtures/strategy/classified.yaml";

#[test]
fn the_markdown_is_marked_at_its_first_and_last_lines() {
    let md = classified(&[]);
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(lines[0], "**TOP SECRET**");
    let last = lines.last().unwrap();
    assert!(
        last.starts_with("**TOP SECRET** <!-- cloudready:output sha256:"),
        "{last}"
    );
    let html = classified(&["--format", "html"]);
    assert!(html.contains("@top-center { content: \"TOP SECRET\""));
    assert!(html.contains("@bottom-center { content: \"TOP SECRET\""));
    assert!(html.contains("<p class=\"marking marking-top\">TOP SECRET</p>"));
    assert!(html.contains("<p class=\"marking marking-bottom\">TOP SECRET</p>"));
    assert!(html.contains("counter(page)"));
    assert!(html.contains("size: A4"));
    // The example has no SECRET system below its TOP SECRET one's level of interest: its
    // unrecorded classification counts as planning assumes, and the note says so.
    let ex = run(&["-q", "strategy", "examples/inventory.yaml"]).stdout;
    assert!(ex.contains("1 system with no recorded classification counts as PROTECTED"));
}

/// Names and findings that only the SECRET and TOP SECRET workloads have, read from the
/// JSON assessment of the whole inventory.
fn classified_only_texts() -> Vec<String> {
    let r = run(&["-q", "assess", FIXTURE, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut secret = std::collections::BTreeSet::new();
    let mut other = std::collections::BTreeSet::new();
    for w in doc["workloads"].as_array().unwrap() {
        let high = matches!(w["classification"].as_str(), Some("SECRET" | "TOP SECRET"));
        let set = if high { &mut secret } else { &mut other };
        set.insert(w["name"].as_str().unwrap().to_string());
        set.insert(w["id"].as_str().unwrap().to_string());
        for p in w["principles"]
            .as_array()
            .unwrap()
            .iter()
            .chain([&w["framework"]])
        {
            for c in p["criteria"].as_array().unwrap() {
                if let Some(f) = c["finding"].as_str() {
                    set.insert(f.to_string());
                }
            }
        }
    }
    let only: Vec<String> = secret.difference(&other).cloned().collect();
    assert!(
        only.len() > 6,
        "the fixture should give its classified systems findings of their own: {only:?}"
    );
    only
}

#[test]
fn a_release_at_protected_names_no_secret_or_top_secret_workload() {
    let only = classified_only_texts();
    let full = classified(&[]);
    assert!(full.contains("Kestrel Message Broker") && full.contains("Falcon Analysis Enclave"));
    for format in ["markdown", "html"] {
        let doc = classified(&["--max-classification", "PROTECTED", "--format", format]);
        for text in &only {
            // HTML escapes apostrophes; compare on the text before the first one.
            let probe = text.split('\'').next().unwrap();
            assert!(!doc.contains(probe), "{format}: `{text}` leaked");
        }
        assert!(doc.contains("PROTECTED"));
        assert!(
            !doc.contains("TOP SECRET\""),
            "{format}: marked above the release level"
        );
        assert!(doc.contains("2 workloads classified above PROTECTED are left out"));
        // Its run cost counts only what it shows.
        assert!(doc.contains("$1,250,000"), "{format}: released total");
        assert!(!doc.contains("$7,750,000"), "{format}: full total leaked");
    }
    let md = classified(&["--max-classification", "protected"]);
    assert!(md.starts_with("**PROTECTED**\n"));
    assert!(md.lines().last().unwrap().starts_with("**PROTECTED** "));
    // The dependant of the SECRET broker keeps its wave, without the broker beside it.
    assert!(md.contains("Claims \\| Payments Portal"));
    let low = classified(&["--max-classification", "official-sensitive"]);
    assert!(low.starts_with("**OFFICIAL: Sensitive**\n"));
    let bad = run(&[
        "-q",
        "strategy",
        FIXTURE,
        "--max-classification",
        "CONFIDENTIAL",
    ]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("not a PSPF classification"),
        "{}",
        bad.stderr
    );
}

#[test]
fn the_agencys_own_words_appear_and_its_prompts_go() {
    let conf = "tests/fixtures/strategy/cloudready.toml";
    for format in ["markdown", "html"] {
        let doc = classified(&["--config", conf, "--format", format]);
        for text in [
            "Every Fixture Affairs service runs on modern, secure platforms",
            "Platforms past end of support",
            "Analytics workloads move to an IRAP-assessed platform",
            "Each service owner sees monthly usage and cost",
            "Train 40 platform staff",
            "Contracts require data export in open formats",
            "Prefer providers that report emissions",
            "Digital Investment Board",
            "Chief Information Officer",
            "every six months",
            "Off unsupported platforms",
            "Systems past end of support",
            "2027-12-31",
        ] {
            assert!(doc.contains(text), "{format}: missing {text}");
        }
        assert!(
            !doc.contains("cloudready:prompt"),
            "{format}: a filled draft has no prompts"
        );
    }
}

/// Writes the draft into a temporary folder and runs `check --strategy` on it.
fn check_draft(format: &str) -> (String, Run) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("strategy.{format}"));
    let p = path.to_str().unwrap();
    let r = run(&["-q", "strategy", FIXTURE, "-o", p]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = std::fs::read_to_string(&path).unwrap();
    let r = run(&[
        "check",
        FIXTURE,
        "--config",
        "tests/fixtures/strategy/lenient.toml",
        "--strategy",
        p,
    ]);
    (doc, r)
}

#[test]
fn an_untouched_draft_passes_check_with_a_warning_per_prompt() {
    for format in ["md", "html"] {
        let (doc, r) = check_draft(format);
        assert_eq!(r.code, 0, "{format}: {}{}", r.stdout, r.stderr);
        let prompts = doc.matches("<!-- cloudready:prompt ").count();
        assert!(prompts >= 10, "{format}: {prompts} prompts");
        assert_eq!(
            r.stdout.matches("warning[strategy_prompt]").count(),
            prompts,
            "{format}: {}",
            r.stdout
        );
        assert!(
            r.stdout
                .contains("unfilled prompt `strategy.vision`: the agency's vision for cloud")
        );
        assert!(!r.stdout.contains("error[strategy_"), "{}", r.stdout);
    }
}

#[test]
fn the_run_cost_total_is_the_sum_of_the_inventorys_costs() {
    let text = std::fs::read_to_string(root().join("examples/inventory.yaml")).unwrap();
    let sum: u64 = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("annual_cost_aud:"))
        .map(|v| v.split('#').next().unwrap().trim().parse::<u64>().unwrap())
        .sum();
    let mut shown = String::new();
    for (i, c) in sum.to_string().chars().enumerate() {
        if i > 0 && (sum.to_string().len() - i).is_multiple_of(3) {
            shown.push(',');
        }
        shown.push(c);
    }
    let md = run(&["-q", "strategy", "examples/inventory.yaml"]).stdout;
    assert!(
        md.contains(&format!("**Total: ${shown} a year**")),
        "total ${shown} missing"
    );
    let with_cost = text.matches("annual_cost_aud:").count();
    let workloads = text.matches("\n  - id: ").count();
    assert!(md.contains(&format!(
        "across {with_cost} systems; {} system",
        workloads - with_cost
    )));
    let fixture = classified(&[]);
    assert!(fixture.contains("**Total: $7,750,000 a year** across 4 systems; 1 system has no cost recorded (HR and Payroll)"));
}

#[test]
fn the_roadmap_is_dated_in_months_and_quarters() {
    // Wave 0 (the foundations, 3 months by default) starts the month after as_of; wave 1 follows.
    let md = classified(&[]);
    assert!(
        md.contains("| 0 | Dec 2026 – Feb 2027 | 2026 Q4 – 2027 Q1 |"),
        "{md}"
    );
    assert!(
        md.contains("| 1 | Mar 2027 – May 2027 | 2027 Q1 – 2027 Q2 |"),
        "{md}"
    );
    let long = classified(&["--config", "tests/fixtures/strategy/cloudready.toml"]);
    assert!(long.contains("| 1 | Mar 2027 – Aug 2027 | 2027 Q1 – 2027 Q3 |"));
    assert!(long.contains("last 6 months each"));
    // Decommissioning milestones from end_of_support, by name.
    assert!(md.contains("| 2026-06-30 | Kestrel Message Broker |"));
    assert!(md.contains("support already ended"));
    // --date moves the calendar.
    let later = classified(&["--date", "2027-03-15"]);
    assert!(later.contains("| 0 | Apr 2027 – Jun 2027 | 2027 Q2 – 2027 Q2 |"));
    assert!(later.contains("| 1 | Jul 2027 – Sep 2027 | 2027 Q3 – 2027 Q3 |"));
    let html = classified(&["--format", "html"]);
    assert!(html.contains("<title id=\"timeline-title\">Roadmap timeline</title>"));
}

#[test]
fn a_hand_written_strategy_passes_the_section_check_in_its_own_words() {
    let ok = run(&[
        "check",
        FIXTURE,
        "--config",
        "tests/fixtures/strategy/lenient.toml",
        "--strategy",
        "tests/fixtures/strategy/handwritten.md",
    ]);
    assert_eq!(ok.code, 0, "{}", ok.stdout);
    assert!(!ok.stdout.contains("strategy_section"), "{}", ok.stdout);
    let missing = run(&[
        "check",
        FIXTURE,
        "--config",
        "tests/fixtures/strategy/lenient.toml",
        "--strategy",
        "tests/fixtures/strategy/handwritten-missing-p6.md",
    ]);
    assert_eq!(missing.code, 1, "{}", missing.stdout);
    assert_eq!(
        missing.stdout.matches("error[strategy_section]").count(),
        1,
        "{}",
        missing.stdout
    );
    assert!(
        missing.stdout.contains("principle P6"),
        "{}",
        missing.stdout
    );
}

#[test]
fn a_template_directory_overrides_only_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("strategy.md.tera"),
        "{{ document.digest_comment }}\n# {{ agency.name }}: our own template\n{% for p in insights.principles %}## {{ p.id }} {{ p.title }}\n{% endfor %}{% for w in workloads %}- {{ w.id }} {{ w.band }}\n{% endfor %}",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let md = run(&[
        "-q",
        "strategy",
        "examples/inventory.yaml",
        "--templates",
        d,
    ]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(
        md.stdout
            .contains("# Department of Example Affairs: our own template")
    );
    assert!(md.stdout.contains("- payroll "));
    // The HTML template is still the built-in one.
    let html = run(&[
        "-q",
        "strategy",
        "examples/inventory.yaml",
        "--templates",
        d,
        "--format",
        "html",
    ]);
    assert!(html.stdout.contains("<html lang=\"en-AU\">"));
}

#[test]
fn a_template_error_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("strategy.md.tera");
    std::fs::write(
        &t,
        "# ok\nline two\n{% for w in workloads %}\n{{ w.id }\n{% endfor %}\n",
    )
    .unwrap();
    let r = run(&[
        "strategy",
        "examples/inventory.yaml",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("template error"), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("{}:4:", t.display())),
        "{}",
        r.stderr
    );
    // An error while rendering (not parsing) also points into the template.
    std::fs::write(&t, "# ok\n{{ agency.name }}\n{{ no_such_thing.at_all }}\n").unwrap();
    let r = run(&[
        "strategy",
        "examples/inventory.yaml",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!("{}:3:", t.display())),
        "{}",
        r.stderr
    );
    // A misnamed template is refused.
    std::fs::remove_file(&t).unwrap();
    std::fs::write(dir.path().join("strategy.markdown.tera"), "x").unwrap();
    let r = run(&[
        "strategy",
        "examples/inventory.yaml",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("not a cloudready template"),
        "{}",
        r.stderr
    );
}

#[test]
fn output_is_atomic_and_never_clobbers_foreign_or_edited_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("strategy.html");
    let o = out.to_str().unwrap();
    let r = run(&["-q", "strategy", "examples/inventory.yaml", "-o", o]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let first = std::fs::read_to_string(&out).unwrap();
    assert!(
        first.contains("<html"),
        "format follows the .html extension"
    );
    // Untouched: regenerating is fine.
    assert_eq!(
        run(&["-q", "strategy", "examples/inventory.yaml", "-o", o]).code,
        0
    );
    // Edited since: refused, file untouched.
    let edited = first.replace("Executive summary", "Executive summary (edited by the CIO)");
    std::fs::write(&out, &edited).unwrap();
    let r = run(&["-q", "strategy", "examples/inventory.yaml", "-o", o]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), edited);
    assert_eq!(
        run(&[
            "-q",
            "strategy",
            "examples/inventory.yaml",
            "-o",
            o,
            "--force"
        ])
        .code,
        0
    );
    // A failed run writes nothing.
    let fresh = dir.path().join("fresh.md");
    let r = run(&[
        "strategy",
        "examples/bad/misspelt-key.yaml",
        "-o",
        fresh.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(!fresh.exists());
    let tmp: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(tmp.is_empty());
}

#[test]
fn templates_fetch_a_workloads_criteria_as_the_json_document_has_them() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("strategy.md.tera");
    std::fs::write(
        &t,
        "{% for c in criteria(workload=\"payroll\", pack=\"P6\") %}{{ c.id }} {{ c.status }} {{ c.score | default(value=\"-\") }} {{ c.location.line | default(value=\"-\") }}\n{% endfor %}gaps {{ criteria(workload=\"payroll\", status=\"gap\") | length }}\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let r = run(&[
        "-q",
        "strategy",
        "examples/inventory.yaml",
        "--templates",
        d,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json = run(&[
        "assess",
        "examples/inventory.yaml",
        "--format",
        "json",
        "--workload",
        "payroll",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let w = &doc["workloads"][0];
    let p6 = w["principles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "P6")
        .unwrap();
    let want: String = p6["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let or_dash = |v: &serde_json::Value| {
                if v.is_null() {
                    "-".to_string()
                } else {
                    v.to_string()
                }
            };
            format!(
                "{} {} {} {}\n",
                c["id"].as_str().unwrap(),
                c["status"].as_str().unwrap(),
                or_dash(&c["score"]),
                or_dash(&c["location"]["line"])
            )
        })
        .collect();
    assert!(!want.is_empty());
    assert!(r.stdout.starts_with(&want), "{}\nwant:\n{want}", r.stdout);
    let gaps = w["principles"]
        .as_array()
        .unwrap()
        .iter()
        .chain(std::iter::once(&w["framework"]))
        .flat_map(|p| p["criteria"].as_array().unwrap())
        .filter(|c| c["status"] == "gap")
        .count();
    assert!(r.stdout.contains(&format!("gaps {gaps}\n")), "{}", r.stdout);

    // Bad arguments and the JSON document's `p.criteria` are errors with the template's line.
    for (body, says) in [
        ("x\n{{ criteria(workload=\"nope\") }}", "no workload `nope`"),
        (
            "x\n{{ criteria(workload=\"payroll\", status=\"bad\") }}",
            "status `bad`",
        ),
        (
            "x\n{{ criteria(workload=\"payroll\", pack=\"P9\") }}",
            "no pack `P9`",
        ),
        (
            "x\n{% for w in workloads %}{% for p in w.principles %}{% for c in p.criteria %}{% endfor %}{% endfor %}{% endfor %}",
            "criteria(workload=w.id)",
        ),
    ] {
        std::fs::write(&t, body).unwrap();
        let r = run(&["strategy", "examples/inventory.yaml", "--templates", d]);
        assert_eq!(r.code, 2, "{body}");
        assert!(r.stderr.contains(says), "{body}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("{}:2:", t.display())),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    }
}
