//! The context every strategy template sees: the assessment document's keys at the top level
//! (`schema`, `agency`, `workloads`, `portfolio`, ...), plus `packs` (the principle packs),
//! `insights` (what the document argues from: weakest workloads, common gaps, facts to collect)
//! and `charts` (geometry for the inline SVG charts), and `document` (digest, date, format).
//!
//! The shape is documented in `templates/README.md` for agencies writing their own templates.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::adopt::{self, Inputs};
use super::charts;
use crate::assessment::{Assessment, WorkloadDoc};
use crate::pack::Packs;
use crate::render::framework::packs_json;
use crate::score::{Readiness, Status};

/// What the renderer knows besides the assessment.
pub struct DocumentInfo<'a> {
    pub digest: &'a str,
    /// `--date`, when given: the only date a document carries.
    pub date: Option<String>,
    pub format: &'a str,
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Builds the template context from the assessment document and the packs. The workloads'
/// criteria are left out of it (a large inventory has millions); the statistics the document
/// argues from are tallied here in one pass, and templates fetch one workload's criteria at a
/// time with the `criteria()` function (see `templates/README.md`).
pub fn build(doc: Assessment, packs: &Packs, info: &DocumentInfo) -> tera::Context {
    build_with(doc, packs, info, &Inputs::default())
}

/// As [`build`], with what makes the draft a strategy: the agency's own words, costs, dates
/// and the marking. A releasable version's workloads are dropped from `doc` before this
/// ([`adopt::release`]), so nothing below sees them.
pub fn build_with(
    doc: Assessment,
    packs: &Packs,
    info: &DocumentInfo,
    inputs: &Inputs,
) -> tera::Context {
    let tally = tally(&doc, packs);
    let insights = insights(&doc, packs, tally);
    let mut charts = charts::build(&doc, &insights);
    let marking = adopt::marking(&doc, inputs);
    let money = inputs.inventory.map(|inv| adopt::money(&doc, inv));
    let mut roadmap = adopt::roadmap(&doc, inputs);
    if let Some(t) = roadmap.get_mut("chart").map(Value::take) {
        charts["timeline"] = t;
    }
    let risks = adopt::risks(&doc, inputs, &insights);
    let doc = doc.without_criteria();
    // Straight from the typed document into tera's values: no JSON tree in between.
    let mut ctx = tera::Context::new();
    ctx.insert("schema", &doc.schema);
    ctx.insert("generator", &doc.generator);
    ctx.insert("agency", &doc.agency);
    ctx.insert("reference_date", &doc.reference_date);
    ctx.insert("workloads", &doc.workloads);
    ctx.insert("portfolio", &doc.portfolio);
    ctx.insert("packs", &packs_json(packs));
    ctx.insert("insights", &insights);
    ctx.insert("charts", &charts);
    ctx.insert("marking", &marking);
    ctx.insert(
        "release",
        &inputs
            .release
            .map(|r| json!({"level": crate::inventory::CLASSIFICATIONS.get(r.level), "left_out": r.left_out})),
    );
    ctx.insert("own", &inputs.strategy.cloned().unwrap_or_default());
    ctx.insert("money", &money);
    ctx.insert("roadmap", &roadmap);
    ctx.insert("risks", &risks);
    ctx.insert("hosting_names", &adopt::hosting_names(inputs));
    ctx.insert(
        "document",
        &json!({
            "digest": info.digest,
            "digest_comment": crate::digest::comment(info.digest),
            "date": info.date,
            "format": info.format,
            "generator": format!("cloudready {}", env!("CARGO_PKG_VERSION")),
            "settings": inputs.settings_file,
        }),
    );
    ctx
}

/// Gap counts by criterion id, each with the first gap's finding and advice.
type Gaps<'a> = BTreeMap<&'a str, (usize, Value, Value)>;

/// What the criteria say across the portfolio, counted in one pass over every workload.
struct Tally<'a> {
    /// Per pack (principles, then the framework): gap counts by criterion id, with the first
    /// gap's finding and advice, and the number of unknown answers.
    packs: Vec<(Gaps<'a>, usize)>,
    /// Unknown answers by field, with the first advice on collecting it and the workloads
    /// (by name, each once) missing it.
    unknown_fields: BTreeMap<&'static str, (usize, Value, Vec<&'a str>)>,
    /// Failed blockers (waived ones too), in workload order.
    blockers: Vec<Value>,
}

fn tally<'a>(doc: &Assessment<'a>, packs: &Packs) -> Tally<'a> {
    let mut t = Tally {
        packs: packs.all().map(|_| (BTreeMap::new(), 0)).collect(),
        unknown_fields: BTreeMap::new(),
        blockers: Vec::new(),
    };
    let text = |s: Option<&str>| s.map_or(Value::Null, |s| Value::String(s.to_string()));
    for w in &doc.workloads {
        let mut blocker_texts: Vec<(&str, Value, Value, &str)> = Vec::new();
        let all = w.principles.iter().chain(std::iter::once(&w.framework));
        for (pi, p) in all.enumerate() {
            let Some((gaps, unknown)) = t.packs.get_mut(pi) else {
                continue;
            };
            for c in p.criteria.iter() {
                match c.status {
                    Status::Gap => {
                        gaps.entry(c.id)
                            .or_insert_with(|| {
                                (0, Value::String(c.finding.to_string()), text(c.advice))
                            })
                            .0 += 1;
                    }
                    Status::Unknown => {
                        *unknown += 1;
                        let e = t
                            .unknown_fields
                            .entry(c.field)
                            .or_insert_with(|| (0, text(c.advice), Vec::new()));
                        e.0 += 1;
                        if e.2.last() != Some(&w.name) {
                            e.2.push(w.name);
                        }
                    }
                    _ => {}
                }
                if w.blockers.contains(&c.id) || w.waived_blockers.contains(&c.id) {
                    blocker_texts.push((
                        c.id,
                        Value::String(c.finding.to_string()),
                        text(c.advice),
                        c.question,
                    ));
                }
            }
        }
        for b in w.blockers.iter().chain(&w.waived_blockers) {
            let waived = w.waived_blockers.contains(b);
            let found = blocker_texts.iter().find(|(id, _, _, _)| id == b);
            t.blockers.push(json!({
                "workload": w.id, "name": w.name, "criterion": b, "waived": waived,
                "question": found.map(|f| f.3),
                "finding": found.map(|f| f.1.clone()), "advice": found.map(|f| f.2.clone()),
            }));
        }
    }
    t
}

/// The portfolio-level reading of the assessment that the strategy text is written from.
fn insights(doc: &Assessment, packs: &Packs, tally: Tally) -> Value {
    let workloads = &doc.workloads;
    let n = workloads.len();

    // Per principle (and the framework): weakest workloads and the most common gap.
    let n_principles = packs.principles.len();
    let mut per_pack = Vec::with_capacity(n_principles + 1);
    for (pi, pack) in packs.all().enumerate() {
        let pick = |w: &WorkloadDoc| -> Option<f64> {
            if pi < n_principles {
                w.principles.get(pi).and_then(|p| p.score)
            } else {
                w.framework.score
            }
        };
        let mut scored: Vec<(f64, &str, &str)> = workloads
            .iter()
            .filter_map(|w| pick(w).map(|s| (s, w.id, w.name)))
            .collect();
        let empty = (BTreeMap::new(), 0);
        let (gaps, unknown) = tally.packs.get(pi).unwrap_or(&empty);
        scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
        let mut gap_list: Vec<(&str, usize)> = gaps.iter().map(|(k, (c, _, _))| (*k, *c)).collect();
        gap_list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let top_gaps: Vec<Value> = gap_list
            .iter()
            .take(3)
            .map(|(id, count)| {
                let crit = pack.criteria.iter().find(|c| c.id == *id);
                let (_, finding, advice) = &gaps[id];
                json!({
                    "id": id,
                    "question": crit.map(|c| c.question.as_str()),
                    "workloads": count,
                    "advice": advice,
                    "finding": finding,
                })
            })
            .collect();
        let portfolio_score = doc
            .portfolio
            .principles
            .iter()
            .find(|p| p.id == pack.id)
            .map_or(doc.portfolio.framework.score, |p| p.score);
        per_pack.push(json!({
            "id": pack.id,
            "title": pack.title,
            "summary": pack.summary,
            "source": pack.source,
            "weight": pack.weight,
            "score": portfolio_score,
            "weakest": scored.iter().take(3).map(|(s, id, name)| json!({"id": id, "name": name, "score": s})).collect::<Vec<_>>(),
            "gaps": top_gaps,
            "unknown_answers": unknown,
        }));
    }
    let (principles, framework) = per_pack.split_at(per_pack.len().saturating_sub(1));

    // Facts to collect next: the fields most often unknown, with the pack's advice on finding them.
    let unknown_fields = &tally.unknown_fields;
    let mut unknown_list: Vec<(&str, usize, &Value, &Vec<&str>)> = unknown_fields
        .iter()
        .map(|(k, (c, a, n))| (*k, *c, a, n))
        .collect();
    unknown_list.sort_by(|a, b| {
        b.3.len()
            .cmp(&a.3.len())
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(b.0))
    });
    let collect_next: Vec<Value> = unknown_list
        .iter()
        .take(8)
        .map(|(f, c, a, names)| {
            let what = crate::inventory::field_id(f).map(|i| crate::inventory::FIELDS[i].doc.trim_end_matches('.'));
            json!({"field": f, "what": what, "answers": c, "advice": a, "workloads": names.len(),
                   "names": names.iter().take(6).collect::<Vec<_>>(), "more": names.len().saturating_sub(6)})
        })
        .collect();
    let unknown_workloads: Vec<Value> = workloads
        .iter()
        .filter(|w| w.band == Readiness::Unknown)
        .map(|w| json!({"id": w.id, "name": w.name, "confidence": w.confidence}))
        .collect();

    let blockers = tally.blockers;

    // Mixes for the current-state and migration sections.
    fn count_by<'w>(
        workloads: &'w [WorkloadDoc<'_>],
        key: impl Fn(&'w WorkloadDoc<'_>) -> Option<&'w str>,
    ) -> Vec<Value> {
        let mut m: BTreeMap<&str, usize> = BTreeMap::new();
        for w in workloads {
            *m.entry(key(w).unwrap_or("not recorded")).or_default() += 1;
        }
        let mut v: Vec<(&str, usize)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.into_iter()
            .map(|(k, c)| json!({"value": k, "workloads": c}))
            .collect()
    }
    let classifications = count_by(workloads, |w| w.classification.as_deref());
    let hosting_now = count_by(workloads, |w| w.current_hosting.as_deref());
    let strategy_mix: Vec<Value> = if workloads.iter().any(|w| w.strategy.is_some()) {
        count_by(workloads, |w| {
            w.strategy.as_ref().map(|s| s.recommended.as_str())
        })
    } else {
        Vec::new()
    };
    let disagreements: Vec<Value> = workloads
        .iter()
        .filter_map(|w| {
            let s = w.strategy.as_ref()?;
            let planned = s.planned.filter(|p| *p != s.recommended)?;
            Some(json!({"id": w.id, "name": w.name, "planned": planned, "recommended": s.recommended, "reason": s.reason}))
        })
        .collect();
    let ready: Vec<Value> = workloads
        .iter()
        .filter(|w| w.band == Readiness::Ready)
        .map(|w| json!({"id": w.id, "name": w.name}))
        .collect();

    json!({
        "workloads": n,
        "principles": principles,
        "framework": framework.first(),
        "weakest_principle": principles.iter().filter(|p| p["score"].is_number()).min_by(|a, b| num(&a["score"]).unwrap_or(0.0).total_cmp(&num(&b["score"]).unwrap_or(0.0))),
        "strongest_principle": principles.iter().filter(|p| p["score"].is_number()).max_by(|a, b| num(&a["score"]).unwrap_or(0.0).total_cmp(&num(&b["score"]).unwrap_or(0.0))),
        "blockers": blockers,
        "collect_next": collect_next,
        "unknown_workloads": unknown_workloads,
        "classifications": classifications,
        "hosting_now": hosting_now,
        "strategy_mix": strategy_mix,
        "strategy_disagreements": disagreements,
        "ready": ready,
    })
}
