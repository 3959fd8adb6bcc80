//! Planning: where each workload may go (hosting), how it should move (strategy and effort) and
//! when (waves). Runs after scoring; the rules are data (`hosting.yaml`, `strategies.yaml`)
//! loaded like the packs, and the provider catalog comes from `--providers FILE`.

pub mod calendar;
pub mod cond;
pub mod hosting;
pub mod providers;
pub mod strategy;
pub mod waves;

use std::path::Path;

use serde::Serialize;

use crate::config::Quarters;
use crate::diagnostic::{Code, Diagnostic, Sources};
use crate::domain::{Classification, Effort, Strategy};
use crate::error::{Error, Result};
use crate::graph::DependencyGraph;
use crate::inventory::{Date, FieldValue, Inventory, Workload, fid};
use crate::score::{Readiness, WorkloadScore};

use cond::Facts;
use hosting::HostingRules;
use providers::Catalog;
use strategy::{Foundation, StrategyRules};

/// The planning rules, loaded from the built-in files or `--principles DIR`.
#[derive(Debug, Clone)]
pub struct PlanRules {
    pub hosting: HostingRules,
    pub strategies: StrategyRules,
    pub sources: Sources,
}

impl PlanRules {
    pub fn builtin() -> Result<PlanRules> {
        PlanRules::load(None)
    }

    /// Built-in files, each replaced by a file of the same name in `dir` when there is one.
    pub fn load(dir: Option<&Path>) -> Result<PlanRules> {
        let mut sources = Sources::default();
        let folder = crate::assets::Folder::new(
            dir,
            "principles",
            &crate::assets::principle_files(),
            &[".yaml", ".yml"],
        )?;
        let ids = [
            folder.read(&mut sources, &crate::assets::HOSTING)?,
            folder.read(&mut sources, &crate::assets::STRATEGIES)?,
        ];
        let text = |i: usize| {
            sources
                .get(ids[i])
                .map(|f| f.text.clone())
                .unwrap_or_default()
        };
        let h = hosting::compile(ids[0], &text(0));
        let s = strategy::compile(ids[1], &text(1));
        match (h, s) {
            (Ok(hosting), Ok(strategies)) => Ok(PlanRules {
                hosting,
                strategies,
                sources,
            }),
            (h, s) => {
                let mut d: Vec<Diagnostic> = h.err().unwrap_or_default();
                d.extend(s.err().unwrap_or_default());
                crate::diagnostic::default_code(&mut d, Code::InvalidPlanRules);
                Err(Error::invalid(sources, d))
            }
        }
    }

    /// Checks that `card_advice` names criteria and packs that exist in `packs`.
    pub fn check_against(&self, packs: &crate::pack::Packs) -> Result<()> {
        let mut ids: Vec<&str> = packs.all().map(|p| p.id.as_str()).collect();
        ids.extend(
            packs
                .all()
                .flat_map(|p| p.criteria.iter().map(|c| c.id.as_str())),
        );
        let problems: Vec<Diagnostic> = self
            .strategies
            .card_advice
            .iter()
            .flat_map(|a| &a.drop)
            .filter(|(id, _)| !ids.contains(&id.as_str()))
            .map(|(id, loc)| {
                let hint = match crate::diagnostic::did_you_mean(id, ids.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "name a criterion (`P2.containerised`) or a pack (`P6`); `cloudready principles` lists them".into(),
                };
                Diagnostic::error(*loc, format!("`card_advice` drops `{id}`, which is no criterion or pack"))
                    .code(Code::InvalidPlanRules)
                    .hint(hint)
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(self.sources.clone(), problems))
        }
    }

    /// The provider kinds the hosting options name (what a catalog entry's `kind` may be).
    pub fn provider_kinds(&self) -> Vec<&str> {
        let mut k: Vec<&str> = self
            .hosting
            .options
            .iter()
            .filter_map(|o| o.provider_kind.as_deref())
            .collect();
        k.sort_unstable();
        k.dedup();
        k
    }
}

#[derive(Debug, Clone, Copy)]
pub struct PlanOptions {
    pub max_per_wave: usize,
    /// Most effort points a wave carries (`None`: only `max_per_wave` limits it).
    pub wave_points: Option<f64>,
    /// The date "days until" conditions count from, and the plan's calendar starts from.
    pub reference: Option<Date>,
    /// Months of wave 0, the foundations (0: none).
    pub foundation_months: u32,
    pub wave_months: u32,
    pub quarters: Quarters,
}

impl Default for PlanOptions {
    fn default() -> Self {
        let c = crate::config::PlanConfig::default();
        PlanOptions {
            max_per_wave: c.max_per_wave as usize,
            wave_points: c.wave_points,
            reference: None,
            foundation_months: c.foundation_months,
            wave_months: c.wave_months,
            quarters: c.quarters,
        }
    }
}

impl PlanOptions {
    /// The plan's calendar; `None` without a reference date.
    pub fn calendar(&self) -> Option<calendar::Calendar> {
        self.reference.map(|r| {
            calendar::Calendar::new(r, self.foundation_months, self.wave_months, self.quarters)
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HostingDoc<'a> {
    /// Hosting option ids, least restrictive first.
    pub allowed: Vec<&'a str>,
    /// Catalog entry ids (empty without `--providers`).
    pub providers: Vec<&'a str>,
    /// The classification the decision used (assumed when not recorded).
    pub classification: Classification,
    /// Why options were ruled out.
    pub reasons: Vec<String>,
    /// Which catalog entries of an allowed kind were left out and why (an IRAP assessment below
    /// the classification, undated or 24 months old or more; no HCF certification; no onshore
    /// region), or why no entry fits at all. Only when a catalog was given.
    pub providers_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EffortDoc {
    pub size: Effort,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StrategyDoc<'a> {
    pub recommended: Strategy,
    /// The strategy rule that chose it.
    pub rule: &'a str,
    pub reason: &'a str,
    /// The agency's `target.strategy`, kept as written.
    pub planned: Option<Strategy>,
    pub agrees: bool,
    /// The strategy waves and effort follow: the agency's plan when it has one.
    pub adopted: Strategy,
    /// "You planned X; the evidence suggests Y", when they differ.
    pub note: Option<String>,
    pub effort: EffortDoc,
    /// Why the workload moves in its wave (end of support, the stated order, or a dependency
    /// that forces otherwise); `None` for workloads that stay.
    pub wave_reason: Option<String>,
    /// Criterion and pack ids whose advice its card leaves out, because the advice does not
    /// fit the adopted move (`card_advice` in strategies.yaml); omitted when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub advice_left_out: Vec<&'a str>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct EffortSum {
    #[serde(rename = "S")]
    pub s: usize,
    #[serde(rename = "M")]
    pub m: usize,
    #[serde(rename = "L")]
    pub l: usize,
    #[serde(rename = "XL")]
    pub xl: usize,
    /// Sum of the sizes' points (`effort.points` in strategies.yaml).
    pub points: f64,
}

impl EffortSum {
    /// Counts one workload of `size`, at its `points` (indexed like `Effort::ALL`).
    pub fn add(&mut self, size: Effort, points: &[f64]) {
        match size {
            Effort::S => self.s += 1,
            Effort::M => self.m += 1,
            Effort::L => self.l += 1,
            Effort::Xl => self.xl += 1,
        }
        self.points += points.get(size.index()).copied().unwrap_or(0.0);
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct WaveDoc<'a> {
    pub wave: u32,
    pub workloads: Vec<&'a str>,
    pub effort: EffortSum,
}

/// The provider catalog a run used: its date and sources, so readers can judge its age.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CatalogDoc<'a> {
    pub as_of: &'a str,
    pub sources: Vec<&'a str>,
    pub entries: usize,
}

/// Wave 0: the foundations built before the first workload moves.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FoundationDoc<'a> {
    pub wave: u32,
    pub months: u32,
    pub activities: &'a [Foundation],
}

/// Workloads that move but whose support ends before their wave is over (or has already
/// ended): the plan cannot move them all before their dates with the waves it has.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CapacityRisk<'a> {
    pub count: usize,
    /// Their ids, in inventory order.
    pub workloads: Vec<&'a str>,
    /// Of them, those whose support ended before the reference date.
    pub past: Vec<&'a str>,
    /// Of them, those whose support ends before or in the last month of their wave.
    pub before_wave_ends: Vec<&'a str>,
}

impl CapacityRisk<'_> {
    /// Keeps only the workloads `keep` holds (a releasable version).
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.workloads.retain(|id| keep(id));
        self.past.retain(|id| keep(id));
        self.before_wave_ends.retain(|id| keep(id));
        self.count = self.workloads.len();
    }
}

/// One workload's plan.
#[derive(Debug, Clone)]
pub struct WorkloadPlan<'a> {
    pub hosting: HostingDoc<'a>,
    pub strategy: StrategyDoc<'a>,
    pub wave: Option<u32>,
}

/// The plan for a whole inventory: `workloads[i]` belongs to `inv.workloads[i]`.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub workloads: Vec<WorkloadPlan<'a>>,
    pub waves: Vec<WaveDoc<'a>>,
    pub catalog: Option<CatalogDoc<'a>>,
    /// `None` when `[plan] foundation_months` is 0.
    pub foundation: Option<FoundationDoc<'a>>,
    /// `None` without a reference date (`agency.as_of` or `--date`).
    pub capacity_risk: Option<CapacityRisk<'a>>,
}

/// End of support within this many days of the reference date brings a workload forward.
const NEAR_END_OF_SUPPORT_DAYS: i64 = 365;

fn band_rank(b: Readiness) -> u8 {
    match b {
        Readiness::Ready => 0,
        Readiness::Conditional => 1,
        Readiness::NotReady => 2,
        Readiness::Unknown => 3,
    }
}

/// Plans every workload. `scores[i]` must score `inv.workloads[i]` (score all, then filter for
/// display), so waves see the whole dependency graph.
pub fn plan<'a>(
    inv: &'a Inventory,
    rules: &'a PlanRules,
    catalog: Option<&'a Catalog>,
    scores: &[WorkloadScore<'_>],
    opts: &PlanOptions,
) -> Plan<'a> {
    let n = inv.workloads.len();
    let mut out = Vec::with_capacity(n);
    let mut movers = Vec::with_capacity(n);
    let mut priority = Vec::with_capacity(n);
    let mut points = Vec::with_capacity(n);
    let graph = DependencyGraph::new(&inv.workloads);
    let dependants = dependant_counts(&graph);
    for (i, w) in inv.workloads.iter().enumerate() {
        let score = score_of(scores, i, w);
        let one = plan_one(w, score, dependants[i], rules, catalog, opts);
        movers.push(one.strategy.adopted.moves());
        priority.push(priority_of(w, score, opts));
        let size = one.strategy.effort.size;
        points.push(
            rules
                .strategies
                .points
                .get(size.index())
                .copied()
                .unwrap_or(0.0),
        );
        out.push(one);
    }
    let pulled_by = bring_forward(&graph, &movers, &mut priority);
    let cap = waves::Capacity {
        max_per_wave: opts.max_per_wave,
        max_points: opts.wave_points,
        points: &points,
    };
    let assigned = waves::assign(&graph, &movers, &priority, cap);
    let top = assigned.iter().flatten().copied().max().unwrap_or(0);
    let mut wave_docs: Vec<WaveDoc> = (1..=top)
        .map(|wave| WaveDoc {
            wave,
            workloads: Vec::new(),
            effort: EffortSum::default(),
        })
        .collect();
    let why = Why {
        inv,
        scores,
        assigned: &assigned,
        priority: &priority,
        pulled_by: &pulled_by,
        graph: &graph,
    };
    for (i, wv) in assigned.iter().enumerate() {
        let Some(wv) = *wv else { continue };
        out[i].wave = Some(wv);
        out[i].strategy.wave_reason = Some(why.wave_reason(i));
        let doc = &mut wave_docs[wv as usize - 1];
        doc.workloads.push(&inv.workloads[i].id);
        doc.effort
            .add(out[i].strategy.effort.size, &rules.strategies.points);
    }
    Plan {
        workloads: out,
        waves: wave_docs,
        catalog: catalog.map(|c| CatalogDoc {
            as_of: &c.as_of,
            sources: c.sources.iter().map(String::as_str).collect(),
            entries: c.entries.len(),
        }),
        foundation: (opts.foundation_months > 0).then_some(FoundationDoc {
            wave: 0,
            months: opts.foundation_months,
            activities: &rules.strategies.foundation,
        }),
        capacity_risk: capacity_risk(inv, &assigned, opts),
    }
}

/// How many workloads depend on each one (a dependency listed twice counts once).
fn dependant_counts(graph: &DependencyGraph) -> Vec<usize> {
    let mut n = vec![0usize; graph.edges.len()];
    for (i, deps) in graph.edges.iter().enumerate() {
        let mut seen: Vec<usize> = deps.iter().copied().filter(|&j| j != i).collect();
        seen.sort_unstable();
        seen.dedup();
        for j in seen {
            n[j] += 1;
        }
    }
    n
}

/// The workloads with a wave whose support ends before that wave is over.
fn capacity_risk<'a>(
    inv: &'a Inventory,
    assigned: &[Option<u32>],
    opts: &PlanOptions,
) -> Option<CapacityRisk<'a>> {
    let cal = opts.calendar()?;
    let reference = opts.reference?;
    let mut risk = CapacityRisk {
        count: 0,
        workloads: Vec::new(),
        past: Vec::new(),
        before_wave_ends: Vec::new(),
    };
    for (w, wave) in inv.workloads.iter().zip(assigned) {
        let (Some(wave), Some(FieldValue::Date(eos))) =
            (wave, w.get(fid::END_OF_SUPPORT).map(|f| &f.value))
        else {
            continue;
        };
        if *eos < reference {
            risk.past.push(&w.id);
        } else if cal.ends_before(*eos, *wave) {
            risk.before_wave_ends.push(&w.id);
        } else {
            continue;
        }
        risk.count += 1;
        risk.workloads.push(&w.id);
    }
    Some(risk)
}

/// `scores[i]` when it scores `w` (a filtered list may not).
fn score_of<'s, 'w>(
    scores: &'s [WorkloadScore<'w>],
    i: usize,
    w: &Workload,
) -> Option<&'s WorkloadScore<'w>> {
    scores.get(i).filter(|s| std::ptr::eq(s.workload, w))
}

/// One workload's hosting, strategy and effort; its wave comes later, from the whole graph.
fn plan_one<'a>(
    w: &Workload,
    score: Option<&WorkloadScore<'_>>,
    dependants: usize,
    rules: &'a PlanRules,
    catalog: Option<&'a Catalog>,
    opts: &PlanOptions,
) -> WorkloadPlan<'a> {
    let h = &rules.hosting;
    let st = &rules.strategies;
    let el = h.eligibility(w);
    let public_allowed = el.allowed.iter().any(|&o| h.options[o].public);
    let (providers, providers_reason) = match catalog {
        Some(c) => {
            let (m, why) = providers::matching(h, c, &el, opts.reference);
            (
                m.into_iter().map(|e| c.entries[e].id.as_str()).collect(),
                why,
            )
        }
        None => (Vec::new(), None),
    };
    let facts = Facts {
        workload: w,
        score,
        reference: opts.reference,
        public_allowed: Some(public_allowed),
        current_allowed: el.current_allowed,
        dependants: Some(dependants),
    };
    let r = &st.rules[st.choose(&facts)];
    let planned = match w.get(fid::TARGET_STRATEGY).map(|f| &f.value) {
        Some(FieldValue::Enum(s)) => Strategy::from_index(*s as usize),
        _ => None,
    };
    let adopted = planned.unwrap_or(r.strategy);
    let (size, effort_reason) = st.effort(adopted, &facts);
    let advice_left_out = st.advice_left_out(adopted, &facts);
    let agrees = planned.is_none_or(|p| p == r.strategy);
    let note = (!agrees).then(|| {
        format!(
            "You planned {adopted}; the evidence suggests {}.",
            r.strategy
        )
    });
    WorkloadPlan {
        hosting: HostingDoc {
            allowed: el
                .allowed
                .iter()
                .map(|&o| h.options[o].id.as_str())
                .collect(),
            providers,
            classification: Classification::from_index(el.classification)
                .unwrap_or(Classification::TopSecret),
            reasons: el.reasons,
            providers_reason,
        },
        strategy: StrategyDoc {
            recommended: r.strategy,
            rule: &r.id,
            reason: &r.reason,
            planned,
            agrees,
            adopted,
            note,
            effort: EffortDoc {
                size,
                reason: effort_reason,
            },
            wave_reason: None,
            advice_left_out,
        },
        wave: None,
    }
}

/// What orders a workload among those free to move.
fn priority_of(
    w: &Workload,
    score: Option<&WorkloadScore<'_>>,
    opts: &PlanOptions,
) -> waves::Priority {
    let criticality = match w.get(fid::CRITICALITY).map(|f| &f.value) {
        Some(FieldValue::Enum(c)) => *c,
        _ => 4,
    };
    let days_left = match (w.get(fid::END_OF_SUPPORT).map(|f| &f.value), opts.reference) {
        (Some(FieldValue::Date(d)), Some(r)) => Some(d.days() - r.days()),
        _ => None,
    };
    waves::Priority {
        urgency: match days_left {
            Some(d) if d < 0 => 0,
            Some(d) if d < NEAR_END_OF_SUPPORT_DAYS => 1,
            _ => 2,
        },
        band: score.map_or(3, |s| band_rank(s.band)),
        criticality,
    }
}

/// What an urgent workload depends on comes forward with it, or the dependency would hold it
/// back. Returns, for each workload brought forward, the urgent workload that brought it.
fn bring_forward(
    graph: &DependencyGraph,
    movers: &[bool],
    priority: &mut [waves::Priority],
) -> Vec<Option<usize>> {
    let n = movers.len();
    let mut pulled_by: Vec<Option<usize>> = vec![None; n];
    let mut urgent: Vec<usize> = (0..n)
        .filter(|&i| movers[i] && priority[i].urgency < 2)
        .collect();
    urgent.sort_by_key(|&i| (priority[i].urgency, i));
    for &u in &urgent {
        let mut stack = vec![u];
        while let Some(i) = stack.pop() {
            for &j in &graph.edges[i] {
                if movers[j] && priority[j].urgency > priority[u].urgency {
                    priority[j].urgency = priority[u].urgency;
                    pulled_by[j] = Some(u);
                    stack.push(j);
                }
            }
        }
    }
    pulled_by
}

/// What a wave reason is told from.
struct Why<'p, 'a, 's> {
    inv: &'a Inventory,
    scores: &'p [WorkloadScore<'s>],
    assigned: &'p [Option<u32>],
    priority: &'p [waves::Priority],
    pulled_by: &'p [Option<usize>],
    graph: &'p DependencyGraph,
}

impl Why<'_, '_, '_> {
    /// Why workload `i` moves in its wave.
    fn wave_reason(&self, i: usize) -> String {
        let inv = self.inv;
        let mut why = Vec::new();
        match (self.pulled_by[i], self.priority[i].urgency) {
            (Some(u), _) => why.push(format!(
                "brought forward because {} depends on it and is {} end of support",
                inv.workloads[u].id,
                if self.priority[u].urgency == 0 {
                    "past"
                } else {
                    "near"
                }
            )),
            (None, 0) => why.push("brought forward: past its end of support".to_string()),
            (None, 1) => why.push("brought forward: end of support within a year".to_string()),
            _ => why.push(format!(
                "in the stated order (ready first, then lower criticality): {}, {} criticality",
                score_of(self.scores, i, &inv.workloads[i]).map_or("unscored", |s| s.band.as_str()),
                inv.workloads[i]
                    .text_ref(fid::CRITICALITY)
                    .as_deref()
                    .unwrap_or("unknown")
            )),
        }
        let deps: Vec<String> = self.graph.edges[i]
            .iter()
            .filter_map(|&j| {
                self.assigned[j].map(|x| format!("{} (wave {x})", inv.workloads[j].id))
            })
            .collect();
        if !deps.is_empty() {
            why.push(format!(
                "not before what it depends on: {}",
                deps.join(", ")
            ));
        }
        why.join("; ")
    }
}
