//! The safety limits of one document, counted as its events arrive: work that grows with the
//! input (events, values, text) in proportion to the file's size, and what must not grow with
//! it (nesting depth, anchors, aliases and what their replays cost) capped. The same limits and
//! the same order of checks as serde-saphyr's budget, so both routes refuse the same documents.

use crate::diagnostic::Loc;
use crate::load::node::{Limits, Node, ParseError, ParseErrorKind, Value};

pub(super) struct Budget {
    pub(super) limits: Limits,
    max_events: usize,
    max_scalar_bytes: usize,
    max_replay: usize,
    anchors_defined: usize,
    aliases: usize,
    replayed: usize,
    events: usize,
    nodes: usize,
    scalar_bytes: usize,
}

/// What replaying an anchored node costs, measured once when the anchor closes.
#[derive(Clone, Copy)]
pub(super) struct Cost {
    events: usize,
    nodes: usize,
    pub(super) depth: usize,
    scalar_bytes: usize,
}

pub(super) fn error(kind: ParseErrorKind, message: String, at: Loc) -> ParseError {
    ParseError {
        kind,
        message,
        line: at.line,
        col: at.col,
    }
}

pub(super) fn depth_error(limits: Limits, at: Loc) -> ParseError {
    error(ParseErrorKind::Depth, depth_message(limits), at)
}

pub(super) fn depth_message(limits: Limits) -> String {
    format!("nesting deeper than {} levels", limits.max_depth)
}

type Result<T = ()> = std::result::Result<T, ParseError>;

impl Budget {
    /// The budget of a document of `len` bytes.
    pub(super) fn new(limits: Limits, len: usize) -> Self {
        let replay = limits.max_alias_replay_events.max(len);
        Budget {
            limits,
            // Each event but a replayed one consumes at least one byte of input.
            max_events: len.saturating_add(replay).saturating_add(1024),
            max_scalar_bytes: len.saturating_mul(2).max(64 * 1024 * 1024),
            max_replay: replay,
            anchors_defined: 0,
            aliases: 0,
            replayed: 0,
            events: 0,
            nodes: 0,
            scalar_bytes: 0,
        }
    }

    pub(super) fn event(&mut self, at: Loc) -> Result {
        self.events += 1;
        self.check_events(at)
    }

    fn check_events(&self, at: Loc) -> Result {
        if self.events > self.max_events {
            return Err(error(
                ParseErrorKind::TooBig,
                format!("more than {} parser events", self.max_events),
                at,
            ));
        }
        Ok(())
    }

    pub(super) fn node(&mut self, at: Loc) -> Result {
        self.nodes += 1;
        self.check_nodes(at)
    }

    fn check_nodes(&self, at: Loc) -> Result {
        if self.nodes > self.limits.max_nodes {
            return Err(error(
                ParseErrorKind::TooBig,
                format!("more than {} values", self.limits.max_nodes),
                at,
            ));
        }
        Ok(())
    }

    pub(super) fn scalar_bytes(&mut self, n: usize, at: Loc) -> Result {
        self.scalar_bytes = self.scalar_bytes.saturating_add(n);
        if self.scalar_bytes > self.max_scalar_bytes {
            return Err(error(
                ParseErrorKind::TooBig,
                format!("more than {} bytes of text values", self.scalar_bytes),
                at,
            ));
        }
        Ok(())
    }

    /// A collection opening at nesting `depth` (1 for the root).
    pub(super) fn depth(&self, depth: usize, at: Loc) -> Result {
        if depth > self.limits.max_depth {
            return Err(depth_error(self.limits, at));
        }
        Ok(())
    }

    pub(super) fn anchor(&mut self, at: Loc) -> Result {
        self.anchors_defined += 1;
        if self.anchors_defined > self.limits.max_aliases {
            return Err(error(
                ParseErrorKind::AliasBomb,
                format!("more than {} anchors", self.limits.max_aliases),
                at,
            ));
        }
        Ok(())
    }

    /// An alias (its own event), before its anchor is looked up.
    pub(super) fn alias(&mut self, at: Loc) -> Result {
        self.event(at)?;
        self.aliases += 1;
        if self.aliases > self.limits.max_aliases {
            return Err(error(
                ParseErrorKind::AliasBomb,
                format!("more than {} aliases", self.limits.max_aliases),
                at,
            ));
        }
        Ok(())
    }

    /// Everything replaying an anchored value costs, counted before anything is copied;
    /// `open` is the nesting depth the alias sits at.
    pub(super) fn replay(&mut self, c: Cost, open: usize, at: Loc) -> Result {
        self.replayed = self.replayed.saturating_add(c.events);
        if self.replayed > self.max_replay {
            return Err(error(
                ParseErrorKind::AliasBomb,
                format!("aliases expand to more than {} values", self.max_replay),
                at,
            ));
        }
        if open + c.depth > self.limits.max_depth {
            return Err(depth_error(self.limits, at));
        }
        self.events = self.events.saturating_add(c.events);
        self.check_events(at)?;
        self.nodes = self.nodes.saturating_add(c.nodes);
        self.check_nodes(at)?;
        self.scalar_bytes(c.scalar_bytes, at)
    }

    /// The checks that need the whole document: far more aliases than anchors.
    pub(super) fn finish(&self, at: Loc) -> Result {
        if self.aliases >= 100
            && (self.anchors_defined == 0 || self.aliases > 10 * self.anchors_defined)
        {
            return Err(error(
                ParseErrorKind::AliasBomb,
                "far more aliases than anchors".into(),
                at,
            ));
        }
        Ok(())
    }
}

/// Events, nodes, nesting depth and scalar bytes a replay of `n` produces.
pub(super) fn cost(n: &Node) -> Cost {
    let mut c = Cost {
        events: 0,
        nodes: 0,
        depth: 0,
        scalar_bytes: 0,
    };
    c.depth = measure(n, &mut c);
    c
}

fn measure(n: &Node, c: &mut Cost) -> usize {
    c.nodes += 1;
    match &n.value {
        Value::Seq(items) => {
            c.events += 2;
            1 + items.iter().map(|i| measure(i, c)).max().unwrap_or(0)
        }
        Value::Map(entries) => {
            c.events += 2;
            1 + entries
                .iter()
                .map(|(k, v)| measure(k, c).max(measure(v, c)))
                .max()
                .unwrap_or(0)
        }
        Value::Str(s) => {
            c.events += 1;
            c.scalar_bytes += s.len();
            0
        }
        _ => {
            c.events += 1;
            0
        }
    }
}
