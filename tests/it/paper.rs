//! The board paper and its annex: every figure the paper states is read back from the rendered
//! document and compared with `assess --format json` and with the paper's other figures; the
//! paper speaks plainly and names its annex; the annex carries the system-by-system detail.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::*;

const INVENTORY: &str = "examples/inventory.yaml";
const CONFIG: &str = "examples/cloudready.toml";

/// Every `data-figure="KEY">N<` in the document, as KEY → N.
fn figures(html: &str) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    let mut rest = html;
    while let Some(i) = rest.find("data-figure=\"") {
        rest = &rest[i + 13..];
        let key_end = rest.find('"').expect("a closed attribute");
        let key = rest[..key_end].to_string();
        let value_start = rest.find('>').expect("a closed tag") + 1;
        let value: String = rest[value_start..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let n = value
            .parse()
            .unwrap_or_else(|_| panic!("figure {key} is not a number"));
        if let Some(old) = out.insert(key.clone(), n) {
            assert_eq!(old, n, "figure {key} is stated twice with different values");
        }
    }
    out
}

/// The paper and the annex (HTML) of `inventory`, written side by side.
fn paper_and_annex(inventory: &str, extra: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let paper = dir.path().join("paper.html");
    let annex = dir.path().join("annex.html");
    let mut args = vec![
        "strategy",
        inventory,
        "--config",
        CONFIG,
        "-o",
        paper.to_str().unwrap(),
        "--annex",
        annex.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let r = cmd(&args).code(0).run();
    assert!(r.stderr.contains("wrote") && r.stderr.contains("annex.html"));
    (
        std::fs::read_to_string(&paper).unwrap(),
        std::fs::read_to_string(&annex).unwrap(),
    )
}

fn count(ws: &[Value], f: impl Fn(&Value) -> bool) -> u64 {
    ws.iter().filter(|w| f(w)).count() as u64
}

fn check_against_assessment(extra: &[&str]) {
    let (paper, _) = paper_and_annex(INVENTORY, extra);
    let mut args = vec!["assess", INVENTORY, "--config", CONFIG, "--format", "json"];
    args.extend_from_slice(extra);
    let doc = json(&args);
    let ws = doc["workloads"].as_array().unwrap();
    let fig = figures(&paper);
    let get = |k: &str| {
        *fig.get(k)
            .unwrap_or_else(|| panic!("the paper states no `{k}`"))
    };
    let ws_len = ws.len() as u64;
    assert_eq!(get("systems"), ws_len);
    for band in ["ready", "conditional", "not-ready", "unknown"] {
        assert_eq!(
            get(band),
            count(ws, |w| w["band"] == band),
            "{band} systems in the paper and in assess"
        );
        assert_eq!(get(band), doc["portfolio"]["bands"][band].as_u64().unwrap());
    }
    let overall = doc["portfolio"]["overall"].as_f64().unwrap();
    assert_eq!(
        get("overall"),
        overall.floor() as u64,
        "rounded down, as assess shows it"
    );
    // Waves: how many, and how many systems each; a retired or retained system has none.
    let waves = doc["portfolio"]["waves"].as_array().unwrap();
    assert_eq!(get("waves"), waves.len() as u64);
    let mut moving = 0;
    for wv in waves {
        let n = wv["wave"].as_u64().unwrap();
        let in_wave = count(ws, |w| w["wave"].as_u64() == Some(n));
        assert_eq!(get(&format!("wave-{n}")), in_wave, "systems in wave {n}");
        assert_eq!(in_wave, wv["workloads"].as_array().unwrap().len() as u64);
        moving += in_wave;
    }
    assert_eq!(get("moving"), moving);
    for w in ws {
        let adopted = w["strategy"]["adopted"].as_str().unwrap();
        if matches!(adopted, "retire" | "retain") {
            assert!(w["wave"].is_null(), "{} stays, yet has a wave", w["id"]);
        }
    }
    // Moves: the agency plan and the evidence, each summing to every system.
    let (mut plan_sum, mut evidence_sum) = (0, 0);
    for s in [
        "rehost",
        "replatform",
        "refactor",
        "repurchase",
        "retire",
        "retain",
        "relocate",
    ] {
        let adopted = count(ws, |w| w["strategy"]["adopted"] == s);
        let recommended = count(ws, |w| w["strategy"]["recommended"] == s);
        if adopted + recommended == 0 {
            continue;
        }
        assert_eq!(get(&format!("plan-{s}")), adopted, "{s}: agency plan");
        assert_eq!(get(&format!("evidence-{s}")), recommended, "{s}: evidence");
        if adopted > 0 {
            assert_eq!(get(&format!("adopted-{s}")), adopted, "{s} in the summary");
        }
        plan_sum += adopted;
        evidence_sum += recommended;
    }
    assert_eq!((plan_sum, evidence_sum), (ws_len, ws_len));
    let disagree = count(ws, |w| {
        w["strategy"]["planned"].is_string() && w["strategy"]["agrees"] == false
    });
    if disagree > 0 {
        assert_eq!(get("disagreements"), disagree);
    }
    let unowned = count(ws, |w| {
        w["owner"].as_str().is_none_or(|o| o.trim().is_empty())
    });
    if unowned > 0 {
        assert_eq!(get("unowned"), unowned);
    }
    let blocked = count(ws, |w| !w["blockers"].as_array().unwrap().is_empty());
    if blocked > 0 {
        assert_eq!(get("blocked"), blocked);
    }
    if let Some(n) = doc["portfolio"]["capacity_risk"]["count"].as_u64()
        && n > 0
    {
        assert_eq!(get("capacity"), n, "the capacity risk as assess counts it");
    }
    // The summary's capacity figure and the roadmap's are one figure.
    if let Some(late) = fig.get("late") {
        assert_eq!(Some(late), fig.get("late-roadmap"));
    }
}

#[test]
fn every_figure_in_the_paper_reconciles_with_assess() {
    check_against_assessment(&[]);
}

#[test]
fn a_releasable_paper_reconciles_with_a_releasable_assessment() {
    // `assess` takes the same level where the build supports it; the paper's own figures must
    // still agree with each other and with the systems it keeps.
    let (paper, _) = paper_and_annex(INVENTORY, &["--max-classification", "PROTECTED"]);
    let fig = figures(&paper);
    let plan: u64 = fig
        .iter()
        .filter(|(k, _)| k.starts_with("plan-"))
        .map(|(_, v)| v)
        .sum();
    let evidence: u64 = fig
        .iter()
        .filter(|(k, _)| k.starts_with("evidence-"))
        .map(|(_, v)| v)
        .sum();
    let systems = fig["systems"];
    assert_eq!((plan, evidence), (systems, systems));
    let bands: u64 = ["ready", "conditional", "not-ready", "unknown"]
        .iter()
        .map(|b| fig[*b])
        .sum();
    assert_eq!(bands, systems);
    let in_waves: u64 = fig
        .iter()
        .filter(|(k, _)| k.starts_with("wave-"))
        .map(|(_, v)| v)
        .sum();
    assert_eq!(in_waves, fig["moving"]);
    assert!(
        systems < 21,
        "the release leaves the SECRET and TOP SECRET systems out"
    );
}

/// The paper's words, without markup, comments or the embedded style sheet.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    if let Some(i) = rest.find("</style>") {
        rest = &rest[i..];
    }
    let mut in_tag = false;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !in_tag && rest[i..].starts_with("<!--") {
            let end = rest[i..].find("-->").map_or(rest.len(), |e| i + e + 3);
            while chars.peek().is_some_and(|(j, _)| *j < end) {
                chars.next();
            }
            continue;
        }
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn the_paper_speaks_plainly_and_the_annex_holds_the_method() {
    let (paper, annex) = paper_and_annex(INVENTORY, &[]);
    let text = visible_text(&paper);
    for jargon in [
        "annual_cost_aud",
        "end_of_support",
        "target.strategy",
        "wave_months",
        "[strategy]",
        "[plan]",
        "cloudready.toml",
        "cloudready strategy",
        "--date",
        "--annex",
        "P1.",
        "CAF.",
    ] {
        assert!(!text.contains(jargon), "the paper says `{jargon}`");
    }
    assert!(text.contains("annex.html"), "the paper names its annex");
    assert!(text.contains("Decisions sought"));
    assert!(text.contains("Document control"));
    assert!(text.contains("Strategy risk register"));
    // The method note, with its field and setting names, is in the annex.
    let method = visible_text(&annex);
    for name in [
        "annual_cost_aud",
        "wave_months",
        "[strategy.money]",
        "transition",
    ] {
        assert!(
            method.contains(name),
            "the annex's method note names `{name}`"
        );
    }
    // Where both appear they are two columns, in the annex as in the paper.
    assert!(
        annex
            .contains("<th scope=\"col\">Agency plan</th><th scope=\"col\">Evidence suggests</th>")
    );
    assert!(paper.contains("Agency plan</th><th scope=\"col\" class=\"num\">Evidence suggests"));
    assert!(!annex.contains("Planned move") && !paper.contains("Planned move"));
    // The paper enumerates no system table: the annex does, one row per system.
    assert!(!paper.contains("id=\"card-"));
    assert!(annex.contains("id=\"card-payroll\""));
}

#[test]
fn no_card_puts_a_system_in_a_wave_other_than_its_own() {
    let (_, annex) = paper_and_annex(INVENTORY, &[]);
    assert!(
        !annex.contains("first wave"),
        "a wave named in advice, not from the plan"
    );
    assert!(!annex.contains("next wave"));
    // Each card states its own wave, as assess gives it.
    let doc = json(&["assess", INVENTORY, "--config", CONFIG, "--format", "json"]);
    for w in doc["workloads"].as_array().unwrap() {
        let id = w["id"].as_str().unwrap();
        let start = annex
            .find(&format!("id=\"card-{id}\""))
            .unwrap_or_else(|| panic!("no card for {id}"));
        let card = &annex[start..annex[start..].find("</article>").unwrap() + start];
        match w["wave"].as_u64() {
            Some(n) => assert!(card.contains(&format!("moves in wave {n}")), "{id}"),
            None => assert!(card.contains("no wave"), "{id}"),
        }
    }
}

#[test]
fn money_prompts_come_from_the_settings_and_nothing_is_priced() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("cloudready.toml");
    std::fs::write(
        &config,
        "[strategy.money]\nfunding = \"Digital Investment Plan 2027-28\"\n\
         [[strategy.money.waves]]\nwave = 1\ntransition = \"$1.4m (agency estimate)\"\n\
         [strategy.risks.delivery]\nowner = \"Chief Digital Officer\"\n\
         [strategy.document]\nversion = \"0.3\"\n",
    )
    .unwrap();
    let paper = dir.path().join("paper.md");
    cmd(&[
        "strategy",
        INVENTORY,
        "--config",
        config.to_str().unwrap(),
        "-o",
        paper.to_str().unwrap(),
    ])
    .code(0)
    .run();
    let md = std::fs::read_to_string(&paper).unwrap();
    assert!(md.contains("Digital Investment Plan 2027-28"));
    assert!(md.contains("$1.4m (agency estimate)"));
    assert!(md.contains("Chief Digital Officer"));
    assert!(md.contains("| Version | 0.3 |"));
    // Waves the agency has not costed, and the change in run cost, are prompts.
    assert!(md.contains("<!-- cloudready:prompt strategy.money.waves.transition -->"));
    assert!(md.contains("<!-- cloudready:prompt strategy.money.run_cost_change -->"));
    assert!(md.contains("<!-- cloudready:prompt strategy.risks.skills.owner -->"));
    // Without an annex the paper says it has none.
    assert!(md.contains("<!-- cloudready:prompt document.annex -->"));
    // A misspelt key is refused with its line.
    std::fs::write(&config, "[strategy.money]\nfundng = \"x\"\n").unwrap();
    let r = cmd(&["strategy", INVENTORY, "--config", config.to_str().unwrap()])
        .code(2)
        .run();
    assert!(r.stderr.contains("fundng"), "{}", r.stderr);
}

#[test]
fn the_annex_is_written_in_any_format_and_nothing_when_a_template_fails() {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["md", "html", "docx"] {
        let annex = dir.path().join(format!("annex.{ext}"));
        let paper = dir.path().join(format!("paper.{ext}"));
        cmd(&[
            "strategy",
            INVENTORY,
            "-o",
            paper.to_str().unwrap(),
            "--annex",
            annex.to_str().unwrap(),
        ])
        .code(0)
        .run();
        assert!(std::fs::metadata(&annex).unwrap().len() > 1000, "{ext}");
    }
    let md = std::fs::read_to_string(dir.path().join("annex.md")).unwrap();
    assert!(md.contains("| System | Agency plan | Evidence suggests |"));
    assert!(md.contains("## A7. Method note"));
    // A broken annex template: neither file is written.
    let t = dir.path().join("t");
    std::fs::create_dir(&t).unwrap();
    std::fs::write(t.join("annex.html.tera"), "{{ nope.nope }}").unwrap();
    let out = dir.path().join("new-paper.html");
    cmd(&[
        "strategy",
        INVENTORY,
        "--templates",
        t.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--annex",
        dir.path().join("new-annex.html").to_str().unwrap(),
    ])
    .code(2)
    .run();
    assert!(!out.exists() && !dir.path().join("new-annex.html").exists());
}
