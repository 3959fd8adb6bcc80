//! The spanned [`Node`] tree built straight from granit-parser's event stream.
//!
//! serde-saphyr drives the same parser but, for a spanned untyped tree, spends most of its time
//! in `Spanned`/`Location` map visitors and buffering (about 2 s for a 15 MB inventory against
//! 0.45 s for the parser alone). This builder folds the events into the tree as they arrive, on
//! an explicit stack (so nesting depth costs heap, never call stack), with serde-saphyr's
//! meaning for every scalar, tag, anchor, alias and merge key, and with the same safety limits.
//! What it does not read the same way is handed back as [`Failure::Unsupported`].

use std::borrow::Cow;
use std::collections::HashSet;

use granit_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};

use super::node::{Limits, Node, ParseError, ParseErrorKind, Value};
use super::scalar::{self, Resolved};
use crate::diagnostic::{FileId, Loc};

pub enum Failure {
    Error(ParseError),
    /// A construct this builder leaves to serde-saphyr: a tag outside the core schema, or a
    /// mapping/list used as a key.
    Unsupported,
}

impl From<ParseError> for Failure {
    fn from(e: ParseError) -> Self {
        Failure::Error(e)
    }
}

type Result<T> = std::result::Result<T, Failure>;

/// What a tag asks of its node. Only the YAML core schema and the non-specific `!`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TagKind {
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

fn tag_kind(tag: Option<&Tag>) -> Result<TagKind> {
    let Some(tag) = tag else {
        return Ok(TagKind::None);
    };
    if let Some(core) = tag.core_suffix() {
        return Ok(match core {
            "null" => TagKind::Null,
            "bool" => TagKind::Bool,
            "int" => TagKind::Int,
            "float" => TagKind::Float,
            "map" => TagKind::Map,
            "seq" => TagKind::Seq,
            "str" => TagKind::Str,
            _ => return Err(Failure::Unsupported),
        });
    }
    if tag.suffix_in_namespace("tag:yaml.org,2002:").is_none()
        && tag
            .suffix_in_namespace("!")
            .is_some_and(|s| matches!(s.as_ref(), "" | "!"))
    {
        return Ok(TagKind::NonSpecific);
    }
    Err(Failure::Unsupported)
}

/// A key's identity for duplicate detection, as serde-saphyr compares keys: integers by value
/// (`0x10` and `16` are the same key), everything else by its text and what it resolves to
/// (plain `true` and `"true"` are the same key; `1` and `"1"` are not).
#[derive(Clone, PartialEq, Eq, Hash)]
enum Fp {
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
    fn written(&self) -> Option<&str> {
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

fn scalar_fp(text: &str, tag: TagKind, plain: bool) -> Fp {
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

/// The fingerprint of a key that reaches a mapping through a merge, from its value alone.
fn node_fp(n: &Node) -> Result<Fp> {
    match &n.value {
        Value::Str(s) => Ok(Fp::text(FP_STR, s)),
        Value::Int(i) => Ok(Fp::Int(*i < 0, i.unsigned_abs() as u128)),
        // Their spelling (`True`, `~`, `1.0`), which identity depends on, is gone by now.
        _ => Err(Failure::Unsupported),
    }
}

/// Keys seen in the open mappings: the usual small mapping's are scanned on the builder's
/// shared list (from the frame's `start`), a big one's move to its own hash set.
#[derive(Default)]
struct Seen {
    start: usize,
    many: Option<HashSet<Fp>>,
}

impl Seen {
    /// The key back if it was there already.
    fn insert(&mut self, fp: Fp, shared: &mut Vec<Fp>) -> std::result::Result<(), Fp> {
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

    fn close(&self, shared: &mut Vec<Fp>) {
        shared.truncate(self.start);
    }
}

/// What a finished node tells the mapping it lands in, if it lands there as a key.
enum KeyInfo {
    Fp(Fp),
    /// A plain `<<`: the value is merged into the mapping.
    Merge,
    /// A collection: keys serde-saphyr compares structurally; left to it.
    Complex,
}

enum KeyState {
    Expect,
    Have(Node),
    Merge,
}

/// An open mapping; its entries so far are on the builder's `pairs` from `start`.
struct MapFrame {
    start: usize,
    key: KeyState,
    merges: Vec<Vec<(Node, Node)>>,
    seen: Seen,
}

/// An open collection. Children gather on the builder's shared stacks (`items`, `pairs`) and
/// move into one exactly-sized `Vec` when the collection closes, instead of each collection
/// growing its own by doubling.
enum Open {
    /// Its items so far are on the builder's `items` from here.
    Seq(usize),
    Map(MapFrame),
}

struct Frame {
    loc: Loc,
    anchor: usize,
    open: Open,
    /// Where this collection's children are reported, if not at their own place: inside the
    /// value of a merge key (`<<: {a: 1}`), serde-saphyr reports every node that did not come
    /// through an alias at the merged mapping.
    children_at: Option<Loc>,
    /// This list is the value of a merge key: each mapping in it places its own children.
    merge_list: bool,
}

/// What replaying an anchored node costs, measured once when the anchor closes.
#[derive(Clone)]
struct Anchored {
    node: Node,
    key: Option<KeyInfoStored>,
    events: usize,
    nodes: usize,
    depth: usize,
    scalar_bytes: usize,
}

#[derive(Clone)]
enum KeyInfoStored {
    Fp(Fp),
    Merge,
}

struct Builder {
    file: FileId,
    limits: Limits,
    max_events: usize,
    max_scalar_bytes: usize,
    max_replay: usize,
    stack: Vec<Frame>,
    items: Vec<Node>,
    pairs: Vec<(Node, Node)>,
    fps: Vec<Fp>,
    root: Option<Node>,
    anchors: Vec<Option<Anchored>>,
    anchors_defined: usize,
    aliases: usize,
    replayed: usize,
    events: usize,
    nodes: usize,
    scalar_bytes: usize,
    documents: usize,
    last: Loc,
}

/// Parses one document; see the module doc.
pub fn parse(file: FileId, text: &str, limits: Limits) -> Result<Node> {
    let len = text.len();
    let replay = limits.max_alias_replay_events.max(len);
    let mut options = granit_parser::Options::default();
    options.flow_nesting_limit = limits.max_depth;
    // As serde-saphyr sets it: the first container past the limit reaches the depth check, so
    // the error names the limit.
    options.block_nesting_limit = options
        .block_nesting_limit
        .max(limits.max_depth.saturating_add(1));
    options.emit_comments = false;
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut b = Builder {
        file,
        limits,
        max_events: len.saturating_add(replay).saturating_add(1024),
        max_scalar_bytes: len.saturating_mul(2).max(64 * 1024 * 1024),
        max_replay: replay,
        stack: Vec::new(),
        items: Vec::new(),
        pairs: Vec::new(),
        fps: Vec::new(),
        root: None,
        anchors: Vec::new(),
        anchors_defined: 0,
        aliases: 0,
        replayed: 0,
        events: 0,
        nodes: 0,
        scalar_bytes: 0,
        documents: 0,
        last: Loc::new(file, 0, 0),
    };
    while let Some(item) = parser.next_event() {
        let (event, span) = item.map_err(|e| scan_error(&e, limits))?;
        if b.event(event, &span)? {
            break;
        }
    }
    b.finish()
}

fn scan_error(e: &ScanError, limits: Limits) -> ParseError {
    let m = e.marker();
    let (line, col) = (clamp(m.line()), clamp(m.col() + 1));
    if matches!(e.kind(), granit_parser::ErrorKind::RecursionLimitExceeded) {
        return ParseError {
            kind: ParseErrorKind::Depth,
            message: depth_message(limits),
            line,
            col,
        };
    }
    ParseError {
        kind: ParseErrorKind::Syntax,
        message: e.info(),
        line,
        col,
    }
}

fn depth_message(limits: Limits) -> String {
    format!("nesting deeper than {} levels", limits.max_depth)
}

fn clamp(n: usize) -> u32 {
    n.min(u32::MAX as usize) as u32
}

/// The length of a scalar as the user reads it back, for underlining.
fn shown_len(v: &Value) -> u32 {
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
    clamp(n)
}

impl Builder {
    fn loc(&self, span: &Span) -> Loc {
        Loc::new(
            self.file,
            clamp(span.start.line()),
            clamp(span.start.col() + 1),
        )
    }

    fn error(&self, kind: ParseErrorKind, message: String, at: Loc) -> Failure {
        Failure::Error(ParseError {
            kind,
            message,
            line: at.line,
            col: at.col,
        })
    }

    fn syntax(&self, message: impl Into<String>, at: Loc) -> Failure {
        self.error(ParseErrorKind::Syntax, message.into(), at)
    }

    fn count_event(&mut self, at: Loc) -> Result<()> {
        self.events += 1;
        if self.events > self.max_events {
            return Err(self.error(
                ParseErrorKind::TooBig,
                format!("more than {} parser events", self.max_events),
                at,
            ));
        }
        Ok(())
    }

    fn count_node(&mut self, at: Loc) -> Result<()> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(self.too_many_nodes(at));
        }
        Ok(())
    }

    fn too_many_nodes(&self, at: Loc) -> Failure {
        self.error(
            ParseErrorKind::TooBig,
            format!("more than {} values", self.limits.max_nodes),
            at,
        )
    }

    fn count_scalar_bytes(&mut self, n: usize, at: Loc) -> Result<()> {
        self.scalar_bytes = self.scalar_bytes.saturating_add(n);
        if self.scalar_bytes > self.max_scalar_bytes {
            return Err(self.error(
                ParseErrorKind::TooBig,
                format!("more than {} bytes of text values", self.scalar_bytes),
                at,
            ));
        }
        Ok(())
    }

    fn define_anchor(&mut self, id: usize, at: Loc) -> Result<()> {
        self.anchors_defined += 1;
        if self.anchors_defined > self.limits.max_aliases {
            return Err(self.error(
                ParseErrorKind::AliasBomb,
                format!("more than {} anchors", self.limits.max_aliases),
                at,
            ));
        }
        if id >= self.anchors.len() {
            self.anchors.resize_with(id + 8, || None);
        }
        Ok(())
    }

    /// One event; true once the stream has ended.
    fn event(&mut self, event: Event<'_>, span: &Span) -> Result<bool> {
        let at = self.loc(span);
        if !matches!(event, Event::Alias(_)) {
            self.count_event(at)?;
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => self.scalar(text, style, anchor, tag, at)?,
            Event::SequenceStart(_, anchor, tag) => {
                if !matches!(
                    tag_kind(tag.as_deref())?,
                    TagKind::None | TagKind::NonSpecific | TagKind::Seq
                ) {
                    return Err(self.syntax("tag not allowed on a sequence", at));
                }
                self.open(Open::Seq(self.items.len()), anchor, at)?;
            }
            Event::MappingStart(_, anchor, tag) => {
                if !matches!(
                    tag_kind(tag.as_deref())?,
                    TagKind::None | TagKind::NonSpecific | TagKind::Map
                ) {
                    return Err(self.syntax("tag not allowed on a mapping", at));
                }
                self.open(
                    Open::Map(MapFrame {
                        start: self.pairs.len(),
                        key: KeyState::Expect,
                        merges: Vec::new(),
                        seen: Seen {
                            start: self.fps.len(),
                            many: None,
                        },
                    }),
                    anchor,
                    at,
                )?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(at)?,
            Event::Alias(id) => self.alias(id, at)?,
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(self.error(
                        ParseErrorKind::Documents,
                        "more than one YAML document (`---`) in one file".into(),
                        at,
                    ));
                }
                self.last = at;
            }
            Event::StreamEnd => {
                self.last = at;
                return Ok(true);
            }
            Event::StreamStart | Event::DocumentEnd => self.last = at,
            _ => return Err(Failure::Unsupported),
        }
        Ok(false)
    }

    /// Whether the next node is part of a merge key's value.
    fn in_merge(&self) -> bool {
        self.stack.last().is_some_and(|f| {
            f.children_at.is_some()
                || f.merge_list
                || matches!(
                    f.open,
                    Open::Map(MapFrame {
                        key: KeyState::Merge,
                        ..
                    })
                )
        })
    }

    /// Where a node that starts at `at` is reported, and where its children are.
    fn placement(&self, at: Loc, is_map: bool) -> (Loc, Option<Loc>, bool) {
        let Some(parent) = self.stack.last() else {
            return (at, None, false);
        };
        let own = parent.children_at.unwrap_or(at);
        let merge_value = matches!(
            &parent.open,
            Open::Map(MapFrame {
                key: KeyState::Merge,
                ..
            })
        );
        if merge_value && !is_map {
            return (own, parent.children_at, true);
        }
        if (merge_value || parent.merge_list) && is_map {
            return (own, Some(own), false);
        }
        (own, parent.children_at, false)
    }

    fn open(&mut self, open: Open, anchor: usize, at: Loc) -> Result<()> {
        self.count_node(at)?;
        if matches!(open, Open::Seq(_)) && self.stack.last().is_some_and(|p| p.merge_list) {
            // Lists in a merge key's list: rare enough to leave to serde-saphyr.
            return Err(Failure::Unsupported);
        }
        let (loc, children_at, merge_list) = self.placement(at, matches!(open, Open::Map(_)));
        if self.stack.len() + 1 > self.limits.max_depth {
            return Err(self.error(ParseErrorKind::Depth, depth_message(self.limits), at));
        }
        if anchor != 0 {
            self.define_anchor(anchor, at)?;
        }
        self.stack.push(Frame {
            loc,
            anchor,
            open,
            children_at,
            merge_list,
        });
        Ok(())
    }

    fn close(&mut self, at: Loc) -> Result<()> {
        let Some(frame) = self.stack.pop() else {
            return Err(self.syntax("unexpected end of a collection", at));
        };
        let value = match frame.open {
            Open::Seq(start) => Value::Seq(self.items.drain(start..).collect()),
            Open::Map(m) => {
                let mut seen = m.seen;
                for batch in m.merges {
                    for (k, v) in batch {
                        // Explicit keys win over merged ones, and earlier merges over later.
                        if seen.insert(node_fp(&k)?, &mut self.fps).is_ok() {
                            self.pairs.push((k, v));
                        }
                    }
                }
                seen.close(&mut self.fps);
                Value::Map(self.pairs.drain(m.start..).collect())
            }
        };
        let key = KeyInfo::Complex;
        let node = Node {
            value,
            loc: frame.loc,
        };
        if frame.anchor != 0 {
            self.remember(frame.anchor, &node, None);
        }
        self.attach(node, key)
    }

    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<Cow<'_, Tag>>,
        at: Loc,
    ) -> Result<()> {
        self.count_node(at)?;
        let tag_len = tag
            .as_deref()
            .map_or(0, |t| t.handle().len() + t.suffix().len());
        self.count_scalar_bytes(text.len() + tag_len, at)?;
        if anchor != 0 {
            self.define_anchor(anchor, at)?;
        }
        let kind = tag_kind(tag.as_deref())?;
        let plain = style == ScalarStyle::Plain;
        let expecting_key = matches!(
            self.stack.last(),
            Some(Frame {
                open: Open::Map(MapFrame {
                    key: KeyState::Expect,
                    ..
                }),
                ..
            })
        );
        let key = if kind == TagKind::None && plain && text == "<<" {
            KeyInfo::Merge
        } else if expecting_key || anchor != 0 {
            KeyInfo::Fp(scalar_fp(&text, kind, plain))
        } else {
            // Never read: a value's identity matters only to the mapping it is a key of.
            KeyInfo::Complex
        };
        let value = match self.resolve(text, style, kind, at) {
            Ok(v) => v,
            // serde-saphyr reads a merged value only if its key is not overridden, so whether
            // a bad scalar there is an error depends on keys still to come: its call.
            Err(_) if self.in_merge() => return Err(Failure::Unsupported),
            Err(e) => return Err(e),
        };
        let mut loc = self.stack.last().and_then(|p| p.children_at).unwrap_or(at);
        loc.len = shown_len(&value);
        let node = Node { value, loc };
        if anchor != 0 {
            let stored = match &key {
                KeyInfo::Fp(fp) => Some(KeyInfoStored::Fp(fp.clone())),
                KeyInfo::Merge => Some(KeyInfoStored::Merge),
                KeyInfo::Complex => None,
            };
            self.remember(anchor, &node, stored);
        }
        self.attach(node, key)
    }

    fn resolve(
        &self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        kind: TagKind,
        at: Loc,
    ) -> Result<Value> {
        let invalid = |what: &str| self.syntax(format!("not {what}: `{text}`"), at);
        Ok(match kind {
            TagKind::None if style == ScalarStyle::Plain => match scalar::plain(&text) {
                Ok(Resolved::Null) => Value::Null,
                Ok(Resolved::Bool(b)) => Value::Bool(b),
                Ok(Resolved::Int(i)) => Value::Int(i),
                Ok(Resolved::Float(f)) => Value::Float(f),
                Ok(Resolved::Str) => Value::Str(text.into_owned()),
                Err(message) => return Err(self.syntax(message, at)),
            },
            TagKind::None | TagKind::Str | TagKind::NonSpecific => Value::Str(text.into_owned()),
            TagKind::Null => Value::Null,
            TagKind::Bool => Value::Bool(
                scalar::bool12(&text).ok_or_else(|| invalid("a boolean (true or false)"))?,
            ),
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
                    return Err(self.syntax(scalar::non_finite(&text), at));
                }
                Value::Float(v)
            }
            TagKind::Seq | TagKind::Map => {
                return Err(self.syntax("a collection tag on a scalar", at));
            }
        })
    }

    fn remember(&mut self, id: usize, node: &Node, key: Option<KeyInfoStored>) {
        let (mut events, mut nodes, mut scalar_bytes) = (0usize, 0usize, 0usize);
        let depth = measure(node, &mut events, &mut nodes, &mut scalar_bytes);
        if id >= self.anchors.len() {
            self.anchors.resize_with(id + 8, || None);
        }
        self.anchors[id] = Some(Anchored {
            node: node.clone(),
            key,
            events,
            nodes,
            depth,
            scalar_bytes,
        });
    }

    fn alias(&mut self, id: usize, at: Loc) -> Result<()> {
        self.count_event(at)?;
        self.aliases += 1;
        if self.aliases > self.limits.max_aliases {
            return Err(self.error(
                ParseErrorKind::AliasBomb,
                format!("more than {} aliases", self.limits.max_aliases),
                at,
            ));
        }
        let Some(a) = self.anchors.get(id).and_then(Option::as_ref) else {
            if self.stack.iter().any(|f| f.anchor == id) {
                return Err(self.syntax(
                    "an alias refers to the value it is inside (a recursive reference)",
                    at,
                ));
            }
            return Err(self.syntax("unknown anchor", at));
        };
        // Everything an expansion costs is counted before anything is copied.
        let (events, nodes, depth, bytes) = (a.events, a.nodes, a.depth, a.scalar_bytes);
        self.replayed = self.replayed.saturating_add(events);
        if self.replayed > self.max_replay {
            return Err(self.error(
                ParseErrorKind::AliasBomb,
                format!("aliases expand to more than {} values", self.max_replay),
                at,
            ));
        }
        if self.stack.len() + depth > self.limits.max_depth {
            return Err(self.error(ParseErrorKind::Depth, depth_message(self.limits), at));
        }
        self.events = self.events.saturating_add(events);
        if self.events > self.max_events {
            return Err(self.error(
                ParseErrorKind::TooBig,
                format!("more than {} parser events", self.max_events),
                at,
            ));
        }
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > self.limits.max_nodes {
            return Err(self.too_many_nodes(at));
        }
        self.count_scalar_bytes(bytes, at)?;
        let Some(a) = self.anchors.get(id).and_then(Option::as_ref) else {
            return Err(self.syntax("unknown anchor", at));
        };
        let key = match &a.key {
            Some(KeyInfoStored::Fp(fp)) => KeyInfo::Fp(fp.clone()),
            Some(KeyInfoStored::Merge) => KeyInfo::Merge,
            None => KeyInfo::Complex,
        };
        let mut node = a.node.clone();
        // A replayed value is reported where it is used, as serde-saphyr's `Spanned` does.
        relocate(&mut node, at);
        self.attach(node, key)
    }

    /// Puts a finished node where it belongs: the root, a list item, a key or a value.
    fn attach(&mut self, node: Node, key: KeyInfo) -> Result<()> {
        let Some(top) = self.stack.last_mut() else {
            if self.root.is_some() {
                return Err(self.syntax("more than one value in the document", node.loc));
            }
            self.root = Some(node);
            return Ok(());
        };
        match &mut top.open {
            Open::Seq(_) => self.items.push(node),
            Open::Map(m) => match std::mem::replace(&mut m.key, KeyState::Expect) {
                KeyState::Expect => match key {
                    // A merge inside a merged value: serde-saphyr's rules for it are its own.
                    KeyInfo::Merge if top.children_at.is_some() => {
                        return Err(Failure::Unsupported);
                    }
                    KeyInfo::Merge => m.key = KeyState::Merge,
                    KeyInfo::Complex => return Err(Failure::Unsupported),
                    KeyInfo::Fp(fp) => {
                        if let Err(fp) = m.seen.insert(fp, &mut self.fps) {
                            let name = fp.written().map(str::to_owned);
                            let name = name.or_else(|| node.scalar_text()).unwrap_or_default();
                            return Err(
                                self.syntax(format!("duplicate mapping key: {name}"), node.loc)
                            );
                        }
                        m.key = KeyState::Have(node);
                    }
                },
                KeyState::Have(k) => self.pairs.push((k, node)),
                KeyState::Merge => {
                    let batch = merge_entries(node).map_err(|at| {
                        Failure::Error(ParseError {
                            kind: ParseErrorKind::Syntax,
                            message: "the value of a merge key (`<<`) must be a mapping or a list of mappings".into(),
                            line: at.line,
                            col: at.col,
                        })
                    })?;
                    if !batch.is_empty() {
                        m.merges.push(batch);
                    }
                }
            },
        }
        Ok(())
    }

    fn finish(self) -> Result<Node> {
        if !self.stack.is_empty() {
            return Err(self.syntax("unexpected end of input", self.last));
        }
        let b = &self;
        if b.aliases >= 100 && (b.anchors_defined == 0 || b.aliases > 10 * b.anchors_defined) {
            return Err(b.error(
                ParseErrorKind::AliasBomb,
                "far more aliases than anchors".into(),
                b.last,
            ));
        }
        Ok(self.root.unwrap_or(Node {
            value: Value::Null,
            loc: self.last,
        }))
    }
}

/// The entries a `<<` value brings (already placed as they were built), or where it is wrong.
fn merge_entries(v: Node) -> std::result::Result<Vec<(Node, Node)>, Loc> {
    match v.value {
        Value::Null => Ok(Vec::new()),
        Value::Map(entries) => Ok(entries),
        // A list's mappings (and lists) in order.
        Value::Seq(items) => {
            let mut all = Vec::new();
            for item in items {
                all.extend(merge_entries(item)?);
            }
            Ok(all)
        }
        _ => Err(v.loc),
    }
}

/// Moves a tree to `at`, keeping each node's own length.
fn relocate(n: &mut Node, at: Loc) {
    n.loc.file = at.file;
    n.loc.line = at.line;
    n.loc.col = at.col;
    match &mut n.value {
        Value::Seq(items) => items.iter_mut().for_each(|i| relocate(i, at)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            relocate(k, at);
            relocate(v, at);
        }),
        _ => {}
    }
}

/// Events, nodes, nesting depth and scalar bytes a replay of `n` produces; returns the depth.
fn measure(n: &Node, events: &mut usize, nodes: &mut usize, bytes: &mut usize) -> usize {
    *nodes += 1;
    match &n.value {
        Value::Seq(items) => {
            *events += 2;
            1 + items
                .iter()
                .map(|i| measure(i, events, nodes, bytes))
                .max()
                .unwrap_or(0)
        }
        Value::Map(entries) => {
            *events += 2;
            1 + entries
                .iter()
                .map(|(k, v)| {
                    measure(k, events, nodes, bytes).max(measure(v, events, nodes, bytes))
                })
                .max()
                .unwrap_or(0)
        }
        Value::Str(s) => {
            *events += 1;
            *bytes += s.len();
            0
        }
        _ => {
            *events += 1;
            0
        }
    }
}

#[cfg(test)]
mod tests {
    //! Differential tests: the builder against the serde-saphyr route it replaces, which is
    //! the oracle. Both must give the identical tree (every value and every location), or both
    //! refuse the document.

    use super::*;
    use proptest::prelude::*;

    const FILE: FileId = 3;

    /// Some(true): same tree; Some(false): both refused; None: the builder handed it back.
    fn same(text: &str) -> Option<bool> {
        let limits = Limits::default();
        let oracle = super::super::saphyr::parse_yaml(FILE, text, limits);
        match (parse(FILE, text, limits), oracle) {
            (Err(Failure::Unsupported), _) => None,
            (Ok(fast), Ok(slow)) => {
                assert_eq!(fast, slow, "different trees for {text:?}");
                Some(true)
            }
            (Err(Failure::Error(_)), Err(_)) => Some(false),
            (Ok(fast), Err(e)) => {
                panic!("builder accepted what serde-saphyr refused ({e}): {text:?}\n{fast:?}")
            }
            (Err(Failure::Error(e)), Ok(slow)) => {
                panic!("builder refused ({e}) what serde-saphyr accepted: {text:?}\n{slow:?}")
            }
        }
    }

    fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                files_under(&p, out);
            } else if p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
            {
                out.push(p);
            }
        }
    }

    #[test]
    fn every_example_fixture_and_seed_reads_the_same() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for d in ["examples", "tests/fixtures", "fuzz/seeds", "principles"] {
            files_under(&root.join(d), &mut files);
        }
        files.sort();
        assert!(files.len() >= 30, "found only {} files", files.len());
        let mut accepted = 0;
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap();
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            match same(text) {
                Some(true) => accepted += 1,
                Some(false) => {}
                None => panic!("{} is left to serde-saphyr", f.display()),
            }
        }
        println!("{} files compared, {accepted} accepted", files.len());
    }

    const TRICKY: &[&str] = &[
        "",
        "   \n# only a comment\n",
        "---\n",
        "---\n...\n",
        "a: 1\n---\nb: 2\n",
        "--- a\n",
        "~",
        "null",
        "a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: ''\ng: \"\"\n",
        "yes: no\non: off\ny: n\n",
        "[true, True, TRUE, false, False, FALSE, tRue]",
        "[0x1F, 0X1f, 0o17, 0O17, 0b101, 1_000, 1__0, _1, 1_, 012, -012, +12, -0, 0, 00]",
        "[0x, 0o, 0b, 0x_1, 0xG, -0x1F, +0x1F, 9223372036854775807, 9223372036854775808, -9223372036854775808, -9223372036854775809, 18446744073709551615, 18446744073709551616, 340282366920938463463374607431768211456]",
        "[1.5, -1.5, +1.5, .5, 5., 1e3, 1E3, 1e-3, 1.5e+3, 1_000.5, 0.0, -0.0, 1e308]",
        "a: .inf\n",
        "a: -.Inf\n",
        "a: .nan\n",
        "a: 1e999\n",
        "[inf, nan, infinity, -inf, .infx, ..5, 1.2.3, 1e, e1, 0x1.8p3]",
        "[\"1\", '2', \"true\", 'null', \"~\", \"0x1F\", \"\"]",
        "a: !!str 123\nb: !!int \"42\"\nc: !!float 1\nd: !!bool true\ne: !!null x\n",
        "f: !!str\nh: !!int -7\ni: !!int 0x10\nj: !!str ~\nk: !!null\n",
        "g: ! 12\n",
        "g: !<tag:yaml.org,2002:str> 12\n",
        "%TAG !e! tag:yaml.org,2002:\n---\ng: !e!int 12\n",
        "a: !!bool yes\n",
        "a: !!int abc\n",
        "a: !!int 1.5\n",
        "a: !!float abc\n",
        "a: !!float .inf\n",
        "a: !!str [1]\n",
        "a: !!seq [1]\nb: !!map {x: 1}\n",
        "a: !!map [1]\n",
        "a: !custom x\n",
        "a: !!binary aGVsbG8=\n",
        "base: &b {x: 1, y: 2}\nc: *b\nd:\n  <<: *b\n  y: 3\n",
        "base: &b\n  x: 1\nother: &o\n  x: 2\n  z: 4\nm:\n  <<: [*b, *o]\n  w: 0\n",
        "m:\n  <<: {a: 1, b: {c: 2}}\n  a: 0\n",
        "m:\n  <<: ~\n  a: 1\n",
        "m:\n  <<:\n  a: 1\n",
        "m:\n  <<: 5\n",
        "m:\n  <<: [1]\n",
        "a: &x 1\nb: *x\nc: [*x, *x]\n",
        "a: &x [1, {b: &y c}]\nd: *x\ne: *y\n",
        "a: *nope\n",
        "a: &x [1, *x]\n",
        "&k key: 1\n*k : 2\n",
        "a: 1\na: 2\n",
        "a: 1\n\"a\": 2\n",
        "1: a\n\"1\": b\n",
        "1: a\n0x1: b\n",
        "true: a\n\"true\": b\n",
        "True: a\n\"true\": b\n",
        "~: a\nnull: b\n",
        "~: a\n~: b\n",
        "? a\n? b\n: c\n",
        "? [a, b]\n: c\n",
        "{a: 1, b: [x, {c: d}], e}",
        "[a, [b, [c, []]], {}]",
        "- a\n- - b\n  - c\n- {d: e}\n- [f]\n",
        "key: value with spaces\nother:   trailing   \n",
        "s: |\n  line 1\n  line 2\nt: >\n  folded\n  text\n\nu: |-\n  keep\nv: >+\n  x\n\n",
        "a: \"esc\\tapes \\u00e9 \\n\"\nb: 'it''s'\n",
        "a: plain\n  continued\n  lines\n",
        "a: 1 # comment\n# full\nb: 2\n",
        "a: 1\r\nb:\r\n  - x\r\n  - y\r\n",
        "\u{feff}a: 1\n",
        "a: b: c\n",
        "x:\n  classification: OFFICIAL: Sensitive\n",
        "a:\n\t- b\n",
        "a: [1, 2\n",
        "a: {b: 1\n",
        "- a\nb: c\n",
        "a: 1\n  b: 2\n",
        "\"unterminated\n",
        "a: 'x\n",
        "[a, b]]",
        "a: 1\n...\nb: 2\n",
        "%YAML 1.2\n---\na: 1\n",
        "é: ü\n日本: 語\n\"😀\": x\n",
        "a: -\nb: - x\n",
        "- \n- ~\n-\n",
        "workloads:\n  - id: a\n    name: A\n    tags: [x, y]\n",
        "<<: {a: 1}\n",
        "m:\n  <<: [[{a: 1}], {b: 2}]\n",
        "m:\n  <<: [[], {}, ~]\n  c: 3\n",
        "b: &b {x: 1}\nm:\n  <<: {a: *b, c: [*b]}\n",
        "b: &b {x: 1, <<: {y: 2}}\nm:\n  <<: *b\n  x: 0\n",
        "m:\n  <<: {a: 1, a: 2}\n",
        "m:\n  <<: {a: .inf}\n  a: 1\n",
        "m:\n  <<: {a: .inf}\n",
        "m:\n  <<: [{a: 1}, {a: 2, b: 3}]\n  b: 0\n",
        "a: <<\nb: [<<]\n",
        "&a a: &b b\n*a : c\n",
    ];

    #[test]
    fn tricky_snippets_read_the_same() {
        let mut accepted = 0;
        let mut refused = 0;
        let mut handed_back = 0;
        for t in TRICKY {
            match same(t) {
                Some(true) => accepted += 1,
                Some(false) => {
                    println!("both refuse: {t:?}");
                    refused += 1;
                }
                None => {
                    println!("left to serde-saphyr: {t:?}");
                    handed_back += 1;
                }
            }
        }
        println!(
            "{} snippets: {accepted} same tree, {refused} both refused, {handed_back} left to serde-saphyr",
            TRICKY.len()
        );
        assert!(accepted >= 40, "{accepted}");
        // Custom tags, collections as keys, and the odd corners of merge keys.
        assert!(handed_back <= 8, "{handed_back}");
    }

    /// Documents at and just past each limit: both must accept or both refuse.
    #[test]
    fn limits_agree() {
        let mut cases = Vec::new();
        for n in [62, 63, 64, 65, 66] {
            cases.push("[".repeat(n) + &"]".repeat(n));
            cases.push("{a: ".repeat(n) + "1" + &"}".repeat(n));
            cases.push(
                (0..n)
                    .map(|i| format!("{}- x{i}\n{}-", "  ".repeat(i), "  ".repeat(i)))
                    .collect::<String>(),
            );
            cases.push(
                (0..n)
                    .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
                    .collect::<String>(),
            );
            // An alias that nests a deep anchor one or two levels deeper.
            let deep = "[".repeat(n - 2) + &"]".repeat(n - 2);
            cases.push(format!("a: &d {deep}\nb: [*d]\nc: [[*d]]\n"));
        }
        for levels in 3..7 {
            let mut s =
                String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for i in 1..levels {
                let items = vec![format!("*a{}", i - 1); 10].join(", ");
                s.push_str(&format!("a{i}: &a{i} [{items}]\n"));
            }
            cases.push(s);
        }
        // Many aliases of one anchor: the alias/anchor ratio check.
        for n in [99, 100, 101] {
            cases.push(format!("a: &x 1\nb: [{}]\n", vec!["*x"; n].join(", ")));
        }
        let mut both_refused = 0;
        for c in &cases {
            if same(c) == Some(false) {
                both_refused += 1;
            }
        }
        assert!(both_refused >= 10, "{both_refused} of {}", cases.len());
    }

    fn atom() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "a",
            "b",
            "key",
            "x y",
            "1",
            "-2",
            "0x1F",
            "0o7",
            "1_000",
            "012",
            "1.5",
            ".5",
            "1e3",
            "true",
            "False",
            "yes",
            "no",
            "~",
            "null",
            "",
            "\"q\"",
            "'s'",
            "\"1\"",
            "'true'",
            "!!str 5",
            "!!int 7",
            "é",
            "a#b",
            "a # c",
            "<<",
            "-",
            "?",
            ".inf",
            "[]",
            "{}",
            "[1, a]",
            "{k: v}",
            "&an v",
            "*an",
            "|\n  lit",
            ">\n  fold",
            "\"\"",
        ])
        .prop_map(str::to_owned)
    }

    /// A YAML-ish tree written out in block style, with flow collections, anchors, aliases,
    /// merges and block scalars among the values.
    #[derive(Debug, Clone)]
    enum Tree {
        Leaf(String),
        Seq(Vec<Tree>),
        Map(Vec<(String, Tree)>),
    }

    fn key() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "a", "b", "id", "name", "x y", "1", "0x1", "true", "\"a\"", "'b'", "~", "<<", "é",
            "&k kk", "*k", "? q", "-1", "1.5",
        ])
        .prop_map(str::to_owned)
    }

    fn tree() -> impl Strategy<Value = Tree> {
        atom()
            .prop_map(Tree::Leaf)
            .prop_recursive(4, 40, 5, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..5).prop_map(Tree::Seq),
                    prop::collection::vec((key(), inner), 0..5).prop_map(Tree::Map),
                ]
            })
    }

    fn write(t: &Tree, indent: usize, out: &mut String) {
        let pad = "  ".repeat(indent);
        match t {
            Tree::Leaf(s) => {
                out.push(' ');
                out.push_str(&s.replace('\n', &format!("\n{pad}")));
                out.push('\n');
            }
            Tree::Seq(items) if items.is_empty() => out.push_str(" []\n"),
            Tree::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
            Tree::Seq(items) => {
                out.push('\n');
                for i in items {
                    out.push_str(&pad);
                    out.push('-');
                    write(i, indent + 1, out);
                }
            }
            Tree::Map(entries) => {
                out.push('\n');
                for (k, v) in entries {
                    out.push_str(&pad);
                    out.push_str(k);
                    out.push(':');
                    write(v, indent + 1, out);
                }
            }
        }
    }

    fn doc() -> impl Strategy<Value = String> {
        (tree(), prop::bool::ANY, prop::bool::ANY).prop_map(|(t, crlf, anchor)| {
            let mut out = String::new();
            if anchor {
                out.push_str("base: &an {a: 1, b: [x, y]}\n");
            }
            match &t {
                Tree::Map(_) => {
                    write(&t, 0, &mut out);
                    out = out.replacen('\n', "", usize::from(!anchor));
                }
                _ => {
                    out.push_str("root:");
                    write(&t, 1, &mut out);
                }
            }
            if crlf {
                out = out.replace('\n', "\r\n");
            }
            out
        })
    }

    /// Random small documents from YAML-ish lines (keys, scalars of every kind, flow
    /// collections, anchors and aliases, block scalars, nesting, CRLF). Many are not valid
    /// YAML, which is as useful: then both must refuse them.
    #[test]
    fn random_documents_read_the_same() {
        use proptest::test_runner::{Config, TestRunner};
        let mut runner = TestRunner::new(Config {
            cases: 3000,
            ..Config::default()
        });
        let (accepted, refused, handed_back) = (
            std::cell::Cell::new(0),
            std::cell::Cell::new(0),
            std::cell::Cell::new(0),
        );
        runner
            .run(&doc(), |text| {
                let c = match same(&text) {
                    Some(true) => &accepted,
                    Some(false) => &refused,
                    // Mappings or lists as keys (`? a: b`), mostly.
                    None => &handed_back,
                };
                c.set(c.get() + 1);
                Ok(())
            })
            .unwrap();
        let (a, r, h) = (accepted.get(), refused.get(), handed_back.get());
        println!("random documents: {a} same tree, {r} both refused, {h} left to serde-saphyr");
        assert!(
            a >= 500,
            "only {a} accepted documents: the generator is too broken"
        );
    }
}
