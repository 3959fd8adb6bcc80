//! `cloudready strategy`: the strategy document (markdown, HTML or Word).

use std::sync::Arc;

use super::args::StrategyArgs;
use super::{Term, notes, wrote};
use crate::error::Result;
use crate::pipeline::strategy::Strategy;

pub(super) fn run(a: &StrategyArgs, term: &Term) -> Result<u8> {
    let format = a.format()?;
    let out = a.output.to_output();
    let options = a.settings.options();
    let job = Strategy::prepare(format, a.templates.as_deref(), &options, &out)?;
    // Shared with the templates' `criteria()` function for the length of the render.
    let inv = Arc::new(a.input.load()?);
    notes(term, &job.settings, &inv);
    job.write(&inv, a.max_classification, &out)?;
    wrote(term, &out);
    Ok(0)
}
