//! The serde-saphyr route to a [`Node`] tree: serde-saphyr → `Spanned<Raw>` → `Node`.
//!
//! Test-only: the event builder in [`super::events`] is the loader (about 4x faster), and this
//! route is the oracle its differential tests compare it against, tree for tree and location
//! for location.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::node::{Limits, Node, ParseError, ParseErrorKind, Value};
use crate::diagnostic::{FileId, Loc};

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

/// Stack for the parser thread. A debug build spends ~40 KiB of stack per nesting level in the
/// serde-saphyr → `Spanned<Raw>` recursion, so 64 levels overflow a 2 MiB thread (the test
/// harness's default); the memory is only reserved, not touched, unless a file nests deeply.
const PARSER_STACK: usize = 64 * 1024 * 1024;

/// Parses one document through serde-saphyr, on a thread of known stack size so that the depth
/// limit, not the caller's stack, decides how deep a file may nest.
pub(crate) fn parse_yaml(file: FileId, text: &str, limits: Limits) -> Result<Node, ParseError> {
    let result = std::thread::scope(|scope| {
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
    });
    result.map_err(|e| parse_error(&e, limits))
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

/// serde-saphyr's error as ours: the limit it ran into, or its message and place.
fn parse_error(e: &serde_saphyr::Error, limits: Limits) -> ParseError {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let (line, col) = e.location().filter(|l| l.line() > 0).map_or((0, 0), |l| {
        (
            l.line().min(u32::MAX as u64) as u32,
            l.column().min(u32::MAX as u64) as u32,
        )
    });
    let limit = |kind: ParseErrorKind, message: String| ParseError {
        kind,
        message,
        line,
        col,
    };
    let depth = || {
        limit(
            ParseErrorKind::Depth,
            format!("nesting deeper than {} levels", limits.max_depth),
        )
    };
    let aliases = |what: String| limit(ParseErrorKind::AliasBomb, what);
    let size = |what: String| limit(ParseErrorKind::TooBig, what);
    // Peel the wrappers that only add context (source snippet, the alias a value came through).
    let mut inner = e;
    while let E::WithSnippet { error, .. } | E::AliasError { error, .. } = inner {
        inner = error;
    }
    match inner {
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => depth(),
            B::Aliases { aliases: n } => {
                aliases(format!("more than {} aliases", n.saturating_sub(1)))
            }
            B::Anchors { anchors: n } => {
                aliases(format!("more than {} anchors", n.saturating_sub(1)))
            }
            B::AliasAnchorRatio { .. } => aliases("far more aliases than anchors".into()),
            B::Events { events } => size(format!(
                "more than {} parser events",
                events.saturating_sub(1)
            )),
            B::Nodes { nodes } => size(format!("more than {} values", nodes.saturating_sub(1))),
            B::ScalarBytes { total_scalar_bytes } => size(format!(
                "more than {total_scalar_bytes} bytes of text values"
            )),
            B::Documents { .. } => limit(
                ParseErrorKind::Documents,
                "more than one YAML document (`---`) in one file".into(),
            ),
            other => size(format!("a parser safety limit was exceeded ({other:?})")),
        },
        E::AliasReplayLimitExceeded {
            max_total_replayed_events,
            ..
        } => aliases(format!(
            "aliases expand to more than {max_total_replayed_events} values"
        )),
        E::AliasExpansionLimitExceeded {
            max_expansions_per_anchor,
            ..
        } => aliases(format!(
            "one anchor is expanded more than {max_expansions_per_anchor} times"
        )),
        E::AliasReplayStackDepthExceeded { max_depth, .. } => {
            aliases(format!("aliases nest more than {max_depth} levels deep"))
        }
        other if other.to_string().contains("recursion limit exceeded") => depth(),
        _ => {
            let mut message = e.without_snippet().to_string();
            // The parser appends its own "at line X column Y"; ours is in the arrow line.
            for marker in [" at line ", " (line "] {
                if let Some(i) = message.find(marker) {
                    message.truncate(i);
                }
            }
            limit(ParseErrorKind::Syntax, message)
        }
    }
}
