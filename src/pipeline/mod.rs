//! The one pipeline every command runs: settings (`cloudready.toml` or `--config`) → principle
//! packs (with the settings' weights) → planning rules → provider catalog → inventory → scores
//! → plan → assessment document → the bytes of each output ([`Settings::write_assessment`],
//! [`strategy::Strategy`]).
//!
//! `assess`, `strategy`, `check`, `diff`, the fuzz target and the benches all go through
//! [`Settings`], so the same inventory with the same settings gives the same scores, bands,
//! strategies and waves whichever command shows them.

mod assess;
pub mod strategy;

use std::borrow::Borrow;
use std::path::Path;
use std::sync::Arc;

pub use assess::known_workloads;

use crate::assessment::{self, Assessment, Streamed};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::inventory::{Date, Inventory};
use crate::load::{self, LoadOptions};
use crate::pack::Packs;
use crate::plan::providers::Catalog;
use crate::plan::{self, PlanOptions, PlanRules};
use crate::score::{self, Context, Detail, WorkloadScore};

/// Where the settings come from: the flags every pipeline command shares.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// `--config FILE`; without it `./cloudready.toml` when present, else the defaults.
    pub config: Option<&'a Path>,
    /// `--principles DIR`: pack and planning-rule files that replace the built-in ones.
    pub principles: Option<&'a Path>,
    /// `--providers FILE`: a provider catalog.
    pub providers: Option<&'a Path>,
    /// `--date`: the day waivers are judged on and "days until" counts from.
    pub date: Option<Date>,
}

/// Everything a run needs besides the inventory, read and checked once.
#[derive(Debug)]
pub struct Settings {
    pub config: Config,
    /// Shared with the strategy templates' `criteria()` function.
    pub packs: Arc<Packs>,
    pub rules: PlanRules,
    pub catalog: Option<Catalog>,
    /// `--date`, when given.
    pub date: Option<Date>,
}

impl Settings {
    /// Reads the settings, packs (weighted by the settings), planning rules and catalog.
    pub fn load(o: &Options) -> Result<Settings> {
        let config = Config::discover(o.config)?;
        Settings::with_config(config, o)
    }

    /// As [`Settings::load`], with settings already read (tests, the fuzz target, benches).
    pub fn with_config(config: Config, o: &Options) -> Result<Settings> {
        let mut packs = Packs::load(o.principles)?;
        config.apply(&mut packs)?;
        let rules = PlanRules::load(o.principles)?;
        rules.check_against(&packs)?;
        let catalog = match o.providers {
            Some(p) => Some(Catalog::load(p, &rules.provider_kinds())?),
            None => None,
        };
        Ok(Settings {
            config,
            packs: Arc::new(packs),
            rules,
            catalog,
            date: o.date,
        })
    }

    /// The built-in packs and rules with default settings.
    pub fn builtin() -> Result<Settings> {
        Settings::with_config(Config::default(), &Options::default())
    }

    /// The date "days until" criteria and rules count from: `--date`, else `agency.as_of`.
    pub fn reference(&self, inv: &Inventory) -> Option<Date> {
        self.date.or(inv.agency.as_of)
    }

    /// The day waivers are judged on: `--date`, else today.
    pub fn today(&self) -> Date {
        self.date.unwrap_or_else(Date::today)
    }

    /// Warnings about the settings that do not stop the run (a waiver naming no workload).
    pub fn notes(&self, inv: &Inventory) -> Vec<Diagnostic> {
        self.config
            .stray_waivers(inv.workloads.iter().map(|w| w.id.as_str()))
    }

    /// Scores every workload, waivers applied, keeping `detail`.
    pub fn score<'a>(&'a self, inv: &'a Inventory, detail: Detail) -> Vec<WorkloadScore<'a>> {
        let today = self.today();
        let waived = |w: &str, r: &str| self.config.waiver(w, r, today).is_some();
        let cx = Context {
            reference_date: self.reference(inv),
            waived: &waived,
        };
        let total = inv.workloads.len();
        let scores = inv
            .workloads
            .iter()
            .enumerate()
            .map(|(i, w)| {
                crate::progress::scored(i + 1, total);
                score::score_workload_with(&self.packs, w, &cx, detail)
            })
            .collect();
        crate::progress::clear();
        scores
    }

    /// The whole document for `scores`, with its plan. Planning always covers the whole
    /// inventory (waves need the whole dependency graph); `only` names the workloads the
    /// document shows (empty: all). `scores` must come from [`Settings::score`] on the same
    /// inventory.
    pub fn document<'a>(
        &'a self,
        inv: &'a Inventory,
        scores: &[WorkloadScore<'a>],
        only: &[String],
    ) -> Assessment<'a> {
        self.stream_of(inv, scores, only).collect()
    }

    /// [`Settings::document`], made as it is read (see [`assessment::stream`]).
    pub fn stream_of<'a, 's>(
        &'a self,
        inv: &'a Inventory,
        scores: &'s [WorkloadScore<'a>],
        only: &[String],
    ) -> Streamed<'a, &'s WorkloadScore<'a>> {
        let plan = self.plan(inv, scores);
        let reference = self.reference(inv);
        assessment::stream(inv, &self.packs, shown(scores, only), reference, Some(plan))
    }

    /// The plan of the whole inventory, from its scores.
    fn plan<'a>(&'a self, inv: &'a Inventory, scores: &[WorkloadScore<'a>]) -> plan::Plan<'a> {
        let p = &self.config.plan;
        let opts = PlanOptions {
            reference: self.reference(inv),
            max_per_wave: (p.max_per_wave as usize).max(1),
            wave_points: p.wave_points,
            foundation_months: p.foundation_months,
            wave_months: p.wave_months,
            quarters: p.quarters,
        };
        plan::plan(inv, &self.rules, self.catalog.as_ref(), scores, &opts)
    }

    /// Scores (totals only) and plans: the document `assess`, `strategy` and `diff` render,
    /// each workload's entry made as it is read. Criteria are recomputed per workload when an
    /// output reads them.
    pub fn stream<'a>(
        &'a self,
        inv: &'a Inventory,
        only: &[String],
    ) -> Streamed<'a, WorkloadScore<'a>> {
        let scores = self.score(inv, Detail::Totals);
        let plan = self.plan(inv, &scores);
        let reference = self.reference(inv);
        assessment::stream(inv, &self.packs, shown(scores, only), reference, Some(plan))
    }

    /// [`Settings::stream`], collected: the whole document.
    pub fn assess<'a>(&'a self, inv: &'a Inventory, only: &[String]) -> Assessment<'a> {
        self.stream(inv, only).collect()
    }
}

/// The scores of the workloads `only` names (all when empty), in order.
fn shown<'a, S: Borrow<WorkloadScore<'a>>>(
    scores: impl IntoIterator<Item = S>,
    only: &[String],
) -> Vec<S> {
    scores
        .into_iter()
        .filter(|s| only.is_empty() || only.contains(&s.borrow().workload.id))
        .collect()
}

/// Reads inventory files: the load step, with the input limits of the run.
pub fn load(paths: &[impl AsRef<Path>], max_input_bytes: u64) -> Result<Inventory> {
    let opts = LoadOptions {
        max_input_bytes,
        ..LoadOptions::default()
    };
    load::load_inventory(paths, &opts)
}

/// Reads one input file (`-`: standard input) as bytes, within the same limit inventories are
/// read with: the read step of the inputs that are not inventories (a saved assessment for
/// `diff`, strategy documents for `check`).
pub fn read(path: &Path, max_input_bytes: u64) -> Result<Vec<u8>> {
    load::read_input(path, max_input_bytes)
}

/// [`read`] for text files: each as (path as given, text).
pub fn read_texts(
    paths: &[impl AsRef<Path>],
    max_input_bytes: u64,
) -> Result<Vec<(String, String)>> {
    paths
        .iter()
        .map(|p| {
            let p = p.as_ref();
            let shown = p.display().to_string();
            let bytes = read(p, max_input_bytes)?;
            let text = String::from_utf8(bytes).map_err(|_| {
                let e = std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "stream did not contain valid UTF-8",
                );
                crate::error::Error::io(&shown, e)
            })?;
            Ok((shown, text))
        })
        .collect()
}

/// [`load()`] for one inventory already read (see [`read`]), named `shown` in messages.
pub fn load_bytes(shown: String, bytes: Vec<u8>, max_input_bytes: u64) -> Result<Inventory> {
    let opts = LoadOptions {
        max_input_bytes,
        ..LoadOptions::default()
    };
    load::load_owned(vec![(shown, bytes)], &opts)
}
