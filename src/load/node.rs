//! A YAML document as a tree of values that remember where they came from.
//!
//! serde-saphyr deserialises straight into typed structs, but an inventory's validation wants
//! to report every problem at once (not the first) with its own hint, so the loader reads into
//! this small spanned tree and the validator walks it against the field registry.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostic::{FileId, Loc};

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
    /// The value under a string key of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }
    /// A short description of what kind of value this is, for "expected X, found Y" messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
    /// The scalar as the user would read it back.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Str(s) => Some(s.clone()),
            _ => None,
        }
    }
}

/// What serde-saphyr hands back: every child wrapped in `Spanned` so it keeps its location.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, _v: &[u8]) -> Result<Raw, E> {
        Err(E::custom("binary values are not supported in an inventory"))
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some(k) = map.next_key::<Spanned<Raw>>()? {
            let v = map.next_value::<Spanned<Raw>>()?;
            entries.push((k, v));
        }
        Ok(Raw::Map(entries))
    }
}

fn loc_of(file: FileId, l: &serde_saphyr::Location, text_len: Option<usize>) -> Loc {
    let mut loc = Loc::new(
        file,
        l.line().min(u32::MAX as u64) as u32,
        l.column().min(u32::MAX as u64) as u32,
    );
    loc.len = text_len.unwrap_or(0).min(u32::MAX as usize) as u32;
    loc
}

fn convert(file: FileId, s: Spanned<Raw>) -> Node {
    let len = match &s.value {
        Raw::Str(t) => Some(t.chars().count()),
        Raw::Int(i) => Some(i.to_string().len()),
        Raw::Bool(b) => Some(if *b { 4 } else { 5 }),
        _ => None,
    };
    let loc = loc_of(file, &s.referenced, len);
    let value = match s.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => Value::Int(i),
        Raw::Float(f) => Value::Float(f),
        Raw::Str(t) => Value::Str(t),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(|i| convert(file, i)).collect()),
        Raw::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (convert(file, k), convert(file, v)))
                .collect(),
        ),
    };
    Node { value, loc }
}

/// Limits that keep a hostile file from costing unbounded time or memory.
///
/// Work that grows with the input (events, nodes, scalar bytes) is budgeted in proportion to the
/// file's size, so a large genuine inventory is never refused for its size alone; what does not
/// grow with the input is capped: nesting depth and alias expansion (the billion-laughs attack).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_depth: usize,
    pub max_nodes: usize,
    pub max_aliases: usize,
    /// Events that aliases may replay in one file, at least; a bigger file gets one per byte.
    pub max_alias_replay_events: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 64,
            max_nodes: 20_000_000,
            max_aliases: 10_000,
            max_alias_replay_events: 50_000,
        }
    }
}

/// Stack for the parser thread. A debug build spends ~40 KiB of stack per nesting level in the
/// serde-saphyr → `Spanned<Raw>` recursion, so 64 levels overflow a 2 MiB thread (the test
/// harness's default); the memory is only reserved, not touched, unless a file nests deeply.
const PARSER_STACK: usize = 64 * 1024 * 1024;

/// Parses one YAML (or JSON, which is YAML) document into a spanned tree.
pub fn parse_yaml(file: FileId, text: &str, limits: Limits) -> Result<Node, serde_saphyr::Error> {
    // Run on a thread of known stack size so that the depth limit, not the caller's stack,
    // decides how deep a file may nest. If no thread can be had, parse here.
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("cloudready-parse".into())
            .stack_size(PARSER_STACK)
            .spawn_scoped(scope, || parse_here(file, text, limits))
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => parse_here(file, text, limits),
        }
    })
}

fn parse_here(file: FileId, text: &str, limits: Limits) -> Result<Node, serde_saphyr::Error> {
    let len = text.len();
    let replay = limits.max_alias_replay_events.max(len);
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: limits.max_depth,
            flow_nesting_limit: limits.max_depth,
            max_nodes: limits.max_nodes,
            max_aliases: limits.max_aliases,
            max_anchors: limits.max_aliases,
            // Each event but a replayed one consumes at least one byte of input.
            max_events: len.saturating_add(replay).saturating_add(1024),
            max_total_scalar_bytes: len.saturating_mul(2).max(64 * 1024 * 1024),
            max_documents: 1,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: replay,
            max_replay_stack_depth: limits.max_depth,
        },
        with_snippet: false,
        strict_booleans: true,
    };
    let raw: Spanned<Raw> = serde_saphyr::from_str_with_options(text, options)?;
    Ok(convert(file, raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_locations_of_keys_and_values() {
        let n = parse_yaml(0, "a: 1\nb:\n  c: [x, \"y\"]\n", Limits::default()).unwrap();
        let b = n.get("b").unwrap();
        let c = b.get("c").unwrap();
        let Value::Seq(items) = &c.value else {
            panic!("not a seq")
        };
        assert_eq!((items[1].loc.line, items[1].loc.col), (3, 10));
        assert_eq!(items[1].as_str(), Some("y"));
        let (k, _) = &n.as_map().unwrap()[1];
        assert_eq!((k.loc.line, k.loc.col), (2, 1));
    }

    #[test]
    fn unquoted_colon_value_is_a_parse_error() {
        let e = parse_yaml(
            0,
            "x:\n  classification: OFFICIAL: Sensitive\n",
            Limits::default(),
        )
        .unwrap_err();
        assert_eq!(e.location().map(|l| l.line()), Some(2));
    }

    #[test]
    fn json_reads_as_yaml() {
        let n = parse_yaml(0, "{\"a\": {\"b\": true}}", Limits::default()).unwrap();
        assert_eq!(
            n.get("a").unwrap().get("b").unwrap().value,
            Value::Bool(true)
        );
    }
}
