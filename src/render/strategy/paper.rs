//! What the board paper argues from, grouped: a paper names at most a few systems and counts
//! the rest, so these views hold counts and short name lists, never one row per system.
//! The system-by-system detail stays in the annex, drawn from the same context.

use serde::Serialize;

use super::adopt::{Inputs, Milestone, SupportStatus};
use super::insights::Insights;
use crate::assessment::Assessment;
use crate::domain::{Classification, Strategy};

/// How many names a grouped list shows before "and N more".
pub const NAMES_SHOWN: usize = 5;

/// The framework criteria whose failure is a sovereignty risk: where data and backups are
/// held, and whether the hosting provider is certified for it.
const SOVEREIGNTY: &[&str] = &[
    "CAF.residency",
    "CAF.data-location",
    "CAF.backup-location",
    "CAF.hcf",
];

#[derive(Debug, Serialize)]
pub struct PaperView<'a> {
    /// Systems in the document.
    pub systems: usize,
    /// Systems by readiness band, counted from the systems in the document.
    pub bands: crate::assessment::BandCounts,
    /// Each of the 7 Rs that occurs: how many systems the agency's plan moves that way (the
    /// plan waves follow) and how many the evidence suggests.
    pub moves: Vec<MoveRow>,
    /// Systems that move in a wave, by the adopted move.
    pub moving: usize,
    pub hosting: HostingTable<'a>,
    /// Failed blockers grouped by criterion, most systems first.
    pub blocker_kinds: Vec<BlockerKind<'a>>,
    /// Systems with a failed (unwaived) blocker.
    pub blocked: Group<'a>,
    /// Systems failing a sovereignty criterion (data or backups offshore, uncertified hosting).
    pub sovereignty: Group<'a>,
    /// Systems at OFFICIAL: Sensitive or above (as planning classifies them).
    pub sensitive: usize,
    pub unowned: Group<'a>,
    /// Systems whose support ends before their wave finishes: the plan cannot meet the date.
    pub late: Group<'a>,
    /// Systems already past support that the plan keeps where they are.
    pub past_staying: Group<'a>,
    /// Systems with too little evidence to judge.
    pub unknown: Group<'a>,
    /// Systems whose agency plan differs from what the evidence suggests.
    pub disagreements: Group<'a>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct MoveRow {
    pub value: Strategy,
    pub adopted: usize,
    pub recommended: usize,
}

/// A count with the first few names: "A, B, C and 4 more".
#[derive(Debug, Serialize, Default, PartialEq)]
pub struct Group<'a> {
    pub count: usize,
    pub names: Vec<&'a str>,
    pub more: usize,
}

impl<'a> Group<'a> {
    fn of(all: impl IntoIterator<Item = &'a str>) -> Self {
        let mut g = Group::default();
        for n in all {
            if g.names.len() < NAMES_SHOWN {
                g.names.push(n);
            }
            g.count += 1;
        }
        g.more = g.count - g.names.len();
        g
    }
}

#[derive(Debug, Serialize)]
pub struct BlockerKind<'a> {
    pub criterion: &'a str,
    pub question: Option<&'a str>,
    pub systems: usize,
    pub waived: usize,
}

/// Hosting option × classification: how many systems of each classification may use each
/// option under the hosting rules. Classifications are the columns (at most six, so the
/// table fits a portrait page); options the rows.
#[derive(Debug, Serialize)]
pub struct HostingTable<'a> {
    pub columns: Vec<HostingColumn>,
    pub rows: Vec<HostingRow<'a>>,
}

#[derive(Debug, Serialize)]
pub struct HostingColumn {
    pub classification: Classification,
    pub systems: usize,
}

#[derive(Debug, Serialize)]
pub struct HostingRow<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// One count per column.
    pub cells: Vec<usize>,
}

pub fn build<'a>(
    doc: &'a Assessment<'a>,
    inputs: &'a Inputs<'a>,
    insights: &'a Insights<'a>,
    milestones: &[Milestone<'a>],
) -> PaperView<'a> {
    let ws = &doc.workloads;
    let with_blocker = |ids: &[&str]| {
        Group::of(
            ws.iter()
                .filter(|w| w.blockers.iter().any(|b| ids.is_empty() || ids.contains(b)))
                .map(|w| w.name),
        )
    };
    let milestone_names = |status: SupportStatus| {
        Group::of(
            milestones
                .iter()
                .filter(|m| m.status == status)
                .map(|m| m.name),
        )
    };
    let past_staying = Group::of(
        milestones
            .iter()
            .filter(|m| m.status == SupportStatus::Past && m.wave.is_none())
            .map(|m| m.name),
    );
    PaperView {
        systems: ws.len(),
        bands: bands(doc),
        moves: moves(doc),
        moving: ws.iter().filter(|w| w.wave.is_some()).count(),
        hosting: hosting(doc, inputs),
        blocker_kinds: blocker_kinds(insights),
        blocked: with_blocker(&[]),
        sovereignty: with_blocker(SOVEREIGNTY),
        sensitive: ws
            .iter()
            .filter(|w| {
                w.hosting.as_ref().is_some_and(|h| {
                    h.classification.index() >= Classification::OfficialSensitive.index()
                })
            })
            .count(),
        unowned: Group::of(
            ws.iter()
                .filter(|w| w.owner.as_deref().is_none_or(|o| o.trim().is_empty()))
                .map(|w| w.name),
        ),
        late: milestone_names(SupportStatus::BeforeWaveEnds),
        past_staying,
        unknown: Group::of(insights.unknown_workloads.iter().map(|u| u.name)),
        disagreements: Group::of(insights.strategy_disagreements.iter().map(|d| d.name)),
    }
}

fn bands(doc: &Assessment) -> crate::assessment::BandCounts {
    let mut b = crate::assessment::BandCounts::default();
    for w in &doc.workloads {
        b.add(w.band);
    }
    b
}

fn moves(doc: &Assessment) -> Vec<MoveRow> {
    Strategy::ALL
        .iter()
        .map(|&s| MoveRow {
            value: s,
            adopted: doc
                .workloads
                .iter()
                .filter(|w| w.strategy.as_ref().is_some_and(|d| d.adopted == s))
                .count(),
            recommended: doc
                .workloads
                .iter()
                .filter(|w| w.strategy.as_ref().is_some_and(|d| d.recommended == s))
                .count(),
        })
        .filter(|r| r.adopted + r.recommended > 0)
        .collect()
}

fn blocker_kinds<'a>(insights: &'a Insights<'a>) -> Vec<BlockerKind<'a>> {
    let mut kinds: Vec<BlockerKind> = Vec::new();
    for b in &insights.blockers {
        let k = match kinds.iter_mut().find(|k| k.criterion == b.criterion) {
            Some(k) => k,
            None => {
                kinds.push(BlockerKind {
                    criterion: b.criterion,
                    question: b.question,
                    systems: 0,
                    waived: 0,
                });
                kinds.last_mut().expect("just pushed")
            }
        };
        if b.waived {
            k.waived += 1;
        } else {
            k.systems += 1;
        }
    }
    kinds.sort_by(|a, b| {
        (b.systems + b.waived)
            .cmp(&(a.systems + a.waived))
            .then(a.criterion.cmp(b.criterion))
    });
    kinds
}

fn hosting<'a>(doc: &'a Assessment<'a>, inputs: &'a Inputs<'a>) -> HostingTable<'a> {
    let planned: Vec<_> = doc
        .workloads
        .iter()
        .filter_map(|w| w.hosting.as_ref())
        .collect();
    let columns: Vec<HostingColumn> = Classification::ALL
        .iter()
        .map(|&c| HostingColumn {
            classification: c,
            systems: planned.iter().filter(|h| h.classification == c).count(),
        })
        .filter(|c| c.systems > 0)
        .collect();
    let rows = inputs
        .hosting_titles
        .iter()
        .map(|&(id, title)| HostingRow {
            id,
            title,
            cells: columns
                .iter()
                .map(|c| {
                    planned
                        .iter()
                        .filter(|h| h.classification == c.classification && h.allowed.contains(&id))
                        .count()
                })
                .collect(),
        })
        .filter(|r| r.cells.iter().any(|&n| n > 0))
        .collect();
    HostingTable { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_names_five_and_counts_the_rest() {
        let g = Group::of(["a", "b", "c", "d", "e", "f", "g"]);
        assert_eq!(g.count, 7);
        assert_eq!(g.names, ["a", "b", "c", "d", "e"]);
        assert_eq!(g.more, 2);
        let g = Group::of(["a"]);
        assert_eq!((g.count, g.names.len(), g.more), (1, 1, 0));
    }
}
