//! Reading the YAML data files the tool runs on: the principle packs, the planning rules
//! (hosting.yaml, strategies.yaml), a provider catalog and the texts of `check`'s rules.
//!
//! Each file is a set of serde types with `deny_unknown_fields`, spanned (`serde_saphyr::Spanned`)
//! wherever a message may point. Every file is read with the same YAML rules (the 1.2 core
//! schema, as inventories are: `true` and `false` are the only booleans), and every problem,
//! whether serde-saphyr finds it while reading or a compiler finds it in a value, becomes a
//! [`Diagnostic`] through [`DataFile::report`], with its file, line, column and a hint.

use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Error as SerdeError, Location, Spanned};

use crate::diagnostic::{Diagnostic, FileId, Loc, did_you_mean};
use crate::inventory::list_values;

/// The kind of a data file, for messages: "invalid {what}: …", and where its format is told.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    pub what: &'static str,
    pub hint: &'static str,
}

/// What went wrong, before it is placed in its file.
pub enum Problem<'a> {
    /// serde-saphyr could not read the file into its types (syntax, shape, an unknown key).
    Read(&'a SerdeError),
    /// A value the file may not hold.
    Value {
        at: Loc,
        message: String,
        hint: Option<String>,
    },
}

/// One data file being read and checked: the problems found so far, each at its place.
pub struct DataFile {
    pub file: FileId,
    kind: Kind,
    problems: Vec<Diagnostic>,
}

impl DataFile {
    /// Reads `text` into `T`; a file that cannot be read is one diagnostic at its place (serde
    /// stops at the first problem in a file's shape).
    pub fn read<T: DeserializeOwned>(
        file: FileId,
        text: &str,
        kind: Kind,
    ) -> Result<(T, DataFile), Vec<Diagnostic>> {
        let mut f = DataFile {
            file,
            kind,
            problems: Vec::new(),
        };
        let options = serde_saphyr::options! { with_snippet: false, strict_booleans: true };
        match serde_saphyr::from_str_with_options(text, options) {
            Ok(v) => Ok((v, f)),
            Err(e) => {
                f.report(Problem::Read(&e));
                Err(f.problems)
            }
        }
    }

    /// The one way a problem in a data file becomes a diagnostic.
    pub fn report(&mut self, p: Problem) {
        let d = match p {
            Problem::Read(e) => {
                let (at, message, hint) = explain(self.file, e);
                let hint = hint.unwrap_or_else(|| self.kind.hint.to_string());
                Diagnostic::error(at, format!("invalid {}: {message}", self.kind.what)).hint(hint)
            }
            Problem::Value { at, message, hint } => Diagnostic::error(at, message).maybe_hint(hint),
        };
        self.problems.push(d);
    }

    /// A value the file may not hold, at `at`.
    pub fn error(&mut self, at: Loc, message: impl Into<String>) {
        self.report(Problem::Value {
            at,
            message: message.into(),
            hint: None,
        });
    }

    /// As [`DataFile::error`], with a hint.
    pub fn error_hint(&mut self, at: Loc, message: impl Into<String>, hint: impl Into<String>) {
        self.report(Problem::Value {
            at,
            message: message.into(),
            hint: Some(hint.into()),
        });
    }

    /// Where a spanned value is.
    pub fn at<T>(&self, s: &Spanned<T>) -> Loc {
        loc(self.file, s.referenced)
    }

    /// Where a value is, a scalar underlined.
    pub fn value_at(&self, v: &Spanned<Value>) -> Loc {
        match v.value {
            Value::Scalar(_) => self.at(v).with_len(v.referenced.span().len() as usize),
            _ => self.at(v),
        }
    }

    /// Where a spanned word is, underlined.
    pub fn word_at(&self, s: &Spanned<String>) -> Loc {
        self.at(s).with_len(s.value.len())
    }

    /// `word` (at `at`) looked up in `options`, or reported with a "did you mean".
    pub fn one_of(&mut self, word: &str, at: Loc, options: &[&str], what: &str) -> Option<usize> {
        if let Some(i) = options.iter().position(|o| *o == word) {
            return Some(i);
        }
        let hint = match did_you_mean(word, options.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? Valid: {}", list_values(options)),
            None => format!("valid: {}", list_values(options)),
        };
        self.error_hint(
            at.with_len(word.len()),
            format!("`{word}` is not {what}"),
            hint,
        );
        None
    }

    /// [`DataFile::one_of`] for a spanned word.
    pub fn pick(&mut self, word: &Spanned<String>, options: &[&str], what: &str) -> Option<usize> {
        let at = self.at(word);
        self.one_of(&word.value, at, options, what)
    }

    /// Whether a problem has been found.
    pub fn failed(&self) -> bool {
        !self.problems.is_empty()
    }

    /// The compiled value, or every problem found.
    pub fn finish<T>(self, value: T) -> Result<T, Vec<Diagnostic>> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(self.problems)
        }
    }
}

fn loc(file: FileId, l: Location) -> Loc {
    let clamp = |n: u64| n.min(u32::MAX as u64) as u32;
    Loc::new(file, clamp(l.line()), clamp(l.column()))
}

/// serde-saphyr's error as a place, a message in the words of the file's format, and a hint
/// when there is a better one than the file kind's.
fn explain(file: FileId, e: &SerdeError) -> (Option<Loc>, String, Option<String>) {
    use serde_saphyr::Error as E;
    let at = e.location().filter(|l| l.line() > 0).map(|l| loc(file, l));
    let mut inner = e;
    while let E::WithSnippet { error, .. } | E::AliasError { error, .. } = inner {
        inner = error;
    }
    let said = |m: &str| (at, m.to_string(), None);
    let scalar_at = e
        .location()
        .and_then(|l| at.map(|a| a.with_len(l.span().len() as usize)));
    match inner {
        E::SerdeUnknownField {
            field, expected, ..
        } => {
            let hint = match did_you_mean(field, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if expected.is_empty() => "remove it".to_string(),
                None => format!("the keys allowed here: {}", expected.join(", ")),
            };
            (
                at.map(|l| l.with_len(field.len())),
                format!("unknown key `{field}`"),
                Some(hint),
            )
        }
        E::SerdeMissingField { field, .. } => said(&format!("missing key `{field}`")),
        E::DuplicateMappingKey { key: Some(k), .. } => {
            said(&format!("the key `{k}` is given twice"))
        }
        E::InvalidBooleanStrict { .. } => (scalar_at, "expected true or false".into(), None),
        E::NullIntoString { .. } => said("expected text, found nothing"),
        E::Unexpected { expected, .. } => said(&format!("expected {}", shape(expected))),
        E::InvalidScalar { ty, .. } => (scalar_at, format!("expected {}", scalar(ty)), None),
        E::Budget { .. } if e.to_string().contains("depth") => said("nested too deeply"),
        _ => {
            let mut message = inner.to_string();
            // serde-saphyr appends its own "at line X column Y"; ours is in the arrow line.
            for marker in [" at line ", " (line "] {
                if let Some(i) = message.find(marker) {
                    message.truncate(i);
                }
            }
            (at, message, None)
        }
    }
}

/// serde-saphyr's name for a YAML shape, as the files' readers call it.
fn shape(expected: &str) -> &str {
    match expected {
        "string scalar" => "text",
        "sequence start" => "a list",
        "mapping start" => "a mapping",
        other => other,
    }
}

/// A Rust scalar type, as the files' readers call it.
fn scalar(ty: &str) -> &str {
    match ty {
        "bool" => "true or false",
        "f32" | "f64" => "a number",
        t if t.starts_with('i') || t.starts_with('u') => "a whole number",
        other => other,
    }
}

/// A mapping that keeps its order, so problems come out in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<K, V>(pub Vec<(K, V)>);

impl<K, V> Default for Ordered<K, V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Ordered<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for Entries<K, V> {
            type Value = Ordered<K, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(e) = m.next_entry()? {
                    v.push(e);
                }
                Ok(Ordered(v))
            }
        }
        d.deserialize_map(Entries(PhantomData))
    }
}

/// A value whose shape depends on where it is (a condition's value, one value or a list of
/// them), read as written and checked by the compiler that knows what belongs there.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    List(Vec<Spanned<Value>>),
    Map(Ordered<Spanned<String>, Spanned<Value>>),
}

/// A YAML scalar as the 1.2 core schema reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

impl Scalar {
    /// The scalar as people would write it back (`None` for null).
    pub fn text(&self) -> Option<String> {
        match self {
            Scalar::Null => None,
            Scalar::Bool(b) => Some(b.to_string()),
            Scalar::Int(i) => Some(i.to_string()),
            Scalar::Float(f) => Some(f.to_string()),
            Scalar::Str(s) => Some(s.clone()),
        }
    }
}

impl Value {
    /// What kind of value it is, for "expected X, found Y".
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Scalar(Scalar::Null) => "nothing (null)",
            Value::Scalar(Scalar::Bool(_)) => "a boolean",
            Value::Scalar(Scalar::Int(_)) => "an integer",
            Value::Scalar(Scalar::Float(_)) => "a number",
            Value::Scalar(Scalar::Str(_)) => "text",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
    pub fn text(&self) -> Option<String> {
        match self {
            Value::Scalar(s) => s.text(),
            _ => None,
        }
    }
    pub fn as_map(&self) -> Option<&Ordered<Spanned<String>, Spanned<Value>>> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value, a list or a mapping")
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Scalar(Scalar::Null))
            }
            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::Scalar(Scalar::Null))
            }
            fn visit_str<E>(self, v: &str) -> Result<Value, E> {
                Ok(Value::Scalar(Scalar::Str(v.to_string())))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Scalar(Scalar::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Scalar(Scalar::Int(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
                Ok(Value::Scalar(
                    i64::try_from(v).map_or(Scalar::Float(v as f64), Scalar::Int),
                ))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
                Ok(Value::Scalar(Scalar::Float(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Value, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = s.next_element()? {
                    v.push(x);
                }
                Ok(Value::List(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Value, A::Error> {
                let mut v = Vec::new();
                while let Some(e) = m.next_entry()? {
                    v.push(e);
                }
                Ok(Value::Map(Ordered(v)))
            }
        }
        d.deserialize_any(V)
    }
}

impl DataFile {
    /// One value or a list of values (`hosts: saas`, `hosts: [saas, public-cloud]`), each as
    /// text with its place; anything else is reported.
    pub fn values(&mut self, v: &Spanned<Value>, what: &str) -> Vec<(String, Loc)> {
        match &v.value {
            Value::List(items) => items
                .iter()
                .filter_map(|i| {
                    let t = i.value.text();
                    if t.is_none() {
                        let found = i.value.kind();
                        self.error(
                            self.value_at(i),
                            format!("{what}: expected a value, found {found}"),
                        );
                    }
                    t.map(|t| (t, self.value_at(i)))
                })
                .collect(),
            other => match other.text() {
                Some(t) => vec![(t, self.value_at(v))],
                None => {
                    let found = other.kind();
                    self.error(
                        self.value_at(v),
                        format!("{what}: expected a value or a list of values, found {found}"),
                    );
                    Vec::new()
                }
            },
        }
    }

    /// A value as text (numbers and booleans as written back), or a problem reported.
    pub fn text(&mut self, v: &Spanned<Value>, what: &str) -> Option<String> {
        let t = match &v.value {
            Value::Scalar(s) => s.text(),
            _ => None,
        };
        if t.is_none() {
            let found = v.value.kind();
            self.error(
                self.value_at(v),
                format!("{what} must be text, found {found}"),
            );
        }
        t
    }

    /// A number (finite), or a problem reported.
    pub fn number(&mut self, v: &Spanned<Value>, what: &str) -> Option<f64> {
        match v.value {
            Value::Scalar(Scalar::Int(i)) => Some(i as f64),
            Value::Scalar(Scalar::Float(f)) if f.is_finite() => Some(f),
            ref other => {
                let found = other.kind();
                self.error(
                    self.value_at(v),
                    format!("{what} must be a number, found {found}"),
                );
                None
            }
        }
    }

    /// `true` or `false`, or a problem reported.
    pub fn boolean(&mut self, v: &Spanned<Value>, what: &str) -> Option<bool> {
        match v.value {
            Value::Scalar(Scalar::Bool(b)) => Some(b),
            ref other => {
                let found = other.kind();
                self.error(
                    self.value_at(v),
                    format!("{what} must be true or false, found {found}"),
                );
                None
            }
        }
    }

    /// A mapping's entries, checked against the keys it may hold (unknown keys are reported
    /// with a "did you mean"); `None` when it is not a mapping.
    pub fn entries<'v>(
        &mut self,
        v: &'v Spanned<Value>,
        allowed: &[&str],
        what: &str,
    ) -> Option<Vec<(&'v str, &'v Spanned<Value>)>> {
        let Some(m) = v.value.as_map() else {
            let found = v.value.kind();
            self.error(
                self.at(v),
                format!("{what} must be a mapping, found {found}"),
            );
            return None;
        };
        let mut out = Vec::with_capacity(m.0.len());
        for (k, x) in &m.0 {
            if !allowed.contains(&k.value.as_str()) {
                let at = self.word_at(k);
                let message = format!("unknown key `{}` in {what}", k.value);
                match did_you_mean(&k.value, allowed.iter().copied()) {
                    Some(s) => self.error_hint(at, message, format!("did you mean `{s}`?")),
                    None => self.error_hint(
                        at,
                        message,
                        format!("{what} may hold: {}", allowed.join(", ")),
                    ),
                }
                continue;
            }
            out.push((k.value.as_str(), x));
        }
        Some(out)
    }
}
