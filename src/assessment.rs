//! The assessment document (`cloudready-assessment/v1`): the documented, versioned shape every
//! output is rendered from: JSON and YAML as is, the table, CSV and markdown as views of it,
//! and (later) the strategy templates as their context. Keys are only ever added.

use std::borrow::{Borrow, Cow};

use serde::Serialize;

use crate::diagnostic::{Loc, Sources};
use crate::inventory::{Date, FIELDS, Inventory, Workload, fid};
use crate::pack::{Pack, Packs};
use crate::plan::{
    CapacityRisk, CatalogDoc, FoundationDoc, HostingDoc, Plan, StrategyDoc, WaveDoc, WorkloadPlan,
};
use crate::score::{self, CriterionScore, PackScore, Readiness, Status, WorkloadScore, round1};

pub const SCHEMA: &str = "cloudready-assessment/v1";

#[derive(Debug, Serialize)]
pub struct Assessment<'a> {
    pub schema: &'static str,
    pub generator: Generator,
    pub agency: AgencyDoc<'a>,
    /// The date "days until" criteria count from: `--date`, else `agency.as_of`.
    pub reference_date: Option<String>,
    pub workloads: Vec<WorkloadDoc<'a>>,
    pub portfolio: Portfolio<'a>,
}

#[derive(Debug, Serialize)]
pub struct Generator {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct AgencyDoc<'a> {
    pub name: &'a str,
    pub abbreviation: Option<&'a str>,
    pub as_of: Option<String>,
}

#[derive(Debug, Serialize, Clone, Copy, PartialEq)]
pub struct LocationDoc<'a> {
    pub file: &'a str,
    pub line: u32,
    pub column: u32,
}

impl<'a> LocationDoc<'a> {
    pub fn new(sources: &'a Sources, loc: Loc) -> Self {
        LocationDoc {
            file: sources.path(loc.file),
            line: loc.line,
            column: loc.col,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct WorkloadDoc<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub owner: Option<Cow<'a, str>>,
    pub classification: Option<Cow<'a, str>>,
    pub criticality: Option<Cow<'a, str>>,
    pub current_hosting: Option<Cow<'a, str>>,
    pub overall: Option<f64>,
    pub band: Readiness,
    pub confidence: f64,
    pub principles: Vec<PackDoc<'a>>,
    pub framework: PackDoc<'a>,
    /// Failed blocker criteria (not waived).
    pub blockers: Vec<&'a str>,
    /// Failed blocker criteria under a valid waiver.
    pub waived_blockers: Vec<&'a str>,
    /// Filled by planning; `null` when the run does not plan.
    pub hosting: Option<HostingDoc<'a>>,
    pub strategy: Option<StrategyDoc<'a>>,
    /// Migration wave, 1..; `null` for workloads that stay (retire, retain).
    pub wave: Option<u32>,
    /// Where the workload's `id` is written.
    pub location: LocationDoc<'a>,
}

#[derive(Debug, Serialize)]
pub struct PackDoc<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub score: Option<f64>,
    pub confidence: f64,
    #[serde(skip_serializing_if = "CriteriaDoc::is_hidden")]
    pub criteria: CriteriaDoc<'a>,
}

/// One pack's criteria for one workload. They are computed when read (iterated or serialised)
/// rather than stored: a criterion's score is a pure function of the pack, the workload and the
/// reference date, and holding every criterion of a large inventory at once would cost many
/// times the inventory's own size.
#[derive(Debug, Clone, Copy)]
pub struct CriteriaDoc<'a> {
    pack: &'a Pack,
    workload: &'a Workload,
    reference: Option<Date>,
    sources: &'a Sources,
    /// Left out when the document is serialised (the strategy context fetches criteria one
    /// workload at a time instead); iterating still gives them all.
    hidden: bool,
}

impl<'a> CriteriaDoc<'a> {
    pub fn new(
        pack: &'a Pack,
        workload: &'a Workload,
        reference: Option<Date>,
        sources: &'a Sources,
    ) -> Self {
        CriteriaDoc {
            pack,
            workload,
            reference,
            sources,
            hidden: false,
        }
    }
    pub fn is_hidden(&self) -> bool {
        self.hidden
    }
    pub fn iter(&self) -> impl Iterator<Item = CriterionDoc<'a>> + use<'a> {
        let CriteriaDoc {
            pack,
            workload,
            reference,
            sources,
            ..
        } = *self;
        pack.criteria
            .iter()
            .map(move |c| criterion_doc(sources, score::score_criterion(c, workload, reference)))
    }
}

impl Serialize for CriteriaDoc<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[derive(Debug, Serialize)]
pub struct CriterionDoc<'a> {
    pub id: &'a str,
    pub question: &'a str,
    pub field: &'static str,
    pub weight: f64,
    pub blocker: bool,
    pub status: Status,
    pub answer: Option<Cow<'a, str>>,
    pub score: Option<u8>,
    pub finding: Cow<'a, str>,
    pub advice: Option<&'a str>,
    pub location: Option<LocationDoc<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Portfolio<'a> {
    /// Mean overall score of the workloads that have one.
    pub overall: Option<f64>,
    pub workloads: usize,
    pub bands: BandCounts,
    pub principles: Vec<PortfolioPack<'a>>,
    pub framework: PortfolioPack<'a>,
    /// Filled by planning: which workloads move in each wave, and its summed effort.
    pub waves: Vec<WaveDoc<'a>>,
    /// The provider catalog used (`--providers`), with its date; `null` without one.
    pub providers_catalog: Option<CatalogDoc<'a>>,
    /// Wave 0, the foundations before the first workload moves; `null` when
    /// `[plan] foundation_months` is 0.
    pub foundation: Option<FoundationDoc<'a>>,
    /// Workloads the plan moves only after their support ends; `null` without a reference
    /// date.
    pub capacity_risk: Option<CapacityRisk<'a>>,
}

#[derive(Debug, Serialize, Default, Clone, Copy, PartialEq)]
pub struct BandCounts {
    pub ready: usize,
    pub conditional: usize,
    #[serde(rename = "not-ready")]
    pub not_ready: usize,
    pub unknown: usize,
}

impl BandCounts {
    pub fn add(&mut self, b: Readiness) {
        match b {
            Readiness::Ready => self.ready += 1,
            Readiness::Conditional => self.conditional += 1,
            Readiness::NotReady => self.not_ready += 1,
            Readiness::Unknown => self.unknown += 1,
        }
    }
    pub fn get(&self, b: Readiness) -> usize {
        match b {
            Readiness::Ready => self.ready,
            Readiness::Conditional => self.conditional,
            Readiness::NotReady => self.not_ready,
            Readiness::Unknown => self.unknown,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PortfolioPack<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// Mean of the workloads' scores for this pack.
    pub score: Option<f64>,
    /// Mean confidence.
    pub confidence: f64,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn criterion_doc<'a>(sources: &'a Sources, c: CriterionScore<'a>) -> CriterionDoc<'a> {
    let crit = c.criterion;
    CriterionDoc {
        id: &crit.id,
        question: &crit.question,
        field: FIELDS[crit.field].path,
        weight: crit.weight,
        // Whether it blocks this workload (`blocker_when` may limit it to some workloads).
        blocker: c.blocking,
        status: c.status,
        answer: c.answer,
        score: c.score,
        finding: c.finding,
        advice: c.advice,
        location: c.loc.map(|l| LocationDoc::new(sources, l)),
    }
}

fn pack_doc<'a>(
    sources: &'a Sources,
    p: &PackScore<'a>,
    w: &'a Workload,
    reference: Option<Date>,
) -> PackDoc<'a> {
    PackDoc {
        id: &p.pack.id,
        title: &p.pack.title,
        score: p.score.map(round1),
        confidence: round2(p.confidence),
        criteria: CriteriaDoc::new(p.pack, w, reference, sources),
    }
}

/// One workload's entry in the document. `s` may be scored for totals only: the criteria are
/// recomputed when read.
pub fn workload_doc<'a>(
    sources: &'a Sources,
    s: &WorkloadScore<'a>,
    reference: Option<Date>,
) -> WorkloadDoc<'a> {
    let w = s.workload;
    WorkloadDoc {
        id: &w.id,
        name: &w.name,
        owner: w.text_ref(fid::OWNER),
        classification: w.text_ref(fid::CLASSIFICATION),
        criticality: w.text_ref(fid::CRITICALITY),
        current_hosting: w.text_ref(fid::HOSTING),
        overall: s.overall,
        band: s.band,
        confidence: round2(s.confidence),
        principles: s
            .principles
            .iter()
            .map(|p| pack_doc(sources, p, w, reference))
            .collect(),
        framework: pack_doc(sources, &s.framework, w, reference),
        blockers: s.blockers.clone(),
        waived_blockers: s.waived_blockers.clone(),
        hosting: None,
        strategy: None,
        wave: None,
        location: LocationDoc::new(sources, w.id_loc),
    }
}

/// Running sums of one pack's scores over the portfolio.
#[derive(Default, Clone, Copy)]
struct PackSums {
    n: usize,
    scored: usize,
    score: f64,
    confidence: f64,
}

impl PackSums {
    fn add(&mut self, p: &PackScore) {
        self.n += 1;
        self.confidence += p.confidence;
        if let Some(s) = p.score {
            self.scored += 1;
            self.score += s;
        }
    }
    fn doc<'a>(&self, pack: &'a Pack) -> PortfolioPack<'a> {
        PortfolioPack {
            id: &pack.id,
            title: &pack.title,
            score: (self.scored > 0).then(|| round1(self.score / self.scored as f64)),
            confidence: if self.n == 0 {
                0.0
            } else {
                round2(self.confidence / self.n as f64)
            },
        }
    }
}

/// The document for `scores` (totals are enough; see [`CriteriaDoc`]), made as it is read:
/// its head (agency, portfolio, waves) at once and its workload entries one at a time, each
/// with its plan. This is the one way a document is made: a writer that streams (JSON, CSV)
/// never holds more than one entry, and [`Streamed::collect`] gives the whole document.
///
/// `reference` is the date "days until" criteria count from and must be the one the scores
/// were computed with. The plan covers the whole inventory; the document may show only some
/// workloads.
pub fn stream<'a, S: Borrow<WorkloadScore<'a>>>(
    inv: &'a Inventory,
    packs: &'a Packs,
    scores: Vec<S>,
    reference: Option<Date>,
    plan: Option<Plan<'a>>,
) -> Streamed<'a, S> {
    let mut head = head(inv, packs, scores.iter().map(Borrow::borrow), reference);
    let plans = match plan {
        Some(plan) => {
            head.portfolio.waves = plan.waves;
            head.portfolio.providers_catalog = plan.catalog;
            head.portfolio.foundation = plan.foundation;
            head.portfolio.capacity_risk = plan.capacity_risk;
            plan.workloads.into_iter().map(Some).collect()
        }
        None => Vec::new(),
    };
    Streamed {
        head,
        entries: Entries {
            inv,
            reference,
            scores: scores.into_iter(),
            plans,
        },
    }
}

/// The whole document for `scores`, without a plan (see [`stream`]).
pub fn build<'a>(
    inv: &'a Inventory,
    packs: &'a Packs,
    scores: &[&WorkloadScore<'a>],
    reference: Option<Date>,
) -> Assessment<'a> {
    stream(inv, packs, scores.to_vec(), reference, None).collect()
}

/// The document's head: everything but the workload entries, with the portfolio's totals
/// over `scores`.
fn head<'a, 's>(
    inv: &'a Inventory,
    packs: &'a Packs,
    scores: impl Iterator<Item = &'s WorkloadScore<'a>>,
    reference: Option<Date>,
) -> Assessment<'a>
where
    'a: 's,
{
    let mut principles = vec![PackSums::default(); packs.principles.len()];
    let mut framework = PackSums::default();
    let mut bands = BandCounts::default();
    let (mut count, mut scored, mut overall) = (0usize, 0usize, 0.0);
    for s in scores {
        for (sum, p) in principles.iter_mut().zip(&s.principles) {
            sum.add(p);
        }
        framework.add(&s.framework);
        bands.add(s.band);
        count += 1;
        if let Some(o) = s.overall {
            scored += 1;
            overall += o;
        }
    }
    let portfolio = Portfolio {
        overall: (scored > 0).then(|| round1(overall / scored as f64)),
        workloads: count,
        bands,
        principles: principles
            .iter()
            .zip(&packs.principles)
            .map(|(sum, pack)| sum.doc(pack))
            .collect(),
        framework: framework.doc(&packs.framework),
        waves: Vec::new(),
        providers_catalog: None,
        foundation: None,
        capacity_risk: None,
    };
    Assessment {
        schema: SCHEMA,
        generator: Generator {
            name: "cloudready",
            version: env!("CARGO_PKG_VERSION"),
        },
        agency: AgencyDoc {
            name: &inv.agency.name,
            abbreviation: inv.agency.abbreviation.as_deref(),
            as_of: inv.agency.as_of.map(|d| d.to_string()),
        },
        reference_date: reference.map(|d| d.to_string()),
        workloads: Vec::new(),
        portfolio,
    }
}

/// A document being made (see [`stream`]): its head, whose `workloads` list is empty and
/// whose portfolio is complete, and its entries.
pub struct Streamed<'a, S> {
    pub head: Assessment<'a>,
    pub entries: Entries<'a, S>,
}

impl<'a, S: Borrow<WorkloadScore<'a>>> Streamed<'a, S> {
    /// The whole document, every entry made.
    pub fn collect(self) -> Assessment<'a> {
        let Streamed { mut head, entries } = self;
        head.workloads = entries.collect();
        head
    }
}

/// The workload entries of [`stream`], in the scores' order, each with its plan.
pub struct Entries<'a, S> {
    inv: &'a Inventory,
    reference: Option<Date>,
    scores: std::vec::IntoIter<S>,
    /// Indexed like the inventory's workloads; each is moved into its entry, not copied.
    plans: Vec<Option<WorkloadPlan<'a>>>,
}

impl<'a, S: Borrow<WorkloadScore<'a>>> Iterator for Entries<'a, S> {
    type Item = WorkloadDoc<'a>;
    fn next(&mut self) -> Option<WorkloadDoc<'a>> {
        let s = self.scores.next()?;
        let mut w = workload_doc(&self.inv.sources, s.borrow(), self.reference);
        if let Some(p) = self
            .inv
            .index_of(w.id)
            .and_then(|i| self.plans.get_mut(i)?.take())
        {
            w.hosting = Some(p.hosting);
            w.strategy = Some(p.strategy);
            w.wave = p.wave;
        }
        Some(w)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.scores.size_hint()
    }
}

impl Assessment<'_> {
    /// Leaves every workload's criteria out when serialised: the document's totals, plan and
    /// blockers stay. For consumers that read criteria per workload through [`CriteriaDoc`].
    pub fn without_criteria(mut self) -> Self {
        for w in &mut self.workloads {
            for p in w
                .principles
                .iter_mut()
                .chain(std::iter::once(&mut w.framework))
            {
                p.criteria.hidden = true;
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use crate::render::{self, Format};

    /// JSON and CSV written from entries made one at a time are the bytes of the whole
    /// document's, with a plan, for all workloads and for a few.
    #[test]
    fn entries_made_one_at_a_time_render_as_the_whole_document() {
        let text = crate::synth::inventory(300);
        let inv = crate::load::load_from_bytes(
            &[("synth.yaml".to_string(), text.into_bytes())],
            &crate::load::LoadOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
        let settings = crate::pipeline::Settings::builtin().unwrap();
        let some: Vec<String> = ["w000007", "w000100", "w000299"].map(String::from).into();
        for only in [&[][..], &some[..]] {
            for format in [Format::Json, Format::Csv] {
                let expected = render::render(&settings.assess(&inv, only), format, false);
                let doc = settings.stream(&inv, only);
                assert!(doc.head.workloads.is_empty());
                let mut got = Vec::new();
                render::render_to(doc, format, render::Style::default(), &mut got).unwrap();
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    expected,
                    "{format:?} {only:?}"
                );
                assert!(expected.contains("w000100"));
            }
        }
    }
}
