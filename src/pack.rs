//! Principle packs: the seven principles and the common assessment framework as data.
//!
//! Packs are YAML files embedded in the binary; `--principles DIR` replaces any of them by a
//! file of the same name. Loading checks every criterion against the inventory's field table, so
//! a pack cannot name a field the inventory lacks or an answer a field cannot take.

use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, FileId, Loc, Sources, did_you_mean};
use crate::error::{Error, Result};
use crate::inventory::{FIELDS, FieldId, Kind, field_id, list_values};

/// The built-in pack files, in the order they are reported: P1..P7, then the framework.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "p1-risk-based.yaml",
        include_str!("../principles/p1-risk-based.yaml"),
    ),
    (
        "p2-design-for-cloud.yaml",
        include_str!("../principles/p2-design-for-cloud.yaml"),
    ),
    (
        "p3-public-cloud-default.yaml",
        include_str!("../principles/p3-public-cloud-default.yaml"),
    ),
    (
        "p4-use-cloud-fully.yaml",
        include_str!("../principles/p4-use-cloud-fully.yaml"),
    ),
    (
        "p5-avoid-customisation.yaml",
        include_str!("../principles/p5-avoid-customisation.yaml"),
    ),
    (
        "p6-automation.yaml",
        include_str!("../principles/p6-automation.yaml"),
    ),
    (
        "p7-monitor.yaml",
        include_str!("../principles/p7-monitor.yaml"),
    ),
    (
        "framework.yaml",
        include_str!("../principles/framework.yaml"),
    ),
];

/// Other data files that live beside the packs (read by later pipeline steps).
pub const OTHER_FILES: &[&str] = &["hosting.yaml", "strategies.yaml"];

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
    /// Numeric, date (days from the reference date) and list (length) fields.
    Bands(Vec<Band>),
}

/// A criterion applies only when every condition holds.
#[derive(Debug, Clone)]
pub struct Condition {
    pub field: FieldId,
    /// Accepted values as indices: enum value index, or 0/1 for false/true.
    pub accepted: Vec<u8>,
    /// The values as written, for people.
    pub text: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub id: String,
    pub question: String,
    pub field: FieldId,
    pub weight: f64,
    pub blocker: bool,
    /// A known score below this is a gap (and fails a blocker).
    pub pass: u8,
    pub applies_when: Vec<Condition>,
    pub source: Option<String>,
    /// Advice when the fact is not recorded.
    pub unknown: String,
    pub rule: Rule,
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
}

impl Default for Readiness {
    fn default() -> Self {
        Readiness {
            ready: 75.0,
            conditional: 50.0,
            min_confidence: 0.5,
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
        if let Some(dir) = dir {
            check_dir(dir)?;
        }
        for (name, text) in BUILTIN {
            let id = sources.add_override_or_builtin(dir, "principles", name, text)?;
            files.push((id, name));
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
        // All weights 0 would leave every overall score undefined: every workload "unknown",
        // reported with full confidence.
        if diags.is_empty() && !packs.is_empty() && packs.iter().all(|p| p.weight == 0.0) {
            diags.push(
                Diagnostic::error(None, "every pack has weight 0, so no workload could get an overall score")
                    .hint("give at least one principle or CAF a weight above 0 (`weight:` in its pack file)"),
            );
        }
        if !diags.is_empty() {
            return Err(Error::invalid(&sources, diags));
        }
        let framework = packs.pop().expect("framework pack is last in BUILTIN");
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

fn check_dir(dir: &Path) -> Result<()> {
    let shown = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(&shown, &e))?;
    let known: Vec<&str> = BUILTIN
        .iter()
        .map(|(n, _)| *n)
        .chain(OTHER_FILES.iter().copied())
        .collect();
    let mut bad = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if (name.ends_with(".yaml") || name.ends_with(".yml")) && !known.contains(&name.as_str()) {
            bad.push(name);
        }
    }
    bad.sort();
    if let Some(name) = bad.first() {
        let hint = did_you_mean(name, known.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("pack files are: {}", known.join(", ")));
        return Err(Error::Usage(format!(
            "{shown}/{name} is not a principle pack file (a file replaces the built-in file of the same name); {hint}"
        )));
    }
    Ok(())
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
    pass: Option<Spanned<u8>>,
    applies_when: Option<Spanned<Ordered<Spanned<String>, Spanned<Scalars>>>>,
    source: Option<String>,
    unknown: Option<String>,
    answers: Option<Spanned<Ordered<Spanned<String>, Spanned<AnswerFile>>>>,
    bands: Option<Spanned<Vec<Spanned<BandFile>>>>,
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

/// One scalar or a list of scalars, as text (`true`, `PROTECTED`).
struct Scalars(Vec<String>);

impl<'de> Deserialize<'de> for Scalars {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct SV;
        impl<'de> Visitor<'de> for SV {
            type Value = Scalars;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value or a list of values")
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Scalars, E> {
                Ok(Scalars(vec![v.to_owned()]))
            }
            fn visit_bool<E>(self, v: bool) -> std::result::Result<Scalars, E> {
                Ok(Scalars(vec![v.to_string()]))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<Scalars, E> {
                Ok(Scalars(vec![v.to_string()]))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<Scalars, E> {
                Ok(Scalars(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut s: A,
            ) -> std::result::Result<Scalars, A::Error> {
                let mut out = Vec::new();
                while let Some(Scalars(mut v)) = s.next_element::<Scalars>()? {
                    if v.len() != 1 {
                        return Err(de::Error::custom(
                            "nested lists are not allowed in applies_when",
                        ));
                    }
                    out.append(&mut v);
                }
                Ok(Scalars(out))
            }
        }
        d.deserialize_any(SV)
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
    let mut criteria = Vec::with_capacity(raw.criteria.len());
    for c in raw.criteria {
        if let Some(cc) = compile_criterion(file, c, expect_id, &mut d) {
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
    let field = resolve_field(file, &c.field, d)?;
    let def = &FIELDS[field];
    let mut applies_when = Vec::new();
    if let Some(aw) = &c.applies_when {
        for (k, v) in &aw.value.0 {
            let Some(cf) = resolve_field(file, k, d) else {
                continue;
            };
            let Some(vals) = choices(FIELDS[cf].kind) else {
                d.push(Diagnostic::error(
                    at(file, k),
                    format!(
                        "`applies_when` can test enum and true/false fields; `{}` is {}",
                        k.value,
                        FIELDS[cf].kind.describe()
                    ),
                ));
                continue;
            };
            let mut accepted = Vec::new();
            for s in &v.value.0 {
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
            applies_when.push(Condition {
                field: cf,
                accepted,
                text: v.value.0.clone(),
            });
        }
    }
    let check_score = |s: &Spanned<u8>, d: &mut Vec<Diagnostic>| {
        if s.value > 100 {
            d.push(Diagnostic::error(
                at(file, s),
                format!("score {} is above 100", s.value),
            ));
        }
    };
    let rule = match (choices(def.kind), &c.answers, &c.bands) {
        (Some(vals), Some(answers), None) => {
            let mut slots: Vec<Option<Answer>> = vec![None; vals.len()];
            for (k, a) in &answers.value.0 {
                check_score(&a.value.score, d);
                match vals.iter().position(|x| *x == k.value) {
                    Some(i) => {
                        slots[i] = Some(Answer {
                            value: vals[i].to_string(),
                            score: a.value.score.value.min(100),
                            finding: a
                                .value
                                .finding
                                .clone()
                                .unwrap_or_else(|| format!("{} is {}.", def.path, vals[i])),
                            advice: a.value.advice.clone(),
                        })
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
                            "criterion `{}` has no answer for {}",
                            c.id.value,
                            list_values(&missing)
                        ),
                    )
                    .hint(
                        "give every value the field can take an answer, so no fact goes unscored",
                    ),
                );
                return None;
            }
            Rule::Choice(slots.into_iter().flatten().collect())
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
            Rule::Bands(out)
        }
        (_, Some(_), Some(_)) => {
            d.push(Diagnostic::error(
                id_loc,
                format!(
                    "criterion `{}` has both `answers` and `bands`; keep one",
                    c.id.value
                ),
            ));
            return None;
        }
        (Some(vals), _, _) => {
            d.push(
                Diagnostic::error(
                    at(file, &c.field),
                    format!(
                        "`{}` takes fixed values, so criterion `{}` needs `answers`",
                        def.path, c.id.value
                    ),
                )
                .hint(format!(
                    "give an answer for each of: {}",
                    list_values(&vals)
                )),
            );
            return None;
        }
        (None, _, _) if def.kind == Kind::Text => {
            d.push(Diagnostic::error(
                at(file, &c.field),
                format!("`{}` is free text and cannot be scored", def.path),
            ));
            return None;
        }
        (None, _, _) => {
            let what = match def.kind {
                Kind::Date => "days from the reference date",
                Kind::IdList | Kind::TextList => "the number of items",
                _ => "the number",
            };
            d.push(
                Diagnostic::error(
                    at(file, &c.field),
                    format!(
                        "`{}` is {}, so criterion `{}` needs `bands` (over {what})",
                        def.path,
                        def.kind.describe(),
                        c.id.value
                    ),
                )
                .hint("bands: [{ below: 1, score: 0, advice: ... }, { score: 100 }]"),
            );
            return None;
        }
    };
    let pass = c.pass.as_ref().map_or(50, |p| {
        check_score(p, d);
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
        blocker: c.blocker,
        pass,
        applies_when,
        source: c.source,
        rule,
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

    const GOOD: &str = "id: P6\ntitle: t\ncriteria:\n  - id: P6.iac\n    question: q\n    field: operations.infrastructure_as_code\n    answers:\n      none: { score: 0 }\n      partial: { score: 50 }\n      full: { score: 100 }\n";

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
    fn bands_must_rise_and_end_open() {
        let t = "id: P6\ntitle: t\ncriteria:\n  - id: P6.e8\n    question: q\n    field: security.essential_eight\n    bands:\n      - { below: 2, score: 0 }\n      - { below: 1, score: 50 }\n      - { below: 3, score: 100 }\n";
        let e = errs(t);
        assert!(e.iter().any(|m| m.starts_with("9:9 band limits")), "{e:?}");
        assert!(
            e.iter().any(|m| m.starts_with("10:9 the last band")),
            "{e:?}"
        );
    }
}
