//! `cloudready principles hosting|strategies`: the planning rules as tables, markdown or JSON.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::json;

use super::framework::PrinciplesFormat;
use crate::domain::{Effort, Strategy};
use crate::inventory::CLASSIFICATIONS;
use crate::plan::PlanRules;
use crate::plan::hosting::{Exclude, HostingOption, HostingRules};
use crate::plan::strategy::{EffortStep, StrategyRules};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Hosting,
    Strategies,
}

impl Which {
    pub fn parse(s: &str) -> Option<Which> {
        match s.to_ascii_lowercase().as_str() {
            "hosting" => Some(Which::Hosting),
            "strategies" | "strategy" => Some(Which::Strategies),
            _ => None,
        }
    }
}

const CONDITIONS: &str = "\
Conditions (`when`): every entry must hold. An enum or true/false field takes a value or list;
a list field (tags, dependencies) holds when it contains one of the values, or takes
{ min, max } on its length; a number field takes { min, max } (inclusive); a date field takes
{ before_days, after_days } from the reference date; `band`, `overall`, `confidence`,
`score.P1`..`score.P7`, `score.CAF`, `hosting.public`, `hosting.current_allowed` and
`dependants` ({ min, max } workloads that depend on it) test the assessment (strategy rules
only); `missing: [field]` holds when a field is not recorded; `not: [ {...}, ... ]` holds when
none of its conditions does. A missing fact never matches (so under `not` it rules nothing out).
";

fn table(header: Vec<&str>, rows: Vec<Vec<String>>) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .force_no_tty();
    t.set_header(header);
    for r in rows {
        t.add_row(r);
    }
    let mut s = t.to_string();
    s.push('\n');
    s
}

fn md_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let esc = |s: &str| crate::render::markdown::esc(s);
    let mut s = format!(
        "| {} |\n|{}\n",
        header.join(" | "),
        "---|".repeat(header.len())
    );
    for r in rows {
        s.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    s
}

/// The rules `which` names, in `format`.
pub fn render(rules: &PlanRules, which: Which, format: PrinciplesFormat) -> String {
    match which {
        Which::Hosting => hosting(&rules.hosting, format),
        Which::Strategies => strategies(&rules.strategies, format),
    }
}

/// Pretty JSON with a last line break.
fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// A hosting option's classification range, in words.
fn range(o: &HostingOption) -> String {
    if o.min_classification == o.max_classification {
        format!("{} only", CLASSIFICATIONS[o.max_classification])
    } else if o.min_classification > 0 {
        format!(
            "{} to {}",
            CLASSIFICATIONS[o.min_classification], CLASSIFICATIONS[o.max_classification]
        )
    } else {
        format!("up to {}", CLASSIFICATIONS[o.max_classification])
    }
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

/// What a hosting rule rules out, in words.
fn ruled_out(h: &HostingRules, x: &Exclude) -> String {
    let mut what = Vec::new();
    if let Some(b) = x.onshore {
        what.push(
            if b {
                "onshore options"
            } else {
                "offshore options"
            }
            .to_string(),
        );
    }
    if let Some(b) = x.public {
        what.push(
            if b {
                "public options"
            } else {
                "non-public options"
            }
            .to_string(),
        );
    }
    for &i in &x.ids {
        what.push(h.options[i].id.clone());
    }
    what.join(", ")
}

fn hosting(h: &HostingRules, format: PrinciplesFormat) -> String {
    let opt_rows: Vec<Vec<String>> = h
        .options
        .iter()
        .map(|o| {
            vec![
                o.id.clone(),
                o.title.clone(),
                range(o),
                yes_no(o.onshore),
                yes_no(o.public),
                o.provider_kind.clone().unwrap_or_else(|| "–".into()),
            ]
        })
        .collect();
    let rule_rows: Vec<Vec<String>> = h
        .rules
        .iter()
        .map(|r| {
            vec![
                r.when.describe(),
                ruled_out(h, &r.exclude),
                r.reason.clone(),
            ]
        })
        .collect();
    let header_o = [
        "Option",
        "Title",
        "Classifications",
        "Onshore",
        "Public",
        "Provider kind",
    ];
    let header_r = ["When", "Rules out", "Reason"];
    let lead = format!(
        "The tool's default rules, which an agency may change. An option is allowed when the workload's classification is within its range (unrecorded: {}), unless a rule rules it out.\n",
        CLASSIFICATIONS[h.assume_classification]
    );
    match format {
        PrinciplesFormat::Json => pretty(&json!({
            "assume_classification": CLASSIFICATIONS[h.assume_classification],
            "options": h.options.iter().map(|o| json!({
                "id": o.id, "title": o.title,
                "max_classification": CLASSIFICATIONS[o.max_classification],
                "min_classification": CLASSIFICATIONS[o.min_classification],
                "hosts": o.hosts.iter().map(|&h| crate::inventory::HOSTING[h]).collect::<Vec<_>>(),
                "onshore": o.onshore, "public": o.public, "provider_kind": o.provider_kind,
            })).collect::<Vec<_>>(),
            "rules": rule_rows.iter().map(|r| json!({"when": r[0], "rules_out": r[1], "reason": r[2]})).collect::<Vec<_>>(),
        })),
        PrinciplesFormat::Markdown => format!(
            "## Hosting options\n\n{lead}\n{}\n## Hosting rules\n\n{}",
            md_table(&header_o, &opt_rows),
            md_table(&header_r, &rule_rows)
        ),
        PrinciplesFormat::Table => format!(
            "Hosting options (least restrictive first)\n{}{lead}\nRules\n{}\n{CONDITIONS}",
            table(header_o.to_vec(), opt_rows),
            table(header_r.to_vec(), rule_rows)
        ),
    }
}

/// The strategies an effort adjustment applies to, in words.
fn applies_to(a: &EffortStep) -> String {
    if a.strategies.is_empty() {
        "all".into()
    } else {
        a.strategies
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn strategies(st: &StrategyRules, format: PrinciplesFormat) -> String {
    let rows: Vec<Vec<String>> = st
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.id.clone(),
                r.when.describe(),
                r.strategy.to_string(),
                r.reason.clone(),
            ]
        })
        .collect();
    let effort_rows: Vec<Vec<String>> = Strategy::ALL
        .iter()
        .map(|s| vec![s.to_string(), st.base[s.index()].to_string()])
        .collect();
    let adj_rows: Vec<Vec<String>> = st
        .adjust
        .iter()
        .map(|a| {
            vec![
                a.when.describe(),
                applies_to(a),
                format!("{:+}", a.step),
                a.reason.clone(),
            ]
        })
        .collect();
    let advice_rows: Vec<Vec<String>> = st
        .card_advice
        .iter()
        .map(|a| {
            let on: Vec<&str> = a.strategies.iter().map(|s| s.as_str()).collect();
            let drop: Vec<&str> = a.drop.iter().map(|(d, _)| d.as_str()).collect();
            vec![
                a.id.clone(),
                if on.is_empty() {
                    "all".into()
                } else {
                    on.join(", ")
                },
                a.when.describe(),
                drop.join(", "),
                a.reason.clone(),
            ]
        })
        .collect();
    let wave0_rows: Vec<Vec<String>> = st
        .foundation
        .iter()
        .map(|f| vec![f.id.clone(), f.activity.clone()])
        .collect();
    let hr = ["#", "Rule", "When", "Strategy", "Reason"];
    let ha = ["When", "Strategies", "Step", "Reason"];
    let hc = [
        "Card advice",
        "Adopted move",
        "When",
        "Leaves out",
        "Reason",
    ];
    let h0 = ["Wave 0", "Activity"];
    match format {
        PrinciplesFormat::Json => pretty(&json!({
            "rules": st.rules.iter().map(|r| json!({
                "id": r.id, "when": r.when.describe(),
                "strategy": r.strategy, "reason": r.reason,
            })).collect::<Vec<_>>(),
            "effort": {
                "base": Strategy::ALL.iter().map(|s| (s.to_string(), json!(st.base[s.index()]))).collect::<serde_json::Map<_, _>>(),
                "points": Effort::NAMES.iter().zip(&st.points).map(|(s, p)| (s.to_string(), json!(p))).collect::<serde_json::Map<_, _>>(),
                "adjust": adj_rows.iter().map(|r| json!({"when": r[0], "strategies": r[1], "step": r[2], "reason": r[3]})).collect::<Vec<_>>(),
            },
            "foundation": st.foundation,
            "card_advice": advice_rows.iter().map(|r| json!({"id": r[0], "strategies": r[1], "when": r[2], "drop": r[3], "reason": r[4]})).collect::<Vec<_>>(),
        })),
        PrinciplesFormat::Markdown => format!(
            "## Strategy rules (first match wins)\n\n{}\n## Effort\n\n{}\n{}\n## Wave 0 (foundations)\n\n{}\n## Card advice left out by the adopted move\n\n{}",
            md_table(&hr, &rows),
            md_table(&["Strategy", "Base size"], &effort_rows),
            md_table(&ha, &adj_rows),
            md_table(&h0, &wave0_rows),
            md_table(&hc, &advice_rows)
        ),
        PrinciplesFormat::Table => format!(
            "Strategy rules (first match wins)\n{}\nEffort: base size per strategy\n{}\nEffort adjustments\n{}\nWave 0 (foundations)\n{}\nCard advice left out by the adopted move\n{}\n{CONDITIONS}",
            table(hr.to_vec(), rows),
            table(vec!["Strategy", "Base size"], effort_rows),
            table(ha.to_vec(), adj_rows),
            table(h0.to_vec(), wave0_rows),
            table(hc.to_vec(), advice_rows)
        ),
    }
}
