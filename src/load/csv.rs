//! CSV inventories, as spreadsheets and CMDB exports write them: one row per workload, a header
//! of field paths, list cells split on `;`, quoted cells honoured, an empty cell meaning "not
//! known". The header rules and cell conversion are shared with spreadsheets ([`rows`]); this
//! module finds the cells and their places: the line of the record and the character column
//! where the cell starts.
//!
//! [`rows`]: ../rows/index.html

use crate::diagnostic::{Code, Diagnostic, FileId, Loc};
use crate::load::node::Node;
use crate::load::rows::{Cell, Layout, Table};

/// Byte offset → 1-based (line, character column).
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }
    fn loc(&self, file: FileId, offset: usize) -> Loc {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(0, |s| s.chars().count());
        Loc::new(file, line as u32, col as u32 + 1)
    }
}

/// Byte offsets where each cell of the record starting at `from` begins, and whether it is
/// quoted. The csv crate gives only the record's position; cells are found by the same rules
/// (comma separator, `"` quotes with `""` escapes). Also the offset of a quote that opens a
/// cell and is never closed: the csv crate reads such a cell to the end of the file,
/// swallowing every row after it.
fn cells(text: &str, from: usize) -> (Vec<(usize, bool)>, Option<usize>) {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut p = from;
    loop {
        let quoted = b.get(p) == Some(&b'"');
        out.push((p, quoted));
        if quoted {
            let open = p;
            p += 1;
            let mut closed = false;
            while p < b.len() {
                if b[p] == b'"' {
                    if b.get(p + 1) == Some(&b'"') {
                        p += 2;
                        continue;
                    }
                    p += 1;
                    closed = true;
                    break;
                }
                p += 1;
            }
            if !closed {
                return (out, Some(open));
            }
        }
        while p < b.len() && !matches!(b[p], b',' | b'\n' | b'\r') {
            p += 1;
        }
        if b.get(p) == Some(&b',') {
            p += 1;
        } else {
            return (out, None);
        }
    }
}

/// A quote that is never closed, as an error at the quote: reading on would turn the rest of
/// the file into one cell and lose its rows without a word.
fn unterminated(file: FileId, lines: &Lines, at: usize, column: usize) -> Diagnostic {
    let loc = lines.loc(file, at).with_len(1);
    Diagnostic::error(
        loc,
        format!(
            "the quote that opens column {column} on row {} is never closed",
            loc.line
        ),
    )
    .code(Code::CsvUnterminatedQuote)
    .hint("close the cell with a double quote; a quote inside a quoted cell is doubled (\"\")")
}

/// The first byte of a record: the csv crate may report a record as starting on the `\n` of
/// the previous line's `\r\n`.
fn record_start(text: &str, at: usize) -> usize {
    let b = text.as_bytes();
    let mut p = at;
    while p < b.len() && matches!(b[p], b'\r' | b'\n') {
        p += 1;
    }
    p
}

/// A CSV read into a tree. `errors` are cells that could not be read; they are left out of the
/// tree, so the validator still checks the rest and every problem is reported in one run.
#[derive(Debug)]
pub struct CsvDoc {
    pub root: Node,
    pub notes: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
}

/// Parses a CSV inventory into the tree a YAML inventory would give. A header that cannot be
/// read is an `Err`: without it no cell means anything.
pub fn parse_csv(file: FileId, text: &str, file_stem: &str) -> Result<CsvDoc, Vec<Diagnostic>> {
    let lines = Lines::new(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let mut table = read_header(file, text, &lines, records.next())?;
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                table.errors.push(csv_error(file, &lines, &e));
                break;
            }
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue; // spreadsheets leave blank rows behind
        }
        let at = record_start(text, rec.position().map_or(0, |p| p.byte() as usize));
        let (starts, open) = cells(text, at);
        if let Some(q) = open {
            table
                .errors
                .push(unterminated(file, &lines, q, starts.len()));
            break;
        }
        let row = Row {
            file,
            text,
            lines: &lines,
            at,
            starts: &starts,
        };
        if let Some(d) = row.length_error(&rec, table.width()) {
            table.errors.push(d);
            continue;
        }
        let cells = rec.iter().enumerate().map(|(i, cell)| {
            let (start, quoted) = starts.get(i).copied().unwrap_or((at, false));
            // Where the value's first character sits (past the quote and any leading spaces).
            let lead = cell.len() - cell.trim_start().len();
            (
                i,
                Cell::Text(cell),
                lines.loc(file, start + usize::from(quoted) + lead),
            )
        });
        table.row(lines.loc(file, at), cells);
        if table.errors.len() >= 50 {
            break;
        }
    }
    let (root, notes, errors) = table.finish(file_stem);
    Ok(CsvDoc {
        root,
        notes,
        errors,
    })
}

/// The table the header row names, or why there is none.
fn read_header(
    file: FileId,
    text: &str,
    lines: &Lines,
    first: Option<Result<csv::StringRecord, csv::Error>>,
) -> Result<Table, Vec<Diagnostic>> {
    let header = match first {
        None => {
            return Err(vec![
                Diagnostic::error(Loc::new(file, 0, 0), "the CSV file has no header row")
                    .code(Code::CsvHeader)
                    .hint(
                        "the first row names the fields: id,name,classification,current.hosting,…",
                    ),
            ]);
        }
        Some(Err(e)) => return Err(vec![csv_error(file, lines, &e)]),
        Some(Ok(r)) => r,
    };
    let header_at = record_start(text, header.position().map_or(0, |p| p.byte() as usize));
    let (starts, open) = cells(text, header_at);
    if let Some(q) = open {
        return Err(vec![unterminated(file, lines, q, starts.len())]);
    }
    if header.len() == 1 && header.get(0).is_some_and(|h| h.contains(';')) {
        return Err(vec![
            Diagnostic::error(
                lines.loc(file, header_at),
                "the header is one column holding `;`: the file seems to separate cells with semicolons",
            )
            .code(Code::CsvSeparator)
            .hint("export the spreadsheet as CSV with commas between cells (`;` separates items inside a list cell)"),
        ]);
    }
    let names: Vec<Option<(&str, Loc)>> = header
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let name = raw.trim();
            let at = starts.get(i).map_or(header_at, |s| s.0 + usize::from(s.1));
            Some((name, lines.loc(file, at).with_len(name.chars().count())))
        })
        .collect();
    Table::new(Layout::Text, file, lines.loc(file, header_at), &names)
}

/// One record's place in the text, for its messages.
struct Row<'a> {
    file: FileId,
    text: &'a str,
    lines: &'a Lines<'a>,
    /// Byte offset where the record starts.
    at: usize,
    /// Each cell's start and whether it is quoted.
    starts: &'a [(usize, bool)],
}

impl Row<'_> {
    /// A record with fewer or more cells than the header has columns.
    fn length_error(&self, rec: &csv::StringRecord, width: usize) -> Option<Diagnostic> {
        let (file, text, at) = (self.file, self.text, self.at);
        let line = self.lines.loc(file, at).line;
        if rec.len() < width {
            let end = text[at..].find(['\r', '\n']).map_or(text.len(), |i| at + i);
            return Some(
                Diagnostic::error(
                    self.lines.loc(file, end),
                    format!(
                        "row {line} has {} cell{} but the header names {width} columns",
                        rec.len(),
                        if rec.len() == 1 { "" } else { "s" },
                    ),
                )
                .code(Code::CsvRowLength)
                .hint("give every row one cell per column; leave a cell empty (`,,`) for a fact not known"),
            );
        }
        if rec.len() > width {
            let extra = self.starts.get(width).map_or(at, |s| s.0);
            return Some(
                Diagnostic::error(
                    self.lines.loc(file, extra),
                    format!(
                        "row {line} has {} cells but the header names {width} columns",
                        rec.len(),
                    ),
                )
                .code(Code::CsvRowLength)
                .hint(
                    "a comma inside a value needs the cell in double quotes: \"Pays 5,000 staff\"",
                ),
            );
        }
        None
    }
}

fn csv_error(file: FileId, lines: &Lines, e: &csv::Error) -> Diagnostic {
    let at = e.position().map_or(0, |p| p.byte() as usize);
    let loc = match e.position() {
        Some(_) => lines.loc(file, at),
        None => Loc::new(file, 0, 0),
    };
    Diagnostic::error(loc, format!("invalid CSV: {e}"))
        .code(Code::CsvSyntax)
        .hint("check the quoting: a cell holding a comma, quote or line break is wrapped in double quotes, and a quote inside it is doubled (\"\")")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::node::Value;

    #[test]
    fn finds_cells_through_quotes() {
        let t = "a,\"b,\"\"c\"\"\",d\nx";
        let s = cells(t, 0).0;
        assert_eq!(s, vec![(0, false), (2, true), (12, false)]);
    }

    #[test]
    fn rows_become_the_yaml_tree() {
        let t = "id,name,classification,dependencies,users\npay,\"Pay, roll\",\"OFFICIAL: Sensitive\",a; b,12\n";
        let CsvDoc { root, notes, .. } = parse_csv(0, t, "inv").unwrap();
        assert_eq!(notes.len(), 1, "agency falls back to the file name");
        let Value::Seq(ws) = &root.get("workloads").unwrap().value else {
            panic!()
        };
        let w = &ws[0];
        assert_eq!(w.get("name").unwrap().as_str(), Some("Pay, roll"));
        let cls = w.get("classification").unwrap();
        assert_eq!(cls.as_str(), Some("OFFICIAL: Sensitive"));
        assert_eq!((cls.loc.line, cls.loc.col), (2, 18));
        let Value::Seq(deps) = &w.get("dependencies").unwrap().value else {
            panic!()
        };
        assert_eq!(deps[1].as_str(), Some("b"));
        assert_eq!(deps[1].loc.col, 42);
        assert_eq!(w.get("users").unwrap().value, Value::Int(12));
    }

    #[test]
    fn crlf_and_semicolon_files() {
        let e = parse_csv(0, "id,name,users\r\na,A,x\r\n", "x")
            .unwrap()
            .errors;
        assert_eq!(e[0].loc.map(|l| (l.line, l.col)), Some((2, 5)));
        let e = parse_csv(0, "id;name\na;A\n", "x").unwrap_err();
        assert!(e[0].message.contains("semicolons"), "{e:?}");
    }

    #[test]
    fn bad_header_and_cells_are_errors_with_places() {
        let e = parse_csv(0, "id,name,hosting\n", "x").unwrap_err();
        assert!(e[0].message.contains("unknown column `hosting`"));
        assert!(e[0].hint.as_deref().unwrap().contains("current.hosting"));
        let e = parse_csv(0, "id,name,users\na,A,\"5,200\"\n", "x")
            .unwrap()
            .errors;
        assert_eq!(e[0].loc.map(|l| (l.line, l.col)), Some((2, 6)));
        assert!(e[0].hint.as_deref().unwrap().contains("`5200`"));
    }
}
