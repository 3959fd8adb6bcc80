//! `cloudready strategy`: snapshots of both formats, escaping, template overrides and errors,
//! and the rules for writing the document.

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = cargo_bin_cmd!("cloudready")
        .current_dir(root())
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

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
        "## 2. Context and scope",
        "## 3. Our principles",
        "## 4. Current state",
        "## 5. Hosting, classification and certification",
        "## 6. Migration approach",
        "## 7. Roadmap",
        "## 8. Risks, blockers, waivers and unknown data",
        "## 9. Skills, governance and procurement",
        "## Appendix: workload cards",
    ] {
        assert!(md.contains(h), "missing {h}");
    }
    for p in [
        "### P1 — ",
        "### P2 — ",
        "### P3 — ",
        "### P4 — ",
        "### P5 — ",
        "### P6 — ",
        "### P7 — ",
    ] {
        assert!(md.contains(p), "missing {p}");
    }
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
    assert!(
        md.starts_with(&format!("<!-- cloudready:inventory sha256:{hex} -->")),
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
    // Markdown escapes it as `assess --format markdown` does (issue #15): shown, never run.
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
