//! Principle packs: the seven principles and the common assessment framework as data.
//!
//! Packs are YAML files embedded in the binary; `--principles DIR` replaces any of them by a
//! file of the same name. Loading checks every criterion against the inventory's field table, so
//! a pack cannot name a field the inventory lacks or an answer a field cannot take.

use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::assets;
use crate::diagnostic::{Diagnostic, FileId, Loc, Sources, did_you_mean};
use crate::error::{Error, Result};
use crate::inventory::{FIELDS, FieldId, Kind, field_id, list_values};

pub const PRINCIPLE_IDS: [&str; 7] = ["P1", "P2", "P3", "P4", "P5", "P6", "P7"];
pub const FRAMEWORK_ID: &str = "CAF";

#[derive(Debug, Clone)]
pub struct Answer {
    pub value: String,
    pub score: u8,
    pub finding: String,
    pub advice: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Band {
    /// Upper bound (exclusive); `None` for the last band.
    pub below: Option<f64>,
    pub score: u8,
    pub finding: String,
    pub advice: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Rule {
    /// Enum fields: one answer per value, indexed like the field's values.
    /// Bool fields: `[false, true]`.
    Choice(Vec<Answer>),
    /// Numeric, date (see [`Measure`]) and list (length) fields.
    Bands(Vec<Band>),
    /// An enum field ranked against another enum field of the workload (`compare_with`):
    /// `[below, at-or-above]`. Values are ranked by their position in the other field's values;
    /// a value the other field cannot take (such as `none`) ranks below all of them.
    Compare(FieldId, [Answer; 2]),
}

/// What bands over a date field measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Days from the reference date until the date (negative once it has passed).
    DaysUntil,
    /// Whole months from the date to the reference date (its age).
    MonthsSince,
}

impl Measure {
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::DaysUntil => "days_until",
            Measure::MonthsSince => "months_since",
        }
    }
}

/// One test of a condition: the field has one of the accepted values.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub field: FieldId,
    /// Accepted values as indices: enum value index, or 0/1 for false/true.
    pub accepted: Vec<u8>,
    /// The values as written, for people.
    pub text: Vec<String>,
}

/// A condition (`applies_when`, `blocker_when`, a case's `when`): every test in `all` holds,
/// and for each `any` group at least one branch (a list of tests that must all hold) does.
#[derive(Debug, Clone, Default)]
pub struct Guard {
    pub all: Vec<Condition>,
    pub any: Vec<Vec<Vec<Condition>>>,
}

impl Guard {
    pub fn is_always(&self) -> bool {
        self.all.is_empty() && self.any.is_empty()
    }
    /// Every field the condition reads.
    pub fn fields(&self) -> impl Iterator<Item = FieldId> + '_ {
        self.all
            .iter()
            .chain(self.any.iter().flatten().flatten())
            .map(|c| c.field)
    }
    /// The condition in words.
    pub fn describe(&self) -> String {
        let one = |c: &Condition| format!("{} is {}", FIELDS[c.field].path, c.text.join(" or "));
        let mut parts: Vec<String> = self.all.iter().map(one).collect();
        for group in &self.any {
            let branches: Vec<String> = group
                .iter()
                .map(|b| b.iter().map(one).collect::<Vec<_>>().join(" and "))
                .collect();
            parts.push(format!("({})", branches.join(", or ")));
        }
        if parts.is_empty() {
            "always".into()
        } else {
            parts.join(" and ")
        }
    }
}

/// A rule that applies when its condition holds; a criterion's cases are tried in order.
#[derive(Debug, Clone)]
pub struct Case {
    pub when: Guard,
    pub rule: Rule,
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub id: String,
    pub question: String,
    pub field: FieldId,
    pub weight: f64,
    /// Whether a gap can block readiness (always, or when `blocker_when` holds).
    pub blocker: bool,
    /// A blocker only for workloads this holds for (`None`: for every workload).
    pub blocker_when: Option<Guard>,
    /// A known score below this is a gap (and fails a blocker).
    pub pass: u8,
    pub applies_when: Guard,
    pub source: Option<String>,
    /// Advice when the fact is not recorded.
    pub unknown: String,
    /// How date fields are banded.
    pub measure: Measure,
    /// The rules, first case whose condition holds wins; a criterion without `cases` has one
    /// case that always holds.
    pub cases: Vec<Case>,
}

impl Criterion {
    /// The first case's rule (the only one for most criteria).
    pub fn rule(&self) -> &Rule {
        &self.cases[0].rule
    }
    /// Every field the criterion reads: the scored field first, then the fields its
    /// conditions and comparisons read.
    pub fn fields_read(&self) -> Vec<FieldId> {
        let mut out = vec![self.field];
        let conds = self
            .applies_when
            .fields()
            .chain(self.blocker_when.iter().flat_map(|g| g.fields()))
            .chain(self.cases.iter().flat_map(|c| c.when.fields()))
            .chain(self.cases.iter().filter_map(|c| match c.rule {
                Rule::Compare(f, _) => Some(f),
                _ => None,
            }));
        for f in conds {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }
}

#[derive(Debug, Clone)]
pub struct Pack {
    pub id: String,
    pub title: String,
    pub weight: f64,
    pub source: Option<String>,
    pub summary: Option<String>,
    pub file: String,
    pub criteria: Vec<Criterion>,
}

/// Thresholds that turn scores into a readiness band.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Readiness {
    pub ready: f64,
    pub conditional: f64,
    pub min_confidence: f64,
    /// A workload with a blocker that applies but cannot be judged (its fact is unknown) is at
    /// best conditional: readiness is not claimed on a missing fact an assessor would ask for.
    #[serde(default)]
    pub ready_needs_known_blockers: bool,
}

impl Default for Readiness {
    fn default() -> Self {
        Readiness {
            ready: 75.0,
            conditional: 50.0,
            min_confidence: 0.5,
            ready_needs_known_blockers: false,
        }
    }
}

/// The loaded framework: seven principles (in P1..P7 order) and the assessment framework.
#[derive(Debug, Clone)]
pub struct Packs {
    pub principles: Vec<Pack>,
    pub framework: Pack,
    pub readiness: Readiness,
    /// Where the packs came from, for messages.
    pub sources: Sources,
}

impl Packs {
    /// The built-in packs.
    pub fn builtin() -> Result<Packs> {
        Packs::load(None)
    }

    /// Built-in packs, with any file of the same name in `dir` taking its place.
    pub fn load(dir: Option<&Path>) -> Result<Packs> {
        let mut sources = Sources::default();
        let mut files: Vec<(FileId, &str)> = Vec::new();
        let folder = assets::Folder::new(
            dir,
            "principles",
            &assets::principle_files(),
            &[".yaml", ".yml"],
        )?;
        for asset in assets::PACKS {
            files.push((folder.read(&mut sources, asset)?, asset.name));
        }
        let mut diags = Vec::new();
        let mut packs = Vec::new();
        let mut readiness = Readiness::default();
        for (id, name) in &files {
            let text = sources.get(*id).map(|f| f.text.clone()).unwrap_or_default();
            let expect = expected_id(name);
            match compile(*id, &text, &expect) {
                Ok((mut p, r)) => {
                    p.file = sources.path(*id).to_string();
                    if let Some(r) = r {
                        readiness = r;
                    }
                    packs.push(p);
                }
                Err(mut d) => diags.append(&mut d),
            }
        }
        // Criterion ids are unique across packs: check, waivers and SARIF rules refer to them.
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for p in &packs {
            for c in &p.criteria {
                if let Some((_, other)) = seen.iter().find(|(i, _)| *i == c.id) {
                    diags.push(Diagnostic::error(
                        None,
                        format!(
                            "criterion id `{}` in {} is also used in {other}",
                            c.id, p.file
                        ),
                    ));
                }
                seen.push((&c.id, &p.file));
            }
        }
        if !diags.is_empty() {
            return Err(Error::invalid(&sources, diags));
        }
        let framework = packs
            .pop()
            .expect("the framework pack is last in assets::PACKS");
        Ok(Packs {
            principles: packs,
            framework,
            readiness,
            sources,
        })
    }

    /// Every pack: the seven principles, then the framework.
    pub fn all(&self) -> impl Iterator<Item = &Pack> {
        self.principles
            .iter()
            .chain(std::iter::once(&self.framework))
    }

    pub fn find(&self, id: &str) -> Option<&Pack> {
        self.all().find(|p| p.id.eq_ignore_ascii_case(id))
    }

    /// Overrides a principle's weight (from `cloudready.toml`).
    pub fn set_weight(&mut self, id: &str, weight: f64) -> bool {
        match self
            .principles
            .iter_mut()
            .chain(std::iter::once(&mut self.framework))
            .find(|p| p.id == id)
        {
            Some(p) => {
                p.weight = weight;
                true
            }
            None => false,
        }
    }
}

fn expected_id(file: &str) -> String {
    if file == "framework.yaml" {
        FRAMEWORK_ID.to_string()
    } else {
        file.split('-').next().unwrap_or("").to_ascii_uppercase()
    }
}

// ---- The file format -------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    id: Spanned<String>,
    title: String,
    #[serde(default = "one")]
    weight: Spanned<f64>,
    source: Option<String>,
    summary: Option<String>,
    readiness: Option<Spanned<Readiness>>,
    criteria: Vec<CriterionFile>,
}

fn one() -> Spanned<f64> {
    Spanned::new(
        1.0,
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CriterionFile {
    id: Spanned<String>,
    question: String,
    field: Spanned<String>,
    #[serde(default = "one")]
    weight: Spanned<f64>,
    #[serde(default)]
    blocker: bool,
    blocker_when: Option<Spanned<CondMap>>,
    pass: Option<Spanned<u8>>,
    applies_when: Option<Spanned<CondMap>>,
    source: Option<Spanned<String>>,
    unknown: Option<String>,
    measure: Option<Spanned<String>>,
    compare_with: Option<Spanned<String>>,
    answers: Option<Spanned<Ordered<Spanned<String>, Spanned<AnswerFile>>>>,
    bands: Option<Spanned<Vec<Spanned<BandFile>>>>,
    cases: Option<Spanned<Vec<Spanned<CaseFile>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    when: Spanned<CondMap>,
    answers: Option<Spanned<Ordered<Spanned<String>, Spanned<AnswerFile>>>>,
    bands: Option<Spanned<Vec<Spanned<BandFile>>>>,
}

/// A condition as written: field → value(s), and `any:` → a list of such mappings.
type CondMap = Ordered<Spanned<String>, Spanned<CondVal>>;

enum CondVal {
    Scalars(Vec<String>),
    Branches(Vec<CondMap>),
}

impl<'de> Deserialize<'de> for CondVal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct CV;
        impl<'de> Visitor<'de> for CV {
            type Value = CondVal;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value, a list of values, or (under `any`) a list of conditions")
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<CondVal, E> {
                Ok(CondVal::Scalars(vec![v.to_owned()]))
            }
            fn visit_bool<E>(self, v: bool) -> std::result::Result<CondVal, E> {
                Ok(CondVal::Scalars(vec![v.to_string()]))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<CondVal, E> {
                Ok(CondVal::Scalars(vec![v.to_string()]))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<CondVal, E> {
                Ok(CondVal::Scalars(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut s: A,
            ) -> std::result::Result<CondVal, A::Error> {
                let mut scalars = Vec::new();
                let mut maps = Vec::new();
                while let Some(item) = s.next_element::<CondItem>()? {
                    match item {
                        CondItem::Scalar(v) => scalars.push(v),
                        CondItem::Map(m) => maps.push(m),
                    }
                }
                match (scalars.is_empty(), maps.is_empty()) {
                    (_, true) => Ok(CondVal::Scalars(scalars)),
                    (true, false) => Ok(CondVal::Branches(maps)),
                    (false, false) => Err(de::Error::custom(
                        "a condition list holds either values or conditions, not both",
                    )),
                }
            }
        }
        d.deserialize_any(CV)
    }
}

enum CondItem {
    Scalar(String),
    Map(CondMap),
}

impl<'de> Deserialize<'de> for CondItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct CI;
        impl<'de> Visitor<'de> for CI {
            type Value = CondItem;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value or a condition")
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<CondItem, E> {
                Ok(CondItem::Scalar(v.to_owned()))
            }
            fn visit_bool<E>(self, v: bool) -> std::result::Result<CondItem, E> {
                Ok(CondItem::Scalar(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<CondItem, E> {
                Ok(CondItem::Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<CondItem, E> {
                Ok(CondItem::Scalar(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> std::result::Result<CondItem, A::Error> {
                Err(de::Error::custom(
                    "nested lists are not allowed in a condition",
                ))
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<CondItem, A::Error> {
                let mut v = Vec::new();
                while let Some(e) = m.next_entry()? {
                    v.push(e);
                }
                Ok(CondItem::Map(Ordered(v)))
            }
        }
        d.deserialize_any(CI)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerFile {
    score: Spanned<u8>,
    finding: Option<String>,
    advice: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BandFile {
    below: Option<f64>,
    score: Spanned<u8>,
    finding: Option<String>,
    advice: Option<String>,
}

/// A mapping that keeps its order (so errors come out in file order).
struct Ordered<K, V>(Vec<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Ordered<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V2<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for V2<K, V> {
            type Value = Ordered<K, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(e) = m.next_entry()? {
                    v.push(e);
                }
                Ok(Ordered(v))
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

fn at<T>(file: FileId, s: &Spanned<T>) -> Loc {
    Loc::new(
        file,
        s.referenced.line() as u32,
        s.referenced.column() as u32,
    )
}

/// The values a field can take, as text, for answers and conditions.
fn choices(kind: Kind) -> Option<Vec<&'static str>> {
    match kind {
        Kind::Enum(v) => Some(v.to_vec()),
        Kind::Bool => Some(vec!["false", "true"]),
        _ => None,
    }
}

fn resolve_field(
    file: FileId,
    f: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<FieldId> {
    match field_id(&f.value) {
        Some(i) => Some(i),
        None => {
            let mut d = Diagnostic::error(
                at(file, f).with_len(f.value.len()),
                format!("`{}` is not an inventory field", f.value),
            );
            d = match did_you_mean(&f.value, FIELDS.iter().map(|x| x.path)) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint("see `cloudready schema` or the README for the inventory fields"),
            };
            diags.push(d);
            None
        }
    }
}

type Compiled = (Pack, Option<Readiness>);

fn compile(
    file: FileId,
    text: &str,
    expect_id: &str,
) -> std::result::Result<Compiled, Vec<Diagnostic>> {
    let raw: PackFile =
        serde_saphyr::from_str_with_options(text, serde_saphyr::options! { with_snippet: false })
            .map_err(|e| {
            let loc = e
                .location()
                .map(|l| Loc::new(file, l.line() as u32, l.column() as u32));
            let mut msg = e.without_snippet().to_string();
            if let Some(i) = msg.find(" at line ") {
                msg.truncate(i);
            }
            vec![
                Diagnostic::error(loc, format!("invalid principle pack: {msg}"))
                    .hint("see the README's \"Customising a principle pack\" for the format"),
            ]
        })?;
    let mut d = Vec::new();
    if raw.id.value != expect_id {
        d.push(
            Diagnostic::error(
                at(file, &raw.id),
                format!("pack id `{}` does not match its file", raw.id.value),
            )
            .hint(format!("this file holds pack `{expect_id}`")),
        );
    }
    if !(raw.weight.value.is_finite() && raw.weight.value >= 0.0) {
        d.push(Diagnostic::error(
            at(file, &raw.weight),
            "a pack weight must be a number of at least 0",
        ));
    }
    let readiness = raw.readiness.as_ref().map(|r| {
        let v = r.value;
        if !(0.0..=100.0).contains(&v.conditional) || !(v.conditional..=100.0).contains(&v.ready) || !(0.0..=1.0).contains(&v.min_confidence) {
            d.push(Diagnostic::error(at(file, r), "readiness thresholds must satisfy 0 <= conditional <= ready <= 100 and 0 <= min_confidence <= 1"));
        }
        v
    });
    if raw.criteria.is_empty() {
        d.push(Diagnostic::error(
            Loc::new(file, 1, 1),
            "a pack needs at least one criterion",
        ));
    }
    let mut criteria: Vec<Criterion> = Vec::with_capacity(raw.criteria.len());
    for c in raw.criteria {
        let field_at = at(file, &c.field).with_len(c.field.value.len());
        if let Some(cc) = compile_criterion(file, c, expect_id, &mut d) {
            // One fact, one judgement per principle: a second criterion on the same field
            // would count that fact twice in this pack's score.
            if let Some(first) = criteria.iter().find(|x| x.field == cc.field) {
                d.push(
                    Diagnostic::error(
                        field_at,
                        format!(
                            "`{}` is already scored by `{}` in this pack",
                            FIELDS[cc.field].path, first.id
                        ),
                    )
                    .hint("a fact is judged once per principle: merge the two with `cases` or `blocker_when`, or score another field (conditions may read any field)"),
                );
            }
            criteria.push(cc);
        }
    }
    if !d.is_empty() {
        return Err(d);
    }
    Ok((
        Pack {
            id: raw.id.value,
            title: raw.title,
            weight: raw.weight.value,
            source: raw.source,
            summary: raw.summary,
            file: String::new(),
            criteria,
        },
        readiness,
    ))
}

fn compile_guard(
    file: FileId,
    m: &Spanned<CondMap>,
    what: &str,
    nested: bool,
    d: &mut Vec<Diagnostic>,
) -> Guard {
    let mut g = Guard::default();
    for (k, v) in &m.value.0 {
        if k.value == "any" {
            match &v.value {
                CondVal::Branches(bs) if !nested => {
                    let group = bs
                        .iter()
                        .map(|b| {
                            let inner = Spanned::new(
                                Ordered(
                                    b.0.iter()
                                        .map(|(k, v)| (clone_spanned(k), clone_cond(v)))
                                        .collect(),
                                ),
                                k.referenced,
                                k.defined,
                            );
                            compile_guard(file, &inner, what, true, d).all
                        })
                        .collect();
                    g.any.push(group);
                }
                _ => d.push(
                    Diagnostic::error(
                        at(file, k),
                        format!("`any` in `{what}` takes a list of conditions, one level deep"),
                    )
                    .hint("any: [{ classification: PROTECTED }, { whole_of_government: true }]"),
                ),
            }
            continue;
        }
        let Some(cf) = resolve_field(file, k, d) else {
            continue;
        };
        let Some(vals) = choices(FIELDS[cf].kind) else {
            d.push(Diagnostic::error(
                at(file, k),
                format!(
                    "`{what}` can test enum and true/false fields; `{}` is {}",
                    k.value,
                    FIELDS[cf].kind.describe()
                ),
            ));
            continue;
        };
        let CondVal::Scalars(texts) = &v.value else {
            d.push(Diagnostic::error(
                at(file, v),
                format!("`{}` takes a value or a list of values", k.value),
            ));
            continue;
        };
        let mut accepted = Vec::new();
        for s in texts {
            match vals.iter().position(|x| x == s) {
                Some(i) => accepted.push(i as u8),
                None => d.push(
                    Diagnostic::error(
                        at(file, v),
                        format!("`{s}` is not a value `{}` can take", k.value),
                    )
                    .hint(format!("valid values: {}", list_values(&vals))),
                ),
            }
        }
        g.all.push(Condition {
            field: cf,
            accepted,
            text: texts.clone(),
        });
    }
    g
}

fn clone_spanned(s: &Spanned<String>) -> Spanned<String> {
    Spanned::new(s.value.clone(), s.referenced, s.defined)
}

fn clone_cond(v: &Spanned<CondVal>) -> Spanned<CondVal> {
    let val = match &v.value {
        CondVal::Scalars(x) => CondVal::Scalars(x.clone()),
        CondVal::Branches(bs) => CondVal::Branches(
            bs.iter()
                .map(|b| {
                    Ordered(
                        b.0.iter()
                            .map(|(k, v)| (clone_spanned(k), clone_cond(v)))
                            .collect(),
                    )
                })
                .collect(),
        ),
    };
    Spanned::new(val, v.referenced, v.defined)
}

type AnswersFile = Spanned<Ordered<Spanned<String>, Spanned<AnswerFile>>>;
type BandsFile = Spanned<Vec<Spanned<BandFile>>>;

/// Compiles one rule (the criterion's own answers or bands, or one case's).
#[allow(clippy::too_many_arguments)]
fn compile_rule(
    file: FileId,
    crit_id: &str,
    def: &crate::inventory::FieldDef,
    field_at: Loc,
    compare: Option<FieldId>,
    answers: &Option<AnswersFile>,
    bands: &Option<BandsFile>,
    d: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    let check_score = |s: &Spanned<u8>, d: &mut Vec<Diagnostic>| {
        if s.value > 100 {
            d.push(Diagnostic::error(
                at(file, s),
                format!("score {} is above 100", s.value),
            ));
        }
    };
    let answer_of = |k: &str, a: &AnswerFile, fallback: String| Answer {
        value: k.to_string(),
        score: a.score.value.min(100),
        finding: a.finding.clone().unwrap_or(fallback),
        advice: a.advice.clone(),
    };
    if let Some(with) = compare {
        let Some(answers) = answers else {
            d.push(
                Diagnostic::error(
                    field_at,
                    format!(
                        "criterion `{crit_id}` compares with another field, so it needs `answers`"
                    ),
                )
                .hint("answers: { below: {...}, at-or-above: {...} }"),
            );
            return None;
        };
        let keys = ["below", "at-or-above"];
        let mut slots: [Option<Answer>; 2] = [None, None];
        for (k, a) in &answers.value.0 {
            check_score(&a.value.score, d);
            match keys.iter().position(|x| *x == k.value) {
                Some(i) => {
                    slots[i] = Some(answer_of(
                        &k.value,
                        &a.value,
                        format!("{} is {} {}.", def.path, k.value, FIELDS[with].path),
                    ))
                }
                None => d.push(
                    Diagnostic::error(
                        at(file, k).with_len(k.value.len()),
                        format!("`{}` is not an answer to a comparison", k.value),
                    )
                    .hint("a comparison's answers are `below` and `at-or-above`"),
                ),
            }
        }
        return match slots {
            [Some(b), Some(m)] => Some(Rule::Compare(with, [b, m])),
            _ => {
                d.push(Diagnostic::error(
                    at(file, answers),
                    format!(
                        "criterion `{crit_id}` needs answers for both `below` and `at-or-above`"
                    ),
                ));
                None
            }
        };
    }
    match (choices(def.kind), answers, bands) {
        (Some(vals), Some(answers), None) => {
            let mut slots: Vec<Option<Answer>> = vec![None; vals.len()];
            for (k, a) in &answers.value.0 {
                check_score(&a.value.score, d);
                match vals.iter().position(|x| *x == k.value) {
                    Some(i) => {
                        slots[i] = Some(answer_of(
                            vals[i],
                            &a.value,
                            format!("{} is {}.", def.path, vals[i]),
                        ))
                    }
                    None => {
                        let mut diag = Diagnostic::error(
                            at(file, k).with_len(k.value.len()),
                            format!("`{}` is not a value `{}` can take", k.value, def.path),
                        );
                        diag = match did_you_mean(&k.value, vals.iter().copied()) {
                            Some(s) => diag.hint(format!(
                                "did you mean `{s}`? Valid values: {}",
                                list_values(&vals)
                            )),
                            None => diag.hint(format!("valid values: {}", list_values(&vals))),
                        };
                        d.push(diag);
                    }
                }
            }
            let missing: Vec<&str> = vals
                .iter()
                .zip(&slots)
                .filter(|(_, s)| s.is_none())
                .map(|(v, _)| *v)
                .collect();
            if !missing.is_empty() {
                d.push(
                    Diagnostic::error(
                        at(file, answers),
                        format!(
                            "criterion `{crit_id}` has no answer for {}",
                            list_values(&missing)
                        ),
                    )
                    .hint(
                        "give every value the field can take an answer, so no fact goes unscored",
                    ),
                );
                return None;
            }
            Some(Rule::Choice(slots.into_iter().flatten().collect()))
        }
        (None, None, Some(bands)) if def.kind != Kind::Text => {
            let mut out = Vec::new();
            let n = bands.value.len();
            let mut last = f64::NEG_INFINITY;
            for (i, b) in bands.value.iter().enumerate() {
                check_score(&b.value.score, d);
                match (b.value.below, i + 1 == n) {
                    (Some(x), false) if x > last && x.is_finite() => last = x,
                    (Some(_), false) => d.push(Diagnostic::error(
                        at(file, b),
                        "band limits must be finite and rise from one band to the next",
                    )),
                    (None, false) => d.push(Diagnostic::error(
                        at(file, b),
                        "only the last band may leave out `below`",
                    )),
                    (Some(_), true) => d.push(Diagnostic::error(
                        at(file, b),
                        "the last band must leave out `below`, so every value falls in a band",
                    )),
                    (None, true) => {}
                }
                out.push(Band {
                    below: b.value.below,
                    score: b.value.score.value.min(100),
                    finding: b.value.finding.clone().unwrap_or_default(),
                    advice: b.value.advice.clone(),
                });
            }
            if n == 0 {
                d.push(Diagnostic::error(
                    at(file, bands),
                    "`bands` needs at least one band",
                ));
            }
            Some(Rule::Bands(out))
        }
        (_, Some(_), Some(_)) => {
            d.push(Diagnostic::error(
                field_at,
                format!("criterion `{crit_id}` has both `answers` and `bands`; keep one"),
            ));
            None
        }
        (Some(vals), _, _) => {
            d.push(
                Diagnostic::error(
                    field_at,
                    format!(
                        "`{}` takes fixed values, so criterion `{crit_id}` needs `answers`",
                        def.path
                    ),
                )
                .hint(format!(
                    "give an answer for each of: {}",
                    list_values(&vals)
                )),
            );
            None
        }
        (None, _, _) if def.kind == Kind::Text => {
            d.push(Diagnostic::error(
                field_at,
                format!("`{}` is free text and cannot be scored", def.path),
            ));
            None
        }
        (None, _, _) => {
            let what = match def.kind {
                Kind::Date => "days until the date, or its age in months",
                Kind::IdList | Kind::TextList => "the number of items",
                _ => "the number",
            };
            d.push(
                Diagnostic::error(
                    field_at,
                    format!(
                        "`{}` is {}, so criterion `{crit_id}` needs `bands` (over {what})",
                        def.path,
                        def.kind.describe(),
                    ),
                )
                .hint("bands: [{ below: 1, score: 0, advice: ... }, { score: 100 }]"),
            );
            None
        }
    }
}

fn compile_criterion(
    file: FileId,
    c: CriterionFile,
    pack_id: &str,
    d: &mut Vec<Diagnostic>,
) -> Option<Criterion> {
    let id_loc = at(file, &c.id);
    let prefix = format!("{pack_id}.");
    let slug_ok = c.id.value.strip_prefix(&prefix).is_some_and(|s| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    });
    if !slug_ok {
        d.push(
            Diagnostic::error(
                id_loc,
                format!("criterion id `{}` must be `{prefix}<name>`", c.id.value),
            )
            .hint(format!(
                "for example `{prefix}iac`: lowercase letters, digits and `-`"
            )),
        );
    }
    if !(c.weight.value.is_finite() && c.weight.value > 0.0) {
        d.push(Diagnostic::error(
            at(file, &c.weight),
            format!(
                "criterion `{}`: weight must be a number above 0",
                c.id.value
            ),
        ));
    }
    // Every criterion says what it rests on, so `principles --trace` can show it.
    let source = match &c.source {
        Some(s) if !s.value.trim().is_empty() => Some(s.value.clone()),
        Some(s) => {
            d.push(Diagnostic::error(
                at(file, s),
                format!("criterion `{}` has an empty `source`", c.id.value),
            ));
            None
        }
        None => {
            d.push(
                Diagnostic::error(id_loc, format!("criterion `{}` needs a `source`", c.id.value))
                    .hint("name what it rests on: the principle's text, an ISM control, the PSPF, the HCF, the 2025 cloud policy or the DTA's cloud assessment tool"),
            );
            None
        }
    };
    let field = resolve_field(file, &c.field, d)?;
    let def = &FIELDS[field];
    let field_at = at(file, &c.field);
    let applies_when = c
        .applies_when
        .as_ref()
        .map(|m| compile_guard(file, m, "applies_when", false, d))
        .unwrap_or_default();
    let blocker_when = c
        .blocker_when
        .as_ref()
        .map(|m| compile_guard(file, m, "blocker_when", false, d));
    let measure = match &c.measure {
        None => Measure::DaysUntil,
        Some(m) => {
            let v = match m.value.as_str() {
                "days_until" => Some(Measure::DaysUntil),
                "months_since" => Some(Measure::MonthsSince),
                _ => None,
            };
            match (v, def.kind) {
                (Some(v), Kind::Date) => v,
                (Some(_), _) => {
                    d.push(Diagnostic::error(
                        at(file, m),
                        format!(
                            "`measure` applies to date fields; `{}` is {}",
                            def.path,
                            def.kind.describe()
                        ),
                    ));
                    Measure::DaysUntil
                }
                (None, _) => {
                    d.push(
                        Diagnostic::error(at(file, m), format!("`{}` is not a measure", m.value))
                            .hint("valid: days_until (days from the reference date until the date), months_since (the date's age in whole months)"),
                    );
                    Measure::DaysUntil
                }
            }
        }
    };
    let compare = match &c.compare_with {
        None => None,
        Some(w) => {
            let other = resolve_field(file, w, d);
            match (other.map(|o| FIELDS[o].kind), def.kind) {
                (Some(Kind::Enum(theirs)), Kind::Enum(ours))
                    if ours.iter().any(|v| theirs.contains(v)) =>
                {
                    other
                }
                (Some(_), _) => {
                    d.push(
                        Diagnostic::error(
                            at(file, w),
                            format!(
                                "`compare_with` ranks one enum field against another that shares its values; `{}` and `{}` do not",
                                def.path, w.value
                            ),
                        )
                        .hint("for example `field: assurance.irap_level` with `compare_with: classification`"),
                    );
                    None
                }
                (None, _) => None,
            }
        }
    };
    if c.compare_with.is_some() && compare.is_none() {
        // Already reported; its answers cannot be checked without the comparison.
        return None;
    }
    let mut cases = Vec::new();
    if let Some(cs) = &c.cases {
        for case in &cs.value {
            let when = compile_guard(file, &case.value.when, "when", false, d);
            if let Some(rule) = compile_rule(
                file,
                &c.id.value,
                def,
                at(file, case),
                compare,
                &case.value.answers,
                &case.value.bands,
                d,
            ) {
                cases.push(Case { when, rule });
            }
        }
        if cs.value.is_empty() {
            d.push(Diagnostic::error(
                at(file, cs),
                "`cases` needs at least one case",
            ));
        }
    }
    if c.cases.is_none() || c.answers.is_some() || c.bands.is_some() {
        // The criterion's own answers or bands: the only rule, or what applies when no case does.
        if let Some(rule) = compile_rule(
            file,
            &c.id.value,
            def,
            field_at,
            compare,
            &c.answers,
            &c.bands,
            d,
        ) {
            cases.push(Case {
                when: Guard::default(),
                rule,
            });
        }
    }
    if cases.is_empty() {
        return None;
    }
    let pass = c.pass.as_ref().map_or(50, |p| {
        if p.value > 100 {
            d.push(Diagnostic::error(
                at(file, p),
                format!("score {} is above 100", p.value),
            ));
        }
        p.value
    });
    Some(Criterion {
        unknown: c.unknown.unwrap_or_else(|| {
            format!(
                "Record `{}` ({}) in the inventory.",
                def.path,
                def.kind.describe()
            )
        }),
        id: c.id.value,
        question: c.question,
        field,
        weight: c.weight.value,
        blocker: c.blocker || blocker_when.is_some(),
        blocker_when,
        pass,
        applies_when,
        source,
        measure,
        cases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errs(text: &str) -> Vec<String> {
        match compile(0, text, "P6") {
            Ok(_) => vec![],
            Err(d) => d
                .into_iter()
                .map(|d| {
                    format!(
                        "{}:{} {}",
                        d.loc.map_or(0, |l| l.line),
                        d.loc.map_or(0, |l| l.col),
                        d.message
                    )
                })
                .collect(),
        }
    }

    const GOOD: &str = "id: P6\ntitle: t\ncriteria:\n  - id: P6.iac\n    question: q\n    field: operations.infrastructure_as_code\n    answers:\n      none: { score: 0 }\n      partial: { score: 50 }\n      full: { score: 100 }\n    source: s\n";

    #[test]
    fn builtin_packs_load() {
        let p = Packs::builtin().unwrap_or_else(|e| panic!("{}", e.render(false)));
        assert_eq!(
            p.principles
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>(),
            PRINCIPLE_IDS
        );
        assert_eq!(p.framework.id, FRAMEWORK_ID);
    }

    #[test]
    fn a_good_pack_compiles() {
        assert!(errs(GOOD).is_empty());
    }

    #[test]
    fn unknown_field_is_rejected_at_its_line() {
        let e = errs(&GOOD.replace("operations.infrastructure_as_code", "operations.infra_code"));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("6:12 `operations.infra_code` is not an inventory field"),
            "{e:?}"
        );
    }

    #[test]
    fn impossible_answer_is_rejected_at_its_line() {
        let e = errs(&GOOD.replace("partial:", "half:"));
        assert!(
            e.iter().any(|m| m.starts_with("9:7 `half` is not a value")),
            "{e:?}"
        );
        assert!(
            e.iter().any(|m| m.contains("no answer for partial")),
            "{e:?}"
        );
    }

    #[test]
    fn a_criterion_without_a_source_is_rejected_at_its_id() {
        let e = errs(&GOOD.replace("    source: s\n", ""));
        assert_eq!(e, ["4:9 criterion `P6.iac` needs a `source`"]);
    }

    #[test]
    fn a_field_scored_twice_in_one_pack_is_rejected_at_the_second() {
        let second = "  - id: P6.iac2\n    question: q\n    field: operations.infrastructure_as_code\n    source: s\n    answers:\n      none: { score: 0 }\n      partial: { score: 50 }\n      full: { score: 100 }\n";
        let e = errs(&format!("{GOOD}{second}"));
        assert_eq!(
            e,
            [
                "14:12 `operations.infrastructure_as_code` is already scored by `P6.iac` in this pack"
            ]
        );
    }

    #[test]
    fn comparisons_measures_and_any_are_checked_at_their_lines() {
        let t = "id: P6\ntitle: t\ncriteria:\n  - id: P6.a\n    question: q\n    field: assurance.irap_level\n    compare_with: operations.scaling\n    source: s\n    answers:\n      below: { score: 0 }\n      at-or-above: { score: 100 }\n  - id: P6.b\n    question: q\n    field: users\n    measure: months_since\n    source: s\n    bands: [{ score: 1 }]\n  - id: P6.c\n    question: q\n    field: exit_plan\n    source: s\n    applies_when:\n      any: [PROTECTED]\n    answers:\n      false: { score: 0 }\n      true: { score: 100 }\n";
        let e = errs(t);
        assert!(
            e.iter().any(|m| m.starts_with("7:19 `compare_with` ranks")),
            "{e:?}"
        );
        assert!(
            e.iter()
                .any(|m| m.starts_with("15:14 `measure` applies to date fields")),
            "{e:?}"
        );
        assert!(
            e.iter()
                .any(|m| m.starts_with("23:7 `any` in `applies_when`")),
            "{e:?}"
        );
        assert_eq!(e.len(), 3, "{e:?}");
    }

    #[test]
    fn cases_pick_the_first_rule_whose_condition_holds() {
        let t = "id: P6\ntitle: t\ncriteria:\n  - id: P6.a\n    question: q\n    field: resilience.rto_hours\n    source: s\n    cases:\n      - when: { resilience.deployment: single-zone }\n        bands: [{ below: 4, score: 20 }, { score: 100 }]\n    bands: [{ score: 100 }]\n";
        let (p, _) = compile(0, t, "P6").unwrap_or_else(|d| panic!("{d:?}"));
        let c = &p.criteria[0];
        assert_eq!(c.cases.len(), 2);
        assert!(c.cases[1].when.is_always());
        assert_eq!(
            c.fields_read(),
            [
                field_id("resilience.rto_hours").unwrap(),
                field_id("resilience.deployment").unwrap()
            ]
        );
    }

    #[test]
    fn bands_must_rise_and_end_open() {
        let t = "id: P6\ntitle: t\ncriteria:\n  - id: P6.e8\n    question: q\n    source: s\n    field: security.essential_eight\n    bands:\n      - { below: 2, score: 0 }\n      - { below: 1, score: 50 }\n      - { below: 3, score: 100 }\n";
        let e = errs(t);
        assert!(e.iter().any(|m| m.starts_with("10:9 band limits")), "{e:?}");
        assert!(
            e.iter().any(|m| m.starts_with("11:9 the last band")),
            "{e:?}"
        );
    }
}
