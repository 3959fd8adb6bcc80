//! `cloudready strategy`: the strategy document (markdown, HTML or Word).

use std::sync::Arc;

use super::args::StrategyArgs;
use super::{Term, notes, wrote};
use crate::config::StrategyConfig;
use crate::diagnostic::{Code, Diagnostic};
use crate::error::Result;
use crate::inventory::CLASSIFICATIONS;
use crate::pipeline::strategy::Strategy;

pub(super) fn run(a: &StrategyArgs, term: &Term) -> Result<u8> {
    let format = a.format()?;
    let out = a.output.to_output();
    let options = a.settings.options();
    let job = Strategy::prepare(format, a.templates.as_deref(), &options, &out)?;
    let mut inv = a.input.load(a.settings.date)?;
    // The notes are about the input as given, so they come before a release cuts it.
    notes(term, &job.settings, &inv);
    let cut = a
        .max_classification
        .map(|level| job.settings.release(&mut inv, level));
    if let Some(c) = cut
        && job.settings.config.strategy != StrategyConfig::default()
    {
        term.notes(&job.settings.config.sources, [&unfiltered(c.level)]);
    }
    if let (Some(annex), Some(paper)) = (&a.annex, out.path())
        && annex.as_path() == paper
    {
        return Err(crate::error::Error::Usage(format!(
            "the annex and the paper would both be {}; give --annex another file name",
            annex.display()
        )));
    }
    let annex = a
        .annex
        .as_ref()
        .map(|p| crate::output::Output::file(p, out.overwrite));
    // Shared with the templates' `criteria()` function for the length of the render.
    let inv = Arc::new(inv);
    job.write(&inv, cut, &out, annex.as_ref())?;
    wrote(term, &out);
    if let Some(annex) = &annex {
        wrote(term, annex);
    }
    Ok(0)
}

/// The agency's own words go in as written: only a person can tell whether they name
/// something above the release's level.
fn unfiltered(level: usize) -> Diagnostic {
    let level = CLASSIFICATIONS
        .get(level)
        .copied()
        .unwrap_or("the release level");
    Diagnostic::warning(
        None,
        "the `[strategy]` text (vision, drivers, outcomes, governance and the rest) is included as written: --max-classification does not filter it",
    )
    .code(Code::UnfilteredStrategyText)
    .hint(format!(
        "read it for anything classified above {level} before releasing this version"
    ))
}
