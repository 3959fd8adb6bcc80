//! What turns the evidence annex into a strategy an agency can adopt: its protective marking
//! and releasable versions, the run-cost baseline, the dated roadmap with decommissioning
//! milestones, and the risks that matter first. Worked out here; worded in the templates.

use std::collections::BTreeMap;

use serde::Serialize;

use super::insights::{Blocker, Disagreement, Insights, UnknownWorkload, recommended};

use crate::assessment::{Assessment, WorkloadDoc};
use crate::config::Quarters;
use crate::config::StrategyConfig;
use crate::inventory::{CLASSIFICATIONS, Date, FieldValue, Inventory, fid, field_id};
use crate::plan::EffortSum;
use crate::plan::calendar::{Calendar as Months, month_index, month_label};

/// What the document needs besides the assessment. `Default` gives the bare evidence annex
/// (no costs, no dates, no agency inputs), as the benches render it.
#[derive(Default)]
pub struct Inputs<'a> {
    pub inventory: Option<&'a Inventory>,
    pub strategy: Option<&'a StrategyConfig>,
    /// Months per wave on the dated roadmap (`[plan] wave_months`).
    pub wave_months: u32,
    /// Months of wave 0, the foundations (`[plan] foundation_months`; 0: none).
    pub foundation_months: u32,
    /// How the dated roadmap names quarters (`[plan] quarters`).
    pub quarters: Quarters,
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
    if let Some(risk) = &mut doc.portfolio.capacity_risk {
        risk.retain(|id| shown.contains_key(id));
    }
    left_out
}

/// The protective marking of a document: the CLI puts `text` in every Word page's header and
/// footer, and templates read it as `marking`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Marking {
    /// The marking itself, e.g. `OFFICIAL: Sensitive`.
    pub text: &'static str,
    /// Workloads with no recorded classification, counted as `assumed`.
    pub unrecorded: usize,
    /// The classification planning assumes where none is recorded.
    pub assumed: Option<&'static str>,
}

/// The protective marking: the highest classification of the workloads the document holds,
/// never below OFFICIAL (a strategy is official business), never above a release's level.
pub fn marking(doc: &Assessment, inputs: &Inputs) -> Marking {
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
    Marking {
        text: CLASSIFICATIONS.get(level).copied().unwrap_or("OFFICIAL"),
        unrecorded: assumed,
        assumed: CLASSIFICATIONS.get(inputs.assumed_classification).copied(),
    }
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

/// `money`: the run-cost baseline, from `current.annual_cost_aud`.
#[derive(Debug, Serialize)]
pub struct Money<'a> {
    pub total: f64,
    pub total_aud: String,
    /// Workloads with a recorded cost.
    pub recorded: usize,
    pub missing: usize,
    pub missing_names: Vec<&'a str>,
    /// Largest first.
    pub by_hosting: Vec<CostLine<'a>>,
    /// Largest first.
    pub by_strategy: Vec<CostLine<'a>>,
    pub by_wave: Vec<WaveCost>,
    /// The workloads that stay (no wave).
    pub staying: Staying,
}

/// What the workloads sharing one value (a hosting, a strategy) cost to run.
#[derive(Debug, Serialize)]
pub struct CostLine<'a> {
    pub value: &'a str,
    pub cost: f64,
    pub aud: String,
    pub workloads: usize,
    /// Percent of the total.
    pub share: f64,
}

/// What one wave's workloads cost to run today.
#[derive(Debug, Serialize)]
pub struct WaveCost {
    pub wave: u32,
    pub cost: f64,
    pub aud: String,
    pub workloads: usize,
    /// The wave's workloads with no recorded cost.
    pub missing: usize,
}

/// What the workloads that stay cost to run.
#[derive(Debug, Serialize)]
pub struct Staying {
    pub cost: f64,
    pub aud: String,
    pub workloads: usize,
}

/// A running sum of costs, and how many workloads it counts.
#[derive(Debug, Default, Clone, Copy)]
struct Sum {
    cost: f64,
    workloads: usize,
}

impl Sum {
    fn add(&mut self, cost: f64) {
        self.cost += cost;
        self.workloads += 1;
    }
}

/// Cost lines by value, largest first.
fn cost_lines(m: BTreeMap<&str, Sum>, total: f64) -> Vec<CostLine<'_>> {
    let mut v: Vec<(&str, Sum)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cost.total_cmp(&a.1.cost).then(a.0.cmp(b.0)));
    v.into_iter()
        .map(|(value, s)| CostLine {
            value,
            cost: s.cost,
            aud: aud(s.cost),
            workloads: s.workloads,
            share: if total > 0.0 {
                s.cost / total * 100.0
            } else {
                0.0
            },
        })
        .collect()
}

/// The run-cost baseline: what the workloads cost to run today, as recorded. No cloud prices.
pub fn money<'a>(doc: &'a Assessment, inv: &Inventory) -> Money<'a> {
    let mut total = 0.0;
    let mut missing: Vec<&str> = Vec::new();
    let mut by_hosting: BTreeMap<&str, Sum> = BTreeMap::new();
    let mut by_strategy: BTreeMap<&str, Sum> = BTreeMap::new();
    // Per wave: the costed workloads, and how many have no cost.
    let mut by_wave: BTreeMap<u32, (Sum, usize)> = BTreeMap::new();
    let mut staying = Sum::default();
    for w in &doc.workloads {
        let Some(c) = cost_of(inv, w.id) else {
            missing.push(w.name);
            if let Some(wave) = w.wave {
                by_wave.entry(wave).or_default().1 += 1;
            }
            continue;
        };
        total += c;
        let hosting = w.current_hosting.as_deref().unwrap_or("not recorded");
        by_hosting.entry(hosting).or_default().add(c);
        let strategy = recommended(w).unwrap_or("not planned");
        by_strategy.entry(strategy).or_default().add(c);
        match w.wave {
            Some(wave) => by_wave.entry(wave).or_default().0.add(c),
            None => staying.add(c),
        }
    }
    Money {
        total,
        total_aud: aud(total),
        recorded: doc.workloads.len() - missing.len(),
        missing: missing.len(),
        missing_names: missing,
        by_hosting: cost_lines(by_hosting, total),
        by_strategy: cost_lines(by_strategy, total),
        by_wave: by_wave
            .into_iter()
            .map(|(wave, (s, missing))| WaveCost {
                wave,
                cost: s.cost,
                aud: aud(s.cost),
                workloads: s.workloads,
                missing,
            })
            .collect(),
        staying: Staying {
            cost: staying.cost,
            aud: aud(staying.cost),
            workloads: staying.workloads,
        },
    }
}

/// Days from `a` to `b`.
fn days(a: Date, b: Date) -> i64 {
    b.days() - a.days()
}

/// `roadmap`: the waves, on a calendar when the document has a start date.
#[derive(Debug, Serialize)]
pub struct Roadmap<'a> {
    pub dated: bool,
    /// Only on a dated roadmap.
    #[serde(flatten)]
    pub calendar: Option<Calendar>,
    pub wave_months: i64,
    /// `calendar` or `financial` (Australian financial-year quarters).
    pub quarters: Quarters,
    /// Wave 0, the foundations before the first workload moves; `null` when it takes no months.
    pub foundation: Option<FoundationWave>,
    pub waves: Vec<RoadmapWave<'a>>,
    /// End-of-support dates, earliest first (empty on an undated roadmap).
    pub milestones: Vec<Milestone<'a>>,
}

/// Where a dated roadmap starts and ends.
#[derive(Debug, Serialize)]
pub struct Calendar {
    pub start: String,
    pub first_month: String,
    /// The last wave's last month; null without waves.
    pub last_month: Option<String>,
}

/// One wave on the roadmap.
#[derive(Debug, Serialize)]
pub struct RoadmapWave<'a> {
    pub wave: u32,
    /// Only on a dated roadmap.
    #[serde(flatten)]
    pub span: Option<WaveSpan>,
    pub names: Vec<&'a str>,
    pub effort: &'a EffortSum,
}

/// Wave 0 on the roadmap: how long, and (dated) when.
#[derive(Debug, Serialize)]
pub struct FoundationWave {
    pub wave: u32,
    pub months: i64,
    #[serde(flatten)]
    pub span: Option<WaveSpan>,
}

/// The months and quarters a wave runs from and to.
#[derive(Debug, Serialize)]
pub struct WaveSpan {
    pub from: String,
    pub to: String,
    pub quarter: String,
    pub quarter_to: String,
}

/// How a workload's end of support falls against its wave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SupportStatus {
    /// Support ended before the roadmap starts.
    Past,
    /// Support ends before the workload's wave does.
    BeforeWaveEnds,
    /// The workload stays (no wave).
    Stays,
    InTime,
}

/// A decommissioning milestone: a workload's end of support.
#[derive(Debug, Serialize)]
pub struct Milestone<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub date: String,
    pub month: String,
    pub quarter: String,
    pub wave: Option<u32>,
    /// The last month of the workload's wave.
    pub wave_ends: Option<String>,
    pub status: SupportStatus,
    pub strategy: Option<&'a str>,
    /// From the roadmap's start.
    pub days: i64,
}

/// The plan's calendar, as planning uses it: `None` without a start date.
fn months_of(inputs: &Inputs) -> Option<Months> {
    Some(Months::new(
        inputs.start?,
        inputs.foundation_months,
        inputs.wave_months,
        inputs.quarters,
    ))
}

fn wave_span(cal: &Months, wave: u32) -> Option<WaveSpan> {
    let (from, to) = cal.span(wave)?;
    Some(WaveSpan {
        from: month_label(from),
        to: month_label(to),
        quarter: cal.quarter(from),
        quarter_to: cal.quarter(to),
    })
}

/// The roadmap on a calendar: wave 0 (the foundations) from the month after the start date,
/// then wave k for `wave_months` each, and each workload's end of support is a
/// decommissioning milestone.
pub fn roadmap<'a>(doc: &'a Assessment, inputs: &Inputs) -> Roadmap<'a> {
    let months = inputs.wave_months.max(1) as i64;
    let names: BTreeMap<&str, &str> = doc.workloads.iter().map(|w| (w.id, w.name)).collect();
    let cal = months_of(inputs);
    let foundation = (inputs.foundation_months > 0).then(|| FoundationWave {
        wave: 0,
        months: inputs.foundation_months as i64,
        span: cal.as_ref().and_then(|c| wave_span(c, 0)),
    });
    let waves = doc
        .portfolio
        .waves
        .iter()
        .map(|w| RoadmapWave {
            wave: w.wave,
            span: cal.as_ref().and_then(|c| wave_span(c, w.wave)),
            names: w
                .workloads
                .iter()
                .map(|id| names.get(id).copied().unwrap_or(id))
                .collect(),
            effort: &w.effort,
        })
        .collect();
    let (Some(start), Some(cal)) = (inputs.start, cal) else {
        return Roadmap {
            dated: false,
            calendar: None,
            wave_months: months,
            quarters: inputs.quarters,
            foundation,
            waves,
            milestones: Vec::new(),
        };
    };
    let last_wave = doc.portfolio.waves.iter().map(|w| w.wave).max();
    Roadmap {
        dated: true,
        calendar: Some(Calendar {
            start: start.to_string(),
            first_month: month_label(cal.start),
            last_month: last_wave
                .filter(|w| *w > 0)
                .and_then(|w| cal.span(w))
                .map(|(_, to)| month_label(to)),
        }),
        wave_months: months,
        quarters: inputs.quarters,
        foundation,
        waves,
        milestones: milestones(doc, inputs, start, &cal),
    }
}

/// Every workload's end of support on the calendar, earliest first.
fn milestones<'a>(
    doc: &'a Assessment,
    inputs: &Inputs,
    start: Date,
    cal: &Months,
) -> Vec<Milestone<'a>> {
    let mut out: Vec<(Date, Milestone)> = Vec::new();
    for w in &doc.workloads {
        let Some(eos) = inputs.inventory.and_then(|inv| end_of_support(inv, w.id)) else {
            continue;
        };
        let wave_to = w.wave.and_then(|k| cal.span(k)).map(|(_, to)| to);
        let status = if eos < start {
            SupportStatus::Past
        } else if w.wave.is_some_and(|k| cal.ends_before(eos, k)) {
            SupportStatus::BeforeWaveEnds
        } else if w.wave.is_none() {
            SupportStatus::Stays
        } else {
            SupportStatus::InTime
        };
        let month = month_index(eos);
        out.push((
            eos,
            Milestone {
                id: w.id,
                name: w.name,
                date: eos.to_string(),
                month: month_label(month),
                quarter: cal.quarter(month),
                wave: w.wave,
                wave_ends: wave_to.map(month_label),
                status,
                strategy: recommended(w),
                days: days(start, eos),
            },
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.name.cmp(b.1.name)));
    out.into_iter().map(|(_, m)| m).collect()
}

/// `charts.timeline`: one bar per wave on a month axis, with end-of-support milestones as
/// diamonds on their own row.
#[derive(Debug, Serialize)]
pub struct Timeline<'a> {
    pub width: f64,
    pub height: f64,
    pub label_x: f64,
    pub axis_y: f64,
    pub bottom: f64,
    pub bars: Vec<TimelineBar>,
    pub marks: Vec<TimelineMark<'a>>,
    pub marks_y: f64,
    pub ticks: Vec<Tick>,
    /// Where the first wave starts.
    pub now_x: f64,
    /// The axis's first and last month.
    pub from: String,
    pub to: String,
}

/// One wave's bar on the timeline.
#[derive(Debug, Serialize)]
pub struct TimelineBar {
    pub wave: u32,
    /// Workloads in the wave.
    pub count: usize,
    pub x: f64,
    pub w: f64,
    pub y: f64,
    pub h: f64,
    /// Where the bar's label goes.
    pub ty: f64,
    pub tx: f64,
}

/// One end-of-support diamond: its workload and the polygon's points.
#[derive(Debug, Serialize)]
pub struct TimelineMark<'a> {
    pub name: &'a str,
    pub points: String,
}

/// A labelled point on the month axis.
#[derive(Debug, Serialize)]
pub struct Tick {
    pub x: f64,
    pub label: String,
}

/// Wave 0 (when it takes months) and each wave: (wave, systems, first and last month).
fn timeline_rows(doc: &Assessment, cal: &Months) -> Vec<(u32, usize, (i64, i64))> {
    let waves = doc
        .portfolio
        .waves
        .iter()
        .filter_map(|w| Some((w.wave, w.workloads.len(), cal.span(w.wave)?)));
    cal.span(0)
        .map(|s| (0, 0, s))
        .into_iter()
        .chain(waves)
        .collect()
}

/// The timeline chart of a dated roadmap; `None` without a start date.
pub fn timeline<'a>(doc: &'a Assessment, inputs: &Inputs) -> Option<Timeline<'a>> {
    let cal = months_of(inputs)?;
    let m0 = cal.start;
    let rows = timeline_rows(doc, &cal);
    let end = rows.iter().map(|r| r.2.1 + 1).max().unwrap_or(m0);
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
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, &(wave, count, (from, to)))| {
            let y = top + row_h * i as f64;
            TimelineBar {
                wave,
                count,
                x: x(from),
                w: (x(to + 1) - x(from) - 1.0).max(2.0),
                y: y + 3.0,
                h: row_h - 8.0,
                ty: y + row_h / 2.0 + 2.0,
                tx: x(to + 1) + 4.0,
            }
        })
        .collect();
    let my = top + row_h * rows.len() as f64;
    let marks = eos
        .iter()
        .filter(|(m, _)| (lo..hi).contains(m))
        .map(|(m, name)| {
            let cx = x(*m) + 2.0;
            let cy = my + row_h / 2.0;
            TimelineMark {
                name,
                points: format!(
                    "{cx},{} {},{cy} {cx},{} {},{cy}",
                    cy - 6.0,
                    cx + 6.0,
                    cy + 6.0,
                    cx - 6.0
                ),
            }
        })
        .collect();
    // Years at each January; the first month too, unless a January label follows too soon.
    let ticks = (lo..=hi)
        .filter(|m| m.rem_euclid(12) == 0 || (*m == lo && (12 - lo.rem_euclid(12)) >= 4))
        .map(|m| Tick {
            x: x(m),
            label: if m.rem_euclid(12) == 0 {
                m.div_euclid(12).to_string()
            } else {
                month_label(m)
            },
        })
        .collect();
    let height = my + row_h + 8.0;
    Some(Timeline {
        width: label_w + plot_w + 90.0,
        height,
        label_x: label_w - 8.0,
        axis_y: top - 12.0,
        bottom: height - 4.0,
        bars,
        marks,
        marks_y: my + row_h / 2.0 + 4.0,
        ticks,
        now_x: x(m0),
        from: month_label(lo),
        to: month_label(hi - 1),
    })
}

/// `risks`: what matters first, each naming its workloads.
#[derive(Debug, Serialize)]
pub struct Risks<'a> {
    /// Support ended before the roadmap starts.
    pub past_support: Vec<SupportRisk<'a>>,
    /// Support ends within a year of the start.
    pub near_support: Vec<SupportRisk<'a>>,
    pub blockers: &'a [Blocker<'a>],
    pub unknown: &'a [UnknownWorkload<'a>],
    pub disagreements: &'a [Disagreement<'a>],
    /// Every risk listed, waived blockers aside.
    pub count: usize,
}

/// A workload whose end of support is past or near.
#[derive(Debug, Serialize)]
pub struct SupportRisk<'a> {
    pub name: &'a str,
    pub date: String,
    /// From the roadmap's start; negative when past.
    pub days: i64,
    pub wave: Option<u32>,
    pub strategy: Option<&'a str>,
}

/// The risks that matter first, each naming its workloads: support already ended or ending
/// within a year, failed blockers, too little evidence, plans the evidence disagrees with.
pub fn risks<'a>(doc: &'a Assessment, inputs: &Inputs, insights: &'a Insights<'a>) -> Risks<'a> {
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
            let risk = SupportRisk {
                name: w.name,
                date: d.to_string(),
                days: n,
                wave: w.wave,
                strategy: recommended(w),
            };
            if n < 0 {
                past.push(risk);
            } else if n <= 365 {
                near.push(risk);
            }
        }
    }
    let count = past.len()
        + near.len()
        + insights.blockers.iter().filter(|b| !b.waived).count()
        + insights.unknown_workloads.len()
        + insights.strategy_disagreements.len();
    Risks {
        past_support: past,
        near_support: near,
        blockers: &insights.blockers,
        unknown: &insights.unknown_workloads,
        disagreements: &insights.strategy_disagreements,
        count,
    }
}

/// Hosting option names by id, so the document says "Accredited on-premises data centre"
/// rather than `on-premises`.
pub fn hosting_names<'a>(inputs: &Inputs<'a>) -> BTreeMap<&'a str, &'a str> {
    inputs.hosting_titles.iter().copied().collect()
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
        let cal = Months::new(d, 0, 3, Quarters::Calendar);
        assert_eq!(cal.quarter(month_index(d) + 2), "2027 Q1");
    }
}
