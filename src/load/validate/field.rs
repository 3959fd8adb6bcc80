//! One workload field's value, checked against its entry in the field table.

use std::collections::HashSet;

use super::{Ctx, id_hint, valid_id};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::inventory::{Date, FIELDS, Field, FieldDef, FieldValue, Kind, fid, list_values};
use crate::load::node::{Node, Value};

/// The field `i` of [`FIELDS`] read from `v`, or `None` (with the problem pushed) when it
/// cannot be; an explicit null is an honest "not known", and no problem.
pub(super) fn read_field(cx: &mut Ctx, i: usize, v: &Node) -> Option<Field> {
    let def = &FIELDS[i];
    if v.value == Value::Null {
        return None;
    }
    let value = match def.kind {
        Kind::Text => match cx.text(v) {
            Some(s) => FieldValue::Text(cx.interner.get(&s)),
            None => {
                return wrong_type(cx, def, v, Some("write it as a single line of text".into()));
            }
        },
        Kind::Enum(values) => read_enum(cx, i, values, v)?,
        Kind::Bool => match &v.value {
            Value::Bool(b) => FieldValue::Bool(*b),
            Value::Str(s)
                if ["yes", "no", "y", "n", "on", "off", "True", "False"].contains(&s.as_str()) =>
            {
                return wrong_type(cx, def, v, Some("write `true` or `false`".into()));
            }
            _ => return wrong_type(cx, def, v, None),
        },
        Kind::Int { min, max } => read_int(cx, def, v, min, max)?,
        Kind::Number { min, max } => read_number(cx, def, v, min, max)?,
        Kind::Date => match v.as_str().and_then(Date::parse) {
            Some(d) => FieldValue::Date(d),
            None => {
                let hint = format!(
                    "write a calendar date as YYYY-MM-DD, for example `{}: 2027-06-30`",
                    leaf(def.path)
                );
                return wrong_type(cx, def, v, Some(hint));
            }
        },
        Kind::IdList | Kind::TextList => read_list(cx, def, v)?,
    };
    Some(Field { value, loc: v.loc })
}

/// "`path` must be KIND, found X", with `extra` as the hint.
fn wrong_type<T>(cx: &mut Ctx, def: &FieldDef, v: &Node, extra: Option<String>) -> Option<T> {
    let found = match &v.value {
        Value::Str(s) => format!("`{s}`"),
        _ => v.kind().to_string(),
    };
    cx.push(
        Diagnostic::error(
            v.loc,
            format!(
                "`{}` must be {}, found {found}",
                def.path,
                def.kind.describe()
            ),
        )
        .code(Code::WrongType)
        .maybe_hint(extra),
    );
    None
}

fn out_of_range<T>(cx: &mut Ctx, def: &FieldDef, v: &Node, n: impl std::fmt::Display) -> Option<T> {
    cx.push(
        Diagnostic::error(v.loc, format!("`{}` is {n}, out of range", def.path))
            .code(Code::OutOfRange)
            .hint(format!("it must be {}", def.kind.describe())),
    );
    None
}

fn read_enum(cx: &mut Ctx, i: usize, values: &[&str], v: &Node) -> Option<FieldValue> {
    let def = &FIELDS[i];
    let text = match &v.value {
        Value::Str(s) => s.clone(),
        Value::Bool(b) if values.contains(&"none") && !b => "false".into(),
        _ => match cx.text(v).or_else(|| v.scalar_text()) {
            Some(t) => t,
            None => {
                let hint = format!("valid values: {}", list_values(values));
                return wrong_type(cx, def, v, Some(hint));
            }
        },
    };
    if let Some(idx) = values.iter().position(|x| *x == text) {
        return Some(FieldValue::Enum(idx as u8));
    }
    let mut hint = match did_you_mean(&text, values.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? Valid values: {}", list_values(values)),
        None => format!("valid values: {}", list_values(values)),
    };
    if i == fid::CLASSIFICATION.index()
        && let Some(h) = classification_hint(&text)
    {
        hint = format!("{h}\nvalid values: {}", list_values(values));
    }
    cx.push(
        Diagnostic::error(v.loc, format!("invalid value `{text}` for `{}`", def.path))
            .code(Code::InvalidValue)
            .hint(hint),
    );
    None
}

fn read_int(cx: &mut Ctx, def: &FieldDef, v: &Node, min: i64, max: i64) -> Option<FieldValue> {
    let n = match &v.value {
        Value::Int(n) => *n,
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9e15 => *f as i64,
        Value::Str(s) if s.trim().parse::<f64>().is_ok() => {
            let hint = format!("remove the quotes: `{}: {}`", leaf(def.path), s.trim());
            return wrong_type(cx, def, v, Some(hint));
        }
        _ => return wrong_type(cx, def, v, None),
    };
    if n < min || n > max {
        return out_of_range(cx, def, v, n);
    }
    Some(FieldValue::Int(n))
}

fn read_number(cx: &mut Ctx, def: &FieldDef, v: &Node, min: f64, max: f64) -> Option<FieldValue> {
    let n = match &v.value {
        Value::Int(n) => *n as f64,
        Value::Float(f) if f.is_finite() => *f,
        Value::Str(s) if s.trim().trim_end_matches('%').parse::<f64>().is_ok() => {
            let t = s.trim().trim_end_matches('%');
            let hint = format!(
                "write a plain number without quotes or units: `{}: {t}`",
                leaf(def.path)
            );
            return wrong_type(cx, def, v, Some(hint));
        }
        _ => return wrong_type(cx, def, v, None),
    };
    if n < min || n > max {
        return out_of_range(cx, def, v, n);
    }
    Some(FieldValue::Number(n))
}

/// A list of ids or texts: each item text, valid (for ids) and listed once.
fn read_list(cx: &mut Ctx, def: &FieldDef, v: &Node) -> Option<FieldValue> {
    let path = def.path;
    let Value::Seq(items) = &v.value else {
        let example = v.scalar_text().unwrap_or_else(|| "a".into());
        let hint = format!("write a list, even of one: `{}: [{example}]`", leaf(path));
        return wrong_type(cx, def, v, Some(hint));
    };
    let mut out = Vec::with_capacity(items.len());
    // A set, not a scan of `out`: a list of half a million tags stays linear.
    let mut seen: HashSet<String> = HashSet::with_capacity(items.len());
    for it in items {
        match cx.text(it) {
            Some(s) if def.kind == Kind::IdList && !valid_id(&s) => {
                cx.push(
                    Diagnostic::error(it.loc, format!("invalid workload id `{s}` in `{path}`"))
                        .code(Code::InvalidId)
                        .hint(id_hint(&s)),
                );
            }
            Some(s) => {
                if !seen.insert(s.clone()) {
                    cx.push(
                        Diagnostic::error(it.loc, format!("`{s}` is listed twice in `{path}`"))
                            .code(Code::DuplicateItem)
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
                    .code(Code::WrongType),
                );
            }
        }
    }
    Some(FieldValue::List(
        out.iter().map(|(s, l)| (cx.interner.get(s), *l)).collect(),
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

fn leaf(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}
