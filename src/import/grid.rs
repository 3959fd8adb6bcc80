//! An export's table as text cells with their places: a CSV file, or the chosen sheet of a
//! workbook. The sheet is the one `--sheet` names, else the first visible sheet whose header
//! carries a known source's signature (the mapping's own sheet names first), else the first
//! visible sheet. The header is the first of the top rows that carries the signature; rows above
//! it (a report title) are skipped with a note.

use calamine::{Data, Reader};

use crate::diagnostic::{Code, Diagnostic, FileId, Loc, Sheet, Sources, column_letters};
use crate::load::sheet::{open_book, sheet_list};
use crate::mapping::Mapping;

/// How far down a header may sit below a title.
const HEADER_SEARCH_ROWS: usize = 10;

/// One row: its 1-based line (CSV) or row number (sheet), and its cells as text.
pub struct Row {
    pub at: u32,
    pub cells: Vec<String>,
}

/// A table read from an export.
pub struct Grid {
    pub file: FileId,
    /// The sheet read, for a workbook.
    pub sheet: Option<String>,
    /// Every sheet of a workbook, with whether it is visible.
    pub sheets: Vec<(String, bool)>,
    pub rows: Vec<Row>,
    /// Column offset of the first cell (a sheet's range may start past column A).
    pub col0: u32,
    /// Formula cells with no saved value, and cells holding a spreadsheet error.
    pub errors: Vec<Diagnostic>,
}

impl Grid {
    /// Where a cell is (0-based column index within the row).
    pub fn loc(&self, row: &Row, col: usize) -> Loc {
        Loc::new(self.file, row.at, self.col0 + col as u32 + 1)
    }

    /// The index of the header row among the first rows: the first that `m` recognises.
    pub fn header_for(&self, m: &Mapping) -> Option<usize> {
        self.rows
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .position(|r| m.matches(&r.cells))
    }
}

/// Reads `bytes` as a CSV file or (by extension) a workbook. `choose` says whether a sheet's
/// header carries a known source's signature, to pick the sheet.
pub fn read(
    sources: &mut Sources,
    shown: &str,
    bytes: Vec<u8>,
    spreadsheet: bool,
    sheet: Option<&str>,
    max_bytes: u64,
    choose: &dyn Fn(&[Row]) -> Option<&'static str>,
) -> Result<Grid, Vec<Diagnostic>> {
    if spreadsheet {
        read_book(sources, shown, bytes, sheet, max_bytes, choose)
    } else {
        read_csv(sources, shown, bytes)
    }
}

fn read_csv(sources: &mut Sources, shown: &str, bytes: Vec<u8>) -> Result<Grid, Vec<Diagnostic>> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => {
            let file = sources.add(shown.to_string(), String::new());
            return Err(vec![
                Diagnostic::error(Loc::new(file, 0, 0), "the file is not UTF-8 text")
                    .code(Code::NotUtf8)
                    .hint("save the export as CSV UTF-8 (Excel: File > Save As > CSV UTF-8)"),
            ]);
        }
    };
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let file = sources.add(shown.to_string(), text.clone());
    for rec in reader.records() {
        match rec {
            Ok(r) => {
                let at = r.position().map_or(0, |p| p.line() as u32);
                rows.push(Row {
                    at,
                    cells: r.iter().map(|c| c.trim().to_string()).collect(),
                });
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as u32);
                errors.push(
                    Diagnostic::error(Loc::new(file, line, 1), format!("not readable as CSV: {e}"))
                        .code(Code::CsvSyntax),
                );
                break;
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Grid {
        file,
        sheet: None,
        sheets: Vec::new(),
        rows,
        col0: 0,
        errors,
    })
}

fn read_book(
    sources: &mut Sources,
    shown: &str,
    bytes: Vec<u8>,
    wanted: Option<&str>,
    max_bytes: u64,
    choose: &dyn Fn(&[Row]) -> Option<&'static str>,
) -> Result<Grid, Vec<Diagnostic>> {
    let unreadable = |sources: &mut Sources, why: String| {
        let file = sources.add(shown.to_string(), String::new());
        vec![
            Diagnostic::error(
                Loc::new(file, 0, 0),
                format!("not a readable spreadsheet: {why}"),
            )
            .code(Code::InvalidSpreadsheet)
            .hint("save it from Excel or LibreOffice as .xlsx or .ods, or export the sheet as CSV"),
        ]
    };
    let mut book = match open_book(bytes, max_bytes) {
        Ok(b) => b,
        Err(why) => return Err(unreadable(sources, why)),
    };
    let sheets = sheet_list(&book);
    let order = match sheet_order(&sheets, wanted) {
        Ok(o) => o,
        Err(why) => {
            let mut d = unreadable(sources, why);
            d[0].hint = Some("name one of its sheets with --sheet NAME".into());
            return Err(d);
        }
    };
    let mut first: Option<(String, SheetRows)> = None;
    for name in &order {
        let range = match book.worksheet_range(name) {
            Ok(r) => r,
            Err(e) => return Err(unreadable(sources, format!("sheet `{name}`: {e}"))),
        };
        let formulas = book.worksheet_formula(name).ok();
        let mut read = sheet_rows(&range, formulas.as_ref());
        if let calamine::Sheets::Xlsx(x) = &mut book
            && let Ok(merged) = x.merge_cells_by_sheet_name(name)
        {
            fill_merged(&mut read.0, read.1, &merged);
        }
        if wanted.is_some() || choose(&read.0).is_some() {
            first = Some((name.clone(), read));
            break;
        }
        if first.is_none() {
            first = Some((name.clone(), read));
        }
    }
    let Some((name, (rows, col0, missing))) = first else {
        return Err(unreadable(sources, "it has no sheets".into()));
    };
    let headers = rows
        .first()
        .map(|r| {
            r.cells
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.is_empty())
                .map(|(i, c)| (col0 + i as u32 + 1, c.clone()))
                .collect()
        })
        .unwrap_or_default();
    let file = sources.add_sheet(
        shown.to_string(),
        Sheet {
            name: name.clone(),
            headers,
        },
    );
    let errors = no_saved_value(file, &name, missing);
    Ok(Grid {
        file,
        sheet: Some(name),
        sheets,
        rows,
        col0,
        errors,
    })
}

/// The sheets to try, in order: the one `--sheet` names (any case), else visible sheets before
/// hidden ones, each in workbook order.
fn sheet_order(sheets: &[(String, bool)], wanted: Option<&str>) -> Result<Vec<String>, String> {
    match wanted {
        Some(w) => sheets
            .iter()
            .find(|(n, _)| n.trim().eq_ignore_ascii_case(w.trim()))
            .map(|(n, _)| vec![n.clone()])
            .ok_or_else(|| {
                format!(
                    "it has no sheet `{w}`; its sheets are {}",
                    list_sheets(sheets)
                )
            }),
        None => Ok(sheets
            .iter()
            .filter(|(_, v)| *v)
            .chain(sheets.iter().filter(|(_, v)| !*v))
            .map(|(n, _)| n.clone())
            .collect()),
    }
}

/// An error at each formula cell that has no saved value: its result is not in the file.
fn no_saved_value(file: FileId, sheet: &str, cells: Vec<(u32, u32)>) -> Vec<Diagnostic> {
    cells
        .into_iter()
        .map(|(row, col)| {
            Diagnostic::error(
                Loc::new(file, row, col),
                format!("{sheet}!{}{row}: a formula with no saved value", column_letters(col)),
            )
            .code(Code::InvalidSpreadsheet)
            .hint("open and save the file in Excel or LibreOffice (which saves each formula's value), then import it again")
        })
        .collect()
}

/// A sheet's rows, the column of its first cell, and its formula cells without a saved value.
type SheetRows = (Vec<Row>, u32, Vec<(u32, u32)>);

/// A sheet's rows as text from its first used row, the column of its first used cell, and the
/// cells (row, column; 1-based) that hold a formula with no saved value.
fn sheet_rows(
    range: &calamine::Range<Data>,
    formulas: Option<&calamine::Range<String>>,
) -> SheetRows {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut missing = Vec::new();
    let mut rows: Vec<Row> = range
        .rows()
        .enumerate()
        .map(|(r, cells)| Row {
            at: row0 + r as u32 + 1,
            cells: cells.iter().map(text).collect(),
        })
        .collect();
    if let Some(f) = formulas {
        let (frow0, fcol0) = f.start().unwrap_or((0, 0));
        for (r, cells) in f.rows().enumerate() {
            for (c, formula) in cells.iter().enumerate() {
                if formula.trim().is_empty() {
                    continue;
                }
                let (row, col) = (frow0 + r as u32, fcol0 + c as u32);
                // A formula saved without its result has an empty value (`<v></v>` or none).
                let has_value = range
                    .get_value((row, col))
                    .is_some_and(|v| !text(v).is_empty());
                if !has_value {
                    missing.push((row + 1, col + 1));
                    if row < row0 {
                        continue;
                    }
                    // A formula row beyond the values still counts as a row of the table.
                    let i = (row - row0) as usize;
                    while rows.len() <= i {
                        let at = row0 + rows.len() as u32 + 1;
                        rows.push(Row {
                            at,
                            cells: Vec::new(),
                        });
                    }
                    let j = col.saturating_sub(col0) as usize;
                    let cells = &mut rows[i].cells;
                    if cells.len() <= j {
                        cells.resize(j + 1, String::new());
                    }
                    cells[j] = format!("={formula}");
                }
            }
        }
    }
    missing.sort_unstable();
    (rows, col0, missing)
}

/// Gives every cell of a merged range the value of its top-left cell, as the sheet shows it.
fn fill_merged(rows: &mut [Row], col0: u32, merged: &[calamine::Dimensions]) {
    let Some(row0) = rows.first().map(|r| r.at.saturating_sub(1)) else {
        return;
    };
    for m in merged {
        let (r1, c1) = m.start;
        let (r2, c2) = m.end;
        let (Some(ri), Some(ci)) = (r1.checked_sub(row0), c1.checked_sub(col0)) else {
            continue;
        };
        let Some(value) = rows
            .get(ri as usize)
            .and_then(|r| r.cells.get(ci as usize))
            .cloned()
        else {
            continue;
        };
        // Bounded by the rows read: a merge declared past the data fills nothing.
        for r in r1..=r2 {
            let Some(row) = r.checked_sub(row0).and_then(|i| rows.get_mut(i as usize)) else {
                break;
            };
            for c in c1..=c2 {
                let Some(j) = c.checked_sub(col0).map(|j| j as usize) else {
                    continue;
                };
                if j >= row.cells.len() || j > 16_384 {
                    break;
                }
                if row.cells[j].is_empty() {
                    row.cells[j] = value.clone();
                }
            }
        }
    }
}

/// A cell as text, as a person reads it.
fn text(c: &Data) -> String {
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => crate::inventory::fmt_number(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, d, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTime(d) => crate::inventory::fmt_number(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.get(..10).unwrap_or(s).to_string(),
    }
}

/// Sheet names for a message: `Properties`, `Discovery_Report` (hidden: `Lists`).
pub fn list_sheets(sheets: &[(String, bool)]) -> String {
    let shown: Vec<String> = sheets
        .iter()
        .filter(|(_, v)| *v)
        .map(|(n, _)| format!("`{n}`"))
        .collect();
    let hidden: Vec<String> = sheets
        .iter()
        .filter(|(_, v)| !*v)
        .map(|(n, _)| format!("`{n}`"))
        .collect();
    let mut s = if shown.is_empty() {
        "none visible".to_string()
    } else {
        shown.join(", ")
    };
    if !hidden.is_empty() {
        s.push_str(&format!(" (hidden: {})", hidden.join(", ")));
    }
    s
}
