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
    /// What to check before relying on the entry.
    pub verify: Option<String>,
}

/// An entry's IRAP assessment: the highest classification it covers and when it was completed.
#[derive(Debug, Clone)]
pub struct Irap {
    /// Index into `CLASSIFICATIONS`.
    pub level: usize,
    pub date: Option<Date>,
    /// A year without a date (older catalogs): not enough to tell whether it is current.
    pub year: Option<i64>,
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
    verify: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IrapFile {
    level: Spanned<String>,
    date: Option<Spanned<String>>,
    year: Option<Spanned<Value>>,
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
    if Date::parse(&raw.as_of.value).is_none() {
        f.error(
            f.word_at(&raw.as_of),
            format!("`{}` is not a date; write YYYY-MM-DD", raw.as_of.value),
        );
    }
    let mut entries: Vec<Entry> = Vec::new();
    for e in &raw.entries {
        let Some(entry) = compile_entry(&mut f, &e.value, kinds) else {
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
/// the rules know.
fn compile_entry(f: &mut DataFile, e: &EntryFile, kinds: &[&str]) -> Option<Entry> {
    let kind = f.pick(&e.kind, kinds, "a provider kind named by a hosting option");
    let hcf = f.pick(&e.hcf, HCF, "a Hosting Certification Framework status");
    let irap = e.irap.as_ref().and_then(|i| compile_irap(f, i));
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
        verify: e.verify.clone(),
    })
}

fn compile_irap(f: &mut DataFile, i: &IrapFile) -> Option<Irap> {
    let level = f.pick(&i.level, CLASSIFICATIONS, "a classification")?;
    let date = i.date.as_ref().and_then(|d| {
        let parsed = Date::parse(&d.value);
        if parsed.is_none() {
            f.error_hint(
                f.word_at(d),
                format!("`{}` is not a date", d.value),
                "write the date the IRAP assessment was completed as YYYY-MM-DD",
            );
        }
        parsed
    });
    let year = i
        .year
        .as_ref()
        .and_then(|y| f.number(y, "`year`"))
        .map(|y| y as i64);
    Some(Irap { level, date, year })
}

/// Why an entry's IRAP assessment does not qualify it for data at `class`, or `None` when it
/// does. `at` is the date its age is judged on.
pub fn irap_problem(irap: Option<&Irap>, class: usize, at: Option<Date>) -> Option<String> {
    let c = CLASSIFICATIONS[class];
    let Some(i) = irap else {
        return Some("no IRAP assessment recorded".into());
    };
    if i.level < class {
        return Some(format!(
            "IRAP assessment covers {} only, below {c}",
            CLASSIFICATIONS[i.level]
        ));
    }
    let Some(date) = i.date else {
        return Some(match i.year {
            Some(y) => format!(
                "IRAP assessment dated only by year ({y}), so its age cannot be checked; record `irap.date`"
            ),
            None => {
                "IRAP assessment undated, so its age cannot be checked; record `irap.date`".into()
            }
        });
    };
    let at = at?;
    let months = crate::score::months_between(date, at);
    (months >= IRAP_MAX_MONTHS).then(|| {
        format!(
            "IRAP assessment of {date} is {months} months old at {at}; ISM-1570 expects one less than {IRAP_MAX_MONTHS} months old"
        )
    })
}

/// The catalog entries a workload may use, in catalog order, and a reason naming the entries of
/// an allowed kind that were left out (and why), or why there are none at all. `reference` is
/// the date IRAP assessments are aged at (the inventory's `as_of` or `--date`; the catalog's
/// own `as_of` when neither is given).
pub fn matching(
    rules: &HostingRules,
    cat: &Catalog,
    e: &Eligibility,
    reference: Option<Date>,
) -> (Vec<usize>, Option<String>) {
    let pr = &rules.providers;
    let class = e.classification;
    let at = reference.or_else(|| Date::parse(&cat.as_of));
    let mut out = Vec::new();
    let mut kinds_seen = false;
    let mut excluded: Vec<String> = Vec::new();
    for (i, entry) in cat.entries.iter().enumerate() {
        let mut why: Option<Vec<String>> = None;
        for &o in &e.allowed {
            let opt = &rules.options[o];
            if opt.provider_kind.as_deref() != Some(entry.kind.as_str()) {
                continue;
            }
            kinds_seen = true;
            let mut problems = Vec::new();
            if !entry.regions.iter().any(|r| r.onshore || !opt.onshore) {
                problems.push("no onshore region".to_string());
            }
            if class >= pr.irap_from
                && let Some(p) = irap_problem(entry.irap.as_ref(), class, at)
            {
                problems.push(p);
            }
            let hcf_applies = (class >= pr.hcf_from || e.whole_of_government)
                && pr.hcf_kinds.contains(&entry.kind);
            if hcf_applies && !pr.hcf_accepted.contains(&entry.hcf) {
                problems.push(format!(
                    "Hosting Certification Framework status {} (needs {})",
                    entry.hcf,
                    pr.hcf_accepted.join(" or ")
                ));
            }
            if problems.is_empty() {
                why = None;
                break;
            }
            // Keep the shortest list of problems across the options this kind serves.
            if why.as_ref().is_none_or(|w| problems.len() < w.len()) {
                why = Some(problems);
            }
        }
        let serves = e
            .allowed
            .iter()
            .any(|&o| rules.options[o].provider_kind.as_deref() == Some(entry.kind.as_str()));
        match why {
            None if serves => out.push(i),
            None => {}
            Some(p) => excluded.push(format!("{} ({})", entry.id, p.join("; "))),
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
        (_, true) => None,
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
        }
    }

    #[test]
    fn an_irap_assessment_qualifies_for_24_months_and_not_undated() {
        let at = Date::parse("2026-11-01");
        // 23 months old: current.
        assert_eq!(irap_problem(Some(&irap(3, "2024-12-01")), 3, at), None);
        // 24 and 25 months old: stale, and the reason says how old.
        let p = irap_problem(Some(&irap(3, "2024-11-01")), 3, at).unwrap();
        assert!(p.contains("24 months old at 2026-11-01"), "{p}");
        let p = irap_problem(Some(&irap(3, "2024-10-01")), 3, at).unwrap();
        assert!(p.contains("25 months old"), "{p}");
        let undated = Irap {
            level: 3,
            date: None,
            year: Some(2025),
        };
        assert!(
            irap_problem(Some(&undated), 3, at)
                .unwrap()
                .contains("only by year")
        );
        assert!(
            irap_problem(Some(&irap(2, "2026-01-01")), 3, at)
                .unwrap()
                .contains("below PROTECTED")
        );
        assert!(irap_problem(None, 2, at).is_some());
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
