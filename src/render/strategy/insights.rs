//! `insights`: the portfolio reading the strategy text is written from. Every workload's
//! criteria are read once, in one pass (weakest workloads, common gaps, blockers, facts to
//! collect next), beside the mixes of classification, hosting and strategy.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::Strategy;

use crate::assessment::{Assessment, WorkloadDoc};
use crate::inventory::{FIELDS, field_id};
use crate::pack::{Pack, Packs};
use crate::score::{Readiness, Status};

/// The strategy a workload's plan recommends, for the counts and lists that name it.
pub fn recommended<'w>(w: &'w WorkloadDoc<'_>) -> Option<&'w str> {
    w.strategy.as_ref().map(|s| s.recommended.as_str())
}

/// What the criteria say across the portfolio.
#[derive(Debug, Serialize)]
pub struct Insights<'a> {
    /// Number of workloads.
    pub workloads: usize,
    pub principles: Vec<PackInsight<'a>>,
    pub framework: Option<PackInsight<'a>>,
    /// Failed blockers (waived ones too), in workload order.
    pub blockers: Vec<Blocker<'a>>,
    /// The fields unknown for the most workloads.
    pub collect_next: Vec<CollectNext<'a>>,
    /// Workloads in the `unknown` band.
    pub unknown_workloads: Vec<UnknownWorkload<'a>>,
    pub classifications: Vec<Count<'a>>,
    pub hosting_now: Vec<Count<'a>>,
    /// Empty when nothing was planned.
    pub strategy_mix: Vec<Count<'a>>,
    /// Where the agency's plan and the evidence differ.
    pub strategy_disagreements: Vec<Disagreement<'a>>,
    pub ready: Vec<WorkloadRef<'a>>,
}

impl<'a> Insights<'a> {
    fn scored(&self) -> impl Iterator<Item = (&PackInsight<'a>, f64)> {
        self.principles
            .iter()
            .filter_map(|p| p.score.map(|s| (p, s)))
    }
    /// The principle with the lowest portfolio score (the first of equals).
    pub fn weakest_principle(&self) -> Option<&PackInsight<'a>> {
        self.scored()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|p| p.0)
    }
    /// The principle with the highest portfolio score (the last of equals).
    pub fn strongest_principle(&self) -> Option<&PackInsight<'a>> {
        self.scored()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|p| p.0)
    }
    /// As templates see it: with the weakest and strongest principle picked out.
    pub fn view(&self) -> InsightsView<'_, 'a> {
        InsightsView {
            all: self,
            weakest_principle: self.weakest_principle(),
            strongest_principle: self.strongest_principle(),
        }
    }
}

/// `insights` in the template context: [`Insights`] and two of its principles named.
#[derive(Debug, Serialize)]
pub struct InsightsView<'i, 'a> {
    #[serde(flatten)]
    pub all: &'i Insights<'a>,
    /// Null when no principle is scored.
    pub weakest_principle: Option<&'i PackInsight<'a>>,
    pub strongest_principle: Option<&'i PackInsight<'a>>,
}

/// One pack (a principle or the framework) across the portfolio.
#[derive(Debug, Serialize)]
pub struct PackInsight<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub source: Option<&'a str>,
    pub weight: f64,
    /// The portfolio's mean score.
    pub score: Option<f64>,
    /// Up to three of the lowest-scoring workloads.
    pub weakest: Vec<Weakest<'a>>,
    /// Up to three of the most common gaps.
    pub gaps: Vec<Gap<'a>>,
    /// Answers unknown across the portfolio.
    pub unknown_answers: usize,
    /// Each criterion's mean score over the workloads where it is known, by criterion id: the
    /// evidence behind one question (e.g. usage and cost reporting) rather than the whole pack.
    pub criteria: BTreeMap<&'a str, CriterionMean>,
}

/// One criterion across the portfolio.
#[derive(Debug, Serialize)]
pub struct CriterionMean {
    pub score: f64,
    /// Workloads with a known answer.
    pub workloads: usize,
}

/// A low-scoring workload for one pack.
#[derive(Debug, Serialize)]
pub struct Weakest<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub score: f64,
}

/// A criterion with gaps: how many workloads, and the first gap's finding and advice.
#[derive(Debug, Serialize)]
pub struct Gap<'a> {
    pub id: &'a str,
    pub question: Option<&'a str>,
    pub workloads: usize,
    pub advice: Option<&'a str>,
    pub finding: Cow<'a, str>,
}

/// A failed blocker of one workload.
#[derive(Debug, Serialize)]
pub struct Blocker<'a> {
    pub workload: &'a str,
    pub name: &'a str,
    pub criterion: &'a str,
    /// Under a valid waiver.
    pub waived: bool,
    pub question: Option<&'a str>,
    pub finding: Option<Cow<'a, str>>,
    pub advice: Option<&'a str>,
}

/// A field to collect next.
#[derive(Debug, Serialize)]
pub struct CollectNext<'a> {
    pub field: &'static str,
    /// The field's description.
    pub what: Option<&'static str>,
    /// Unknown answers that read it.
    pub answers: usize,
    /// The first advice on collecting it.
    pub advice: Option<&'a str>,
    /// Workloads missing it.
    pub workloads: usize,
    /// Up to six of those workloads, by name.
    pub names: Vec<&'a str>,
    /// How many more are missing it.
    pub more: usize,
}

/// A workload with too little evidence to judge.
#[derive(Debug, Serialize)]
pub struct UnknownWorkload<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub confidence: f64,
}

/// How many workloads have one value.
#[derive(Debug, Serialize)]
pub struct Count<'a> {
    pub value: &'a str,
    pub workloads: usize,
}

/// A workload whose planned strategy is not the recommended one.
#[derive(Debug, Serialize)]
pub struct Disagreement<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub planned: Strategy,
    pub recommended: Strategy,
    pub reason: &'a str,
}

/// A workload by id and name.
#[derive(Debug, Serialize)]
pub struct WorkloadRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// Gaps of one criterion: how many, and the first one's finding and advice.
struct GapTally<'a> {
    count: usize,
    finding: Cow<'a, str>,
    advice: Option<&'a str>,
}

/// One pack's gaps by criterion id, and its unknown answers.
#[derive(Default)]
struct PackTally<'a> {
    gaps: BTreeMap<&'a str, GapTally<'a>>,
    unknown: usize,
    /// Per criterion: the sum of its known scores and how many workloads have one.
    known: BTreeMap<&'a str, (f64, usize)>,
}

/// Unknown answers of one field, the first advice on collecting it and the workloads (by
/// name, each once) missing it.
struct FieldTally<'a> {
    answers: usize,
    advice: Option<&'a str>,
    names: Vec<&'a str>,
}

/// What the criteria say across the portfolio, counted in one pass over every workload.
struct Tally<'a> {
    /// Per pack, principles then the framework.
    packs: Vec<PackTally<'a>>,
    unknown_fields: BTreeMap<&'static str, FieldTally<'a>>,
    blockers: Vec<Blocker<'a>>,
}

/// The texts of a blocking criterion, for the blocker list.
struct BlockerText<'a> {
    id: &'a str,
    finding: Cow<'a, str>,
    advice: Option<&'a str>,
    question: &'a str,
}

fn tally<'a>(doc: &Assessment<'a>, packs: &Packs) -> Tally<'a> {
    let mut t = Tally {
        packs: packs.all().map(|_| PackTally::default()).collect(),
        unknown_fields: BTreeMap::new(),
        blockers: Vec::new(),
    };
    for w in &doc.workloads {
        let mut texts: Vec<BlockerText> = Vec::new();
        let all = w.principles.iter().chain(std::iter::once(&w.framework));
        for (p, pack) in all.zip(t.packs.iter_mut()) {
            for c in p.criteria.iter() {
                if let Some(s) = c.score {
                    let e = pack.known.entry(c.id).or_insert((0.0, 0));
                    *e = (e.0 + f64::from(s), e.1 + 1);
                }
                let blocks = w.blockers.contains(&c.id) || w.waived_blockers.contains(&c.id);
                if blocks {
                    texts.push(BlockerText {
                        id: c.id,
                        finding: c.finding.clone(),
                        advice: c.advice,
                        question: c.question,
                    });
                }
                match c.status {
                    Status::Gap => {
                        pack.gaps
                            .entry(c.id)
                            .or_insert_with(|| GapTally {
                                count: 0,
                                finding: c.finding,
                                advice: c.advice,
                            })
                            .count += 1;
                    }
                    Status::Unknown => {
                        pack.unknown += 1;
                        let e = t
                            .unknown_fields
                            .entry(c.field)
                            .or_insert_with(|| FieldTally {
                                answers: 0,
                                advice: c.advice,
                                names: Vec::new(),
                            });
                        e.answers += 1;
                        if e.names.last() != Some(&w.name) {
                            e.names.push(w.name);
                        }
                    }
                    _ => {}
                }
            }
        }
        for b in w.blockers.iter().chain(&w.waived_blockers) {
            let found = texts.iter().find(|f| f.id == *b);
            t.blockers.push(Blocker {
                workload: w.id,
                name: w.name,
                criterion: b,
                waived: w.waived_blockers.contains(b),
                question: found.map(|f| f.question),
                finding: found.map(|f| f.finding.clone()),
                advice: found.and_then(|f| f.advice),
            });
        }
    }
    t
}

/// One pack across the portfolio: its score, weakest workloads and most common gaps.
fn pack_insight<'a>(
    doc: &Assessment<'a>,
    pack: &'a Pack,
    score_of: impl Fn(&WorkloadDoc) -> Option<f64>,
    tally: PackTally<'a>,
) -> PackInsight<'a> {
    let mut scored: Vec<(f64, &str, &str)> = doc
        .workloads
        .iter()
        .filter_map(|w| score_of(w).map(|s| (s, w.id, w.name)))
        .collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
    let mut gaps: Vec<(&str, GapTally)> = tally.gaps.into_iter().collect();
    gaps.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
    let gaps = gaps
        .into_iter()
        .take(3)
        .map(|(id, g)| Gap {
            id,
            question: pack
                .criteria
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.question.as_str()),
            workloads: g.count,
            advice: g.advice,
            finding: g.finding,
        })
        .collect();
    let score = doc
        .portfolio
        .principles
        .iter()
        .find(|p| p.id == pack.id)
        .map_or(doc.portfolio.framework.score, |p| p.score);
    PackInsight {
        id: &pack.id,
        title: &pack.title,
        summary: pack.summary.as_deref(),
        source: pack.source.as_deref(),
        weight: pack.weight,
        score,
        weakest: scored
            .into_iter()
            .take(3)
            .map(|(score, id, name)| Weakest { id, name, score })
            .collect(),
        gaps,
        unknown_answers: tally.unknown,
        criteria: tally
            .known
            .into_iter()
            .map(|(id, (sum, n))| {
                let score = crate::score::round1(sum / n as f64);
                (
                    id,
                    CriterionMean {
                        score,
                        workloads: n,
                    },
                )
            })
            .collect(),
    }
}

/// Facts to collect next: the fields most often unknown, with the pack's advice on finding them.
fn collect_next<'a>(fields: BTreeMap<&'static str, FieldTally<'a>>) -> Vec<CollectNext<'a>> {
    let mut list: Vec<(&'static str, FieldTally)> = fields.into_iter().collect();
    list.sort_by(|a, b| {
        b.1.names
            .len()
            .cmp(&a.1.names.len())
            .then(b.1.answers.cmp(&a.1.answers))
            .then(a.0.cmp(b.0))
    });
    list.into_iter()
        .take(8)
        .map(|(field, f)| CollectNext {
            field,
            what: field_id(field).map(|i| FIELDS[i].doc.trim_end_matches('.')),
            answers: f.answers,
            advice: f.advice,
            workloads: f.names.len(),
            more: f.names.len().saturating_sub(6),
            names: f.names.into_iter().take(6).collect(),
        })
        .collect()
}

/// How many workloads have each value of `key`, largest first.
fn count_by<'w>(
    workloads: &'w [WorkloadDoc<'_>],
    key: impl Fn(&'w WorkloadDoc<'_>) -> Option<&'w str>,
) -> Vec<Count<'w>> {
    let mut m: BTreeMap<&str, usize> = BTreeMap::new();
    for w in workloads {
        *m.entry(key(w).unwrap_or("not recorded")).or_default() += 1;
    }
    let mut v: Vec<(&str, usize)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.into_iter()
        .map(|(value, workloads)| Count { value, workloads })
        .collect()
}

/// The portfolio-level reading of the assessment that the strategy text is written from.
pub fn read<'a>(doc: &'a Assessment<'a>, packs: &'a Packs) -> Insights<'a> {
    let workloads = &doc.workloads;
    let tally = tally(doc, packs);
    let n_principles = packs.principles.len();
    let mut per_pack: Vec<PackInsight> = packs
        .all()
        .zip(tally.packs)
        .enumerate()
        .map(|(pi, (pack, t))| {
            let score_of = |w: &WorkloadDoc| {
                if pi < n_principles {
                    w.principles.get(pi).and_then(|p| p.score)
                } else {
                    w.framework.score
                }
            };
            pack_insight(doc, pack, score_of, t)
        })
        .collect();
    let framework = per_pack.pop();
    Insights {
        workloads: workloads.len(),
        principles: per_pack,
        framework,
        blockers: tally.blockers,
        collect_next: collect_next(tally.unknown_fields),
        unknown_workloads: workloads
            .iter()
            .filter(|w| w.band == Readiness::Unknown)
            .map(|w| UnknownWorkload {
                id: w.id,
                name: w.name,
                confidence: w.confidence,
            })
            .collect(),
        classifications: count_by(workloads, |w| w.classification.as_deref()),
        hosting_now: count_by(workloads, |w| w.current_hosting.as_deref()),
        strategy_mix: if workloads.iter().any(|w| w.strategy.is_some()) {
            count_by(workloads, recommended)
        } else {
            Vec::new()
        },
        strategy_disagreements: workloads
            .iter()
            .filter_map(|w| {
                let s = w.strategy.as_ref()?;
                let planned = s.planned.filter(|p| *p != s.recommended)?;
                Some(Disagreement {
                    id: w.id,
                    name: w.name,
                    planned,
                    recommended: s.recommended,
                    reason: s.reason,
                })
            })
            .collect(),
        ready: workloads
            .iter()
            .filter(|w| w.band == Readiness::Ready)
            .map(|w| WorkloadRef {
                id: w.id,
                name: w.name,
            })
            .collect(),
    }
}
