//! `cloudready principles`: the framework itself, so people can see what they are scored on.

use std::fmt::Write as _;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::{Value, json};

use crate::diagnostic::did_you_mean;
use crate::error::{Error, Result};
use crate::inventory::FIELDS;
use crate::pack::{Criterion, Pack, Packs, Rule};

/// The formats of `principles`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PrinciplesFormat {
    Table,
    Json,
    Markdown,
}

pub fn criterion_json(c: &Criterion) -> Value {
    let (answers, bands) = match &c.rule {
        Rule::Choice(a) => (
            Some(
                a.iter()
                    .map(|a| json!({"value": a.value, "score": a.score, "finding": a.finding, "advice": a.advice}))
                    .collect::<Vec<_>>(),
            ),
            None,
        ),
        Rule::Bands(b) => (
            None,
            Some(
                b.iter()
                    .map(|b| json!({"below": b.below, "score": b.score, "finding": b.finding, "advice": b.advice}))
                    .collect::<Vec<_>>(),
            ),
        ),
    };
    json!({
        "id": c.id, "question": c.question, "field": FIELDS[c.field].path, "weight": c.weight,
        "blocker": c.blocker, "pass": c.pass, "source": c.source, "unknown": c.unknown,
        "applies_when": c.applies_when.iter().map(|w| json!({"field": FIELDS[w.field].path, "values": w.text})).collect::<Vec<_>>(),
        "answers": answers, "bands": bands,
    })
}

pub fn pack_json(p: &Pack) -> Value {
    json!({
        "id": p.id, "title": p.title, "weight": p.weight, "source": p.source, "summary": p.summary,
        "criteria": p.criteria.iter().map(criterion_json).collect::<Vec<_>>(),
    })
}

/// The whole framework as data (also part of the strategy templates' context).
pub fn packs_json(packs: &Packs) -> Value {
    json!({
        "principles": packs.principles.iter().map(pack_json).collect::<Vec<_>>(),
        "framework": pack_json(&packs.framework),
        "readiness": packs.readiness,
    })
}

enum Pick<'a> {
    All,
    Pack(&'a Pack),
    Criterion(&'a Pack, &'a Criterion),
}

fn pick<'a>(packs: &'a Packs, id: Option<&str>) -> Result<Pick<'a>> {
    let Some(id) = id else { return Ok(Pick::All) };
    if let Some(p) = packs.find(id) {
        return Ok(Pick::Pack(p));
    }
    for p in packs.all() {
        if let Some(c) = p.criteria.iter().find(|c| c.id.eq_ignore_ascii_case(id)) {
            return Ok(Pick::Criterion(p, c));
        }
    }
    let all: Vec<&str> = packs
        .all()
        .flat_map(|p| {
            std::iter::once(p.id.as_str()).chain(p.criteria.iter().map(|c| c.id.as_str()))
        })
        .collect();
    let hint = did_you_mean(id, all.iter().copied())
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    Err(Error::Usage(format!(
        "no principle or criterion `{id}`{hint}; try P1..P7, CAF or a criterion id such as P6.iac"
    )))
}

pub fn render(packs: &Packs, id: Option<&str>, format: PrinciplesFormat) -> Result<String> {
    let sel = pick(packs, id)?;
    Ok(match format {
        PrinciplesFormat::Json => {
            let v = match sel {
                Pick::All => packs_json(packs),
                Pick::Pack(p) => pack_json(p),
                Pick::Criterion(_, c) => criterion_json(c),
            };
            let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
            s.push('\n');
            s
        }
        PrinciplesFormat::Table => match sel {
            Pick::All => overview_table(packs),
            Pick::Pack(p) => pack_text(p),
            Pick::Criterion(p, c) => criterion_text(p, c),
        },
        PrinciplesFormat::Markdown => match sel {
            Pick::All => packs
                .all()
                .map(pack_markdown)
                .collect::<Vec<_>>()
                .join("\n"),
            Pick::Pack(p) => pack_markdown(p),
            Pick::Criterion(p, c) => {
                let mut s = format!("## {} — {}\n\n", p.id, p.title);
                criterion_markdown(&mut s, c);
                s
            }
        },
    })
}

fn overview_table(packs: &Packs) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .force_no_tty();
    t.set_header(vec![
        "Id",
        "Principle",
        "Weight",
        "Criteria (field, weight)",
    ]);
    for p in packs.all() {
        let crit: Vec<String> = p
            .criteria
            .iter()
            .map(|c| {
                format!(
                    "{} ({}, {}){}",
                    c.id,
                    FIELDS[c.field].path,
                    c.weight,
                    if c.blocker { " blocker" } else { "" }
                )
            })
            .collect();
        t.add_row(vec![
            p.id.clone(),
            p.title.clone(),
            p.weight.to_string(),
            crit.join("\n"),
        ]);
    }
    let r = packs.readiness;
    format!(
        "{t}\nReadiness: ready at {} or more with no failed blocker; conditional from {}; unknown when confidence is below {:.0}%.\nOverall = weighted mean of P1..P7; CAF is reported beside it and its blockers count.\n`cloudready principles P6` shows one principle's answers.\n",
        r.ready,
        r.conditional,
        r.min_confidence * 100.0
    )
}

fn pack_text(p: &Pack) -> String {
    let mut s = format!("{} — {} (weight {})\n", p.id, p.title, p.weight);
    if let Some(sum) = &p.summary {
        let _ = writeln!(s, "{}", sum.trim());
    }
    if let Some(src) = &p.source {
        let _ = writeln!(s, "Source: {src}");
    }
    for c in &p.criteria {
        s.push('\n');
        s.push_str(&criterion_body(c));
    }
    s
}

fn criterion_text(p: &Pack, c: &Criterion) -> String {
    format!("{} — {}\n\n{}", p.id, p.title, criterion_body(c))
}

fn criterion_body(c: &Criterion) -> String {
    let mut s = format!(
        "{}  {}\n  field: {}   weight: {}{}\n",
        c.id,
        c.question,
        FIELDS[c.field].path,
        c.weight,
        if c.blocker {
            format!("   blocker (fails below {})", c.pass)
        } else {
            String::new()
        }
    );
    for w in &c.applies_when {
        let _ = writeln!(
            s,
            "  applies when {} is {}",
            FIELDS[w.field].path,
            w.text.join(" or ")
        );
    }
    match &c.rule {
        Rule::Choice(a) => {
            for a in a {
                let _ = writeln!(s, "  {:>3}  {:<22} {}", a.score, a.value, a.finding);
            }
        }
        Rule::Bands(b) => {
            for b in b {
                let lim = b
                    .below
                    .map_or("otherwise".to_string(), |x| format!("below {x}"));
                let _ = writeln!(s, "  {:>3}  {:<22} {}", b.score, lim, b.finding);
            }
        }
    }
    s
}

fn pack_markdown(p: &Pack) -> String {
    let mut s = format!("## {} — {}\n\n", p.id, p.title);
    if let Some(sum) = &p.summary {
        let _ = writeln!(s, "{}\n", sum.trim());
    }
    let _ = writeln!(
        s,
        "Weight {}.{}\n",
        p.weight,
        p.source
            .as_ref()
            .map(|x| format!(" Source: {x}."))
            .unwrap_or_default()
    );
    for c in &p.criteria {
        criterion_markdown(&mut s, c);
    }
    s
}

fn criterion_markdown(s: &mut String, c: &Criterion) {
    let _ = writeln!(s, "### {}: {}\n", c.id, c.question);
    let _ = writeln!(
        s,
        "Field `{}`, weight {}{}.\n",
        FIELDS[c.field].path,
        c.weight,
        if c.blocker { ", blocker" } else { "" }
    );
    let _ = writeln!(
        s,
        "| Answer | Score | Finding | Advice |\n|---|---:|---|---|"
    );
    let row = |s: &mut String, k: &str, score: u8, f: &str, a: &Option<String>| {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            k,
            score,
            f.replace('|', "\\|"),
            a.as_deref().unwrap_or("").replace('|', "\\|")
        );
    };
    match &c.rule {
        Rule::Choice(a) => a
            .iter()
            .for_each(|a| row(s, &a.value, a.score, &a.finding, &a.advice)),
        Rule::Bands(b) => b.iter().for_each(|b| {
            row(
                s,
                &b.below.map_or("otherwise".into(), |x| format!("below {x}")),
                b.score,
                &b.finding,
                &b.advice,
            )
        }),
    }
    s.push('\n');
}
