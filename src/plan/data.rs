//! Reading the planning data files (hosting.yaml, strategies.yaml, a provider catalog): a thin
//! layer over the spanned YAML tree that turns every shape mistake into a `Diagnostic` at its
//! line, so a file reports all its problems at once.

use crate::diagnostic::{Diagnostic, FileId, Loc, did_you_mean};
use crate::load::node::{Limits, Node, Value};
use crate::load::parse_yaml;

pub type Diags = Vec<Diagnostic>;

/// Parses a data file; a syntax error becomes one diagnostic at its place.
pub fn parse(file: FileId, text: &str, what: &str, hint: &str) -> Result<Node, Diags> {
    parse_yaml(file, text, Limits::default()).map_err(|e| {
        let loc = (e.line > 0).then(|| Loc::new(file, e.line, e.col));
        let msg = &e.message;
        vec![Diagnostic::error(loc, format!("invalid {what}: {msg}")).hint(hint.to_string())]
    })
}

/// A mapping's entries, checked against the keys it may hold (unknown keys are errors with a
/// "did you mean").
pub fn map<'n>(
    n: &'n Node,
    allowed: &[&str],
    what: &str,
    d: &mut Diags,
) -> Vec<(&'n str, &'n Node)> {
    let Some(m) = n.as_map() else {
        d.push(Diagnostic::error(
            n.loc,
            format!("{what} must be a mapping, found {}", n.kind()),
        ));
        return Vec::new();
    };
    let mut out = Vec::with_capacity(m.len());
    for (k, v) in m {
        let Some(key) = k.as_str() else {
            d.push(Diagnostic::error(
                k.loc,
                format!("{what}: keys must be text"),
            ));
            continue;
        };
        if !allowed.is_empty() && !allowed.contains(&key) {
            let diag = Diagnostic::error(
                k.loc.with_len(key.len()),
                format!("unknown key `{key}` in {what}"),
            );
            d.push(match did_you_mean(key, allowed.iter().copied()) {
                Some(s) => diag.hint(format!("did you mean `{s}`?")),
                None => diag.hint(format!("{what} may hold: {}", allowed.join(", "))),
            });
            continue;
        }
        out.push((key, v));
    }
    out
}

pub fn get<'n>(entries: &[(&str, &'n Node)], key: &str) -> Option<&'n Node> {
    entries.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

pub fn seq<'n>(n: &'n Node, what: &str, d: &mut Diags) -> &'n [Node] {
    match &n.value {
        Value::Seq(items) => items,
        _ => {
            d.push(Diagnostic::error(
                n.loc,
                format!("{what} must be a list, found {}", n.kind()),
            ));
            &[]
        }
    }
}

/// A required key of a mapping, or an error at `at`.
pub fn need<'n>(
    entries: &[(&str, &'n Node)],
    key: &str,
    at: Loc,
    what: &str,
    d: &mut Diags,
) -> Option<&'n Node> {
    let v = get(entries, key);
    if v.is_none() {
        d.push(Diagnostic::error(at, format!("{what} needs `{key}`")));
    }
    v
}

pub fn text(n: &Node, what: &str, d: &mut Diags) -> Option<String> {
    match &n.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => n.scalar_text(),
        _ => {
            d.push(Diagnostic::error(
                n.loc,
                format!("{what} must be text, found {}", n.kind()),
            ));
            None
        }
    }
}

pub fn boolean(n: &Node, what: &str, d: &mut Diags) -> Option<bool> {
    match n.value {
        Value::Bool(b) => Some(b),
        _ => {
            d.push(Diagnostic::error(
                n.loc,
                format!("{what} must be true or false, found {}", n.kind()),
            ));
            None
        }
    }
}

pub fn number(n: &Node, what: &str, d: &mut Diags) -> Option<f64> {
    match n.value {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) if f.is_finite() => Some(f),
        _ => {
            d.push(Diagnostic::error(
                n.loc,
                format!("{what} must be a number, found {}", n.kind()),
            ));
            None
        }
    }
}

/// One scalar or a list of scalars, each as text with its place.
pub fn scalars(n: &Node, what: &str, d: &mut Diags) -> Vec<(String, Loc)> {
    match &n.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| {
                let t = i.scalar_text();
                if t.is_none() {
                    d.push(Diagnostic::error(
                        i.loc,
                        format!("{what}: expected a value, found {}", i.kind()),
                    ));
                }
                t.map(|t| (t, i.loc))
            })
            .collect(),
        _ => match n.scalar_text() {
            Some(t) => vec![(t, n.loc)],
            None => {
                d.push(Diagnostic::error(
                    n.loc,
                    format!(
                        "{what}: expected a value or a list of values, found {}",
                        n.kind()
                    ),
                ));
                Vec::new()
            }
        },
    }
}

/// Looks `word` up in `options`, or reports it with a "did you mean".
pub fn one_of(word: &str, loc: Loc, options: &[&str], what: &str, d: &mut Diags) -> Option<usize> {
    if let Some(i) = options.iter().position(|o| *o == word) {
        return Some(i);
    }
    let diag = Diagnostic::error(loc.with_len(word.len()), format!("`{word}` is not {what}"));
    d.push(match did_you_mean(word, options.iter().copied()) {
        Some(s) => diag.hint(format!(
            "did you mean `{s}`? Valid: {}",
            crate::inventory::list_values(options)
        )),
        None => diag.hint(format!("valid: {}", crate::inventory::list_values(options))),
    });
    None
}
