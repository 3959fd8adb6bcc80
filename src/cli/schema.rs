//! `cloudready schema`: the JSON Schema of the inventory.

use super::args::SchemaArgs;
use super::{Term, wrote};
use crate::error::Result;
use crate::output::Seal;

pub(super) fn run(a: &SchemaArgs, term: &Term) -> Result<u8> {
    super::infer::only(
        a.output.output.as_deref(),
        "a JSON Schema",
        &[".json"],
        &[".yaml", ".yml", ".md", ".txt", ".html", ".xml"],
    )?;
    let out = a.output.to_output();
    out.write_text(&crate::schema::render(), Seal::JSON_SCHEMA)?;
    wrote(term, &out);
    Ok(0)
}
