//! The context every strategy template sees, as types: [`StrategyContext`] is a view of the
//! assessment document (borrowed, not copied) with the assessment's keys at the top level
//! (`schema`, `agency`, `workloads`, `portfolio`, ...), plus `packs` (the principle packs),
//! `insights` (what the document argues from), `charts` (geometry for the inline SVG charts),
//! what makes the draft a strategy (`marking`, `own`, `money`, `roadmap`, `risks`) and
//! `document` (digest, date, format).
//!
//! The shape is documented in `templates/README.md` for agencies writing their own templates;
//! a test holds the two together.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::adopt::{self, Inputs, Marking, Money, Risks, Roadmap};
use super::charts::{self, Charts};
use super::insights::{self, Insights, InsightsView};
use super::paper;
use crate::assessment::{AgencyDoc, Assessment, Generator, Portfolio, WorkloadDoc};
use crate::config::StrategyConfig;
use crate::error::{Error, Result};
use crate::pack::Packs;
use crate::render::framework::packs_json;

/// What the renderer knows besides the assessment.
pub struct DocumentInfo<'a> {
    pub digest: &'a str,
    /// `--date`, when given: the only date a document carries.
    pub date: Option<String>,
    pub format: &'a str,
    /// The file names the paper and its annex are written under, when written to files.
    pub paper: Option<&'a str>,
    pub annex: Option<&'a str>,
}

/// The template context. Field names are the keys templates use.
#[derive(Debug, Serialize)]
pub struct StrategyContext<'a> {
    pub schema: &'static str,
    pub generator: &'a Generator,
    pub agency: &'a AgencyDoc<'a>,
    pub reference_date: Option<&'a str>,
    /// As in the assessment document, without the criteria lists (`criteria()` fetches them).
    pub workloads: &'a [WorkloadDoc<'a>],
    pub portfolio: &'a Portfolio<'a>,
    /// The packs as `cloudready principles --format json` prints them.
    pub packs: serde_json::Value,
    pub insights: InsightsView<'a, 'a>,
    pub charts: Charts<'a>,
    pub marking: Marking,
    /// Null unless this is a releasable version.
    pub release: Option<ReleaseView>,
    /// The agency's own words (`[strategy]`).
    pub own: Cow<'a, StrategyConfig>,
    /// Null without an inventory.
    pub money: Option<Money<'a>>,
    pub roadmap: Roadmap<'a>,
    pub risks: Risks<'a>,
    /// Hosting option id → its title.
    pub hosting_names: BTreeMap<&'a str, &'a str>,
    /// The board paper's grouped views: the hosting table, blockers by kind, the strategy
    /// risk register, owners missing, the capacity check.
    pub paper: paper::PaperView<'a>,
    pub document: DocumentView<'a>,
}

/// `release`: a `--max-classification` version.
#[derive(Debug, Serialize)]
pub struct ReleaseView {
    /// The highest classification the version holds.
    pub level: Option<&'static str>,
    /// Workloads left out.
    pub left_out: usize,
}

/// `document`: about the rendered document itself.
#[derive(Debug, Serialize)]
pub struct DocumentView<'a> {
    /// `sha256:…` of the inventory files.
    pub digest: &'a str,
    /// The comment that carries the digest, for `check --strategy`.
    pub digest_comment: String,
    pub date: Option<&'a str>,
    /// `markdown` or `html`.
    pub format: &'a str,
    pub generator: String,
    /// The settings file read.
    pub settings: Option<&'a str>,
    /// The paper's and the annex's file names (null when not written to a file, or no annex).
    pub paper: Option<&'a str>,
    pub annex: Option<&'a str>,
}

impl<'a> StrategyContext<'a> {
    /// The view of `doc` (criteria left out with [`Assessment::without_criteria`]) whose
    /// portfolio reading is `insights` (from [`insights::read`] on the same document).
    pub fn new(
        doc: &'a Assessment<'a>,
        packs: &Packs,
        info: &'a DocumentInfo,
        inputs: &'a Inputs<'a>,
        insights: &'a Insights<'a>,
    ) -> Self {
        let roadmap = adopt::roadmap(doc, inputs);
        let paper = paper::build(doc, inputs, insights, &roadmap.milestones);
        StrategyContext {
            schema: doc.schema,
            generator: &doc.generator,
            agency: &doc.agency,
            reference_date: doc.reference_date.as_deref(),
            workloads: &doc.workloads,
            portfolio: &doc.portfolio,
            packs: packs_json(packs),
            insights: insights.view(),
            charts: charts::build(doc, insights, adopt::timeline(doc, inputs)),
            marking: adopt::marking(doc, inputs),
            release: inputs.release.map(|r| ReleaseView {
                level: crate::inventory::CLASSIFICATIONS.get(r.level).copied(),
                left_out: r.left_out,
            }),
            own: inputs
                .strategy
                .map_or_else(|| Cow::Owned(StrategyConfig::default()), Cow::Borrowed),
            money: inputs.inventory.map(|inv| adopt::money(doc, inv)),
            roadmap,
            risks: adopt::risks(doc, inputs, insights),
            hosting_names: adopt::hosting_names(inputs),
            paper,
            document: DocumentView {
                digest: info.digest,
                digest_comment: crate::digest::comment(info.digest),
                date: info.date.as_deref(),
                format: info.format,
                generator: format!("cloudready {}", env!("CARGO_PKG_VERSION")),
                settings: inputs.settings_file,
                paper: info.paper,
                annex: info.annex,
            },
        }
    }

    /// The context as tera takes it.
    pub fn to_tera(&self) -> Result<tera::Context> {
        tera::Context::from_serialize(self).map_err(|e| {
            Error::Usage(format!(
                "the strategy template context could not be built: {e}"
            ))
        })
    }
}

/// Builds the template context from the assessment document and the packs. The workloads'
/// criteria are left out of it (a large inventory has millions); the statistics the document
/// argues from are tallied here in one pass, and templates fetch one workload's criteria at a
/// time with the `criteria()` function (see `templates/README.md`).
pub fn build(doc: Assessment, packs: &Packs, info: &DocumentInfo) -> Result<tera::Context> {
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
) -> Result<tera::Context> {
    // Hidden from serialisation only: the tally still reads every criterion.
    let doc = doc.without_criteria();
    let insights = insights::read(&doc, packs);
    StrategyContext::new(&doc, packs, info, inputs, &insights).to_tera()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The keys a table of templates/README.md documents: the backticked names in the first
    /// column of the table that follows the line starting with `heading`.
    fn documented(heading: &str) -> BTreeSet<String> {
        let readme = include_str!("../../../templates/README.md");
        let rows = readme
            .lines()
            .skip_while(|l| !l.starts_with(heading))
            .skip(1)
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .skip(2);
        let mut keys = BTreeSet::new();
        for row in rows {
            let first = row.split('|').nth(1).unwrap_or("");
            for name in first.split('`').skip(1).step_by(2) {
                keys.insert(name.trim_end_matches("[]").to_string());
            }
        }
        assert!(
            !keys.is_empty(),
            "no table after `{heading}` in templates/README.md"
        );
        keys
    }

    fn keys(v: &serde_json::Value) -> BTreeSet<String> {
        v.as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// templates/README.md documents exactly the keys the context has: at the top level, in
    /// `insights` and in `charts` (on the shipped example, which has costs and dates).
    #[test]
    fn the_documented_context_is_the_context() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/inventory.yaml");
        let bytes = std::fs::read(path).unwrap();
        let inv = crate::load::load_from_bytes(
            &[("inventory.yaml".into(), bytes)],
            &crate::load::LoadOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
        let settings = crate::pipeline::Settings::builtin().unwrap();
        let doc = settings.assess(&inv, &[]).without_criteria();
        let strategy = StrategyConfig::default();
        let inputs = Inputs {
            inventory: Some(&inv),
            strategy: Some(&strategy),
            wave_months: 6,
            start: settings.reference(&inv),
            ..Inputs::default()
        };
        let info = DocumentInfo {
            digest: "sha256:0",
            date: None,
            format: "markdown",
            paper: None,
            annex: None,
        };
        let insights = insights::read(&doc, &settings.packs);
        let view = StrategyContext::new(&doc, &settings.packs, &info, &inputs, &insights);
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(keys(&json), documented("## The context"));
        assert_eq!(keys(&json["insights"]), documented("`insights`:"));
        assert_eq!(keys(&json["charts"]), documented("`charts` ("));
        assert_eq!(json["marking"]["text"], view.marking.text);
        assert!(json["roadmap"]["dated"].as_bool().unwrap());
        let ctx = view.to_tera().unwrap();
        for key in documented("## The context") {
            assert!(ctx.contains_key(&key), "`{key}` is not in the tera context");
        }
    }
}
