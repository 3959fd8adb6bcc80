//! `cloudready strategy`: the strategy document (markdown, HTML or Word).

use std::sync::Arc;

use super::args::StrategyArgs;
use super::{Term, notes, wrote};
use crate::error::Result;
use crate::pipeline::strategy::Strategy;

pub(super) fn run(a: &StrategyArgs, term: &Term) -> Result<u8> {
    let out = a.output.to_output();
    let options = a.settings.options();
    let job = Strategy::prepare(a.format, a.templates.as_deref(), &options, &out)?;
    // Shared with the templates' `criteria()` function for the length of the render.
    let inv = Arc::new(a.input.load()?);
    notes(term, &job.settings, &inv);
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
    job.write(&inv, a.max_classification, &out, annex.as_ref())?;
    wrote(term, &out);
    if let Some(annex) = &annex {
        wrote(term, annex);
    }
    Ok(0)
}
