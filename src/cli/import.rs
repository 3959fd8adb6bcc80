//! `cloudready import`: a spreadsheet or CSV inventory as YAML.

use super::Term;
use super::args::ImportArgs;
use crate::error::{Error, Result};
use crate::output::Seal;
use crate::render::table::count;

pub(super) fn run(a: &ImportArgs, term: &Term) -> Result<u8> {
    super::infer::only(
        a.output.output.as_deref(),
        "a YAML inventory",
        &[".yaml", ".yml"],
        &[
            ".json", ".csv", ".xlsx", ".ods", ".md", ".txt", ".html", ".xml",
        ],
    )?;
    let mut inv = crate::pipeline::load(std::slice::from_ref(&a.file), a.max_input_size)?;
    if let Some(name) = &a.agency {
        if name.trim().is_empty() {
            return Err(Error::Usage("--agency needs a name".into()));
        }
        inv.agency.name = name.trim().to_string();
        // The file-name fallback note no longer applies.
        inv.notes
            .retain(|d| !d.is(crate::diagnostic::Code::AgencyFromFileName));
    }
    term.notes(&inv.sources, &inv.notes);
    let out = a.output.to_output();
    // Sealed: a re-run replaces its own unedited output; once someone edits the inventory it
    // is theirs, replaced only with --force.
    out.write_text(&crate::import::to_yaml(&inv), Seal::YAML)?;
    if !term.quiet
        && let Some(p) = out.path()
    {
        let n = count(inv.workloads.len(), "workload");
        eprintln!("wrote {n} to {}", p.display());
    }
    Ok(0)
}
