//! The provider catalog (`--providers FILE`): real services with their assessed level,
//! certification and regions, and which of them may serve a workload.
//!
//! Provider facts change, so they live in a dated file the agency keeps, never in code.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Loc, Sources};
use crate::error::{Error, Result};
use crate::inventory::{CLASSIFICATIONS, Date};

use super::data::{self, Diags};
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

const HINT: &str = "see examples/providers.yaml for the format";

impl Catalog {
    /// Reads and checks a catalog; `kinds` are the provider kinds the hosting options name.
    pub fn load(path: &Path, kinds: &[&str]) -> Result<Catalog> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(&shown, e))?;
        let mut sources = Sources::default();
        let file = sources.add(shown, text.clone());
        compile(file, &text, kinds).map_err(|mut d| {
            crate::diagnostic::default_code(&mut d, "invalid-catalog");
            Error::invalid(sources, d)
        })
    }
}

pub fn compile(file: u32, text: &str, kinds: &[&str]) -> std::result::Result<Catalog, Diags> {
    let root = data::parse(file, text, "provider catalog", HINT)?;
    let mut d = Vec::new();
    let top = data::map(
        &root,
        &["as_of", "sources", "entries"],
        "a provider catalog",
        &mut d,
    );
    let at = Loc::new(file, 1, 1);
    let as_of = data::need(&top, "as_of", at, "a provider catalog", &mut d)
        .and_then(|n| {
            let t = data::text(n, "`as_of`", &mut d)?;
            if crate::inventory::Date::parse(&t).is_none() {
                d.push(Diagnostic::error(
                    n.loc,
                    format!("`{t}` is not a date; write YYYY-MM-DD"),
                ));
            }
            Some(t)
        })
        .unwrap_or_default();
    let sources: Vec<String> = data::need(&top, "sources", at, "a provider catalog", &mut d)
        .map(|n| {
            data::seq(n, "`sources`", &mut d)
                .iter()
                .filter_map(|s| data::text(s, "a source", &mut d))
                .collect()
        })
        .unwrap_or_default();
    let mut entries: Vec<Entry> = Vec::new();
    if let Some(n) = data::need(&top, "entries", at, "a provider catalog", &mut d) {
        for e in data::seq(n, "`entries`", &mut d) {
            let what = "a catalog entry";
            let m = data::map(
                e,
                &[
                    "id", "provider", "service", "kind", "regions", "irap", "hcf", "verify",
                ],
                what,
                &mut d,
            );
            let txt = |k: &str, d: &mut Diags| {
                data::need(&m, k, e.loc, what, d).and_then(|n| data::text(n, &format!("`{k}`"), d))
            };
            let id = txt("id", &mut d);
            let provider = txt("provider", &mut d);
            let service = txt("service", &mut d);
            let kind = data::need(&m, "kind", e.loc, what, &mut d).and_then(|n| {
                let t = data::text(n, "`kind`", &mut d)?;
                data::one_of(
                    &t,
                    n.loc,
                    kinds,
                    "a provider kind named by a hosting option",
                    &mut d,
                )
                .map(|_| t)
            });
            let hcf = data::need(&m, "hcf", e.loc, what, &mut d).and_then(|n| {
                let t = data::text(n, "`hcf`", &mut d)?;
                data::one_of(
                    &t,
                    n.loc,
                    HCF,
                    "a Hosting Certification Framework status",
                    &mut d,
                )
                .map(|_| t)
            });
            let verify = data::get(&m, "verify").and_then(|n| data::text(n, "`verify`", &mut d));
            let irap = data::get(&m, "irap").and_then(|n| {
                let im = data::map(n, &["level", "date", "year"], "`irap`", &mut d);
                let level = data::need(&im, "level", n.loc, "`irap`", &mut d).and_then(|l| {
                    let t = data::text(l, "`level`", &mut d)?;
                    data::one_of(&t, l.loc, CLASSIFICATIONS, "a classification", &mut d)
                })?;
                let date = data::get(&im, "date").and_then(|x| {
                    let t = data::text(x, "`date`", &mut d)?;
                    let parsed = Date::parse(&t);
                    if parsed.is_none() {
                        d.push(
                            Diagnostic::error(x.loc, format!("`{t}` is not a date")).hint(
                                "write the date the IRAP assessment was completed as YYYY-MM-DD",
                            ),
                        );
                    }
                    parsed
                });
                let year = data::get(&im, "year")
                    .and_then(|y| data::number(y, "`year`", &mut d))
                    .map(|y| y as i64);
                Some(Irap { level, date, year })
            });
            let mut regions = Vec::new();
            if let Some(rn) = data::need(&m, "regions", e.loc, what, &mut d) {
                for r in data::seq(rn, "`regions`", &mut d) {
                    let rm = data::map(r, &["id", "name", "onshore"], "a region", &mut d);
                    let rid = data::need(&rm, "id", r.loc, "a region", &mut d)
                        .and_then(|n| data::text(n, "`id`", &mut d));
                    let name = data::get(&rm, "name").and_then(|n| data::text(n, "`name`", &mut d));
                    let onshore = data::need(&rm, "onshore", r.loc, "a region", &mut d)
                        .and_then(|n| data::boolean(n, "`onshore`", &mut d));
                    if let (Some(rid), Some(onshore)) = (rid, onshore) {
                        regions.push(Region {
                            name: name.unwrap_or_else(|| rid.clone()),
                            id: rid,
                            onshore,
                        });
                    }
                }
                if regions.is_empty() {
                    d.push(Diagnostic::error(
                        rn.loc,
                        "an entry needs at least one region",
                    ));
                }
            }
            if let (Some(id), Some(provider), Some(service), Some(kind), Some(hcf)) =
                (id, provider, service, kind, hcf)
            {
                if entries.iter().any(|x| x.id == id) {
                    d.push(Diagnostic::error(
                        e.loc,
                        format!("catalog entry `{id}` is listed twice"),
                    ));
                }
                entries.push(Entry {
                    id,
                    provider,
                    service,
                    kind,
                    regions,
                    irap,
                    hcf,
                    verify,
                });
            }
        }
    }
    if !d.is_empty() {
        return Err(d);
    }
    Ok(Catalog {
        as_of,
        sources,
        entries,
    })
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
}
