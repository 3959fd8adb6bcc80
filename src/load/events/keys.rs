//! Key tracking: each open mapping's keys, to refuse a duplicate as serde-saphyr does.

use std::collections::HashSet;

use super::tags::TagKind;
use crate::load::node::{Node, Value};
use crate::load::scalar;

/// A key's identity for duplicate detection, as serde-saphyr compares keys: integers by value
/// (`0x10` and `16` are the same key), everything else by its text and what it resolves to
/// (plain `true` and `"true"` are the same key; `1` and `"1"` are not).
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) enum Fp {
    Int(bool, u128),
    /// Class and text; a key is usually a short word, kept inline to spare an allocation.
    Short(u8, u8, [u8; SHORT]),
    Text(u8, Box<str>),
}

const SHORT: usize = 22;

impl Fp {
    fn text(class: u8, text: &str) -> Fp {
        if text.len() <= SHORT {
            let mut buf = [0u8; SHORT];
            buf[..text.len()].copy_from_slice(text.as_bytes());
            Fp::Short(class, text.len() as u8, buf)
        } else {
            Fp::Text(class, text.into())
        }
    }

    /// The key as written, for messages (integers are shown from their value instead).
    pub(super) fn written(&self) -> Option<&str> {
        match self {
            Fp::Int(..) => None,
            Fp::Short(_, len, buf) => std::str::from_utf8(&buf[..usize::from(*len)]).ok(),
            Fp::Text(_, t) => Some(t),
        }
    }
}

const FP_STR: u8 = 0;
const FP_NULL: u8 = 1;
const FP_BOOL: u8 = 2;
const FP_INT: u8 = 3;
const FP_FLOAT: u8 = 4;

pub(super) fn scalar_fp(text: &str, tag: TagKind, plain: bool) -> Fp {
    if tag == TagKind::Int || (tag == TagKind::None && plain) {
        let t = scalar::trim(text);
        let parsed = if t.starts_with('-') {
            scalar::int_signed(t).map(|v| (v < 0, v.unsigned_abs()))
        } else {
            scalar::int_unsigned(t).map(|v| (false, v))
        };
        if let Some((neg, mag)) = parsed {
            return Fp::Int(neg, mag);
        }
    }
    let class = match tag {
        TagKind::None if plain && scalar::is_nullish(text) => FP_NULL,
        TagKind::Null => FP_NULL,
        TagKind::Bool => FP_BOOL,
        TagKind::Int => FP_INT,
        TagKind::Float => FP_FLOAT,
        _ => FP_STR,
    };
    Fp::text(class, text)
}

/// The fingerprint of a key that reaches a mapping through a merge, from its value alone;
/// `None` when its spelling (`True`, `~`, `1.0`), which identity depends on, is gone by now.
pub(super) fn node_fp(n: &Node) -> Option<Fp> {
    match &n.value {
        Value::Str(s) => Some(Fp::text(FP_STR, s)),
        Value::Int(i) => Some(Fp::Int(*i < 0, i.unsigned_abs() as u128)),
        _ => None,
    }
}

/// Keys seen in the open mappings: the usual small mapping's are scanned on the builder's
/// shared list (from the frame's `start`), a big one's move to its own hash set.
#[derive(Default)]
pub(super) struct Seen {
    start: usize,
    many: Option<HashSet<Fp>>,
}

impl Seen {
    /// Keys of a mapping opening now, on top of `shared`.
    pub(super) fn open(shared: &[Fp]) -> Seen {
        Seen {
            start: shared.len(),
            many: None,
        }
    }

    /// The key back if it was there already.
    pub(super) fn insert(&mut self, fp: Fp, shared: &mut Vec<Fp>) -> Result<(), Fp> {
        if let Some(set) = &mut self.many {
            if set.contains(&fp) {
                return Err(fp);
            }
            set.insert(fp);
            return Ok(());
        }
        if shared[self.start..].contains(&fp) {
            return Err(fp);
        }
        shared.push(fp);
        if shared.len() - self.start > 16 {
            self.many = Some(shared.drain(self.start..).collect());
        }
        Ok(())
    }

    pub(super) fn close(&self, shared: &mut Vec<Fp>) {
        shared.truncate(self.start);
    }
}
