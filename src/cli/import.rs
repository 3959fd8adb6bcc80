//! `cloudready import`: an export (RVTools, Azure Migrate, AWS Migration Hub, ServiceNow,
//! Konveyor) or a spreadsheet, CSV or JSON inventory as YAML.

use super::Term;
use super::args::ImportArgs;
use crate::error::{Error, Result};
use crate::import::{Request, foreign};
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
    if let Some(name) = &a.agency
        && name.trim().is_empty()
    {
        return Err(Error::Usage("--agency needs a name".into()));
    }
    let shown = a.file.display().to_string();
    let tabular = crate::load::sheet::is_spreadsheet(&a.file)
        || a.file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let asked = a.from.is_some() || a.map.is_some() || a.sheet.is_some();
    if tabular || asked {
        let bytes = crate::pipeline::read(&a.file, a.max_input_size)?;
        let map = match &a.map {
            Some(p) => {
                let text = crate::pipeline::read_texts(std::slice::from_ref(p), a.max_input_size)?;
                text.into_iter().next()
            }
            None => None,
        };
        let imported = foreign(Request {
            shown: &shown,
            bytes,
            spreadsheet: crate::load::sheet::is_spreadsheet(&a.file),
            from: a.from.as_deref(),
            sheet: a.sheet.as_deref(),
            map,
            group_by: a.group_by.as_deref(),
            hosting: a.hosting.as_deref(),
            agency: a.agency.as_deref().map(str::trim),
            max_bytes: a.max_input_size,
        })?;
        let sheets = match imported {
            Ok(done) => return finish(a, term, &shown, done),
            Err(sheets) => sheets,
        };
        if a.group_by.is_some() || a.hosting.is_some() {
            return Err(Error::Usage(format!(
                "--group-by and --hosting apply to exports; {shown} is not one cloudready recognises (it knows {})",
                crate::import::known_sources()
            )));
        }
        return native(a, term).map_err(|e| not_an_export(e, sheets));
    }
    native(a, term)
}

/// The native route: a spreadsheet, CSV or JSON inventory whose headers are field paths.
fn native(a: &ImportArgs, term: &Term) -> Result<u8> {
    let mut inv = crate::pipeline::load(std::slice::from_ref(&a.file), a.max_input_size)?;
    if let Some(name) = &a.agency {
        inv.agency.name = name.trim().to_string();
        // The file-name fallback note no longer applies.
        inv.notes
            .retain(|d| !d.is(crate::diagnostic::Code::AgencyFromFileName));
    }
    term.notes(&inv.sources, &inv.notes);
    let n = inv.workloads.len();
    write(a, term, &crate::import::to_yaml(&inv), n)
}

/// A table that is neither an inventory nor a known export: its errors, and what it could be.
fn not_an_export(e: Error, sheets: Option<String>) -> Error {
    match e {
        Error::Invalid {
            sources,
            mut diagnostics,
        } => {
            let has = sheets
                .map(|s| format!(" (its sheets: {s})"))
                .unwrap_or_default();
            diagnostics.push(
                crate::diagnostic::Diagnostic::note(
                    None,
                    format!("the file{has} is neither a cloudready inventory nor an export cloudready recognises"),
                )
                .hint(format!(
                    "cloudready import knows {}; name the source with --from NAME and the sheet with --sheet NAME",
                    crate::import::known_sources()
                )),
            );
            Error::Invalid {
                sources,
                diagnostics,
            }
        }
        other => other,
    }
}

/// Writes an imported export, once it reads back as a valid inventory.
fn finish(
    a: &ImportArgs,
    term: &Term,
    shown: &str,
    (yaml, sources, notes, n): (
        String,
        crate::diagnostic::Sources,
        Vec<crate::diagnostic::Diagnostic>,
        usize,
    ),
) -> Result<u8> {
    // What is written must pass `validate`: read it back the way every command will.
    let as_yaml = match &a.output.output {
        Some(p) => p.display().to_string(),
        None => format!("{shown}.yaml"),
    };
    let inv = crate::pipeline::load_bytes(as_yaml, yaml.clone().into_bytes(), a.max_input_size)?;
    term.notes(&sources, &notes);
    term.notes(&inv.sources, &inv.notes);
    write(a, term, &yaml, n)
}

fn write(a: &ImportArgs, term: &Term, yaml: &str, n: usize) -> Result<u8> {
    let out = a.output.to_output();
    // Sealed: a re-run replaces its own unedited output; once someone edits the inventory it
    // is theirs, replaced only with --force.
    out.write_text(yaml, Seal::YAML)?;
    if !term.quiet
        && let Some(p) = out.path()
    {
        let n = count(n, "workload");
        eprintln!("wrote {n} to {}", p.display());
    }
    Ok(0)
}
