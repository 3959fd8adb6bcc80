//! One workload: its keys, id, name and fields.

use std::collections::HashMap;

use super::field::read_field;
use super::{Ctx, check_keys, id_hint, valid_id};
use crate::diagnostic::{Code, Diagnostic, Loc};
use crate::inventory::{FIELDS, Field, Workload, sections};
use crate::load::node::{Node, Value};

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

/// One item of `workloads`: its id and name, and every field it gives (at the top or in a
/// section); `None` when it has no usable id or name (the problems are pushed).
pub(super) fn read_workload(cx: &mut Ctx, item: &Node) -> Option<Workload> {
    let Some(map) = item.as_map() else {
        cx.push(
            Diagnostic::error(
                item.loc,
                format!("a workload must be a mapping, found {}", item.kind()),
            )
            .code(Code::WrongType)
            .hint("each workload is a list item like `- id: payroll` followed by `name: Payroll`"),
        );
        return None;
    };
    check_keys(cx, map, &workload_keys().allowed, "a workload");
    let id = read_id(cx, item);
    let name = read_name(cx, item, id.as_ref().map(|(i, _)| i.as_str()));
    let fields = read_fields(cx, map);
    let (id, id_loc) = id?;
    Some(Workload::with_fields(
        id,
        name?,
        id_loc,
        fields
            .into_iter()
            .enumerate()
            .filter_map(|(i, f)| Some((crate::inventory::FieldId::from_index(i)?, f?))),
    ))
}

fn read_id(cx: &mut Ctx, item: &Node) -> Option<(String, Loc)> {
    let Some(n) = item.get("id") else {
        cx.push(
            Diagnostic::error(item.loc, "workload without an `id`")
                .code(Code::MissingId)
                .hint("add `id: payroll` (lowercase letters, digits, `.`, `_`, `-`)"),
        );
        return None;
    };
    match cx.text(n) {
        Some(s) if valid_id(&s) => Some((s, n.loc)),
        Some(s) => {
            cx.push(
                Diagnostic::error(n.loc, format!("invalid workload id `{s}`"))
                    .code(Code::InvalidId)
                    .hint(id_hint(&s)),
            );
            None
        }
        None => {
            cx.push(
                Diagnostic::error(n.loc, format!("`id` must be text, found {}", n.kind()))
                    .code(Code::WrongType),
            );
            None
        }
    }
}

fn read_name(cx: &mut Ctx, item: &Node, id: Option<&str>) -> Option<String> {
    let Some(n) = item.get("name") else {
        let what = id.map_or("workload".to_string(), |i| format!("workload `{i}`"));
        cx.push(
            Diagnostic::error(item.loc, format!("{what} has no `name`"))
                .code(Code::MissingName)
                .hint("add `name:` with the name people know it by"),
        );
        return None;
    };
    match cx.text(n) {
        Some(s) if !s.trim().is_empty() => Some(s),
        _ => {
            cx.push(
                Diagnostic::error(n.loc, "`name` must be non-empty text").code(Code::MissingName),
            );
            None
        }
    }
}

/// Every field of the table the workload gives, by its place in [`FIELDS`].
fn read_fields(cx: &mut Ctx, map: &[(Node, Node)]) -> Vec<Option<Field>> {
    let WorkloadKeys {
        sections: secs,
        paths,
        ..
    } = workload_keys();
    let mut fields: Vec<Option<Field>> = vec![None; FIELDS.len()];
    for (k, v) in map {
        let Some(key) = k.as_str() else { continue };
        if let Some(&i) = paths.get(key) {
            fields[i] = read_field(cx, i, v);
        } else if let Some((_, names, shown)) = secs.iter().find(|(s, ..)| *s == key) {
            read_section(cx, key, names, shown, v, &mut fields);
        }
    }
    default_assessor(&mut fields);
    fields
}

/// A recorded IRAP level without `assurance.assessed_by` was assessed by an IRAP assessor: the
/// usual case (ISM-1570), and the one a TOP SECRET service must prove otherwise (ISM-1972).
fn default_assessor(fields: &mut [Option<Field>]) {
    use crate::inventory::{ASSESSED_BY, FieldValue, fid};
    let irap = ASSESSED_BY.iter().position(|v| *v == "irap");
    let (level, by) = (
        fid::ASSURANCE_IRAP_LEVEL.index(),
        fid::ASSURANCE_ASSESSED_BY.index(),
    );
    let assessed = match fields.get(level) {
        Some(Some(f)) if f.value != FieldValue::Enum(0) => Some(f.loc),
        _ => None,
    };
    if let (Some(loc), Some(i), Some(slot @ None)) = (assessed, irap, fields.get_mut(by)) {
        *slot = Some(Field {
            value: FieldValue::Enum(i as u8),
            loc,
        });
    }
}

/// The fields of one section (`target:`, `operations:`, ...).
fn read_section(
    cx: &mut Ctx,
    key: &str,
    names: &[&str],
    shown: &str,
    v: &Node,
    fields: &mut [Option<Field>],
) {
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
            .code(Code::WrongType)
            .hint(format!(
                "write the fields of `{key}` indented beneath it, e.g. `{key}: {{ ... }}`"
            )),
        ),
    }
}
