//! `cloudready principles`: the framework itself, so people can see what they are scored on.

use std::fmt::Write as _;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::{Value, json};

use crate::diagnostic::did_you_mean;
use crate::error::{Error, Result};
use crate::inventory::FIELDS;
use crate::pack::{Criterion, Guard, Measure, Pack, Packs, Rule};

/// The formats of `principles`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PrinciplesFormat {
    Table,
    Json,
    Markdown,
}

fn rule_json(r: &Rule) -> (Option<Vec<Value>>, Option<Vec<Value>>) {
    let answer = |a: &crate::pack::Answer| json!({"value": a.value, "score": a.score, "finding": a.finding, "advice": a.advice});
    match r {
        Rule::Choice(a) => (Some(a.iter().map(answer).collect()), None),
        Rule::Compare(_, a) => (Some(a.iter().map(answer).collect()), None),
        Rule::Bands(b) => (
            None,
            Some(
                b.iter()
                    .map(|b| json!({"below": b.below, "score": b.score, "finding": b.finding, "advice": b.advice}))
                    .collect(),
            ),
        ),
    }
}

fn guard_json(g: &Guard) -> Value {
    let one = |w: &crate::pack::Condition| json!({"field": FIELDS[w.field].path, "values": w.text});
    json!({
        "all": g.all.iter().map(one).collect::<Vec<_>>(),
        "any": g.any.iter().map(|grp| grp.iter().map(|b| b.iter().map(one).collect::<Vec<_>>()).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "text": g.describe(),
    })
}

pub fn criterion_json(c: &Criterion) -> Value {
    let (answers, bands) = rule_json(c.rule());
    let compare = c.cases.iter().find_map(|k| match k.rule {
        Rule::Compare(f, _) => Some(FIELDS[f].path),
        _ => None,
    });
    json!({
        "id": c.id, "question": c.question, "field": FIELDS[c.field].path, "weight": c.weight,
        "blocker": c.blocker, "blocker_when": c.blocker_when.as_ref().map(guard_json),
        "pass": c.pass, "source": c.source, "unknown": c.unknown,
        "fields_read": c.fields_read().iter().map(|&f| FIELDS[f].path).collect::<Vec<_>>(),
        "applies_when": c.applies_when.all.iter().map(|w| json!({"field": FIELDS[w.field].path, "values": w.text})).collect::<Vec<_>>(),
        "applies": guard_json(&c.applies_when),
        "measure": c.measure.as_str(), "compare_with": compare,
        "cases": c.cases.iter().map(|k| {
            let (a, b) = rule_json(&k.rule);
            json!({"when": guard_json(&k.when), "answers": a, "bands": b})
        }).collect::<Vec<_>>(),
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
        "{t}\nReadiness: ready at {} or more with no failed blocker{}; conditional from {}; unknown when confidence is below {:.0}%.\nOverall = weighted mean of P1..P7; CAF is reported beside it and its blockers count.\n`cloudready principles P6` shows one principle's answers; `cloudready principles --trace` where each criterion comes from.\n",
        r.ready,
        if r.ready_needs_known_blockers {
            " and none left unknown"
        } else {
            ""
        },
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
    if !c.applies_when.is_always() {
        let _ = writeln!(s, "  applies when {}", c.applies_when.describe());
    }
    if let Some(g) = &c.blocker_when {
        let _ = writeln!(s, "  blocker when {}", g.describe());
    }
    if let Some(src) = &c.source {
        let _ = writeln!(s, "  source: {src}");
    }
    let many = c.cases.len() > 1;
    for k in &c.cases {
        if many && k.when.is_always() {
            s.push_str("  otherwise:\n");
        } else if many {
            let _ = writeln!(s, "  when {}:", k.when.describe());
        }
        rule_rows(&mut s, c, &k.rule);
    }
    s
}

fn rule_rows(s: &mut String, c: &Criterion, r: &Rule) {
    match r {
        Rule::Choice(a) => {
            for a in a {
                let _ = writeln!(s, "  {:>3}  {:<22} {}", a.score, a.value, a.finding);
            }
        }
        Rule::Compare(with, a) => {
            for a in a {
                let v = format!("{} {}", a.value, FIELDS[*with].path);
                let _ = writeln!(s, "  {:>3}  {:<22} {}", a.score, v, a.finding);
            }
        }
        Rule::Bands(b) => {
            let unit = match (FIELDS[c.field].kind, c.measure) {
                (crate::inventory::Kind::Date, Measure::MonthsSince) => " months old",
                (crate::inventory::Kind::Date, Measure::DaysUntil) => " days to go",
                _ => "",
            };
            for b in b {
                let lim = b
                    .below
                    .map_or("otherwise".to_string(), |x| format!("below {x}{unit}"));
                let _ = writeln!(s, "  {:>3}  {:<22} {}", b.score, lim, b.finding);
            }
        }
    }
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
        "Field `{}`, weight {}{}.{}{}{}\n",
        FIELDS[c.field].path,
        c.weight,
        match &c.blocker_when {
            Some(g) => format!(", blocker when {}", g.describe()),
            None if c.blocker => ", blocker".into(),
            None => String::new(),
        },
        if c.applies_when.is_always() {
            String::new()
        } else {
            format!(" Applies when {}.", c.applies_when.describe())
        },
        c.source
            .as_ref()
            .map(|x| format!(" Source: {x}."))
            .unwrap_or_default(),
        if c.cases.len() > 1 {
            " The first case that holds gives the answers."
        } else {
            ""
        }
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
    for k in &c.cases {
        if c.cases.len() > 1 {
            let when = if k.when.is_always() {
                "otherwise".to_string()
            } else {
                format!("when {}", k.when.describe())
            };
            let _ = writeln!(s, "| *{}* | | | |", when.replace('|', "\\|"));
        }
        match &k.rule {
            Rule::Choice(a) => a
                .iter()
                .for_each(|a| row(s, &a.value, a.score, &a.finding, &a.advice)),
            Rule::Compare(_, a) => a
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
    }
    s.push('\n');
}

/// The kinds of source a criterion can rest on, as the trace counts them. A source names one or
/// more of them; matching is by the document's name as the packs write it.
pub const SOURCE_KINDS: &[(&str, &[&str])] = &[
    ("Secure Cloud Strategy", &["Secure Cloud Strategy"]),
    ("ISM", &["Information Security Manual", "ISM-"]),
    ("PSPF", &["PSPF", "Protective Security Policy Framework"]),
    ("HCF", &["Hosting Certification Framework"]),
    ("2025 cloud policy", &["Cloud Computing Policy (2025)"]),
    ("DTA cloud assessment tool", &["Cloud Assessment Tool"]),
    ("Essential Eight", &["Essential Eight"]),
    ("Privacy Act / APP Code", &["Privacy Act", "APP Code"]),
    (
        "AGA cloud policy",
        &["AGA cloud computing policy", "AGA Cloud Computing policy"],
    ),
];

fn source_kinds(src: &str) -> Vec<&'static str> {
    SOURCE_KINDS
        .iter()
        .filter(|(_, keys)| keys.iter().any(|k| src.contains(k)))
        .map(|(name, _)| *name)
        .collect()
}

/// `cloudready principles --trace`: criterion → source → fields read, and how many criteria
/// trace to each kind of source.
pub fn trace(packs: &Packs, id: Option<&str>, format: PrinciplesFormat) -> Result<String> {
    let chosen: Vec<&Pack> = match pick(packs, id)? {
        Pick::All => packs.all().collect(),
        Pick::Pack(p) | Pick::Criterion(p, _) => vec![p],
    };
    let only = match pick(packs, id)? {
        Pick::Criterion(_, c) => Some(c.id.as_str()),
        _ => None,
    };
    let rows: Vec<(&Pack, &Criterion)> = chosen
        .iter()
        .flat_map(|p| p.criteria.iter().map(move |c| (*p, c)))
        .filter(|(_, c)| only.is_none_or(|o| o == c.id))
        .collect();
    let fields = |c: &Criterion| -> Vec<&'static str> {
        c.fields_read().iter().map(|&f| FIELDS[f].path).collect()
    };
    Ok(match format {
        PrinciplesFormat::Json => {
            let v: Vec<Value> = rows
                .iter()
                .map(|(p, c)| {
                    json!({
                        "pack": p.id, "criterion": c.id, "source": c.source,
                        "source_kinds": source_kinds(c.source.as_deref().unwrap_or("")),
                        "scores": FIELDS[c.field].path, "reads": fields(c),
                        "blocker": c.blocker,
                    })
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
            s.push('\n');
            s
        }
        PrinciplesFormat::Markdown => {
            let mut s = String::from(
                "| Criterion | Source | Fields read (scored first) |\n|---|---|---|\n",
            );
            for (_, c) in &rows {
                let _ = writeln!(
                    s,
                    "| {}{} | {} | {} |",
                    c.id,
                    if c.blocker { " (blocker)" } else { "" },
                    c.source.as_deref().unwrap_or("—").replace('|', "\\|"),
                    fields(c)
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            s.push('\n');
            s.push_str(&trace_summary(&rows));
            s
        }
        PrinciplesFormat::Table => {
            let mut t = Table::new();
            t.load_style(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Disabled)
                .force_no_tty();
            t.set_header(vec!["Criterion", "Source", "Fields read (scored first)"]);
            for (_, c) in &rows {
                t.add_row(vec![
                    format!("{}{}", c.id, if c.blocker { "\n(blocker)" } else { "" }),
                    wrap(c.source.as_deref().unwrap_or("—"), 60),
                    fields(c).join("\n"),
                ]);
            }
            format!("{t}\n{}", trace_summary(&rows))
        }
    })
}

fn trace_summary(rows: &[(&Pack, &Criterion)]) -> String {
    let mut per_pack: Vec<(&str, usize)> = Vec::new();
    for (p, _) in rows {
        match per_pack.iter_mut().find(|(id, _)| *id == p.id) {
            Some((_, n)) => *n += 1,
            None => per_pack.push((&p.id, 1)),
        }
    }
    let mut s = format!(
        "{} criteria: {}.\nTracing to (a criterion may cite several): ",
        rows.len(),
        per_pack
            .iter()
            .map(|(id, n)| format!("{id} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let counts: Vec<String> = SOURCE_KINDS
        .iter()
        .map(|(name, _)| {
            let n = rows
                .iter()
                .filter(|(_, c)| source_kinds(c.source.as_deref().unwrap_or("")).contains(name))
                .count();
            format!("{name} {n}")
        })
        .collect();
    s.push_str(&counts.join(", "));
    s.push_str(".\n");
    s
}

/// Breaks text into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += n;
    }
    out
}
