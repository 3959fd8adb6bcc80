//! `cloudready diff`: what changed between two inventories or saved assessments.

use super::args::DiffArgs;
use super::{Term, wrote};
use crate::diff::{self, DiffFormat};
use crate::error::Result;
use crate::output::Seal;
use crate::pipeline::Settings;

pub(super) fn run(a: &DiffArgs, term: &Term) -> Result<u8> {
    let format = a.format()?;
    let settings = Settings::load(&a.settings.options())?;
    let old = diff::read_side(&a.old, &settings, a.max_input_size)?;
    let new = diff::read_side(&a.new, &settings, a.max_input_size)?;
    let (old_name, new_name) = (a.old.display().to_string(), a.new.display().to_string());
    let d = diff::compare(&old_name, &old, &new_name, &new);
    let seal = match format {
        DiffFormat::Json => Seal::JSON,
        DiffFormat::Markdown => Seal::MARKUP,
        DiffFormat::Text => Seal::TEXT,
    };
    let out = a.output.to_output();
    out.write_text(&diff::render(&d, format), seal)?;
    wrote(term, &out);
    Ok(0)
}
