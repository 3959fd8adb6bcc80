//! YAML semantics of one scalar: what its tag asks, and the value it resolves to under the core
//! schema, read as serde-saphyr reads it.

use std::borrow::Cow;

use granit_parser::{ScalarStyle, Tag};

use crate::load::node::Value;
use crate::load::scalar::{self, Resolved};

/// What a tag asks of its node: the YAML core schema, the non-specific `!`, or nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TagKind {
    None,
    Str,
    NonSpecific,
    Int,
    Float,
    Bool,
    Null,
    Seq,
    Map,
}

/// `None` for a tag with a meaning the builder does not read (`!!binary`, `!timestamp`, ...):
/// it refuses the document.
pub(super) fn tag_kind(tag: Option<&Tag>) -> Option<TagKind> {
    let Some(tag) = tag else {
        return Some(TagKind::None);
    };
    if let Some(core) = tag.core_suffix() {
        return Some(match core {
            "null" => TagKind::Null,
            "bool" => TagKind::Bool,
            "int" => TagKind::Int,
            "float" => TagKind::Float,
            "map" => TagKind::Map,
            "seq" => TagKind::Seq,
            "str" => TagKind::Str,
            _ => return None,
        });
    }
    if tag.suffix_in_namespace("tag:yaml.org,2002:").is_none()
        && tag
            .suffix_in_namespace("!")
            .is_some_and(|s| matches!(s.as_ref(), "" | "!"))
    {
        return Some(TagKind::NonSpecific);
    }
    // An application's own tag (`!custom`) asks nothing of its node, and serde-saphyr reads
    // the node as if untagged; the tags it gives a meaning of its own are refused.
    custom(tag).then_some(TagKind::None)
}

/// A tag serde-saphyr neither knows nor gives a meaning of its own.
fn custom(tag: &Tag) -> bool {
    if tag.suffix_in_namespace("tag:yaml.org,2002:").is_some() {
        return false;
    }
    let Some(suffix) = tag.suffix_in_namespace("!") else {
        return true;
    };
    let s = suffix.as_ref();
    !s.starts_with('!')
        && !s.starts_with("include")
        && !matches!(
            s,
            "int"
                | "float"
                | "bool"
                | "null"
                | "seq"
                | "map"
                | "str"
                | "timestamp"
                | "time"
                | "binary"
                | "degrees"
                | "radians"
        )
}

/// A scalar's value, or the message of why it has none.
pub(super) fn resolve(
    text: Cow<'_, str>,
    style: ScalarStyle,
    kind: TagKind,
) -> Result<Value, String> {
    let invalid = |what: &str| format!("not {what}: `{text}`");
    Ok(match kind {
        TagKind::None if style == ScalarStyle::Plain => match scalar::plain(&text) {
            Ok(Resolved::Null) => Value::Null,
            Ok(Resolved::Bool(b)) => Value::Bool(b),
            Ok(Resolved::Int(i)) => Value::Int(i),
            Ok(Resolved::Float(f)) => Value::Float(f),
            Ok(Resolved::Str) => Value::Str(text.into_owned()),
            Err(message) => return Err(message),
        },
        TagKind::None | TagKind::Str | TagKind::NonSpecific => Value::Str(text.into_owned()),
        TagKind::Null => Value::Null,
        TagKind::Bool => {
            Value::Bool(scalar::bool12(&text).ok_or_else(|| invalid("a boolean (true or false)"))?)
        }
        TagKind::Int if scalar::trim(&text).starts_with('-') => {
            let v = scalar::int_signed(&text).ok_or_else(|| invalid("a whole number"))?;
            Value::Int(i64::try_from(v).map_err(|_| invalid("a whole number"))?)
        }
        TagKind::Int => {
            let v = scalar::int_unsigned(&text).ok_or_else(|| invalid("a whole number"))?;
            let v = u64::try_from(v).map_err(|_| invalid("a whole number"))?;
            i64::try_from(v).map_or(Value::Float(v as f64), Value::Int)
        }
        TagKind::Float => {
            let v = scalar::float_incl_overflow(&text).ok_or_else(|| invalid("a number"))?;
            if !v.is_finite() {
                return Err(scalar::non_finite(&text));
            }
            Value::Float(v)
        }
        TagKind::Seq | TagKind::Map => return Err("a collection tag on a scalar".into()),
    })
}

/// The length of a scalar as the user reads it back, for underlining.
pub(super) fn shown_len(v: &Value) -> u32 {
    let n = match v {
        Value::Str(t) => t.chars().count(),
        Value::Int(i) => {
            let mut n = usize::from(*i < 0);
            let mut m = i.unsigned_abs();
            loop {
                n += 1;
                m /= 10;
                if m == 0 {
                    break n;
                }
            }
        }
        Value::Bool(b) => {
            if *b {
                4
            } else {
                5
            }
        }
        _ => 0,
    };
    n.min(u32::MAX as usize) as u32
}
