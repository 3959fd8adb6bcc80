//! Spreadsheet inventories (`.xlsx`, `.xlsm`, `.xls`, `.ods`), read with calamine: the sheet
//! named `Workloads` or `inventory` (any case), else the first sheet; its first non-empty row is
//! the header. The header rules and cell conversion are the CSV reader's ([`rows`]); here cells
//! keep the types the spreadsheet gave them (numbers, booleans, dates), and every place is a
//! cell (`inventory.xlsx: Workloads!C7`).
//!
//! [`rows`]: ../rows/index.html

use std::io::Cursor;

use calamine::{Data, Reader};

use crate::diagnostic::column_letters;
use crate::diagnostic::{Code, Diagnostic, Loc, Sheet, Sources};
use crate::load::rows::{Cell, Layout, Table};
use crate::load::validate::Document;

/// File extensions read as spreadsheets.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// Sheet names preferred over the first sheet, compared ignoring case.
const PREFERRED: &[&str] = &["workloads", "inventory"];

/// Whether a file name's extension marks a spreadsheet.
pub fn is_spreadsheet(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// One spreadsheet's tree, with notes and the cell errors that left it usable (as for CSV).
pub type Parsed = (Document, Vec<Diagnostic>, Vec<Diagnostic>);

/// Reads a spreadsheet inventory into the tree a YAML inventory would give, registering it in
/// `sources` (as the chosen sheet) so its messages name cells.
pub fn parse_sheet(
    sources: &mut Sources,
    shown: &str,
    bytes: Vec<u8>,
    file_stem: &str,
    max_bytes: u64,
) -> Result<Parsed, Vec<Diagnostic>> {
    let (name, range) =
        open_sheet(bytes, max_bytes).map_err(|why| unreadable(sources, shown, &why))?;
    // calamine's range starts at the first cell in use; places count from the sheet's A1.
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows();
    let header = rows.next().unwrap_or(&[]);
    let header_text: Vec<Option<String>> = header
        .iter()
        .map(|c| match c {
            Data::Empty => None,
            c => Some(c.to_string().trim().to_string()).filter(|s| !s.is_empty()),
        })
        .collect();
    let headers: Vec<(u32, String)> = header_text
        .iter()
        .enumerate()
        .filter_map(|(i, h)| Some((col0 + i as u32 + 1, h.clone()?)))
        .collect();
    let file = sources.add_sheet(
        shown.to_string(),
        Sheet {
            name: name.clone(),
            headers,
        },
    );
    let file_loc = Loc::new(file, 0, 0);
    let at = |r: usize, c: usize| Loc::new(file, row0 + r as u32 + 1, col0 + c as u32 + 1);
    if header_text.iter().all(Option::is_none) {
        return Err(vec![
            Diagnostic::error(file_loc, format!("sheet `{name}` is empty"))
            .code(Code::InvalidSpreadsheet).hint(
                "the first row names the fields (id, name, classification, current.hosting, …) and each row below is a workload",
            ),
        ]);
    }
    // Columns are indexed from the sheet's column A, so messages name the real columns.
    let pad = col0 as usize;
    let names: Vec<Option<(&str, Loc)>> = std::iter::repeat_n(None, pad)
        .chain(
            header_text
                .iter()
                .enumerate()
                .map(|(i, h)| h.as_deref().map(|h| (h, at(0, i)))),
        )
        .collect();
    let mut table = Table::new(Layout::Sheet, file, at(0, 0), &names)?;
    for (r, row) in rows.enumerate() {
        let r = r + 1;
        if row.iter().all(blank) {
            continue; // spreadsheets leave blank rows behind
        }
        let cells = row_cells(&mut table, row, pad, |i| at(r, i));
        table.row(at(r, 0), cells);
        if table.errors.len() >= 50 {
            break;
        }
    }
    let (root, notes, errors) = table.finish(file_stem);
    Ok((
        Document {
            file,
            root,
            file_loc,
            streamed: None,
        },
        notes,
        errors,
    ))
}

/// The sheet to read (its name and cells), or why the file cannot give one.
fn open_sheet(bytes: Vec<u8>, max_bytes: u64) -> Result<(String, calamine::Range<Data>), String> {
    // The size limit holds for what the package unpacks to, not only for the file: a few
    // kilobytes of zip can claim gigabytes.
    if let Some(n) = unpacked_size(&bytes).filter(|n| *n > max_bytes) {
        return Err(format!(
            "it unpacks to {n} bytes, more than the input limit of {max_bytes} (raise it with --max-input-size BYTES if the file is genuine)"
        ));
    }
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let names = book.sheet_names();
    let name = names
        .iter()
        .find(|n| PREFERRED.iter().any(|p| n.trim().eq_ignore_ascii_case(p)))
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| "it has no sheets".to_string())?;
    let range = book
        .worksheet_range(&name)
        .map_err(|e| format!("sheet `{name}`: {e}"))?;
    Ok((name, range))
}

fn unreadable(sources: &mut Sources, shown: &str, why: &str) -> Vec<Diagnostic> {
    let file = sources.add(shown.to_string(), String::new());
    vec![
        Diagnostic::error(
            Loc::new(file, 0, 0),
            format!("not a readable spreadsheet: {why}"),
        )
        .code(Code::InvalidSpreadsheet)
        .hint("save it from Excel or LibreOffice as .xlsx or .ods, or export the sheet as CSV"),
    ]
}

/// One row's cells under a header, each with its place; a cell that cannot be read, or has no
/// header above it, is an error in `table` instead.
fn row_cells<'c>(
    table: &mut Table,
    row: &'c [Data],
    pad: usize,
    at: impl Fn(usize) -> Loc,
) -> Vec<(usize, Cell<'c>, Loc)> {
    let mut cells = Vec::with_capacity(row.len());
    for (i, c) in row.iter().enumerate() {
        let loc = at(i);
        if blank(c) {
            continue;
        }
        if !table.has_header(pad + i) {
            table.errors.push(
                Diagnostic::error(
                    loc,
                    format!(
                        "cell {}{} holds `{}` but column {} has no header",
                        column_letters(loc.col),
                        loc.line,
                        c.to_string().trim(),
                        column_letters(loc.col)
                    ),
                )
                .code(Code::InvalidSpreadsheet)
                .hint("name the column's field in the header row (e.g. `current.hosting`), or clear the cell"),
            );
            continue;
        }
        match cell(c) {
            Ok(v) => cells.push((pad + i, v, loc)),
            Err(msg) => table.errors.push(
                Diagnostic::error(loc, msg)
                    .code(Code::InvalidSpreadsheet)
                    .hint("type the value itself into the cell (a formula's result must be a value, not an error)"),
            ),
        }
    }
    cells
}

/// The total size a zip package (xlsx, ods) declares for its parts; `None` for other files
/// (the older binary .xls) or a zip that cannot be read (calamine then says why).
fn unpacked_size(bytes: &[u8]) -> Option<u64> {
    // The central directory's sizes (zip's own `decompressed_size` gives up on parts written
    // with data descriptors, as rust_xlsxwriter and Excel write them).
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        total = total.saturating_add(zip.by_index_raw(i).ok()?.size());
    }
    Some(total)
}

fn blank(c: &Data) -> bool {
    match c {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell as the row reader takes it: numbers, booleans and dates keep their type.
fn cell(c: &Data) -> Result<Cell<'_>, String> {
    Ok(match c {
        Data::String(s) => Cell::Text(s),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, d, ..) = d.to_ymd_hms_milli();
            Cell::Date(format!("{y:04}-{m:02}-{d:02}"))
        }
        Data::DateTime(d) => Cell::Number(d.as_f64()),
        // ODS writes dates as ISO text: `2025-06-30` or `2025-06-30T00:00:00`.
        Data::DateTimeIso(s) => match s.get(..10) {
            Some(day) if s.len() == 10 || s.as_bytes().get(10) == Some(&b'T') => {
                Cell::Date(day.to_string())
            }
            _ => Cell::Text(s),
        },
        Data::DurationIso(s) => Cell::Text(s),
        Data::Error(e) => return Err(format!("the cell holds the spreadsheet error `{e}`")),
        Data::Empty => Cell::Text(""),
    })
}
