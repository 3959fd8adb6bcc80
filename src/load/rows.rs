//! Tables of workloads — a CSV file or a spreadsheet's sheet — read into the tree a YAML
//! inventory gives: a header of field paths (`id`, `name`, `classification`,
//! `current.hosting`, …), one row per workload, list cells split on `;`, an empty cell meaning
//! "not known", optional `agency.*` columns holding one value for the whole table.
//!
//! The two readers differ only in how they find cells and name places (a CSV's line and
//! character column, a sheet's `Workloads!C7`); the header rules, the conversion of cells by
//! their field's [`Kind`] and every message are here, once.

use crate::diagnostic::column_letters;
use crate::diagnostic::{Code, Diagnostic, FileId, Loc, did_you_mean};
use crate::inventory::{FIELDS, Kind, SCHEMA_TAG, field_id};
use crate::load::node::{Node, Value};

const AGENCY_COLUMNS: [&str; 3] = ["agency.name", "agency.abbreviation", "agency.as_of"];

/// How a table names its places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// A CSV file: a loc is a line and a character column; a list item inside a cell has its
    /// own column.
    Text,
    /// A spreadsheet: a loc is a row and a column number (a cell); list items share their cell.
    Sheet,
}

impl Layout {
    /// A column by its position (0-based): `column 3`, or `column C`.
    fn column(self, i: usize) -> String {
        match self {
            Layout::Text => format!("column {}", i + 1),
            Layout::Sheet => format!("column {}", column_letters(i as u32 + 1)),
        }
    }
    /// Where a cell is, as a sentence fragment: `on line 4`, or `in cell B4`.
    fn at(self, loc: Loc) -> String {
        match self {
            Layout::Text => format!("on line {}", loc.line),
            Layout::Sheet => format!("in cell {}{}", column_letters(loc.col), loc.line),
        }
    }
    fn what(self) -> &'static str {
        match self {
            Layout::Text => "CSV file",
            Layout::Sheet => "sheet",
        }
    }
}

/// What a header cell names.
#[derive(Clone, Copy)]
enum Column {
    Id,
    Name,
    Field(usize),
    Agency(usize),
}

/// One cell's value as its reader found it. A spreadsheet knows numbers, booleans and dates;
/// a CSV has only text.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell<'a> {
    Text(&'a str),
    Number(f64),
    Bool(bool),
    /// A date cell, written `YYYY-MM-DD`.
    Date(String),
}

impl Cell<'_> {
    /// The cell as text, as a person reads it in the sheet.
    fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Text(s) => std::borrow::Cow::Borrowed(s.trim()),
            Cell::Number(n) => crate::inventory::fmt_number(*n).into(),
            Cell::Bool(b) => b.to_string().into(),
            Cell::Date(d) => d.as_str().into(),
        }
    }
}

/// A table whose header has been read, collecting its rows.
pub(super) struct Table {
    layout: Layout,
    file: FileId,
    columns: Vec<Option<Column>>,
    agency: [Option<Node>; 3],
    workloads: Vec<Node>,
    pub errors: Vec<Diagnostic>,
}

/// A workload's nested section being filled from its cells: name, first cell, entries.
type Section<'a> = (&'a str, Loc, Vec<(Node, Node)>);

fn str_node(s: &str, loc: Loc) -> Node {
    Node {
        value: Value::Str(s.to_owned()),
        loc: loc.with_len(s.chars().count()),
    }
}

impl Table {
    /// Reads the header: `names` are the header cells in order, each with its place (`None` for
    /// an empty cell of a sheet, whose column is then unused), and `header_loc` the header
    /// row's start. A header that cannot be read is an `Err`: without it no cell means anything.
    pub(super) fn new(
        layout: Layout,
        file: FileId,
        header_loc: Loc,
        names: &[Option<(&str, Loc)>],
    ) -> Result<Table, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut columns: Vec<Option<Column>> = Vec::with_capacity(names.len());
        // By name: a header of thousands of columns is checked in linear time.
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let allowed = allowed_headers();
        for (i, cell) in names.iter().enumerate() {
            let Some((raw, loc)) = cell else {
                columns.push(None);
                continue;
            };
            let name = raw.trim();
            let col = match name {
                "id" => Some(Column::Id),
                "name" => Some(Column::Name),
                n => field_id(n).map(|f| Column::Field(f.index())).or_else(|| {
                    AGENCY_COLUMNS
                        .iter()
                        .position(|a| *a == n)
                        .map(Column::Agency)
                }),
            };
            if col.is_none() {
                errors.push(unknown_header(name, &layout.column(i), *loc, &allowed));
            } else if let Some(first) = seen.get(name) {
                errors.push(
                    Diagnostic::error(
                        *loc,
                        format!("{} repeats the header `{name}`", layout.column(i)),
                    )
                    .code(Code::DuplicateColumn)
                    .hint(format!(
                        "`{name}` is already {}; keep one of them",
                        layout.column(*first)
                    )),
                );
            } else {
                seen.insert(name, i);
            }
            columns.push(col);
        }
        for required in ["id", "name"] {
            if !seen.contains_key(required) {
                errors.push(
                    Diagnostic::error(header_loc, format!("the header has no `{required}` column"))
                        .code(Code::MissingColumn)
                        .hint(match layout {
                            Layout::Text => "every workload needs an `id` and a `name`: start the header with `id,name,`",
                            Layout::Sheet => "every workload needs an `id` and a `name`: the first row's cells name the fields, starting `id`, `name`",
                        }),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Table {
            layout,
            file,
            columns,
            agency: [None, None, None],
            workloads: Vec::new(),
            errors,
        })
    }

    /// How many columns the header names (including unused ones).
    pub(super) fn width(&self) -> usize {
        self.columns.len()
    }

    /// Whether column `i` (0-based) has a header.
    pub(super) fn has_header(&self, i: usize) -> bool {
        matches!(self.columns.get(i), Some(Some(_)))
    }

    /// Adds one row: its first place and its non-empty cells as (column index, value, place of
    /// the value's first character). Cells of unknown columns are ignored (the header already
    /// said so).
    pub(super) fn row<'c>(
        &mut self,
        row_loc: Loc,
        cells: impl IntoIterator<Item = (usize, Cell<'c>, Loc)>,
    ) {
        let mut entries: Vec<(Node, Node)> = Vec::new();
        let mut sections: Vec<Section> = Vec::new();
        for (i, cell, loc) in cells {
            let text = cell.text();
            let value: &str = &text;
            if value.is_empty() {
                continue;
            }
            let loc = match self.layout {
                Layout::Text => loc.with_len(value.chars().count()),
                Layout::Sheet => loc,
            };
            match self.columns.get(i).copied().flatten() {
                Some(Column::Id) => entries.push((str_node("id", loc), str_node(value, loc))),
                Some(Column::Name) => entries.push((str_node("name", loc), str_node(value, loc))),
                Some(Column::Agency(k)) => {
                    let path = AGENCY_COLUMNS[k];
                    match &self.agency[k] {
                        None => self.agency[k] = Some(str_node(value, loc)),
                        Some(first) if first.as_str() == Some(value) => {}
                        Some(first) => self.errors.push(
                            Diagnostic::error(
                                loc,
                                format!(
                                    "`{path}` is `{value}` here but `{}` {}",
                                    first.as_str().unwrap_or(""),
                                    self.layout.at(first.loc)
                                ),
                            )
                            .code(Code::InconsistentAgency)
                            .hint(format!("one {} holds one agency: give the same value on every row, or leave the cell empty", self.layout.what())),
                        ),
                    }
                }
                Some(Column::Field(fid)) => {
                    let def = &FIELDS[fid];
                    let node = match convert(def.kind, &cell, value, loc, self.layout) {
                        Ok(n) => n,
                        Err(hint) => {
                            self.errors.push(
                                Diagnostic::error(
                                    loc,
                                    format!(
                                        "`{}` ({}) must be {}, found `{value}`",
                                        def.path,
                                        self.layout.column(i),
                                        def.kind.describe()
                                    ),
                                )
                                .code(Code::WrongType)
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
        self.workloads.push(Node {
            value: Value::Map(entries),
            loc: row_loc,
        });
    }

    /// The inventory tree, and notes on how it was read. Without an agency column the file's
    /// name stands in for the agency's, and a note says so.
    pub(super) fn finish(self, file_stem: &str) -> (Node, Vec<Diagnostic>, Vec<Diagnostic>) {
        let file = self.file;
        let file_loc = Loc::new(file, 0, 0);
        let mut notes = Vec::new();
        let [name, abbreviation, as_of] = self.agency;
        let what = match self.layout {
            Layout::Text => "CSV",
            Layout::Sheet => "spreadsheet",
        };
        let name = name.unwrap_or_else(|| {
            notes.push(
                Diagnostic::note(
                    Loc::new(file, 1, 1),
                    format!("the {what} names no agency; using the file name `{file_stem}` as the agency's name"),
                )
                .code(Code::AgencyFromFileName)
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
                        value: Value::Seq(self.workloads),
                        loc: file_loc,
                    },
                ),
            ]),
            loc: file_loc,
        };
        (root, notes, self.errors)
    }
}

fn allowed_headers() -> Vec<&'static str> {
    let mut v = vec!["id", "name"];
    v.extend(FIELDS.iter().map(|f| f.path));
    v.extend(AGENCY_COLUMNS);
    v
}

fn unknown_header(name: &str, column: &str, loc: Loc, allowed: &[&str]) -> Diagnostic {
    let d = Diagnostic::error(loc, format!("unknown column `{name}` ({column})"))
        .code(Code::UnknownColumn);
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

/// A cell as the value its field expects. Enum values, ranges and dates stay text for the
/// validator to judge; numbers, booleans and lists are read here, from the cell's own type
/// when the reader knew it.
fn convert(kind: Kind, cell: &Cell, value: &str, loc: Loc, layout: Layout) -> Result<Node, String> {
    let node = |v: Value| Node { value: v, loc };
    match (kind, cell) {
        (Kind::Bool, Cell::Bool(b)) => return Ok(node(Value::Bool(*b))),
        (Kind::Int { .. }, Cell::Number(n)) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
            return Ok(node(Value::Int(*n as i64)));
        }
        (Kind::Int { .. } | Kind::Number { .. }, Cell::Number(n)) => {
            return Ok(node(Value::Float(*n)));
        }
        _ => {}
    }
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
                    let at = match layout {
                        Layout::Text => {
                            let lead = part.len() - part.trim_start().len();
                            let col = loc.col + value[..offset + lead].chars().count() as u32;
                            Loc::new(loc.file, loc.line, col).with_len(t.chars().count())
                        }
                        // An item of a sheet's cell is found by its cell.
                        Layout::Sheet => loc,
                    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(52), "AZ");
        assert_eq!(column_letters(703), "AAA");
    }

    #[test]
    fn typed_cells_convert_by_field() {
        let loc = Loc::new(0, 2, 3);
        let int = Kind::Int { min: 0, max: 10 };
        let n = convert(int, &Cell::Number(12.0), "12", loc, Layout::Sheet).unwrap();
        assert_eq!(n.value, Value::Int(12));
        let n = convert(int, &Cell::Number(1.5), "1.5", loc, Layout::Sheet).unwrap();
        assert_eq!(n.value, Value::Float(1.5));
        let n = convert(Kind::Bool, &Cell::Bool(false), "false", loc, Layout::Sheet).unwrap();
        assert_eq!(n.value, Value::Bool(false));
        // A number in a text field is its text, without a trailing `.0`.
        let t = Cell::Number(42.0);
        let n = convert(Kind::Text, &t, &t.text(), loc, Layout::Sheet).unwrap();
        assert_eq!(n.as_str(), Some("42"));
        // List items in a sheet point at their cell.
        let n = convert(
            Kind::IdList,
            &Cell::Text("a; b"),
            "a; b",
            loc,
            Layout::Sheet,
        )
        .unwrap();
        let Value::Seq(items) = n.value else { panic!() };
        assert_eq!((items[1].loc.line, items[1].loc.col), (2, 3));
    }
}
