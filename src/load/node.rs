//! A YAML document as a tree of values that remember where they came from.
//!
//! An inventory's validation wants to report every problem at once (not the first) with its own
//! hint, so the loader reads into this small spanned tree and the validator walks it against the
//! field registry. `load::parse_yaml` builds it; this module is only the data, so every reader
//! (the event builder, CSV, the tests' serde-saphyr oracle) depends on it and it on none of them.

use crate::diagnostic::Loc;

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

/// Why a document could not be read: a syntax error, or a safety limit it ran into.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    /// What went wrong, without the place (that is `line`/`col`).
    pub message: String,
    /// 1-based; 0 when the parser could not say where.
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// Not valid YAML (or a value the schema cannot take, such as `.inf`).
    Syntax,
    /// Nesting deeper than [`Limits::max_depth`].
    Depth,
    /// Aliases or anchors past their limits: a possible billion-laughs attack.
    AliasBomb,
    /// More values, events or text than the input's size allows.
    TooBig,
    /// More than one document in the file.
    Documents,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if self.line > 0 {
            write!(f, " at line {} column {}", self.line, self.col)?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}
