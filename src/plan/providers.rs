//! The provider catalog (`--providers FILE`): real services with their assessed level,
//! certification and regions, and which of them may serve a workload.
//!
//! Provider facts change, so they live in a dated file the agency keeps, never in code.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Loc, Sources};
use crate::error::{Error, Result};
use crate::inventory::CLASSIFICATIONS;

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
    /// Highest classification assessed by IRAP (index), and the year of the assessment.
    pub irap: Option<(usize, Option<i64>)>,
    pub hcf: String,
    /// What to check before relying on the entry.
    pub verify: Option<String>,
}

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
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(&shown, &e))?;
        let mut sources = Sources::default();
        let file = sources.add(shown, text.clone());
        compile(file, &text, kinds).map_err(|d| Error::invalid(&sources, d))
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
                let im = data::map(n, &["level", "year"], "`irap`", &mut d);
                let level = data::need(&im, "level", n.loc, "`irap`", &mut d).and_then(|l| {
                    let t = data::text(l, "`level`", &mut d)?;
                    data::one_of(&t, l.loc, CLASSIFICATIONS, "a classification", &mut d)
                })?;
                let year = data::get(&im, "year")
                    .and_then(|y| data::number(y, "`year`", &mut d))
                    .map(|y| y as i64);
                Some((level, year))
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

/// The catalog entries a workload may use, in catalog order, or why there are none.
pub fn matching(
    rules: &HostingRules,
    cat: &Catalog,
    e: &Eligibility,
) -> (Vec<usize>, Option<String>) {
    let pr = &rules.providers;
    let class = e.classification;
    let mut out = Vec::new();
    let mut kinds_seen = false;
    for (i, entry) in cat.entries.iter().enumerate() {
        let fits = e.allowed.iter().any(|&o| {
            let opt = &rules.options[o];
            if opt.provider_kind.as_deref() != Some(entry.kind.as_str()) {
                return false;
            }
            kinds_seen = true;
            let region_ok = entry.regions.iter().any(|r| r.onshore || !opt.onshore);
            let irap_ok = class < pr.irap_from || entry.irap.is_some_and(|(l, _)| l >= class);
            let hcf_ok = class < pr.hcf_from || pr.hcf_accepted.contains(&entry.hcf);
            region_ok && irap_ok && hcf_ok
        });
        if fits {
            out.push(i);
        }
    }
    if !out.is_empty() {
        return (out, None);
    }
    let c = CLASSIFICATIONS[class];
    let why = if !kinds_seen {
        let ids: Vec<&str> = e
            .allowed
            .iter()
            .map(|&o| rules.options[o].id.as_str())
            .collect();
        format!(
            "no catalog entry offers an option {c} data may use ({})",
            ids.join(", ")
        )
    } else {
        let mut need = Vec::new();
        if rules
            .options
            .iter()
            .enumerate()
            .any(|(i, o)| e.allowed.contains(&i) && o.onshore)
        {
            need.push("an onshore region".to_string());
        }
        if class >= pr.irap_from {
            need.push(format!("an IRAP assessment at {c} or above"));
        }
        if class >= pr.hcf_from {
            need.push(format!(
                "Hosting Certification Framework status {}",
                pr.hcf_accepted.join(" or ")
            ));
        }
        format!(
            "no catalog entry of an allowed kind has {}",
            if need.is_empty() {
                "a usable region".to_string()
            } else {
                need.join(", ")
            }
        )
    };
    (out, Some(why))
}
