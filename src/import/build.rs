//! An export's rows into workloads: one per machine or application, or one per `--group-by`
//! value; each field filled only where the mapping says what the source value means.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diagnostic::{Code, Diagnostic, Loc};
use crate::import::grid::{Grid, Row};
use crate::import::lifecycle::Lifecycle;
use crate::inventory::{FIELDS, Kind, field_id, fmt_number};
use crate::mapping::{Column, Mapping, Role, Unit, norm};

/// What the import was asked for besides the file.
pub struct Options<'a> {
    pub group_by: Option<&'a str>,
    pub hosting: Option<&'a str>,
}

/// A field's value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub text: String,
    pub from: String,
}

/// One workload being built.
#[derive(Debug, Default)]
pub struct Item {
    pub id: String,
    pub name: String,
    pub fields: BTreeMap<usize, Value>,
    pub tags: BTreeSet<String>,
    pub notes: Vec<String>,
    pub rows: Vec<u32>,
    pub disk_gb: Option<f64>,
    pub deps: BTreeSet<String>,
    /// For a group: its members' names.
    pub members: Vec<String>,
}

/// The workloads, the columns each value came from (for the file's first line) and notes
/// for standard error.
pub struct Built {
    pub items: Vec<Item>,
    pub used: BTreeMap<String, BTreeSet<String>>,
    pub notes: Vec<Diagnostic>,
}

/// Header cells by normalised name → column index.
struct Header {
    index: HashMap<String, usize>,
    cells: Vec<String>,
}

impl Header {
    fn get<'r>(&self, row: &'r Row, column: &str) -> Option<&'r str> {
        let i = *self.index.get(&norm(column))?;
        row.cells
            .get(i)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }
    fn name(&self, column: &str) -> String {
        self.index
            .get(&norm(column))
            .and_then(|i| self.cells.get(*i))
            .cloned()
            .unwrap_or_else(|| column.to_string())
    }
}

/// Builds the workloads from `grid`, whose header is row `header` (rows above it were a title).
pub fn build(
    grid: &Grid,
    header: usize,
    m: &Mapping,
    life: &Lifecycle,
    opts: &Options,
) -> Result<Built, Vec<Diagnostic>> {
    let head = &grid.rows[header];
    let h = Header {
        index: head
            .cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .map(|(i, c)| (norm(c), i))
            .collect(),
        cells: head.cells.clone(),
    };
    let mut notes = title_notes(grid, header);
    let group_col = match opts.group_by {
        None => None,
        Some(g) => Some(group_column(grid, &h, header, g)?),
    };
    let mut used: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut items = Vec::new();
    let mut dep_rows = Vec::new();
    for row in &grid.rows[header + 1..] {
        if row.cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if let Some(rec) = &m.record {
            match h.get(row, &rec.column) {
                Some(v) if v == rec.dependency => {
                    dep_rows.push(row);
                    continue;
                }
                Some(v) if v == rec.application => {}
                _ => continue,
            }
        }
        match machine(&h, row, m, life, &mut used) {
            Some(item) => items.push((
                item,
                group_col
                    .and_then(|i| row.cells.get(i))
                    .filter(|s| !s.is_empty())
                    .cloned(),
            )),
            None => notes.push(
                Diagnostic::warning(
                    grid.loc(row, 0),
                    format!("row {} has no name: not imported", row.at),
                )
                .hint(format!(
                    "give it a `{}`",
                    m.columns
                        .iter()
                        .find(|c| c.role == Some(Role::Name))
                        .map_or("name", |c| c.column.as_str())
                )),
            ),
        }
    }
    if let Some(g) = opts.group_by {
        used.entry("group".into()).or_default().insert(h.name(g));
    }
    let mut items = group(
        items,
        group_col.map(|_| h.name(opts.group_by.unwrap_or(""))),
    );
    if let Some(host) = opts.hosting {
        let hosting = field_id("current.hosting").map(|f| f.index());
        for it in &mut items {
            if let Some(f) = hosting {
                it.fields.entry(f).or_insert_with(|| Value {
                    text: host.to_string(),
                    from: "--hosting".into(),
                });
            }
        }
        used.entry("current.hosting".into())
            .or_default()
            .insert("--hosting".into());
    }
    assign_ids(&mut items, grid, &mut notes);
    if let Some(d) = &m.dependency {
        dependencies(&mut items, &h, &dep_rows, d, grid, &mut notes);
    }
    if items.is_empty() && grid.rows.len() > header + 1 {
        return Err(vec![
            Diagnostic::error(grid.loc(head, 0), format!("none of the {} rows below the header is a {} with a name", grid.rows.len() - header - 1, match m.unit { Unit::Machine => "machine", Unit::Application => "application" }))
                .code(Code::MissingName)
                .hint("check that the sheet is the export's own (--sheet NAME) and that its rows hold values, not formulas without saved values"),
        ]);
    }
    Ok(Built { items, used, notes })
}

/// Notes for the rows above the header: a report's title, skipped.
fn title_notes(grid: &Grid, header: usize) -> Vec<Diagnostic> {
    grid.rows[..header]
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
        .map(|r| {
            let text: Vec<&str> = r
                .cells
                .iter()
                .filter(|c| !c.is_empty())
                .map(String::as_str)
                .collect();
            Diagnostic::note(
                grid.loc(r, 0),
                format!(
                    "row {} above the header is a title, skipped: `{}`",
                    r.at,
                    text.join(" ")
                ),
            )
            .hint("the header is the first row that names the export's columns")
        })
        .collect()
}

/// The column `--group-by` names, or an error naming the header's nearest column.
fn group_column(grid: &Grid, h: &Header, header: usize, g: &str) -> Result<usize, Vec<Diagnostic>> {
    if let Some(i) = h.index.get(&norm(g)) {
        return Ok(*i);
    }
    let head = &grid.rows[header];
    let known: Vec<&str> = head
        .cells
        .iter()
        .filter(|c| !c.is_empty())
        .map(String::as_str)
        .collect();
    let hint = crate::diagnostic::did_you_mean(g, known.iter().copied())
        .map(|s| format!("did you mean `{s}`?"))
        .unwrap_or_else(|| "--group-by names a column of the header (for RVTools: Annotation, Folder, Resource pool or a custom attribute; for AWS: Applications)".into());
    Err(vec![
        Diagnostic::error(
            grid.loc(head, 0),
            format!("--group-by `{g}`: the header has no such column"),
        )
        .code(Code::MissingColumn)
        .hint(hint),
    ])
}

/// One row as a workload, or `None` when it has no name.
fn machine(
    h: &Header,
    row: &Row,
    m: &Mapping,
    life: &Lifecycle,
    used: &mut BTreeMap<String, BTreeSet<String>>,
) -> Option<Item> {
    let name_col = m
        .columns
        .iter()
        .filter(|c| c.role == Some(Role::Name))
        .find(|c| h.get(row, &c.column).is_some())?;
    let mut it = Item {
        name: h.get(row, &name_col.column)?.to_string(),
        rows: vec![row.at],
        ..Item::default()
    };
    used.entry("name".into())
        .or_default()
        .insert(h.name(&name_col.column));
    if let Some(p) = &m.platform {
        it.tags.insert(p.clone());
        used.entry("tags".into())
            .or_default()
            .insert(format!("platform {p}"));
    }
    let mut os_texts = Vec::new();
    for c in &m.columns {
        let Some(v) = h.get(row, &c.column) else {
            continue;
        };
        let col = h.name(&c.column);
        match c.role {
            Some(Role::Power) if c.off.iter().any(|o| o.eq_ignore_ascii_case(v)) => {
                it.tags.insert("powered-off".into());
                it.notes.push(format!("powered off or retired in the export (`{col}` is `{v}`): check whether it is still needed before planning its move"));
            }
            Some(Role::Template) if c.yes.iter().any(|o| o.eq_ignore_ascii_case(v)) => {
                it.tags.insert("template".into());
                it.notes.push(format!(
                    "a template, not a running machine (`{col}` is `{v}`)"
                ));
            }
            Some(Role::Os) => os_texts.push((col.clone(), v.to_string())),
            Some(Role::Disk) => {
                if let Ok(n) = v.replace(',', "").parse::<f64>() {
                    let gb = n * c.scale.unwrap_or(1.0);
                    if gb.is_finite() && gb >= 0.0 {
                        it.disk_gb = Some(it.disk_gb.unwrap_or(0.0) + gb);
                        used.entry("data.volume_gb".into())
                            .or_default()
                            .insert(col.clone());
                    }
                }
            }
            Some(Role::Note) => it.notes.push(format!(
                "`{col}` is `{v}`: {}; recorded here, not as a field",
                c.meaning
            )),
            Some(Role::Tags) => {
                for t in v.split([',', ';']).map(str::trim).filter(|t| !t.is_empty()) {
                    it.tags.insert(slug(t));
                }
                used.entry("tags".into()).or_default().insert(col.clone());
            }
            _ => {}
        }
        if let Some(prefix) = &c.tag {
            it.tags.insert(format!("{prefix}{}", slug(v)));
            used.entry("tags".into()).or_default().insert(col.clone());
        }
        if let Some(f) = &c.field {
            fill(&mut it, f, c, &col, v, used);
        }
    }
    if let Some(tp) = &m.tag_pairs {
        for n in 1..=20 {
            let (cat, tag) = (format!("{} {n}", tp.category), format!("{} {n}", tp.tag));
            if let Some(t) = h.get(row, &tag) {
                let full = match h.get(row, &cat) {
                    Some(c) => format!("{c}-{t}"),
                    None => t.to_string(),
                };
                it.tags.insert(slug(&full));
                used.entry("tags".into())
                    .or_default()
                    .insert(format!("`{} N`/`{} N`", tp.category, tp.tag));
            }
        }
    }
    if let Some(gb) = it.disk_gb {
        set(&mut it, "data.volume_gb", round_gb(gb), "disk");
    }
    operating_system(&mut it, &os_texts, life, used);
    Some(it)
}

/// Disk in GB to one decimal: the export's own precision is MiB or whole GB.
fn round_gb(gb: f64) -> String {
    fmt_number((gb * 10.0).round() / 10.0)
}

fn set(it: &mut Item, path: &str, text: String, from: &str) {
    if let Some(f) = field_id(path) {
        it.fields.insert(
            f.index(),
            Value {
                text,
                from: from.to_string(),
            },
        );
    }
}

/// A mapped column's value into its field, or a note saying why not.
fn fill(
    it: &mut Item,
    path: &str,
    c: &Column,
    col: &str,
    v: &str,
    used: &mut BTreeMap<String, BTreeSet<String>>,
) {
    let Some(fid) = field_id(path) else { return };
    if it.fields.contains_key(&fid.index()) {
        return; // an earlier column already said it
    }
    if c.unknown.iter().any(|u| u.eq_ignore_ascii_case(v)) {
        it.notes.push(format!(
            "`{col}` is `{v}`, which does not say which `{path}` it is: left for a person to supply"
        ));
        return;
    }
    let mapped = c
        .values
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(v))
        .map(|(_, t)| t.clone());
    let kind = FIELDS[fid.index()].kind;
    let text = match (mapped, kind) {
        (Some(t), _) => Some(t),
        (None, Kind::Enum(allowed)) => {
            let lower = v.to_lowercase();
            allowed.contains(&lower.as_str()).then_some(lower)
        }
        (None, Kind::Text) => Some(v.to_string()),
        (None, Kind::Int { .. }) => v
            .replace(',', "")
            .parse::<i64>()
            .ok()
            .map(|n| n.to_string()),
        (None, Kind::Number { .. }) => v
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|n| fmt_number(n * c.scale.unwrap_or(1.0))),
        (None, Kind::Date) => crate::date::Date::parse(v).map(|d| d.to_string()),
        _ => None,
    };
    match text {
        Some(t) => {
            it.fields.insert(fid.index(), Value { text: t, from: col.to_string() });
            used.entry(path.to_string()).or_default().insert(col.to_string());
        }
        None => it.notes.push(format!("`{col}` is `{v}`, which the mapping does not turn into a `{path}` value: left for a person to supply")),
    }
}

/// The operating system's end of support and family tag, from the first OS text the table
/// knows (each column alone, then all together: a name in one column, its version in another).
fn operating_system(
    it: &mut Item,
    texts: &[(String, String)],
    life: &Lifecycle,
    used: &mut BTreeMap<String, BTreeSet<String>>,
) {
    if texts.is_empty() {
        return;
    }
    let joined = texts
        .iter()
        .map(|(_, v)| v.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let cols = texts
        .iter()
        .map(|(c, _)| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(" and ");
    let mut candidates: Vec<(String, String)> = texts
        .iter()
        .map(|(c, v)| (format!("`{c}`"), v.clone()))
        .collect();
    candidates.push((cols.clone(), joined.clone()));
    if let Some(fam) = candidates.iter().find_map(|(_, v)| life.family(v)) {
        it.tags.insert(fam.to_string());
        used.entry("tags".into())
            .or_default()
            .insert("operating-system family".into());
    }
    match candidates.iter().find_map(|(c, v)| life.find(v).map(|e| (c, v, e))) {
        Some((c, v, e)) => {
            set(it, "current.end_of_support", e.end.clone(), "os");
            it.notes.push(format!(
                "current.end_of_support is the operating system's, not the application's: {} (from {c}: `{v}`) ends standard support on {} ({}, checked {})",
                e.name, e.end, e.source, e.checked
            ));
            let eos = used.entry("current.end_of_support".into()).or_default();
            eos.extend(texts.iter().map(|(c, _)| c.clone()));
        }
        None => it.notes.push(format!(
            "the operating system `{joined}` is not in the lifecycle table (or names no single release): current.end_of_support left for a person to supply"
        )),
    }
}

/// Merges rows that share a `--group-by` value into one workload each; rows without one stay
/// on their own.
fn group(rows: Vec<(Item, Option<String>)>, column: Option<String>) -> Vec<Item> {
    let Some(column) = column else {
        return rows.into_iter().map(|(it, _)| it).collect();
    };
    let mut out: Vec<Item> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut parts: Vec<Vec<Item>> = Vec::new();
    for (mut it, key) in rows {
        match key {
            None => {
                it.notes
                    .push(format!("no `{column}` value: imported on its own"));
                out.push(it);
            }
            Some(k) => {
                let i = *by_key.entry(k.clone()).or_insert_with(|| {
                    parts.push(Vec::new());
                    parts.len() - 1
                });
                if parts[i].is_empty() {
                    it.members.push(k); // the group's name travels with its first member
                }
                parts[i].push(it);
            }
        }
    }
    for members in parts {
        out.push(merge(members, &column));
    }
    out
}

fn merge(members: Vec<Item>, column: &str) -> Item {
    let key = members[0].members.first().cloned().unwrap_or_default();
    let mut g = Item {
        name: key.clone(),
        ..Item::default()
    };
    let names: Vec<String> = members.iter().map(|m| m.name.clone()).collect();
    g.notes.push(format!(
        "{} machines whose `{column}` is `{key}`: {}",
        members.len(),
        names.join(", ")
    ));
    let mut disk = None;
    let mut eos: Option<Value> = None;
    let mut fields: BTreeMap<usize, Option<Value>> = BTreeMap::new();
    let eos_field = field_id("current.end_of_support").map(|f| f.index());
    let vol_field = field_id("data.volume_gb").map(|f| f.index());
    for m in &members {
        g.rows.extend(&m.rows);
        g.tags.extend(m.tags.iter().cloned());
        if let Some(d) = m.disk_gb {
            disk = Some(disk.unwrap_or(0.0) + d);
        }
        for n in &m.notes {
            g.notes.push(format!("{}: {n}", m.name));
        }
        for (f, v) in &m.fields {
            if Some(*f) == eos_field {
                // The group is as urgent as its oldest operating system.
                if eos.as_ref().is_none_or(|e| v.text < e.text) {
                    eos = Some(v.clone());
                }
                continue;
            }
            if Some(*f) == vol_field {
                continue;
            }
            fields
                .entry(*f)
                .and_modify(|old| {
                    if old.as_ref().is_some_and(|o| o.text != v.text) {
                        *old = None;
                    }
                })
                .or_insert_with(|| Some(v.clone()));
        }
    }
    for (f, v) in fields {
        match v {
            Some(v) => {
                g.fields.insert(f, v);
            }
            None => g.notes.push(format!(
                "the machines disagree on `{}`: left for a person to supply",
                FIELDS[f].path
            )),
        }
    }
    if let Some(e) = eos {
        g.notes.push(format!(
            "current.end_of_support is the earliest of its machines' operating systems ({})",
            e.text
        ));
        if let Some(f) = eos_field {
            g.fields.insert(f, e);
        }
    }
    if let (Some(d), Some(f)) = (disk, vol_field) {
        g.fields.insert(
            f,
            Value {
                text: round_gb(d),
                from: "disk".into(),
            },
        );
    }
    if let Some(f) = field_id("description").map(|f| f.index())
        && !g.fields.contains_key(&f)
    {
        g.fields.insert(
            f,
            Value {
                text: format!("{} machines: {}", names.len(), names.join(", ")),
                from: column.to_string(),
            },
        );
    }
    g
}

/// A name as an id: lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit.
pub fn slug(name: &str) -> String {
    let mut s = String::with_capacity(name.len());
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            s.push(c);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string();
    if s.is_empty() { "workload".into() } else { s }
}

/// Ids slugged from names; a clash gets `-2`, `-3`, … and a note.
fn assign_ids(items: &mut [Item], grid: &Grid, notes: &mut Vec<Diagnostic>) {
    let mut taken: HashMap<String, String> = HashMap::new();
    for it in items.iter_mut() {
        let base = slug(&it.name);
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains_key(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        if id != base {
            let first = &taken[&base];
            let msg = format!(
                "`{}` and `{first}` both make the id `{base}`: this one is `{id}`",
                it.name
            );
            it.notes
                .push(format!("{msg}; rename it if another id fits better"));
            let at = it.rows.first().map_or(Loc::new(grid.file, 0, 0), |r| {
                Loc::new(grid.file, *r, grid.col0 + 1)
            });
            notes.push(
                Diagnostic::note(at, msg).code(Code::DuplicateId).hint(
                    "ids are the names in lowercase; edit the imported file to choose another",
                ),
            );
        }
        taken.insert(id.clone(), it.name.clone());
        it.id = id;
    }
}

/// Dependency rows (Konveyor's record type 2) into `dependencies`.
fn dependencies(
    items: &mut [Item],
    h: &Header,
    rows: &[&Row],
    d: &crate::mapping::Dependency,
    grid: &Grid,
    notes: &mut Vec<Diagnostic>,
) {
    let by_name: HashMap<String, String> = items
        .iter()
        .map(|i| (i.name.to_lowercase(), i.id.clone()))
        .collect();
    let name_col = "Application Name";
    for row in rows {
        let (Some(a), Some(b)) = (h.get(row, name_col), h.get(row, &d.column)) else {
            continue;
        };
        let dir = h.get(row, &d.direction).unwrap_or(&d.depends);
        let (Some(ia), Some(ib)) = (
            by_name.get(&a.to_lowercase()),
            by_name.get(&b.to_lowercase()),
        ) else {
            notes.push(Diagnostic::warning(
                grid.loc(row, 0),
                format!(
                    "dependency `{a}` → `{b}` names an application the file does not have: left out"
                ),
            ));
            continue;
        };
        let (from, to) = if dir.eq_ignore_ascii_case(&d.depended_on) {
            (ib, ia)
        } else {
            (ia, ib)
        };
        if let Some(it) = items.iter_mut().find(|i| &i.id == from) {
            it.deps.insert(to.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn ids_are_lowercase_slugs_of_names() {
        assert_eq!(slug("APP01"), "app01");
        assert_eq!(slug("  Payroll (HR) "), "payroll-hr");
        assert_eq!(slug("web.prod_01"), "web.prod_01");
        assert_eq!(slug("***"), "workload");
    }
}
