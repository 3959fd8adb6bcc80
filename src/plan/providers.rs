//! The provider catalog (`--providers FILE`): real services with their assessed level,
//! certification and regions, and which of them may serve a workload.
//!
//! Provider facts change, so they live in a dated file the agency keeps, never in code.

use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::datafile::{self, DataFile, Value};
use crate::diagnostic::{Diagnostic, Sources};
use crate::error::{Error, Result};
use crate::inventory::{CLASSIFICATIONS, Date};

use super::hosting::{Eligibility, HCF, HostingRules};

#[derive(Debug, Clone)]
pub struct Region {
    pub id: String,
    pub name: String,
    pub onshore: bool,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub provider: String,
    pub service: String,
    pub kind: String,
    pub regions: Vec<Region>,
    pub irap: Option<Irap>,
    pub hcf: String,
    /// The lowest classification it takes (index; 0 when any): a SECRET- or TOP SECRET-only
    /// environment is no home for data below the level it was built for.
    pub min_classification: usize,
    /// The highest classification it takes (index), when the entry caps it.
    pub max_classification: Option<usize>,
    /// What to check before relying on the entry.
    pub verify: Option<String>,
}

/// Who carried out a security assessment of a cloud service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assessor {
    /// An IRAP assessor (ISM-1570: non-classified to SECRET).
    Irap,
    /// ASD's assessors or their delegates (ISM-1972: TOP SECRET).
    Asd,
}

/// The names `assessed_by` takes, in the order of [`Assessor`].
pub const ASSESSORS: &[&str] = &["irap", "asd"];

/// An entry's security assessment: the highest classification it covers, when it was
/// completed, and by whom.
#[derive(Debug, Clone)]
pub struct Irap {
    /// Index into `CLASSIFICATIONS`.
    pub level: usize,
    pub date: Option<Date>,
    /// A year without a date: decided only when every day it can stand for falls on the same
    /// side of the 24-month line.
    pub year: Option<i64>,
    pub by: Assessor,
}

/// ISM-1570 and ISM-1972: cloud services are assessed at least every 24 months.
pub const IRAP_MAX_MONTHS: i64 = 24;

#[derive(Debug, Clone)]
pub struct Catalog {
    pub as_of: String,
    pub sources: Vec<String>,
    pub entries: Vec<Entry>,
}

const KIND: datafile::Kind = datafile::Kind {
    what: "provider catalog",
    hint: "see examples/providers.yaml for the format",
};

impl Catalog {
    /// Reads and checks a catalog; `kinds` are the provider kinds the hosting options name.
    pub fn load(path: &Path, kinds: &[&str]) -> Result<Catalog> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(&shown, e))?;
        let mut sources = Sources::default();
        let file = sources.add(shown, text.clone());
        compile(file, &text, kinds).map_err(|mut d| {
            crate::diagnostic::default_code(&mut d, crate::diagnostic::Code::InvalidCatalog);
            Error::invalid(sources, d)
        })
    }
}

/// A provider catalog as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    as_of: Spanned<String>,
    sources: Vec<String>,
    entries: Vec<Spanned<EntryFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    id: String,
    provider: String,
    service: String,
    kind: Spanned<String>,
    regions: Spanned<Vec<RegionFile>>,
    irap: Option<IrapFile>,
    hcf: Spanned<String>,
    min_classification: Option<Spanned<String>>,
    max_classification: Option<Spanned<String>>,
    verify: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IrapFile {
    level: Spanned<String>,
    date: Option<Spanned<String>>,
    year: Option<Spanned<Value>>,
    assessed_by: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionFile {
    id: String,
    name: Option<String>,
    onshore: bool,
}

pub fn compile(
    file: u32,
    text: &str,
    kinds: &[&str],
) -> std::result::Result<Catalog, Vec<Diagnostic>> {
    let (raw, mut f): (CatalogFile, _) = DataFile::read(file, text, KIND)?;
    let as_of = Date::parse(&raw.as_of.value);
    if as_of.is_none() {
        f.error(
            f.word_at(&raw.as_of),
            format!("`{}` is not a date; write YYYY-MM-DD", raw.as_of.value),
        );
    }
    let mut entries: Vec<Entry> = Vec::new();
    for e in &raw.entries {
        let Some(entry) = compile_entry(&mut f, &e.value, kinds, as_of) else {
            continue;
        };
        if entries.iter().any(|x| x.id == entry.id) {
            f.error(
                f.at(e),
                format!("catalog entry `{}` is listed twice", entry.id),
            );
        }
        entries.push(entry);
    }
    f.finish(Catalog {
        as_of: raw.as_of.value,
        sources: raw.sources,
        entries,
    })
}

/// One entry; `None` (with the problem reported) when its kind or certification is not one
/// the rules know. `as_of` is the catalog's own date.
fn compile_entry(
    f: &mut DataFile,
    e: &EntryFile,
    kinds: &[&str],
    as_of: Option<Date>,
) -> Option<Entry> {
    let kind = f.pick(&e.kind, kinds, "a provider kind named by a hosting option");
    let hcf = f.pick(&e.hcf, HCF, "a Hosting Certification Framework status");
    let irap = e.irap.as_ref().and_then(|i| compile_irap(f, i, as_of));
    let class = |f: &mut DataFile, c: &Option<Spanned<String>>| {
        c.as_ref()
            .and_then(|c| f.pick(c, CLASSIFICATIONS, "a classification"))
    };
    let min = class(f, &e.min_classification);
    let max = class(f, &e.max_classification);
    if let (Some(lo), Some(hi), Some(m)) = (min, max, &e.min_classification)
        && lo > hi
    {
        f.error(
            f.word_at(m),
            "`min_classification` is above `max_classification`",
        );
    }
    let regions: Vec<Region> = e
        .regions
        .value
        .iter()
        .map(|r| Region {
            id: r.id.clone(),
            name: r.name.clone().unwrap_or_else(|| r.id.clone()),
            onshore: r.onshore,
        })
        .collect();
    if regions.is_empty() {
        f.error(f.at(&e.regions), "an entry needs at least one region");
    }
    kind?;
    hcf?;
    Some(Entry {
        id: e.id.clone(),
        provider: e.provider.clone(),
        service: e.service.clone(),
        kind: e.kind.value.clone(),
        regions,
        irap,
        hcf: e.hcf.value.clone(),
        min_classification: min.unwrap_or(0),
        max_classification: max,
        verify: e.verify.clone(),
    })
}

/// An entry's assessment. A date (or year) later than the catalog's own `as_of` is an error at
/// its place: the catalog cannot record an assessment completed after it was written.
fn compile_irap(f: &mut DataFile, i: &IrapFile, as_of: Option<Date>) -> Option<Irap> {
    let level = f.pick(&i.level, CLASSIFICATIONS, "a classification")?;
    let by = match &i.assessed_by {
        Some(b) => match f.pick(b, ASSESSORS, "an assessor (irap or asd)")? {
            1 => Assessor::Asd,
            _ => Assessor::Irap,
        },
        None => Assessor::Irap,
    };
    let date = i.date.as_ref().and_then(|d| {
        let parsed = Date::parse(&d.value);
        match (parsed, as_of) {
            (None, _) => f.error_hint(
                f.word_at(d),
                format!("`{}` is not a date", d.value),
                "write the date the IRAP assessment was completed as YYYY-MM-DD",
            ),
            (Some(p), Some(a)) if p > a => f.error_hint(
                f.word_at(d),
                format!("`{p}` is after the catalog's `as_of` ({a})"),
                "an assessment is recorded once it is completed: correct the date, or the catalog's `as_of`",
            ),
            _ => {}
        }
        parsed
    });
    let year = i.year.as_ref().and_then(|y| {
        let n = f.number(y, "`year`")?;
        let whole = n.fract() == 0.0 && (1900.0..=9999.0).contains(&n);
        let later = as_of.is_some_and(|a| n > f64::from(a.year));
        if !whole || later {
            let message = if whole {
                format!("`year: {n}` is after the catalog's `as_of` year")
            } else {
                format!("`year: {n}` is not a year")
            };
            f.error_hint(
                f.at(y),
                message,
                "give the year the assessment was completed (better: its date as `date: YYYY-MM-DD`)",
            );
            return None;
        }
        Some(n as i64)
    });
    Some(Irap {
        level,
        date,
        year,
        by,
    })
}

/// What an entry's assessment is judged against.
#[derive(Debug, Clone, Copy)]
pub struct Judging {
    /// The workload's classification (index).
    pub class: usize,
    /// The reference date its age is judged on.
    pub at: Option<Date>,
    /// The catalog's own date: an assessment it records was completed by then.
    pub recorded_by: Option<Date>,
    /// Whether the assessment must be ASD's (ISM-1972).
    pub asd: bool,
}

/// Why an entry's IRAP assessment does not qualify it for data at `j.class`, or `None` when it
/// does.
pub fn irap_problem(irap: Option<&Irap>, j: Judging) -> Option<String> {
    let c = CLASSIFICATIONS[j.class];
    let Some(i) = irap else {
        return Some("no IRAP assessment recorded".into());
    };
    if i.level < j.class {
        return Some(format!(
            "IRAP assessment covers {} only, below {c}",
            CLASSIFICATIONS[i.level]
        ));
    }
    if j.asd && i.by != Assessor::Asd {
        return Some(format!(
            "assessed by an IRAP assessor; {c} cloud services are assessed by ASD (ISM-1972): record `assessed_by: asd` only for an ASD assessment"
        ));
    }
    let at = j.at?;
    match (i.date, i.year) {
        (Some(date), _) => date_problem(date, at),
        (None, Some(y)) => year_problem(y, at, j.recorded_by),
        (None, None) => {
            Some("IRAP assessment undated, so its age cannot be checked; record `irap.date`".into())
        }
    }
}

/// A completed assessment dated `date`, judged at `at`.
fn date_problem(date: Date, at: Date) -> Option<String> {
    if date > at {
        return Some(format!(
            "IRAP assessment of {date} is dated after the reference date {at}, so it is not a current assessment at that date"
        ));
    }
    let months = crate::score::months_between(date, at);
    (months >= IRAP_MAX_MONTHS).then(|| {
        format!(
            "IRAP assessment of {date} is {months} months old at {at}; ISM-1570 expects one less than {IRAP_MAX_MONTHS} months old"
        )
    })
}

/// An assessment dated only by year `y`: it stands for every day of that year up to the
/// catalog's date. Decided when all of those days are judged alike, unknown otherwise.
fn year_problem(y: i64, at: Date, recorded_by: Option<Date>) -> Option<String> {
    let (Some(first), Some(dec31)) = (
        Date::parse(&format!("{y:04}-01-01")),
        Date::parse(&format!("{y:04}-12-31")),
    ) else {
        return Some(format!(
            "IRAP assessment dated by year {y}, which is not a year"
        ));
    };
    let last = recorded_by.map_or(dec31, |r| r.min(dec31));
    let (a, b) = (date_problem(first, at), date_problem(last, at));
    match (a, b) {
        (None, None) => None,
        (Some(_), Some(_)) if first > at => Some(format!(
            "IRAP assessment dated {y}, after the reference date {at}, so it is not a current assessment at that date"
        )),
        (Some(_), Some(_)) => Some(format!(
            "IRAP assessment dated {y}, every day of which is {IRAP_MAX_MONTHS} months or more before {at} (ISM-1570)"
        )),
        _ if last > at => Some(format!(
            "IRAP assessment dated only by year ({y}), which may fall after the reference date {at} (the catalog is dated later), so whether it was current then cannot be told; record `irap.date`"
        )),
        _ => Some(format!(
            "IRAP assessment dated only by year ({y}), which spans both sides of the {IRAP_MAX_MONTHS}-month line at {at}, so whether it is current cannot be told; record `irap.date`"
        )),
    }
}

/// What about `entry` keeps it from serving option `opt` for the workload `e` (empty: nothing).
fn problems(
    rules: &HostingRules,
    entry: &Entry,
    opt: &super::hosting::HostingOption,
    e: &Eligibility,
    at: Option<Date>,
    recorded_by: Option<Date>,
) -> Vec<String> {
    let pr = &rules.providers;
    let class = e.classification;
    let mut problems = Vec::new();
    if !entry.regions.iter().any(|r| r.onshore || !opt.onshore) {
        problems.push("no onshore region".to_string());
    }
    if let Some(max) = entry.max_classification.filter(|&m| m < class) {
        problems.push(format!("holds data up to {} only", CLASSIFICATIONS[max]));
    }
    let wog = e.whole_of_government;
    if class >= pr.irap_from || (wog && pr.irap_whole_of_government) {
        let j = Judging {
            class,
            at,
            recorded_by,
            asd: pr.asd_from.is_some_and(|a| class >= a),
        };
        problems.extend(irap_problem(entry.irap.as_ref(), j));
    }
    let hcf_applies = (class >= pr.hcf_from || (wog && pr.hcf_whole_of_government))
        && pr.hcf_kinds.contains(&entry.kind);
    if hcf_applies && !pr.hcf_accepted.contains(&entry.hcf) {
        problems.push(format!(
            "Hosting Certification Framework status {} (needs {})",
            entry.hcf,
            pr.hcf_accepted.join(" or ")
        ));
    }
    problems
}

/// The catalog entries a workload may use, in catalog order, and a reason naming the entries of
/// an allowed kind that were left out (and why), or why there are none at all. `reference` is
/// the date IRAP assessments are aged at (the inventory's `as_of` or `--date`; the catalog's
/// own `as_of` when neither is given). An entry reserved for data above the workload's
/// classification is not its to use, and is not listed as left out.
pub fn matching(
    rules: &HostingRules,
    cat: &Catalog,
    e: &Eligibility,
    reference: Option<Date>,
) -> (Vec<usize>, Option<String>) {
    let class = e.classification;
    let recorded_by = Date::parse(&cat.as_of);
    let at = reference.or(recorded_by);
    let mut out = Vec::new();
    let mut kinds_seen = false;
    let mut excluded: Vec<String> = Vec::new();
    for (i, entry) in cat.entries.iter().enumerate() {
        let serving: Vec<usize> = e
            .allowed
            .iter()
            .copied()
            .filter(|&o| rules.options[o].provider_kind.as_deref() == Some(entry.kind.as_str()))
            .collect();
        if serving.is_empty() {
            continue;
        }
        kinds_seen = true;
        if entry.min_classification > class {
            continue;
        }
        // The shortest list of problems across the options this kind serves.
        let why = serving
            .iter()
            .map(|&o| problems(rules, entry, &rules.options[o], e, at, recorded_by))
            .min_by_key(Vec::len)
            .unwrap_or_default();
        if why.is_empty() {
            out.push(i);
        } else {
            excluded.push(format!("{} ({})", entry.id, why.join("; ")));
        }
    }
    let c = CLASSIFICATIONS[class];
    if !kinds_seen {
        let ids: Vec<&str> = e
            .allowed
            .iter()
            .map(|&o| rules.options[o].id.as_str())
            .collect();
        return (
            out,
            Some(format!(
                "no catalog entry offers an option {c} data may use ({})",
                ids.join(", ")
            )),
        );
    }
    let why = match (out.is_empty(), excluded.is_empty()) {
        (true, true) => Some(format!(
            "no catalog entry of an allowed kind takes {c} data"
        )),
        (false, true) => None,
        (true, false) => Some(format!(
            "no catalog entry qualifies for {c} data: {}",
            excluded.join("; ")
        )),
        (false, false) => Some(format!("left out for {c} data: {}", excluded.join("; "))),
    };
    (out, why)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn irap(level: usize, date: &str) -> Irap {
        Irap {
            level,
            date: Date::parse(date),
            year: None,
            by: Assessor::Irap,
        }
    }

    fn judging(class: usize, at: Option<Date>) -> Judging {
        Judging {
            class,
            at,
            recorded_by: at,
            asd: false,
        }
    }

    #[test]
    fn an_irap_assessment_qualifies_for_24_months_and_not_undated() {
        let at = Date::parse("2026-11-01");
        let j = judging(3, at);
        // 23 months old: current.
        assert_eq!(irap_problem(Some(&irap(3, "2024-12-01")), j), None);
        // 24 and 25 months old: stale, and the reason says how old.
        let p = irap_problem(Some(&irap(3, "2024-11-01")), j).unwrap();
        assert!(p.contains("24 months old at 2026-11-01"), "{p}");
        let p = irap_problem(Some(&irap(3, "2024-10-01")), j).unwrap();
        assert!(p.contains("25 months old"), "{p}");
        let undated = Irap {
            date: None,
            ..irap(3, "2026-01-01")
        };
        assert!(irap_problem(Some(&undated), j).unwrap().contains("undated"));
        assert!(
            irap_problem(Some(&irap(2, "2026-01-01")), j)
                .unwrap()
                .contains("below PROTECTED")
        );
        assert!(irap_problem(None, judging(2, at)).is_some());
    }

    #[test]
    fn an_assessment_dated_after_the_reference_date_is_not_current() {
        let at = Date::parse("2026-11-01");
        let p = irap_problem(Some(&irap(3, "2030-01-01")), judging(3, at)).unwrap();
        assert!(
            p.contains("dated after the reference date 2026-11-01"),
            "{p}"
        );
        // The day itself is current.
        assert_eq!(
            irap_problem(Some(&irap(3, "2026-11-01")), judging(3, at)),
            None
        );
    }

    /// A year stands for each of its days up to the catalog's date: decided when they all fall
    /// on one side of the 24-month line (and on or before the reference date).
    #[test]
    fn a_year_only_date_is_decided_when_the_whole_year_is_on_one_side() {
        let year = |y: i64| Irap {
            date: None,
            year: Some(y),
            ..irap(3, "2026-01-01")
        };
        let at = Date::parse("2026-10-01");
        let j = judging(3, at);
        // Every day of 2026 up to 2026-10-01, and every day of 2025: less than 24 months.
        assert_eq!(irap_problem(Some(&year(2026)), j), None);
        assert_eq!(irap_problem(Some(&year(2025)), j), None);
        // 2023 ended more than 24 months before: stale.
        let p = irap_problem(Some(&year(2023)), j).unwrap();
        assert!(p.contains("every day of which is 24 months or more"), "{p}");
        // 2024 straddles the line (2024-10-01 is 24 months old, 2024-10-02 is not): unknown.
        let p = irap_problem(Some(&year(2024)), j).unwrap();
        assert!(p.contains("cannot be told"), "{p}");
        // A catalog dated later than the reference date: 2026 may be after it.
        let later = Judging {
            recorded_by: Date::parse("2026-11-01"),
            ..j
        };
        let p = irap_problem(Some(&year(2026)), later).unwrap();
        assert!(p.contains("cannot be told"), "{p}");
        // A year wholly after the reference date.
        let early = judging(3, Date::parse("2025-06-01"));
        let p = irap_problem(
            Some(&year(2026)),
            Judging {
                recorded_by: Date::parse("2026-11-01"),
                ..early
            },
        )
        .unwrap();
        assert!(p.contains("after the reference date 2025-06-01"), "{p}");
    }

    #[test]
    fn top_secret_needs_an_asd_assessment() {
        let at = Date::parse("2026-11-01");
        let ts = Judging {
            asd: true,
            ..judging(5, at)
        };
        let p = irap_problem(Some(&irap(5, "2026-01-01")), ts).unwrap();
        assert!(p.contains("ISM-1972"), "{p}");
        let asd = Irap {
            by: Assessor::Asd,
            ..irap(5, "2026-01-01")
        };
        assert_eq!(irap_problem(Some(&asd), ts), None);
    }

    const EXAMPLE: &str = include_str!("../../examples/providers.yaml");
    const KINDS: &[&str] = &["public-cloud", "saas", "community-cloud", "private-cloud"];

    /// The 1-based line and column where `needle` first appears.
    fn place_of(text: &str, needle: &str) -> (u32, u32) {
        let (i, l) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap();
        (i as u32 + 1, l.find(needle).unwrap() as u32 + 1)
    }

    #[test]
    fn the_example_catalog_loads() {
        let c = compile(0, EXAMPLE, KINDS).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(c.as_of, "2026-11-01");
        assert!(c.entries.iter().any(|e| e.id == "aws-australia"));
    }

    #[test]
    fn a_bad_catalog_entry_is_reported_at_its_line_and_column() {
        let text = EXAMPLE.replacen("    provider: Amazon", "    provder: Amazon", 1);
        let d = compile(0, &text, KINDS).unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].loc.map(|l| (l.line, l.col)),
            Some(place_of(&text, "provder:"))
        );
        assert_eq!(
            d[0].message,
            "invalid provider catalog: unknown key `provder`"
        );
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `provider`?"));

        let text = EXAMPLE.replacen("date: 2025-06-30", "date: 2025-13-30", 1);
        let d = compile(0, &text, KINDS).unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].loc.map(|l| (l.line, l.col)),
            Some(place_of(&text, "2025-13-30"))
        );
        assert_eq!(d[0].message, "`2025-13-30` is not a date");

        let text = EXAMPLE.replacen("hcf: strategic", "hcf: strategik", 1);
        let d = compile(0, &text, KINDS).unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
        let (line, col) = place_of(&text, "strategik");
        assert_eq!(
            d[0].loc.map(|l| (l.line, l.col, l.len)),
            Some((line, col, 9))
        );
        assert!(
            d[0].hint
                .as_deref()
                .unwrap_or("")
                .starts_with("did you mean `strategic`?"),
            "{d:?}"
        );
    }
}
