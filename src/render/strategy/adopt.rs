//! What turns the evidence annex into a strategy an agency can adopt: its protective marking
//! and releasable versions, the run-cost baseline, the dated roadmap with decommissioning
//! milestones, and the risks that matter first. Worked out here; worded in the templates.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::assessment::{Assessment, WorkloadDoc};
use crate::config::StrategyConfig;
use crate::inventory::{CLASSIFICATIONS, Date, FieldValue, Inventory, fid, field_id};
use crate::plan::EffortSum;

/// What the document needs besides the assessment. `Default` gives the bare evidence annex
/// (no costs, no dates, no agency inputs), as the benches render it.
#[derive(Default)]
pub struct Inputs<'a> {
    pub inventory: Option<&'a Inventory>,
    pub strategy: Option<&'a StrategyConfig>,
    /// Months per wave on the dated roadmap (`[plan] wave_months`).
    pub wave_months: u32,
    /// The day the roadmap starts from: `--date`, else `agency.as_of`.
    pub start: Option<Date>,
    /// Hosting option id → its name, for plain language.
    pub hosting_titles: Vec<(&'a str, &'a str)>,
    /// The classification (index) planning assumes where none is recorded.
    pub assumed_classification: usize,
    pub release: Option<Release>,
    /// The settings file read, for the closing note.
    pub settings_file: Option<&'a str>,
}

/// A releasable version: only workloads at or below `level` are in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Release {
    /// Index into `CLASSIFICATIONS`.
    pub level: usize,
    pub left_out: usize,
}

/// A PSPF classification by name, as written in inventories or on the command line
/// (`TOP SECRET`, `top-secret`, `OFFICIAL: Sensitive`, `official-sensitive`).
pub fn classification_index(s: &str) -> Option<usize> {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_uppercase()
    };
    let k = key(s);
    CLASSIFICATIONS.iter().position(|c| key(c) == k)
}

/// The classification a workload counts as: recorded, else the one planning assumes.
pub fn class_of(classification: Option<&str>, assumed: usize) -> usize {
    classification
        .and_then(classification_index)
        .unwrap_or(assumed)
}

/// Drops every workload above `level` from a planned document, before anything is built from
/// it. Waves were planned on the whole inventory; the wave lists lose the names left out and
/// their effort is summed again, so no count or name of a left-out workload remains.
pub fn release(doc: &mut Assessment, level: usize, assumed: usize, points: &[f64]) -> usize {
    let before = doc.workloads.len();
    doc.workloads
        .retain(|w| class_of(w.classification.as_deref(), assumed) <= level);
    let left_out = before - doc.workloads.len();
    if left_out == 0 {
        return 0;
    }
    let shown: BTreeMap<&str, &WorkloadDoc> = doc.workloads.iter().map(|w| (w.id, w)).collect();
    for wave in &mut doc.portfolio.waves {
        wave.workloads.retain(|id| shown.contains_key(id));
        let mut e = EffortSum::default();
        for id in &wave.workloads {
            let size = shown
                .get(id)
                .and_then(|w| w.strategy.as_ref())
                .map_or(crate::domain::Effort::S, |s| s.effort.size);
            e.add(size, points);
        }
        wave.effort = e;
    }
    doc.portfolio.waves.retain(|w| !w.workloads.is_empty());
    left_out
}

/// The protective marking: the highest classification of the workloads the document holds,
/// never below OFFICIAL (a strategy is official business), never above a release's level.
pub fn marking(doc: &Assessment, inputs: &Inputs) -> Value {
    let official = 1;
    let highest = doc
        .workloads
        .iter()
        .map(|w| class_of(w.classification.as_deref(), inputs.assumed_classification))
        .max()
        .unwrap_or(official)
        .max(official);
    let level = match inputs.release {
        Some(r) => highest.min(r.level),
        None => highest,
    };
    let assumed = doc
        .workloads
        .iter()
        .filter(|w| w.classification.is_none())
        .count();
    json!({
        "text": CLASSIFICATIONS.get(level).copied().unwrap_or("OFFICIAL"),
        "unrecorded": assumed,
        "assumed": CLASSIFICATIONS.get(inputs.assumed_classification).copied(),
    })
}

fn cost_of(inv: &Inventory, id: &str) -> Option<f64> {
    let f = field_id("current.annual_cost_aud")?;
    let w = inv.workloads.get(inv.index_of(id)?)?;
    match w.get(f).map(|f| &f.value) {
        Some(FieldValue::Int(i)) => Some(*i as f64),
        Some(FieldValue::Number(n)) => Some(*n),
        _ => None,
    }
}

fn end_of_support(inv: &Inventory, id: &str) -> Option<Date> {
    let w = inv.workloads.get(inv.index_of(id)?)?;
    match w.get(fid::END_OF_SUPPORT).map(|f| &f.value) {
        Some(FieldValue::Date(d)) => Some(*d),
        _ => None,
    }
}

/// An inventory value in words, for executives: `on-premises` → "on premises".
pub fn plain(v: &str) -> std::borrow::Cow<'_, str> {
    match v {
        "saas" => "software as a service".into(),
        "iaas" => "infrastructure as a service".into(),
        "paas" => "platform as a service".into(),
        "on-premises" => "own data centre (on premises)".into(),
        v if v.contains('-') => v.replace('-', " ").into(),
        v => v.into(),
    }
}

/// Whole Australian dollars with thousands separators: `$6,800,000`.
pub fn aud(v: f64) -> String {
    let whole = v.round().max(0.0) as u64;
    let digits = whole.to_string();
    let mut out = String::with_capacity(digits.len() + 4);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("${out}")
}

/// The run-cost baseline: what the workloads cost to run today, as recorded. No cloud prices.
pub fn money(doc: &Assessment, inv: &Inventory) -> Value {
    let mut total = 0.0;
    let mut missing: Vec<&str> = Vec::new();
    let mut by_hosting: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    let mut by_strategy: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    let mut by_wave: BTreeMap<u32, (f64, usize, usize)> = BTreeMap::new();
    let mut staying = (0.0, 0usize);
    for w in &doc.workloads {
        let cost = cost_of(inv, w.id);
        let Some(c) = cost else {
            missing.push(w.name);
            if let Some(wave) = w.wave {
                by_wave.entry(wave).or_default().2 += 1;
            }
            continue;
        };
        total += c;
        let h = w
            .current_hosting
            .as_deref()
            .unwrap_or("not recorded")
            .to_string();
        let e = by_hosting.entry(h).or_default();
        e.0 += c;
        e.1 += 1;
        let s = w
            .strategy
            .as_ref()
            .map_or("not planned", |s| s.recommended.as_str())
            .to_string();
        let e = by_strategy.entry(s).or_default();
        e.0 += c;
        e.1 += 1;
        match w.wave {
            Some(wave) => {
                let e = by_wave.entry(wave).or_default();
                e.0 += c;
                e.1 += 1;
            }
            None => {
                staying.0 += c;
                staying.1 += 1;
            }
        }
    }
    let list = |m: BTreeMap<String, (f64, usize)>| -> Vec<Value> {
        let mut v: Vec<(String, (f64, usize))> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.0.total_cmp(&a.1.0).then(a.0.cmp(&b.0)));
        v.into_iter()
            .map(|(k, (c, n))| json!({"value": k, "cost": c, "aud": aud(c), "workloads": n, "share": if total > 0.0 { c / total * 100.0 } else { 0.0 }}))
            .collect()
    };
    json!({
        "total": total,
        "total_aud": aud(total),
        "recorded": doc.workloads.len() - missing.len(),
        "missing": missing.len(),
        "missing_names": missing,
        "by_hosting": list(by_hosting),
        "by_strategy": list(by_strategy),
        "by_wave": by_wave.into_iter().map(|(w, (c, n, m))| json!({"wave": w, "cost": c, "aud": aud(c), "workloads": n, "missing": m})).collect::<Vec<_>>(),
        "staying": {"cost": staying.0, "aud": aud(staying.0), "workloads": staying.1},
    })
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Months since year 0, so month arithmetic is integer arithmetic.
fn month_index(d: Date) -> i64 {
    d.year as i64 * 12 + d.month as i64 - 1
}

fn month_label(m: i64) -> String {
    format!("{} {}", MONTHS[m.rem_euclid(12) as usize], m.div_euclid(12))
}

fn quarter_label(m: i64) -> String {
    format!("{} Q{}", m.div_euclid(12), m.rem_euclid(12) / 3 + 1)
}

/// Days from `a` to `b`.
fn days(a: Date, b: Date) -> i64 {
    b.days() - a.days()
}

/// The roadmap on a calendar: wave k runs for `wave_months` from the month after the start
/// date, and each workload's end of support is a decommissioning milestone.
pub fn roadmap(doc: &Assessment, inputs: &Inputs) -> Value {
    let months = inputs.wave_months.max(1) as i64;
    let names: BTreeMap<&str, &str> = doc.workloads.iter().map(|w| (w.id, w.name)).collect();
    let Some(start) = inputs.start else {
        let waves: Vec<Value> = doc
            .portfolio
            .waves
            .iter()
            .map(|w| json!({"wave": w.wave, "names": w.workloads.iter().map(|id| names.get(id).copied().unwrap_or(id)).collect::<Vec<_>>(), "effort": w.effort}))
            .collect();
        return json!({"dated": false, "wave_months": months, "waves": waves, "milestones": []});
    };
    let m0 = month_index(start) + 1;
    let span = |wave: u32| {
        let from = m0 + (wave as i64 - 1) * months;
        (from, from + months - 1)
    };
    let waves: Vec<Value> = doc
        .portfolio
        .waves
        .iter()
        .map(|w| {
            let (from, to) = span(w.wave);
            json!({
                "wave": w.wave,
                "from": month_label(from), "to": month_label(to),
                "quarter": quarter_label(from), "quarter_to": quarter_label(to),
                "names": w.workloads.iter().map(|id| names.get(id).copied().unwrap_or(id)).collect::<Vec<_>>(),
                "effort": w.effort,
            })
        })
        .collect();
    let inv = inputs.inventory;
    let mut milestones: Vec<(Date, Value)> = Vec::new();
    for w in &doc.workloads {
        let Some(eos) = inv.and_then(|inv| end_of_support(inv, w.id)) else {
            continue;
        };
        let wave_to = w.wave.map(|k| span(k).1);
        let status = if eos < start {
            "past"
        } else if wave_to.is_some_and(|to| month_index(eos) < to) {
            "before-wave-ends"
        } else if w.wave.is_none() {
            "stays"
        } else {
            "in-time"
        };
        milestones.push((
            eos,
            json!({
                "id": w.id, "name": w.name, "date": eos.to_string(), "month": month_label(month_index(eos)),
                "quarter": quarter_label(month_index(eos)),
                "wave": w.wave, "wave_ends": wave_to.map(month_label), "status": status,
                "strategy": w.strategy.as_ref().map(|s| s.recommended),
                "days": days(start, eos),
            }),
        ));
    }
    milestones.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1["name"].as_str().cmp(&b.1["name"].as_str()))
    });
    let last_wave = doc
        .portfolio
        .waves
        .iter()
        .map(|w| w.wave)
        .max()
        .unwrap_or(0);
    json!({
        "dated": true,
        "start": start.to_string(),
        "first_month": month_label(m0),
        "last_month": (last_wave > 0).then(|| month_label(span(last_wave).1)),
        "wave_months": months,
        "waves": waves,
        "milestones": milestones.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        "chart": timeline(doc, m0, months, inputs),
    })
}

/// Geometry of the timeline chart: one bar per wave on a month axis, with end-of-support
/// milestones as diamonds on their own row.
fn timeline(doc: &Assessment, m0: i64, months: i64, inputs: &Inputs) -> Value {
    let waves = &doc.portfolio.waves;
    let last = waves.iter().map(|w| w.wave as i64).max().unwrap_or(0);
    let end = m0 + last * months;
    let eos: Vec<(i64, &str)> = doc
        .workloads
        .iter()
        .filter_map(|w| {
            let d = end_of_support(inputs.inventory?, w.id)?;
            Some((month_index(d), w.name))
        })
        .collect();
    // The axis covers the waves and the milestones that fall near them, not a decade ahead.
    let lo = eos
        .iter()
        .map(|e| e.0)
        .min()
        .unwrap_or(m0)
        .clamp(m0 - 12, m0);
    let hi = eos
        .iter()
        .map(|e| e.0 + 1)
        .max()
        .unwrap_or(end)
        .clamp(end, end + 24)
        .max(lo + 12);
    let (label_w, plot_w, row_h, top) = (96.0, 600.0, 26.0, 30.0);
    let x =
        |m: i64| ((label_w + plot_w * (m - lo) as f64 / (hi - lo) as f64) * 10.0).round() / 10.0;
    let bars: Vec<Value> = waves
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let from = m0 + (w.wave as i64 - 1) * months;
            let y = top + row_h * i as f64;
            json!({"wave": w.wave, "count": w.workloads.len(), "x": x(from), "w": (x(from + months) - x(from) - 1.0).max(2.0),
                   "y": y + 3.0, "h": row_h - 8.0, "ty": y + row_h / 2.0 + 2.0, "tx": x(from + months) + 4.0})
        })
        .collect();
    let my = top + row_h * waves.len() as f64;
    let marks: Vec<Value> = eos
        .iter()
        .filter(|(m, _)| (lo..hi).contains(m))
        .map(|(m, name)| {
            let cx = x(*m) + 2.0;
            let cy = my + row_h / 2.0;
            json!({"name": name, "points": format!("{cx},{} {},{cy} {cx},{} {},{cy}", cy - 6.0, cx + 6.0, cy + 6.0, cx - 6.0)})
        })
        .collect();
    // Years at each January; the first month too, unless a January label follows too soon.
    let ticks: Vec<Value> = (lo..=hi)
        .filter(|m| m.rem_euclid(12) == 0 || (*m == lo && (12 - lo.rem_euclid(12)) >= 4))
        .map(|m| json!({"x": x(m), "label": if m.rem_euclid(12) == 0 { m.div_euclid(12).to_string() } else { month_label(m) }}))
        .collect();
    let height = my + row_h + 8.0;
    json!({
        "width": label_w + plot_w + 90.0, "height": height, "label_x": label_w - 8.0, "axis_y": top - 12.0,
        "bottom": height - 4.0, "bars": bars, "marks": marks, "marks_y": my + row_h / 2.0 + 4.0, "ticks": ticks,
        "now_x": x(m0), "from": month_label(lo), "to": month_label(hi - 1),
    })
}

/// The risks that matter first, each naming its workloads: support already ended or ending
/// within a year, failed blockers, too little evidence, plans the evidence disagrees with.
pub fn risks(doc: &Assessment, inputs: &Inputs, insights: &Value) -> Value {
    let mut past = Vec::new();
    let mut near = Vec::new();
    if let (Some(inv), Some(start)) = (inputs.inventory, inputs.start) {
        let mut all: Vec<(Date, &WorkloadDoc)> = doc
            .workloads
            .iter()
            .filter_map(|w| Some((end_of_support(inv, w.id)?, w)))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.name.cmp(b.1.name)));
        for (d, w) in all {
            let n = days(start, d);
            let v = json!({"name": w.name, "date": d.to_string(), "days": n, "wave": w.wave,
                           "strategy": w.strategy.as_ref().map(|s| s.recommended)});
            if n < 0 {
                past.push(v);
            } else if n <= 365 {
                near.push(v);
            }
        }
    }
    let blockers = insights["blockers"].as_array().cloned().unwrap_or_default();
    let unknown = insights["unknown_workloads"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let disagreements = insights["strategy_disagreements"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let count = past.len()
        + near.len()
        + blockers.iter().filter(|b| b["waived"] != true).count()
        + unknown.len()
        + disagreements.len();
    json!({
        "past_support": past,
        "near_support": near,
        "blockers": blockers,
        "unknown": unknown,
        "disagreements": disagreements,
        "count": count,
    })
}

/// Hosting option names by id, so the document says "Accredited on-premises data centre"
/// rather than `on-premises`.
pub fn hosting_names(inputs: &Inputs) -> Value {
    let m: serde_json::Map<String, Value> = inputs
        .hosting_titles
        .iter()
        .map(|(id, t)| (id.to_string(), Value::String(t.to_string())))
        .collect();
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifications_read_as_people_write_them() {
        assert_eq!(classification_index("TOP SECRET"), Some(5));
        assert_eq!(classification_index("top-secret"), Some(5));
        assert_eq!(classification_index("official-sensitive"), Some(2));
        assert_eq!(classification_index("OFFICIAL: Sensitive"), Some(2));
        assert_eq!(classification_index("protected"), Some(3));
        assert_eq!(classification_index("confidential"), None);
        assert_eq!(class_of(None, 3), 3);
    }

    #[test]
    fn dollars_and_months() {
        assert_eq!(aud(6_800_000.0), "$6,800,000");
        assert_eq!(aud(999.4), "$999");
        assert_eq!(aud(0.0), "$0");
        let d = Date::parse("2026-11-30").unwrap();
        assert_eq!(month_label(month_index(d) + 1), "Dec 2026");
        assert_eq!(month_label(month_index(d) + 2), "Jan 2027");
        assert_eq!(quarter_label(month_index(d) + 2), "2027 Q1");
    }
}
