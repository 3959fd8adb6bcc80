//! Turns parsed documents into a validated [`Inventory`], reporting every problem at once:
//! unknown keys (with "did you mean"), wrong types, invalid values, duplicate ids, missing
//! dependencies, the schema tag; dependency cycles become notes.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, FileId, Loc, did_you_mean};
use crate::graph::DependencyGraph;
use crate::inventory::{
    Agency, Date, FIELDS, Field, FieldValue, Interner, Inventory, Kind, SCHEMA_TAG, Workload, fid,
    list_values, sections,
};
use crate::load::node::{Node, Value};

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
    let mut agency: Option<(Agency, Loc)> = None;
    let mut notes = Vec::new();
    let mut workloads: Vec<Workload> = Vec::new();
    for doc in docs {
        let Some(map) = doc.root.as_map() else {
            cx.push(
                Diagnostic::error(
                    doc.root.loc,
                    format!("an inventory must be a mapping, found {}", doc.root.kind()),
                )
                .code("wrong-type")
                .hint(format!(
                    "start the file with `schema: {SCHEMA_TAG}`, then `agency:` and `workloads:`"
                )),
            );
            continue;
        };
        check_keys(
            &mut cx,
            map,
            &["schema", "agency", "workloads"],
            "the top level",
        );
        match doc.root.get("schema") {
            None => cx.push(
                Diagnostic::error(doc.file_loc, "missing `schema`")
                    .code("missing-schema")
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
                .code("unsupported-schema")
                .hint(format!(
                    "this version of cloudready reads `schema: {SCHEMA_TAG}`"
                )),
            ),
        }
        let this_agency = match doc.root.get("agency") {
            None => {
                cx.push(
                    Diagnostic::error(doc.file_loc, "missing `agency`")
                        .code("missing-agency")
                        .hint("add `agency: { name: Department of Example Affairs }`"),
                );
                None
            }
            Some(n) => read_agency(&mut cx, n),
        };
        if let Some(a) = this_agency {
            match &agency {
                None => agency = Some(a),
                Some((first, _)) if first.name != a.0.name => notes.push(
                    Diagnostic::warning(
                        a.1,
                        format!(
                            "agency `{}` differs from `{}` in the first file; the first is used",
                            a.0.name, first.name
                        ),
                    )
                    .code("agency-differs"),
                ),
                Some(_) => {}
            }
        }
        match doc.root.get("workloads") {
            None => cx.push(
                Diagnostic::error(doc.file_loc, "missing `workloads`")
                    .code("missing-workloads")
                    .hint(
                        "add `workloads:` with a list of workloads, each with an `id` and a `name`",
                    ),
            ),
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => {
                for item in items {
                    if let Some(w) = read_workload(&mut cx, item) {
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
                .code("wrong-type")
                .hint("write each workload as a list item starting with `- id: ...`"),
            ),
        }
        if let Some(stream) = doc.streamed {
            for d in stream.errors {
                cx.push(d);
            }
            if workloads.is_empty() {
                workloads = stream.workloads;
            } else {
                workloads.extend(stream.workloads);
            }
        }
    }

    // Ids are unique across all files.
    workloads.sort_by(|a, b| a.id.cmp(&b.id).then(a.id_loc.cmp(&b.id_loc)));
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
                .code("duplicate-id").hint(format!(
                    "ids must be unique across all inventory files; `{}` is already used {place}",
                    pair[0].id
                )),
            );
        }
    }
    if !cx.ids_incomplete {
        check_dependencies(&mut cx, &workloads, &mut notes);
    }
    // Read and checked, but planning does not follow it: say so once rather than drop it.
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
            .code("target-wave-ignored")
            .hint("`assess` shows the wave planned from dependencies and readiness"),
        );
    }
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    let agency = agency.map(|a| a.0).unwrap_or_default();
    Ok((agency, workloads, notes))
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
                        .code("self-dependency")
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
                    .code("unknown-dependency")
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
            .code("dependency-cycle")
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
            .code("dependency-cycle")
            .hint("each cycle moves together in one wave; `assess --format json` lists every wave"),
        );
    }
}

fn check_keys(cx: &mut Ctx, map: &[(Node, Node)], allowed: &[&str], where_: &str) {
    for (k, _) in map {
        let Some(key) = k.as_str() else {
            cx.push(
                Diagnostic::error(k.loc, format!("keys must be text, found {}", k.kind()))
                    .code("wrong-type"),
            );
            continue;
        };
        if !allowed.contains(&key) {
            let mut d = Diagnostic::error(
                k.loc.with_len(key.chars().count()),
                format!("unknown key `{key}` in {where_}"),
            )
            .code("unknown-key");
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
            .code("wrong-type")
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
                    .code("wrong-type"),
                );
                None
            }
        }
    };
    let name = text(cx, "name");
    let abbreviation = text(cx, "abbreviation");
    let as_of = match n.get("as_of") {
        None
        | Some(Node {
            value: Value::Null, ..
        }) => None,
        Some(v) => match v.as_str().and_then(Date::parse) {
            Some(d) => Some(d),
            None => {
                cx.push(
                    Diagnostic::error(v.loc, "`agency.as_of` must be a date")
                        .code("invalid-date")
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
            },
            n.loc,
        )),
        _ => {
            cx.push(
                Diagnostic::error(n.loc, "missing `agency.name`")
                    .code("missing-agency")
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

/// What a workload's keys are checked against, built once per process.
struct WorkloadKeys {
    allowed: Vec<&'static str>,
    /// Each section, its keys and how messages name it.
    sections: Vec<(&'static str, Vec<&'static str>, String)>,
    paths: HashMap<&'static str, usize>,
}

fn workload_keys() -> &'static WorkloadKeys {
    static KEYS: std::sync::OnceLock<WorkloadKeys> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let sections = sections();
        let mut allowed: Vec<&str> = vec!["id", "name"];
        allowed.extend(
            FIELDS
                .iter()
                .filter(|f| !f.path.contains('.'))
                .map(|f| f.path),
        );
        allowed.extend(sections.iter().copied());
        let paths = FIELDS
            .iter()
            .enumerate()
            .map(|(i, f)| (f.path, i))
            .collect();
        let sections = sections
            .into_iter()
            .map(|key| {
                let names = FIELDS
                    .iter()
                    .filter_map(|f| f.path.strip_prefix(key).and_then(|r| r.strip_prefix('.')))
                    .collect();
                (key, names, format!("`{key}`"))
            })
            .collect();
        WorkloadKeys {
            allowed,
            sections,
            paths,
        }
    })
}

fn read_workload(cx: &mut Ctx, item: &Node) -> Option<Workload> {
    let Some(map) = item.as_map() else {
        cx.push(
            Diagnostic::error(
                item.loc,
                format!("a workload must be a mapping, found {}", item.kind()),
            )
            .code("wrong-type")
            .hint("each workload is a list item like `- id: payroll` followed by `name: Payroll`"),
        );
        return None;
    };
    let WorkloadKeys {
        allowed,
        sections: secs,
        paths,
    } = workload_keys();
    check_keys(cx, map, allowed, "a workload");

    let id = match item.get("id") {
        None => {
            cx.push(
                Diagnostic::error(item.loc, "workload without an `id`")
                    .code("missing-id")
                    .hint("add `id: payroll` (lowercase letters, digits, `.`, `_`, `-`)"),
            );
            None
        }
        Some(n) => match cx.text(n) {
            Some(s) if valid_id(&s) => Some((s, n.loc)),
            Some(s) => {
                cx.push(
                    Diagnostic::error(n.loc, format!("invalid workload id `{s}`"))
                        .code("invalid-id")
                        .hint(id_hint(&s)),
                );
                None
            }
            None => {
                cx.push(
                    Diagnostic::error(n.loc, format!("`id` must be text, found {}", n.kind()))
                        .code("wrong-type"),
                );
                None
            }
        },
    };
    let name = match item.get("name") {
        None => {
            let what = id
                .as_ref()
                .map_or("workload".to_string(), |(i, _)| format!("workload `{i}`"));
            cx.push(
                Diagnostic::error(item.loc, format!("{what} has no `name`"))
                    .code("missing-name")
                    .hint("add `name:` with the name people know it by"),
            );
            None
        }
        Some(n) => match cx.text(n) {
            Some(s) if !s.trim().is_empty() => Some(s),
            _ => {
                cx.push(
                    Diagnostic::error(n.loc, "`name` must be non-empty text").code("missing-name"),
                );
                None
            }
        },
    };

    let mut fields: Vec<Option<Field>> = vec![None; FIELDS.len()];
    for (k, v) in map {
        let Some(key) = k.as_str() else { continue };
        if let Some(&i) = paths.get(key) {
            fields[i] = read_field(cx, i, v);
        } else if let Some((_, names, shown)) = secs.iter().find(|(s, ..)| *s == key) {
            match &v.value {
                Value::Map(sub) => {
                    check_keys(cx, sub, names, shown);
                    for (sk, sv) in sub {
                        let Some(skey) = sk.as_str() else { continue };
                        let path = FIELDS.iter().position(|f| {
                            f.path.strip_prefix(key).and_then(|r| r.strip_prefix('.')) == Some(skey)
                        });
                        if let Some(i) = path {
                            fields[i] = read_field(cx, i, sv);
                        }
                    }
                }
                Value::Null => {}
                _ => cx.push(
                    Diagnostic::error(
                        v.loc,
                        format!("`{key}` must be a mapping, found {}", v.kind()),
                    )
                    .code("wrong-type")
                    .hint(format!(
                        "write the fields of `{key}` indented beneath it, e.g. `{key}: {{ ... }}`"
                    )),
                ),
            }
        }
    }
    let (id, id_loc) = id?;
    Some(Workload::with_fields(
        id,
        name?,
        id_loc,
        fields
            .into_iter()
            .enumerate()
            .filter_map(|(i, f)| Some((i, f?))),
    ))
}

/// Known misuses of classification markings, with what to write instead.
fn classification_hint(s: &str) -> Option<&'static str> {
    let norm: String = s
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    Some(match norm.as_str() {
        "confidential" => {
            "CONFIDENTIAL was withdrawn in the 2018 PSPF reform; reassess the information as PROTECTED or SECRET"
        }
        "restricted" | "xinconfidence" => {
            "that marking was withdrawn in the 2018 PSPF reform; use OFFICIAL: Sensitive or PROTECTED"
        }
        "unclassified" | "unclassifieddlm" | "dlm" => {
            "UNCLASSIFIED was replaced by OFFICIAL (or UNOFFICIAL for non-official information) in the 2018 PSPF reform"
        }
        "forofficialuseonly" | "fouo" | "sensitive" | "sensitivepersonal" | "sensitivelegal" => {
            "the dissemination limiting markers were replaced by \"OFFICIAL: Sensitive\" in the 2018 PSPF reform (quote it in YAML)"
        }
        "officialsensitive" => "write it exactly as \"OFFICIAL: Sensitive\", in quotes",
        "protectedcabinet" | "cabinet" => {
            "CABINET is a caveat, not a classification; record the classification (usually PROTECTED)"
        }
        _ => return None,
    })
}

fn read_field(cx: &mut Ctx, i: usize, v: &Node) -> Option<Field> {
    let def = &FIELDS[i];
    let path = def.path;
    if v.value == Value::Null {
        // An explicit null is an honest "not known".
        return None;
    }
    let wrong_type = |cx: &mut Ctx, extra: Option<String>| {
        let found = match &v.value {
            Value::Str(s) => format!("`{s}`"),
            _ => v.kind().to_string(),
        };
        cx.push(
            Diagnostic::error(
                v.loc,
                format!("`{path}` must be {}, found {found}", def.kind.describe()),
            )
            .code("wrong-type")
            .maybe_hint(extra),
        );
        None
    };
    let value = match def.kind {
        Kind::Text => match cx.text(v) {
            Some(s) => FieldValue::Text(cx.interner.get(&s)),
            None => return wrong_type(cx, Some("write it as a single line of text".into())),
        },
        Kind::Enum(values) => {
            let text = match &v.value {
                Value::Str(s) => s.clone(),
                Value::Bool(b) if values.contains(&"none") && !b => "false".into(),
                _ => match cx.text(v).or_else(|| v.scalar_text()) {
                    Some(t) => t,
                    None => {
                        return wrong_type(
                            cx,
                            Some(format!("valid values: {}", list_values(values))),
                        );
                    }
                },
            };
            match values.iter().position(|x| *x == text) {
                Some(idx) => FieldValue::Enum(idx as u8),
                None => {
                    let mut hint = match did_you_mean(&text, values.iter().copied()) {
                        Some(s) => {
                            format!("did you mean `{s}`? Valid values: {}", list_values(values))
                        }
                        None => format!("valid values: {}", list_values(values)),
                    };
                    if i == fid::CLASSIFICATION
                        && let Some(h) = classification_hint(&text)
                    {
                        hint = format!("{h}\nvalid values: {}", list_values(values));
                    }
                    cx.push(
                        Diagnostic::error(v.loc, format!("invalid value `{text}` for `{path}`"))
                            .code("invalid-value")
                            .hint(hint),
                    );
                    return None;
                }
            }
        }
        Kind::Bool => match &v.value {
            Value::Bool(b) => FieldValue::Bool(*b),
            Value::Str(s)
                if ["yes", "no", "y", "n", "on", "off", "True", "False"].contains(&s.as_str()) =>
            {
                return wrong_type(cx, Some("write `true` or `false`".into()));
            }
            _ => return wrong_type(cx, None),
        },
        Kind::Int { min, max } => {
            let n = match &v.value {
                Value::Int(n) => *n,
                Value::Float(f) if f.fract() == 0.0 && f.abs() < 9e15 => *f as i64,
                Value::Str(s) if s.trim().parse::<f64>().is_ok() => {
                    return wrong_type(
                        cx,
                        Some(format!("remove the quotes: `{}: {}`", leaf(path), s.trim())),
                    );
                }
                _ => return wrong_type(cx, None),
            };
            if n < min || n > max {
                cx.push(
                    Diagnostic::error(v.loc, format!("`{path}` is {n}, out of range"))
                        .code("out-of-range")
                        .hint(format!("it must be {}", def.kind.describe())),
                );
                return None;
            }
            FieldValue::Int(n)
        }
        Kind::Number { min, max } => {
            let n = match &v.value {
                Value::Int(n) => *n as f64,
                Value::Float(f) if f.is_finite() => *f,
                Value::Str(s) if s.trim().trim_end_matches('%').parse::<f64>().is_ok() => {
                    let t = s.trim().trim_end_matches('%');
                    return wrong_type(
                        cx,
                        Some(format!(
                            "write a plain number without quotes or units: `{}: {t}`",
                            leaf(path)
                        )),
                    );
                }
                _ => return wrong_type(cx, None),
            };
            if n < min || n > max {
                cx.push(
                    Diagnostic::error(v.loc, format!("`{path}` is {n}, out of range"))
                        .code("out-of-range")
                        .hint(format!("it must be {}", def.kind.describe())),
                );
                return None;
            }
            FieldValue::Number(n)
        }
        Kind::Date => match v.as_str().and_then(Date::parse) {
            Some(d) => FieldValue::Date(d),
            None => {
                return wrong_type(
                    cx,
                    Some(format!(
                        "write a calendar date as YYYY-MM-DD, for example `{}: 2027-06-30`",
                        leaf(path)
                    )),
                );
            }
        },
        Kind::IdList | Kind::TextList => {
            let Value::Seq(items) = &v.value else {
                let example = v.scalar_text().unwrap_or_else(|| "a".into());
                return wrong_type(
                    cx,
                    Some(format!(
                        "write a list, even of one: `{}: [{example}]`",
                        leaf(path)
                    )),
                );
            };
            let mut out = Vec::with_capacity(items.len());
            // A set, not a scan of `out`: a list of half a million tags stays linear.
            let mut seen: HashSet<String> = HashSet::with_capacity(items.len());
            for it in items {
                match cx.text(it) {
                    Some(s) if def.kind == Kind::IdList && !valid_id(&s) => {
                        cx.push(
                            Diagnostic::error(
                                it.loc,
                                format!("invalid workload id `{s}` in `{path}`"),
                            )
                            .code("invalid-id")
                            .hint(id_hint(&s)),
                        );
                    }
                    Some(s) => {
                        if !seen.insert(s.clone()) {
                            cx.push(
                                Diagnostic::error(
                                    it.loc,
                                    format!("`{s}` is listed twice in `{path}`"),
                                )
                                .code("duplicate-item")
                                .hint("list each item once"),
                            );
                        } else {
                            out.push((s, it.loc));
                        }
                    }
                    None => {
                        cx.push(
                            Diagnostic::error(
                                it.loc,
                                format!("items of `{path}` must be text, found {}", it.kind()),
                            )
                            .code("wrong-type"),
                        );
                    }
                }
            }
            FieldValue::List(out.iter().map(|(s, l)| (cx.interner.get(s), *l)).collect())
        }
    };
    Some(Field { value, loc: v.loc })
}

fn leaf(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
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
