//! CSV inventories, as spreadsheets and CMDB exports write them: one row per workload, a header
//! of field paths (`id`, `name`, `classification`, `current.hosting`, …), list cells split on
//! `;`, quoted cells honoured, an empty cell meaning "not known".
//!
//! The rows become the same spanned [`Node`] tree a YAML file gives, so the validator (and its
//! messages) are shared. Each node points at its cell: the line of the record and the character
//! column where the cell starts. Cells are converted by their field's [`Kind`] here, because a
//! spreadsheet writes every value as text; enum values, ranges and dates are left to the
//! validator.
//!
//! A CSV has no place for the agency: optional `agency.name`, `agency.abbreviation` and
//! `agency.as_of` columns give it (one value for the whole file); without them the file's name
//! stands in for the agency's, and a note says so.

use crate::diagnostic::{Diagnostic, FileId, Loc, did_you_mean};
use crate::inventory::{FIELDS, Kind, SCHEMA_TAG, field_id};
use crate::load::node::{Node, Value};

const AGENCY_COLUMNS: [&str; 3] = ["agency.name", "agency.abbreviation", "agency.as_of"];

/// A workload's nested section being filled from its cells: name, first cell, entries.
type Section<'a> = (&'a str, Loc, Vec<(Node, Node)>);

/// What a header cell names.
#[derive(Clone, Copy)]
enum Column {
    Id,
    Name,
    Field(usize),
    Agency(&'static str),
}

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

fn str_node(s: &str, loc: Loc) -> Node {
    Node {
        value: Value::Str(s.to_owned()),
        loc: loc.with_len(s.chars().count()),
    }
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
    let file_loc = Loc::new(file, 0, 0);
    let mut errors = Vec::new();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = rdr.records();

    // The header.
    let header = match records.next() {
        None => {
            return Err(vec![
                Diagnostic::error(file_loc, "the CSV file has no header row").hint(
                    "the first row names the fields: id,name,classification,current.hosting,…",
                ),
            ]);
        }
        Some(Err(e)) => return Err(vec![csv_error(file, &lines, &e)]),
        Some(Ok(r)) => r,
    };
    let header_at = record_start(text, header.position().map_or(0, |p| p.byte() as usize));
    let (starts, open) = cells(text, header_at);
    if let Some(q) = open {
        return Err(vec![unterminated(file, &lines, q, starts.len())]);
    }
    let mut columns: Vec<Option<Column>> = Vec::with_capacity(header.len());
    let mut seen: Vec<(&str, Loc)> = Vec::new();
    let mut seen_at: std::collections::HashMap<&str, Loc> = std::collections::HashMap::new();
    let allowed = allowed_headers();
    for (i, raw) in header.iter().enumerate() {
        let name = raw.trim();
        let at = starts.get(i).map_or(header_at, |s| s.0 + usize::from(s.1));
        let loc = lines.loc(file, at).with_len(name.chars().count());
        let col = match name {
            "id" => Some(Column::Id),
            "name" => Some(Column::Name),
            n => field_id(n).map(Column::Field).or_else(|| {
                AGENCY_COLUMNS
                    .iter()
                    .find(|a| **a == n)
                    .map(|a| Column::Agency(a))
            }),
        };
        if col.is_none() {
            errors.push(unknown_header(name, i + 1, loc, &allowed));
        } else if let Some(first) = seen_at.get(name) {
            errors.push(
                Diagnostic::error(loc, format!("column {} repeats the header `{name}`", i + 1))
                    .hint(format!(
                        "`{name}` is already column {}; keep one of them",
                        first.col
                    )),
            );
        } else {
            seen_at.insert(name, loc);
            seen.push((name, loc));
        }
        columns.push(col);
    }
    for required in ["id", "name"] {
        if !seen.iter().any(|(s, _)| *s == required) {
            errors.push(
                Diagnostic::error(
                    lines.loc(file, header_at),
                    format!("the header has no `{required}` column"),
                )
                .hint(
                    "every workload needs an `id` and a `name`: start the header with `id,name,`",
                ),
            );
        }
    }
    if header.len() == 1 && header.get(0).is_some_and(|h| h.contains(';')) {
        errors = vec![
            Diagnostic::error(
                lines.loc(file, header_at),
                "the header is one column holding `;`: the file seems to separate cells with semicolons",
            )
            .hint("export the spreadsheet as CSV with commas between cells (`;` separates items inside a list cell)"),
        ];
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // The rows.
    let mut agency: [Option<Node>; 3] = [None, None, None];
    let mut workloads = Vec::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(csv_error(file, &lines, &e));
                break;
            }
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue; // spreadsheets leave blank rows behind
        }
        let at = record_start(text, rec.position().map_or(0, |p| p.byte() as usize));
        let row_loc = lines.loc(file, at);
        let (starts, open) = cells(text, at);
        if let Some(q) = open {
            errors.push(unterminated(file, &lines, q, starts.len()));
            break;
        }
        if rec.len() < columns.len() {
            let end = text[at..].find(['\r', '\n']).map_or(text.len(), |i| at + i);
            errors.push(
                Diagnostic::error(
                    lines.loc(file, end),
                    format!(
                        "row {} has {} cell{} but the header names {} columns",
                        row_loc.line,
                        rec.len(),
                        if rec.len() == 1 { "" } else { "s" },
                        columns.len()
                    ),
                )
                .hint("give every row one cell per column; leave a cell empty (`,,`) for a fact not known"),
            );
            continue;
        }
        if rec.len() > columns.len() {
            let extra = starts.get(columns.len()).map_or(at, |s| s.0);
            errors.push(
                Diagnostic::error(
                    lines.loc(file, extra),
                    format!(
                        "row {} has {} cells but the header names {} columns",
                        row_loc.line,
                        rec.len(),
                        columns.len()
                    ),
                )
                .hint(
                    "a comma inside a value needs the cell in double quotes: \"Pays 5,000 staff\"",
                ),
            );
            continue;
        }
        let mut entries: Vec<(Node, Node)> = Vec::new();
        let mut sections: Vec<Section> = Vec::new();
        for (i, cell) in rec.iter().enumerate().take(columns.len()) {
            let value = cell.trim();
            if value.is_empty() {
                continue;
            }
            let (start, quoted) = starts.get(i).copied().unwrap_or((at, false));
            // Where the value's first character sits (past the quote and any leading spaces).
            let lead = cell.len() - cell.trim_start().len();
            let loc = lines
                .loc(file, start + usize::from(quoted) + lead)
                .with_len(value.chars().count());
            match columns[i] {
                Some(Column::Id) => entries.push((str_node("id", loc), str_node(value, loc))),
                Some(Column::Name) => entries.push((str_node("name", loc), str_node(value, loc))),
                Some(Column::Agency(path)) => {
                    let k = AGENCY_COLUMNS.iter().position(|a| *a == path).unwrap_or(0);
                    match &agency[k] {
                        None => agency[k] = Some(str_node(value, loc)),
                        Some(first) if first.as_str() == Some(value) => {}
                        Some(first) => errors.push(
                            Diagnostic::error(
                                loc,
                                format!(
                                    "`{path}` is `{value}` here but `{}` on line {}",
                                    first.as_str().unwrap_or(""),
                                    first.loc.line
                                ),
                            )
                            .hint("one CSV file holds one agency: give the same value on every row, or leave the cell empty"),
                        ),
                    }
                }
                Some(Column::Field(fid)) => {
                    let def = &FIELDS[fid];
                    let node = match convert(def.kind, value, loc) {
                        Ok(n) => n,
                        Err(hint) => {
                            errors.push(
                                Diagnostic::error(
                                    loc,
                                    format!(
                                        "`{}` (column {}) must be {}, found `{value}`",
                                        def.path,
                                        i + 1,
                                        def.kind.describe()
                                    ),
                                )
                                .hint(hint),
                            );
                            continue;
                        }
                    };
                    match def.path.split_once('.') {
                        None => entries.push((str_node(def.path, loc), node)),
                        Some((sec, leaf)) => {
                            let k = str_node(leaf, loc);
                            match sections.iter_mut().find(|(s, _, _)| *s == sec) {
                                Some((_, _, items)) => items.push((k, node)),
                                None => sections.push((sec, loc, vec![(k, node)])),
                            }
                        }
                    }
                }
                None => {}
            }
        }
        for (sec, loc, items) in sections {
            entries.push((
                str_node(sec, loc),
                Node {
                    value: Value::Map(items),
                    loc,
                },
            ));
        }
        workloads.push(Node {
            value: Value::Map(entries),
            loc: row_loc,
        });
        if errors.len() >= 50 {
            break;
        }
    }
    let mut notes = Vec::new();
    let [name, abbreviation, as_of] = agency;
    let name = name.unwrap_or_else(|| {
        notes.push(
            Diagnostic::note(
                Loc::new(file, 1, 1),
                format!("the CSV names no agency; using the file name `{file_stem}` as the agency's name"),
            )
            .hint("add an `agency.name` column (the same value on every row), or pass `--agency NAME` to `cloudready import`"),
        );
        str_node(file_stem, file_loc)
    });
    let mut agency_map = vec![(str_node("name", name.loc), name)];
    for (key, v) in [("abbreviation", abbreviation), ("as_of", as_of)] {
        if let Some(v) = v {
            agency_map.push((str_node(key, v.loc), v));
        }
    }
    let root = Node {
        value: Value::Map(vec![
            (str_node("schema", file_loc), str_node(SCHEMA_TAG, file_loc)),
            (
                str_node("agency", file_loc),
                Node {
                    value: Value::Map(agency_map),
                    loc: file_loc,
                },
            ),
            (
                str_node("workloads", file_loc),
                Node {
                    value: Value::Seq(workloads),
                    loc: file_loc,
                },
            ),
        ]),
        loc: file_loc,
    };
    Ok(CsvDoc {
        root,
        notes,
        errors,
    })
}

fn allowed_headers() -> Vec<&'static str> {
    let mut v = vec!["id", "name"];
    v.extend(FIELDS.iter().map(|f| f.path));
    v.extend(AGENCY_COLUMNS);
    v
}

fn unknown_header(name: &str, column: usize, loc: Loc, allowed: &[&str]) -> Diagnostic {
    let d = Diagnostic::error(loc, format!("unknown column `{name}` (column {column})"));
    if name.is_empty() {
        return d.hint("every column needs a header naming its field, e.g. `current.hosting`");
    }
    if let Some(s) = did_you_mean(name, allowed.iter().copied()) {
        return d.hint(format!("did you mean `{s}`?"));
    }
    // A leaf name without its section (`hosting` for `current.hosting`).
    if let Some(f) = FIELDS
        .iter()
        .find(|f| f.path.rsplit('.').next() == Some(name))
    {
        return d.hint(format!("headers are full field paths: write `{}`", f.path));
    }
    d.hint("headers are field paths such as `id`, `name`, `classification`, `current.hosting`; `cloudready schema` lists them all")
}

/// A cell's text as the value its field expects. Enum values, ranges and dates stay text for the
/// validator to judge; numbers, booleans and lists are read here.
fn convert(kind: Kind, value: &str, loc: Loc) -> Result<Node, String> {
    let node = |v: Value| Node { value: v, loc };
    match kind {
        Kind::Text | Kind::Enum(_) | Kind::Date => Ok(str_node(value, loc)),
        Kind::Bool => match value.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" => Ok(node(Value::Bool(true))),
            "false" | "no" | "n" => Ok(node(Value::Bool(false))),
            _ => Err("write true or false (yes and no are read too)".into()),
        },
        Kind::Int { .. } => {
            if let Ok(i) = value.parse::<i64>() {
                return Ok(node(Value::Int(i)));
            }
            match value.parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(node(Value::Float(f))),
                _ => Err(number_hint(value)),
            }
        }
        Kind::Number { .. } => match value.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(node(Value::Float(f))),
            _ => Err(number_hint(value)),
        },
        Kind::IdList | Kind::TextList => {
            let mut items = Vec::new();
            let mut offset = 0;
            for part in value.split(';') {
                let t = part.trim();
                if !t.is_empty() {
                    let lead = part.len() - part.trim_start().len();
                    let col = loc.col + value[..offset + lead].chars().count() as u32;
                    let at = Loc::new(loc.file, loc.line, col).with_len(t.chars().count());
                    items.push(str_node(t, at));
                }
                offset += part.len() + 1;
            }
            Ok(node(Value::Seq(items)))
        }
    }
}

fn number_hint(value: &str) -> String {
    let digits: String = value
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    if digits.is_empty() || digits.parse::<f64>().is_err() {
        "write a plain number, e.g. 5200".into()
    } else {
        format!(
            "write a plain number without thousands separators, units or currency symbols: `{digits}`"
        )
    }
}

fn csv_error(file: FileId, lines: &Lines, e: &csv::Error) -> Diagnostic {
    let at = e.position().map_or(0, |p| p.byte() as usize);
    let loc = match e.position() {
        Some(_) => lines.loc(file, at),
        None => Loc::new(file, 0, 0),
    };
    Diagnostic::error(loc, format!("invalid CSV: {e}"))
        .hint("check the quoting: a cell holding a comma, quote or line break is wrapped in double quotes, and a quote inside it is doubled (\"\")")
}

#[cfg(test)]
mod tests {
    use super::*;

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
