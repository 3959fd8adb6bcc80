//! Which source an export is, and the whole foreign import: read the table, recognise it (or take
//! `--from`), build the workloads, write the YAML and check that it validates.

use crate::diagnostic::{Code, Diagnostic, Loc, Sources};
use crate::error::{Error, Result};
use crate::import::build::{Options, build};
use crate::import::emit::{Header, to_yaml};
use crate::import::grid::{self, Grid};
use crate::import::lifecycle::{lifecycle, supply};
use crate::mapping::{Mapping, builtin};

/// What `import` was asked to do with an export.
pub struct Request<'a> {
    pub shown: &'a str,
    pub bytes: Vec<u8>,
    pub spreadsheet: bool,
    pub from: Option<&'a str>,
    pub sheet: Option<&'a str>,
    /// An agency's own mapping (`--map FILE`): its path and text.
    pub map: Option<(String, String)>,
    pub group_by: Option<&'a str>,
    pub hosting: Option<&'a str>,
    pub agency: Option<&'a str>,
    pub max_bytes: u64,
}

/// The outcome: the YAML, its notes, their sources and the number of workloads; or, when the
/// file is no known export (and nothing forced one), `Err` with its sheets (for a workbook), so
/// the caller reads it as a native inventory and can say what it has.
pub(crate) type Imported =
    std::result::Result<(String, Sources, Vec<Diagnostic>, usize), Option<String>>;

/// Imports an export, or says it is not one.
pub fn foreign(r: Request) -> Result<Imported> {
    let mut sources = Sources::default();
    let own = match &r.map {
        Some((path, text)) => Some(read_map(&mut sources, path, text)?),
        None => None,
    };
    let forced = forced_mapping(own.as_ref(), r.from)?;
    let choose = |rows: &[grid::Row]| -> Option<&'static str> {
        builtin()
            .iter()
            .find(|m| rows.iter().take(10).any(|row| m.matches(&row.cells)))
            .map(|m| m.source.as_str())
    };
    let choose_forced = |rows: &[grid::Row]| -> Option<&'static str> {
        let m = forced?;
        rows.iter()
            .take(10)
            .any(|row| m.matches(&row.cells))
            .then_some("forced")
    };
    let g = grid::read(
        &mut sources,
        r.shown,
        r.bytes,
        r.spreadsheet,
        r.sheet,
        r.max_bytes,
        if forced.is_some() {
            &choose_forced
        } else {
            &choose
        },
    )
    .map_err(|d| Error::invalid(std::mem::take(&mut sources), d))?;
    let found = match forced {
        Some(m) => m.header_row(&g).map(|h| (m, h)),
        None => builtin()
            .iter()
            .find_map(|m| g.header_for(m).map(|h| (m, h))),
    };
    let Some((m, header)) = found else {
        if forced.is_none() && r.sheet.is_none() {
            return Ok(Err(g.sheet.as_ref().map(|_| grid::list_sheets(&g.sheets))));
        }
        let d = unrecognised(&g, forced);
        return Err(Error::invalid(sources, vec![d]));
    };
    if !g.errors.is_empty() {
        let errors = g.errors.clone();
        return Err(Error::invalid(sources, errors));
    }
    let life = lifecycle().map_err(Error::Usage)?;
    let sup = supply().map_err(Error::Usage)?;
    let built = build(
        &g,
        header,
        m,
        &life,
        &Options {
            group_by: r.group_by,
            hosting: r.hosting,
        },
    )
    .map_err(|d| Error::invalid(std::mem::take(&mut sources), d))?;
    let stem = std::path::Path::new(r.shown)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("agency");
    let mut notes = built.notes;
    let agency = match r.agency {
        Some(a) => a.to_string(),
        None => {
            notes.push(
                Diagnostic::note(
                    Loc::new(g.file, 0, 0),
                    format!("agency.name is `{stem}`, from the file name"),
                )
                .code(Code::AgencyFromFileName)
                .hint("give the agency's name with --agency NAME"),
            );
            stem.to_string()
        }
    };
    let yaml = to_yaml(
        &Header {
            source: &m.title,
            file: r.shown,
            sheet: g.sheet.as_deref(),
            agency: &agency,
            used: &built.used,
        },
        &built.items,
        &sup,
    );
    Ok(Ok((yaml, sources, notes, built.items.len())))
}

impl Mapping {
    fn header_row(&self, g: &Grid) -> Option<usize> {
        g.header_for(self)
    }
}

/// The mapping the user named: their own file, or a built-in one by `--from`.
fn forced_mapping<'a>(own: Option<&'a Mapping>, from: Option<&str>) -> Result<Option<&'a Mapping>> {
    match (own, from) {
        (Some(m), _) => Ok(Some(m)),
        (None, Some(name)) => builtin()
            .iter()
            .find(|m| m.source.eq_ignore_ascii_case(name))
            .map(Some)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "--from `{name}` is not a source cloudready knows; it knows {}",
                    known()
                ))
            }),
        (None, None) => Ok(None),
    }
}

fn known() -> String {
    builtin()
        .iter()
        .map(|m| format!("`{}` ({})", m.source, m.title))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An error for a table no source recognises: its sheets, and the sources known.
pub(crate) fn unrecognised(g: &Grid, forced: Option<&Mapping>) -> Diagnostic {
    let where_ = match &g.sheet {
        Some(s) => format!(
            "sheet `{s}` (the workbook's sheets: {})",
            grid::list_sheets(&g.sheets)
        ),
        None => "the file".to_string(),
    };
    let msg = match forced {
        Some(m) => format!(
            "{where_} has no header with {}'s columns ({})",
            m.title,
            m.signature
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!("{where_} is not an export cloudready recognises"),
    };
    Diagnostic::error(Loc::new(g.file, 0, 0), msg)
        .code(Code::UnknownColumn)
        .hint(format!("cloudready import knows {}; name the source with --from NAME and the sheet with --sheet NAME, or give a mapping with --map FILE", known()))
}

/// The text naming the sources known, for the native reader's own errors.
pub fn known_sources() -> String {
    known()
}

fn read_map(sources: &mut Sources, path: &str, text: &str) -> Result<Mapping> {
    let file = sources.add(path.to_string(), text.to_string());
    let kind = crate::datafile::Kind {
        what: "import mapping",
        hint: "an import mapping has `source`, `title`, `signature`, `unit` and `columns` (see import/rvtools.yaml in the cloudready repository)",
    };
    match crate::datafile::DataFile::read::<Mapping>(file, text, kind) {
        Ok((m, _)) => {
            check_map(&m).map_err(|msg| {
                Error::invalid(
                    std::mem::take(sources),
                    vec![Diagnostic::error(Loc::new(file, 1, 1), msg)],
                )
            })?;
            Ok(m)
        }
        Err(d) => Err(Error::invalid(std::mem::take(sources), d)),
    }
}

/// A mapping may only fill fields the inventory has, with values they can take.
fn check_map(m: &Mapping) -> std::result::Result<(), String> {
    use crate::inventory::{FIELDS, Kind, field_id};
    for c in &m.columns {
        let Some(f) = &c.field else { continue };
        let id = field_id(f).ok_or_else(|| {
            format!(
                "column `{}` fills `{f}`, which is not an inventory field",
                c.column
            )
        })?;
        if f == "classification" {
            return Err(format!(
                "column `{}` fills `classification`: an import never infers a classification; a person supplies it",
                c.column
            ));
        }
        if let Kind::Enum(allowed) = FIELDS[id.index()].kind
            && let Some(v) = c.values.values().find(|v| !allowed.contains(&v.as_str()))
        {
            return Err(format!(
                "column `{}` maps a value to `{v}`, which `{f}` cannot take ({})",
                c.column,
                allowed.join(", ")
            ));
        }
    }
    Ok(())
}
