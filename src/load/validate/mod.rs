//! Turns parsed documents into a validated [`Inventory`], reporting every problem at once:
//! unknown keys (with "did you mean"), wrong types, invalid values, duplicate ids, missing
//! dependencies, the schema tag; dependency cycles become notes.

mod field;
mod workload;

use super::node::{Node, Value};
use crate::diagnostic::{Code, Diagnostic, FileId, Loc, did_you_mean};
use crate::graph::DependencyGraph;
use crate::inventory::{Agency, Date, FIELDS, Interner, Inventory, SCHEMA_TAG, Workload, fid};
use workload::read_workload;

/// Stop collecting after this many errors: past it, the rest is noise.
const MAX_ERRORS: usize = 50;

/// Dependency cycles noted one by one, at most; the rest are counted in one closing note.
pub const MAX_CYCLE_NOTES: usize = 20;

#[derive(Default)]
struct Ctx<'s> {
    errors: Vec<Diagnostic>,
    /// Texts that repeat across workloads (owners, labels, dependency ids) are held once.
    interner: Interner,
    /// A workload item had no usable id: a dependency on it cannot be told from a typo.
    ids_incomplete: bool,
    /// The files' text, for the source spelling of scalars that read as numbers.
    sources: Option<&'s crate::diagnostic::Sources>,
}

impl Ctx<'_> {
    /// A scalar as text, spelt as in the file: `1.10`, `0x1A` and `010` stay so (the number
    /// they also read as would make `1.10` a duplicate of `1.1`).
    fn text(&self, n: &Node) -> Option<String> {
        match &n.value {
            Value::Int(_) | Value::Float(_) => Some(
                self.sources
                    .and_then(|s| source_spelling(n, s))
                    .unwrap_or_else(|| n.scalar_text().unwrap_or_default()),
            ),
            _ => scalar_as_text(n),
        }
    }

    fn push(&mut self, d: Diagnostic) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(d);
        }
    }
    /// No more errors will be kept: skip work whose only product is one.
    fn full(&self) -> bool {
        self.errors.len() >= MAX_ERRORS
    }
}

/// A parsed document and the file it came from.
pub struct Document {
    pub file: FileId,
    pub root: Node,
    /// Location for problems with the file as a whole (line 0 = no line).
    pub file_loc: Loc,
    /// The items of `workloads`, validated as the loader read them (see [`Stream`]); the
    /// tree's `workloads` list is then empty. `None` when the tree holds them.
    pub streamed: Option<Streamed>,
}

/// Workloads validated one at a time as the loader streams a document's `workloads` list, so
/// that only one workload's tree exists at once. Each item gets exactly the checks, errors and
/// order [`build`] gives the same item in a whole tree; `build` puts them back where the
/// tree's items would be.
pub struct Stream<'s> {
    cx: Ctx<'s>,
    workloads: Vec<Workload>,
    items: usize,
}

/// What a [`Stream`] found: its workloads and their errors, no longer tied to the files' text.
pub struct Streamed {
    errors: Vec<Diagnostic>,
    workloads: Vec<Workload>,
}

impl<'s> Stream<'s> {
    /// A stream reading scalars' spelling from `sources` (the file being read is in it).
    pub fn new(sources: &'s crate::diagnostic::Sources) -> Self {
        Stream {
            cx: Ctx {
                sources: Some(sources),
                ..Ctx::default()
            },
            workloads: Vec::new(),
            items: 0,
        }
    }

    /// Validates one item of `workloads`.
    pub fn push(&mut self, item: &Node) {
        self.items += 1;
        if let Some(w) = read_workload(&mut self.cx, item) {
            self.workloads.push(w);
        }
    }

    /// Items read so far (valid or not).
    pub fn len(&self) -> usize {
        self.items
    }

    pub fn is_empty(&self) -> bool {
        self.items == 0
    }

    /// The workloads and errors, once the document has been read.
    pub fn finish(self) -> Streamed {
        Streamed {
            errors: self.cx.errors,
            workloads: self.workloads,
        }
    }
}

/// Validates the documents of one run and builds the inventory.
/// On failure returns every error found; notes (cycles) travel with a successful result.
pub fn build(
    docs: Vec<Document>,
) -> Result<(Agency, Vec<Workload>, Vec<Diagnostic>), Vec<Diagnostic>> {
    build_with(docs, true, &crate::diagnostic::Sources::default())
}

/// [`build`]; `all_files` is false when another file of the run could not be parsed, so a
/// dependency on a workload it may hold is not reported as missing.
/// `sources` names the files in messages that point from one file to another.
pub fn build_with(
    docs: Vec<Document>,
    all_files: bool,
    sources: &crate::diagnostic::Sources,
) -> Result<(Agency, Vec<Workload>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut cx = Ctx {
        ids_incomplete: !all_files,
        sources: Some(sources),
        ..Ctx::default()
    };
    let mut run = Run::default();
    for doc in docs {
        read_document(&mut cx, doc, &mut run);
    }
    let Run {
        agency,
        mut notes,
        mut workloads,
    } = run;
    // Ids are unique across all files.
    workloads.sort_by(|a, b| a.id.cmp(&b.id).then(a.id_loc.cmp(&b.id_loc)));
    check_unique_ids(&mut cx, &workloads, sources);
    if !cx.ids_incomplete {
        check_dependencies(&mut cx, &workloads, &mut notes);
    }
    note_target_wave(&workloads, &mut notes);
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    let agency = agency.map(|a| a.0).unwrap_or_default();
    Ok((agency, workloads, notes))
}

/// What the documents of one run have given so far.
#[derive(Default)]
struct Run {
    /// The first file's agency, and where it is.
    agency: Option<(Agency, Loc)>,
    notes: Vec<Diagnostic>,
    workloads: Vec<Workload>,
}

/// One document's top level: the schema tag, the agency, and its workloads (from the tree, or
/// as they were streamed).
fn read_document(cx: &mut Ctx, doc: Document, run: &mut Run) {
    let Some(map) = doc.root.as_map() else {
        cx.push(
            Diagnostic::error(
                doc.root.loc,
                format!("an inventory must be a mapping, found {}", doc.root.kind()),
            )
            .code(Code::WrongType)
            .hint(format!(
                "start the file with `schema: {SCHEMA_TAG}`, then `agency:` and `workloads:`"
            )),
        );
        return;
    };
    check_keys(cx, map, &["schema", "agency", "workloads"], "the top level");
    check_schema(cx, &doc);
    let this_agency = match doc.root.get("agency") {
        None => {
            cx.push(
                Diagnostic::error(doc.file_loc, "missing `agency`")
                    .code(Code::MissingAgency)
                    .hint("add `agency: { name: Department of Example Affairs }`"),
            );
            None
        }
        Some(n) => read_agency(cx, n),
    };
    if let Some(a) = this_agency {
        if let Some((first, _)) = &mut run.agency {
            first.as_of = first.as_of.or(a.0.as_of);
            first
                .as_of_by_file
                .extend(a.0.as_of_by_file.iter().copied());
        }
        match &run.agency {
            None => run.agency = Some(a),
            Some((first, _)) if first.name != a.0.name => run.notes.push(
                Diagnostic::warning(
                    a.1,
                    format!(
                        "agency `{}` differs from `{}` in the first file; the first is used",
                        a.0.name, first.name
                    ),
                )
                .code(Code::AgencyDiffers),
            ),
            Some(_) => {}
        }
    }
    read_workload_list(cx, &doc, &mut run.workloads);
    if let Some(stream) = doc.streamed {
        for d in stream.errors {
            cx.push(d);
        }
        if run.workloads.is_empty() {
            run.workloads = stream.workloads;
        } else {
            run.workloads.extend(stream.workloads);
        }
    }
}

fn check_schema(cx: &mut Ctx, doc: &Document) {
    match doc.root.get("schema") {
        None => cx.push(
            Diagnostic::error(doc.file_loc, "missing `schema`")
                .code(Code::MissingSchema)
                .hint(format!("add `schema: {SCHEMA_TAG}` as the first line")),
        ),
        Some(n) if n.as_str() == Some(SCHEMA_TAG) => {}
        Some(n) => cx.push(
            Diagnostic::error(
                n.loc,
                format!(
                    "unsupported schema `{}`",
                    n.scalar_text().unwrap_or_else(|| n.kind().to_string())
                ),
            )
            .code(Code::UnsupportedSchema)
            .hint(format!(
                "this version of cloudready reads `schema: {SCHEMA_TAG}`"
            )),
        ),
    }
}

/// The workloads in the tree's `workloads` list (empty when they were streamed).
fn read_workload_list(cx: &mut Ctx, doc: &Document, workloads: &mut Vec<Workload>) {
    match doc.root.get("workloads") {
        None => cx.push(
            Diagnostic::error(doc.file_loc, "missing `workloads`")
                .code(Code::MissingWorkloads)
                .hint("add `workloads:` with a list of workloads, each with an `id` and a `name`"),
        ),
        Some(Node {
            value: Value::Seq(items),
            ..
        }) => {
            for item in items {
                if let Some(w) = read_workload(cx, item) {
                    workloads.push(w);
                }
            }
        }
        Some(Node {
            value: Value::Null, ..
        }) => {}
        Some(n) => cx.push(
            Diagnostic::error(
                n.loc,
                format!("`workloads` must be a list, found {}", n.kind()),
            )
            .code(Code::WrongType)
            .hint("write each workload as a list item starting with `- id: ...`"),
        ),
    }
}

/// Each repeat of an id, across files; `workloads` is sorted by id.
fn check_unique_ids(cx: &mut Ctx, workloads: &[Workload], sources: &crate::diagnostic::Sources) {
    for pair in workloads.windows(2) {
        if pair[0].id == pair[1].id {
            let (first, again) = (pair[0].id_loc, pair[1].id_loc);
            let place = if first.file == again.file {
                format!("at line {}", first.line)
            } else {
                format!("in {} at line {}", sources.path(first.file), first.line)
            };
            cx.push(
                Diagnostic::error(again, format!("duplicate workload id `{}`", pair[1].id))
                .code(Code::DuplicateId).hint(format!(
                    "ids must be unique across all inventory files; `{}` is already used {place}",
                    pair[0].id
                )),
            );
        }
    }
}

/// `target.wave` is read and checked, but planning does not follow it: say so once rather
/// than drop it.
fn note_target_wave(workloads: &[Workload], notes: &mut Vec<Diagnostic>) {
    let mut intended = workloads.iter().filter_map(|w| w.get(fid::TARGET_WAVE));
    if let Some(first) = intended.next() {
        let more = intended.count();
        notes.push(
            Diagnostic::note(
                first.loc,
                format!(
                    "`target.wave` is recorded for {} workload{} but does not steer the plan",
                    more + 1,
                    if more == 0 { "" } else { "s" }
                ),
            )
            .code(Code::TargetWaveIgnored)
            .hint("`assess` shows the wave planned from dependencies and readiness"),
        );
    }
}

/// Missing and self dependencies are errors (reported beside any other error, so one look
/// shows all of a list's problems); cycles are notes, given only when nothing is wrong.
fn check_dependencies(cx: &mut Ctx, workloads: &[Workload], notes: &mut Vec<Diagnostic>) {
    let ids: Vec<&str> = workloads.iter().map(|w| w.id.as_str()).collect();
    for w in workloads {
        if cx.full() {
            break;
        }
        for (dep, loc) in w.dependencies() {
            if **dep == *w.id {
                cx.push(
                    Diagnostic::error(*loc, format!("workload `{}` depends on itself", w.id))
                        .code(Code::SelfDependency)
                        .hint("remove it from its own `dependencies`"),
                );
            } else if ids.binary_search(&&**dep).is_err() {
                if cx.full() {
                    // Dropped anyway, and its "did you mean" would scan every id: with many
                    // missing dependencies that is quadratic in the inventory.
                    continue;
                }
                let hint = match did_you_mean(dep, ids.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? Every dependency must be the id of a workload in the inventory files given"),
                    None => "every dependency must be the id of a workload in the inventory files given; add the missing workload or remove the dependency".into(),
                };
                cx.push(
                    Diagnostic::error(
                        *loc,
                        format!(
                            "`{}` depends on `{dep}`, which is not in the inventory",
                            w.id
                        ),
                    )
                    .code(Code::UnknownDependency)
                    .hint(hint),
                );
            }
        }
    }
    if !cx.errors.is_empty() {
        return;
    }
    let graph = DependencyGraph::new(workloads);
    let cycles = graph.cycles();
    let more = cycles.len().saturating_sub(MAX_CYCLE_NOTES);
    for group in cycles.iter().take(MAX_CYCLE_NOTES) {
        let names: Vec<&str> = group.iter().map(|&i| workloads[i].id.as_str()).collect();
        notes.push(
            Diagnostic::note(
                workloads[group[0]].id_loc,
                format!(
                    "dependency cycle: {} depend on each other",
                    names.join(", ")
                ),
            )
            .code(Code::DependencyCycle)
            .hint("a cycle is allowed: these workloads will move together in one wave"),
        );
    }
    if more > 0 {
        let members: usize = cycles.iter().skip(MAX_CYCLE_NOTES).map(Vec::len).sum();
        notes.push(
            Diagnostic::note(
                None,
                format!(
                    "{more} more dependency cycle{} ({members} workloads) not shown",
                    if more == 1 { "" } else { "s" }
                ),
            )
            .code(Code::DependencyCycle)
            .hint("each cycle moves together in one wave; `assess --format json` lists every wave"),
        );
    }
}

fn check_keys(cx: &mut Ctx, map: &[(Node, Node)], allowed: &[&str], where_: &str) {
    for (k, _) in map {
        let Some(key) = k.as_str() else {
            cx.push(
                Diagnostic::error(k.loc, format!("keys must be text, found {}", k.kind()))
                    .code(Code::WrongType),
            );
            continue;
        };
        if !allowed.contains(&key) {
            let mut d = Diagnostic::error(
                k.loc.with_len(key.chars().count()),
                format!("unknown key `{key}` in {where_}"),
            )
            .code(Code::UnknownKey);
            d = match did_you_mean(key, allowed.iter().copied()) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => match FIELDS
                    .iter()
                    .find(|f| f.path.rsplit('.').next() == Some(key))
                {
                    Some(f) => d.hint(format!("`{key}` belongs at `{}`", f.path)),
                    None => d.hint(format!("valid keys here: {}", allowed.join(", "))),
                },
            };
            cx.push(d);
        }
    }
}

fn read_agency(cx: &mut Ctx, n: &Node) -> Option<(Agency, Loc)> {
    let Some(map) = n.as_map() else {
        cx.push(
            Diagnostic::error(
                n.loc,
                format!("`agency` must be a mapping, found {}", n.kind()),
            )
            .code(Code::WrongType)
            .hint("write `agency: { name: Department of Example Affairs }`"),
        );
        return None;
    };
    check_keys(cx, map, &["name", "abbreviation", "as_of"], "`agency`");
    let text = |cx: &mut Ctx, key: &str| -> Option<String> {
        let v = n.get(key)?;
        match cx.text(v) {
            Some(s) => Some(s),
            None if v.value == Value::Null => None,
            None => {
                cx.push(
                    Diagnostic::error(
                        v.loc,
                        format!("`agency.{key}` must be text, found {}", v.kind()),
                    )
                    .code(Code::WrongType),
                );
                None
            }
        }
    };
    let name = text(cx, "name");
    let abbreviation = text(cx, "abbreviation");
    let mut as_of_by_file = Vec::new();
    let as_of = match n.get("as_of") {
        None
        | Some(Node {
            value: Value::Null, ..
        }) => None,
        Some(v) => match v.as_str().and_then(Date::parse) {
            Some(d) => {
                as_of_by_file.push((d, v.loc));
                Some(d)
            }
            None => {
                cx.push(
                    Diagnostic::error(v.loc, "`agency.as_of` must be a date")
                        .code(Code::InvalidDate)
                        .hint("write it as YYYY-MM-DD, for example `as_of: 2026-11-01`"),
                );
                None
            }
        },
    };
    match name {
        Some(name) if !name.trim().is_empty() => Some((
            Agency {
                name,
                abbreviation,
                as_of,
                as_of_by_file,
            },
            n.loc,
        )),
        _ => {
            cx.push(
                Diagnostic::error(n.loc, "missing `agency.name`")
                    .code(Code::MissingAgency)
                    .hint("add `name: Department of Example Affairs` under `agency`"),
            );
            None
        }
    }
}

/// The plain scalar at `n`'s place in its file, if it reads as exactly `n`'s number: the text a
/// person wrote, for a field that wants text.
fn source_spelling(n: &Node, sources: &crate::diagnostic::Sources) -> Option<String> {
    use crate::load::scalar::{self, Resolved};
    let line = sources.line(n.loc.file, n.loc.line)?;
    let rest: String = line
        .chars()
        .skip((n.loc.col as usize).checked_sub(1)?)
        .take_while(|c| !matches!(c, ' ' | '\t' | ',' | ']' | '}' | '#' | '\r'))
        .collect();
    let same = match (scalar::plain(&rest), &n.value) {
        (Ok(Resolved::Int(a)), Value::Int(b)) => a == *b,
        (Ok(Resolved::Float(a)), Value::Float(b)) => a.to_bits() == b.to_bits(),
        _ => false,
    };
    same.then_some(rest)
}

fn scalar_as_text(n: &Node) -> Option<String> {
    match &n.value {
        Value::Str(_) | Value::Int(_) | Value::Float(_) => n.scalar_text(),
        _ => None,
    }
}

fn valid_id(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-')
        })
}

fn id_hint(s: &str) -> String {
    let mut fixed: String = s
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while fixed.starts_with(['.', '_', '-']) {
        fixed.remove(0);
    }
    if fixed.is_empty() {
        "ids use lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit"
            .into()
    } else {
        format!(
            "ids use lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit; for example `{fixed}`"
        )
    }
}

/// Assembles an inventory from validated parts (used by the loader).
pub fn assemble(
    sources: crate::diagnostic::Sources,
    parts: (Agency, Vec<Workload>, Vec<Diagnostic>),
) -> Inventory {
    Inventory {
        sources,
        agency: parts.0,
        workloads: parts.1,
        notes: parts.2,
    }
}
