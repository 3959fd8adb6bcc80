//! `cloudready diff OLD NEW`: how readiness changed between two inventories (each assessed with
//! the same packs) or two saved `assess --format json` documents: per workload the change in
//! overall and per-principle score, band and recommended strategy; workloads added and removed;
//! and the portfolio's change.
//!
//! Both sides are read into the assessment document's shape (`cloudready-assessment/v1`), so a
//! saved document and a freshly assessed inventory compare alike.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::assessment;
use crate::diagnostic::{Code, Diagnostic, Loc, Sources};
use crate::error::{Error, Result};
use crate::pipeline::Settings;
use crate::render::number;
use crate::score::round1;

/// The parts of an assessment document a diff reads; other keys are ignored.
#[derive(Debug, Deserialize)]
pub struct Doc {
    pub workloads: Vec<WorkloadIn>,
    pub portfolio: PortfolioIn,
}

#[derive(Debug, Deserialize)]
pub struct WorkloadIn {
    pub id: String,
    pub name: String,
    pub overall: Option<f64>,
    pub band: String,
    pub principles: Vec<PackIn>,
    pub framework: PackIn,
    /// `null` until planning fills it; otherwise `{ "recommended": … }`.
    #[serde(default)]
    pub strategy: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
pub struct PackIn {
    pub id: String,
    pub score: Option<f64>,
}

#[derive(Debug, Deserialize)]
pub struct PortfolioIn {
    pub overall: Option<f64>,
    pub bands: BTreeMap<String, usize>,
    pub principles: Vec<PackIn>,
    pub framework: PackIn,
}

impl WorkloadIn {
    fn strategy(&self) -> Option<&str> {
        self.strategy.as_ref()?.get("recommended")?.as_str()
    }
}

/// The formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}

/// Just the tag, to tell a saved assessment from an inventory without building either.
#[derive(Deserialize)]
struct Probe {
    schema: Option<String>,
}

/// `Some` when `text` is a saved assessment: `Some(schema)` when it parses, `None` inside when
/// it opens like one (a JSON object naming a `cloudready-assessment/` schema near the top) but
/// does not parse, such as a file cut short, which must not be read as an inventory.
fn assessment_schema(text: &str) -> Option<Option<String>> {
    if let Ok(Probe {
        schema: Some(schema),
    }) = serde_json::from_str::<Probe>(text)
    {
        return schema
            .starts_with("cloudready-assessment/")
            .then_some(Some(schema));
    }
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    (head.trim_start().starts_with('{') && head.contains("\"cloudready-assessment/"))
        .then_some(None)
}

/// One side of a diff, read through the pipeline within the run's input limit: a saved
/// assessment document, or an inventory assessed now.
pub fn read_side(path: &Path, settings: &Settings, max_input_bytes: u64) -> Result<Doc> {
    let shown = path.display().to_string();
    let bytes = crate::pipeline::read(path, max_input_bytes)?;
    if let Ok(text) = std::str::from_utf8(&bytes)
        && let Some(schema) = assessment_schema(text)
    {
        if let Some(schema) = schema.filter(|s| s != assessment::SCHEMA) {
            let mut sources = Sources::default();
            sources.add(shown.clone(), String::new());
            return Err(Error::invalid(
                sources,
                vec![
                    Diagnostic::error(
                        Loc::new(0, 0, 0),
                        format!("unsupported assessment document `{schema}`"),
                    )
                    .code(Code::InvalidAssessment)
                    .hint(format!(
                        "this version of cloudready compares `{}` documents; re-run `assess --format json` on the inventory",
                        assessment::SCHEMA
                    )),
                ],
            ));
        }
        return serde_json::from_str::<Doc>(text).map_err(|e| {
            // The text is copied for the snippet only when there is an error to show.
            let mut sources = Sources::default();
            let file = sources.add(shown.clone(), text.to_string());
            let mut message = e.to_string();
            if let Some(i) = message.find(" at line ") {
                message.truncate(i);
            }
            if e.is_eof() {
                message = format!("it ends part-way, cut short ({message})");
            }
            Error::invalid(
                sources,
                vec![
                    Diagnostic::error(
                        Loc::new(file, e.line() as u32, e.column() as u32),
                        format!("incomplete assessment document: {message}"),
                    )
                    .code(Code::InvalidAssessment)
                    .hint("give the file `cloudready assess --format json` wrote, unedited, or the inventory itself"),
                ],
            )
        });
    }
    // An inventory is assessed and planned as `assess` would with the same settings.
    let inv = crate::pipeline::load_bytes(shown, bytes, max_input_bytes)?;
    Ok(from_assessment(&settings.assess(&inv, &[])))
}

/// The diff's view of a document built in this run (no JSON round trip: at 10,000 workloads
/// the full document is hundreds of megabytes).
fn from_assessment(a: &assessment::Assessment) -> Doc {
    let pack = |id: &str, score: Option<f64>| PackIn {
        id: id.to_string(),
        score,
    };
    let band = |b: crate::score::Readiness| b.as_str().to_string();
    Doc {
        workloads: a
            .workloads
            .iter()
            .map(|w| WorkloadIn {
                id: w.id.to_string(),
                name: w.name.to_string(),
                overall: w.overall,
                band: band(w.band),
                principles: w.principles.iter().map(|p| pack(p.id, p.score)).collect(),
                framework: pack(w.framework.id, w.framework.score),
                // Only what a diff reads of it, as a saved document holds it.
                strategy: w
                    .strategy
                    .as_ref()
                    .map(|s| serde_json::json!({ "recommended": s.recommended })),
            })
            .collect(),
        portfolio: PortfolioIn {
            overall: a.portfolio.overall,
            bands: crate::score::Readiness::ALL
                .iter()
                .map(|&b| (band(b), a.portfolio.bands.get(b)))
                .collect(),
            principles: a
                .portfolio
                .principles
                .iter()
                .map(|p| pack(p.id, p.score))
                .collect(),
            framework: pack(a.portfolio.framework.id, a.portfolio.framework.score),
        },
    }
}

/// A number then and now.
#[derive(Debug, Serialize, PartialEq)]
pub struct Change {
    pub old: Option<f64>,
    pub new: Option<f64>,
    /// `new - old` when both are known.
    pub delta: Option<f64>,
}

impl Change {
    fn new(old: Option<f64>, new: Option<f64>) -> Self {
        Change {
            old,
            new,
            delta: old.zip(new).map(|(o, n)| round1(n - o)),
        }
    }
    fn changed(&self) -> bool {
        self.old != self.new
    }
}

#[derive(Debug, Serialize)]
pub struct FromTo {
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PackChange {
    pub id: String,
    #[serde(flatten)]
    pub change: Change,
}

#[derive(Debug, Serialize)]
pub struct WorkloadChange {
    pub id: String,
    pub name: String,
    /// `changed`, `unchanged`, `added` or `removed`.
    pub status: &'static str,
    pub overall: Change,
    pub band: FromTo,
    /// Only the principles (and CAF) whose score changed.
    pub principles: Vec<PackChange>,
    /// `null` when the recommended strategy is the same (or not known on either side).
    pub strategy: Option<FromTo>,
}

#[derive(Debug, Serialize)]
pub struct PortfolioChange {
    pub overall: Change,
    pub bands: BTreeMap<String, Change>,
    pub principles: Vec<PackChange>,
}

#[derive(Debug, Serialize)]
pub struct Diff {
    pub schema: &'static str,
    pub old: String,
    pub new: String,
    pub workloads: Vec<WorkloadChange>,
    pub portfolio: PortfolioChange,
}

fn packs_of(w: &WorkloadIn) -> impl Iterator<Item = &PackIn> {
    w.principles.iter().chain(std::iter::once(&w.framework))
}

fn pack_changes<'a>(
    old: impl Iterator<Item = &'a PackIn>,
    new: impl Iterator<Item = &'a PackIn>,
    only_changed: bool,
) -> Vec<PackChange> {
    let old: Vec<&PackIn> = old.collect();
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for n in new {
        let o = old.iter().find(|p| p.id == n.id).and_then(|p| p.score);
        seen.push(n.id.as_str());
        let change = Change::new(o, n.score);
        if !only_changed || change.changed() {
            out.push(PackChange {
                id: n.id.clone(),
                change,
            });
        }
    }
    for o in old.iter().filter(|o| !seen.contains(&o.id.as_str())) {
        out.push(PackChange {
            id: o.id.clone(),
            change: Change::new(o.score, None),
        });
    }
    out
}

pub fn compare(old_name: &str, old: &Doc, new_name: &str, new: &Doc) -> Diff {
    let olds: BTreeMap<&str, &WorkloadIn> =
        old.workloads.iter().map(|w| (w.id.as_str(), w)).collect();
    let news: BTreeMap<&str, &WorkloadIn> =
        new.workloads.iter().map(|w| (w.id.as_str(), w)).collect();
    let mut ids: Vec<&str> = olds.keys().chain(news.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    let mut workloads = Vec::with_capacity(ids.len());
    for id in ids {
        let (o, n) = (olds.get(id).copied(), news.get(id).copied());
        let any = n.or(o).expect("id comes from one side");
        let principles = match (o, n) {
            (Some(o), Some(n)) => pack_changes(packs_of(o), packs_of(n), true),
            _ => Vec::new(),
        };
        let overall = Change::new(o.and_then(|w| w.overall), n.and_then(|w| w.overall));
        let band = FromTo {
            old: o.map(|w| w.band.clone()),
            new: n.map(|w| w.band.clone()),
        };
        let (so, sn) = (
            o.and_then(WorkloadIn::strategy),
            n.and_then(WorkloadIn::strategy),
        );
        let strategy = (o.is_some() && n.is_some() && so != sn).then(|| FromTo {
            old: so.map(String::from),
            new: sn.map(String::from),
        });
        let status = match (o, n) {
            (None, _) => "added",
            (_, None) => "removed",
            _ if overall.changed()
                || !principles.is_empty()
                || band.old != band.new
                || strategy.is_some() =>
            {
                "changed"
            }
            _ => "unchanged",
        };
        workloads.push(WorkloadChange {
            id: id.to_string(),
            name: any.name.clone(),
            status,
            overall,
            band,
            principles,
            strategy,
        });
    }
    let mut bands = BTreeMap::new();
    for b in ["ready", "conditional", "not-ready", "unknown"] {
        let get = |d: &Doc| d.portfolio.bands.get(b).map(|&n| n as f64);
        bands.insert(b.to_string(), Change::new(get(old), get(new)));
    }
    let portfolio = PortfolioChange {
        overall: Change::new(old.portfolio.overall, new.portfolio.overall),
        bands,
        principles: pack_changes(
            old.portfolio
                .principles
                .iter()
                .chain(std::iter::once(&old.portfolio.framework)),
            new.portfolio
                .principles
                .iter()
                .chain(std::iter::once(&new.portfolio.framework)),
            false,
        ),
    };
    Diff {
        schema: "cloudready-diff/v1",
        old: old_name.to_string(),
        new: new_name.to_string(),
        workloads,
        portfolio,
    }
}

fn num(x: Option<f64>) -> String {
    number::score_cell(x)
}

/// The change as the difference of the shown numbers.
fn delta(c: &Change) -> String {
    match c.old.zip(c.new).map(|(o, n)| number::delta(o, n)) {
        Some(d) if d > 0 => format!(" (+{d})"),
        Some(d) if d < 0 => format!(" ({d})"),
        _ => String::new(),
    }
}

fn arrow(c: &Change) -> String {
    format!("{} → {}{}", num(c.old), num(c.new), delta(c))
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("–")
}

/// The diff in `format`.
pub fn render(d: &Diff, format: DiffFormat) -> String {
    match format {
        DiffFormat::Text => render_text(d),
        DiffFormat::Json => render_json(d),
        DiffFormat::Markdown => render_markdown(d),
    }
}

pub fn render_text(d: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Readiness change: {} → {}", d.old, d.new);
    let _ = writeln!(out, "\nPortfolio: overall {}", arrow(&d.portfolio.overall));
    let principles: Vec<String> = d
        .portfolio
        .principles
        .iter()
        .map(|p| format!("{} {}", p.id, arrow(&p.change)))
        .collect();
    let _ = writeln!(out, "  {}", principles.join(" · "));
    let bands: Vec<String> = d
        .portfolio
        .bands
        .iter()
        .filter(|(_, c)| c.changed())
        .map(|(b, c)| format!("{b} {}", arrow(c)))
        .collect();
    if !bands.is_empty() {
        let _ = writeln!(out, "  bands: {}", bands.join(" · "));
    }
    let count = |s: &str| d.workloads.iter().filter(|w| w.status == s).count();
    for (status, title) in [
        ("changed", "Changed"),
        ("added", "Added"),
        ("removed", "Removed"),
    ] {
        if count(status) == 0 {
            continue;
        }
        let _ = writeln!(out, "\n{title} ({}):", count(status));
        for w in d.workloads.iter().filter(|w| w.status == status) {
            match status {
                "added" => {
                    let _ = writeln!(
                        out,
                        "  + {}  {}  overall {}, {}",
                        w.id,
                        w.name,
                        num(w.overall.new),
                        opt(&w.band.new)
                    );
                }
                "removed" => {
                    let _ = writeln!(
                        out,
                        "  - {}  {}  (was overall {}, {})",
                        w.id,
                        w.name,
                        num(w.overall.old),
                        opt(&w.band.old)
                    );
                }
                _ => {
                    let _ = write!(out, "  {}  overall {}", w.id, arrow(&w.overall));
                    if w.band.old != w.band.new {
                        let _ = write!(out, "  band {} → {}", opt(&w.band.old), opt(&w.band.new));
                    }
                    if let Some(s) = &w.strategy {
                        let _ = write!(out, "  strategy {} → {}", opt(&s.old), opt(&s.new));
                    }
                    out.push('\n');
                    let ps: Vec<String> = w
                        .principles
                        .iter()
                        .map(|p| format!("{} {}", p.id, arrow(&p.change)))
                        .collect();
                    if !ps.is_empty() {
                        let _ = writeln!(out, "      {}", ps.join(" · "));
                    }
                }
            }
        }
    }
    let unchanged = count("unchanged");
    if unchanged > 0 {
        let _ = writeln!(
            out,
            "\nUnchanged: {unchanged} workload{}",
            if unchanged == 1 { "" } else { "s" }
        );
    }
    out
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

pub fn render_markdown(d: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Readiness change: {} → {}\n", md(&d.old), md(&d.new));
    let _ = writeln!(out, "## Portfolio\n");
    let _ = writeln!(out, "| | Old | New | Change |\n|---|---:|---:|---:|");
    let row = |out: &mut String, label: &str, c: &Change| {
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} |",
            num(c.old),
            num(c.new),
            delta(c).trim().trim_matches(['(', ')'])
        );
    };
    row(&mut out, "Overall", &d.portfolio.overall);
    for p in &d.portfolio.principles {
        row(&mut out, &p.id, &p.change);
    }
    for (b, c) in &d.portfolio.bands {
        row(&mut out, &format!("{b} workloads"), c);
    }
    let _ = writeln!(out, "\n## Workloads\n");
    let _ = writeln!(
        out,
        "| Workload | Status | Overall | Band | Strategy | Principles changed |\n|---|---|---|---|---|---|"
    );
    for w in d.workloads.iter().filter(|w| w.status != "unchanged") {
        let band = if w.band.old == w.band.new {
            opt(&w.band.new).to_string()
        } else {
            format!("{} → {}", opt(&w.band.old), opt(&w.band.new))
        };
        let strategy = w
            .strategy
            .as_ref()
            .map(|s| format!("{} → {}", opt(&s.old), opt(&s.new)))
            .unwrap_or_default();
        let ps: Vec<String> = w
            .principles
            .iter()
            .map(|p| format!("{} {}", p.id, arrow(&p.change)))
            .collect();
        let _ = writeln!(
            out,
            "| `{}` {} | {} | {} | {} | {} | {} |",
            md(&w.id),
            md(&w.name),
            w.status,
            arrow(&w.overall),
            band,
            strategy,
            ps.join("<br>")
        );
    }
    let unchanged = d
        .workloads
        .iter()
        .filter(|w| w.status == "unchanged")
        .count();
    let _ = writeln!(out, "\n{unchanged} workload(s) unchanged.");
    out
}

pub fn render_json(d: &Diff) -> String {
    let mut s = serde_json::to_string_pretty(d).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> Doc {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn reports_gains_bands_strategy_added_and_removed() {
        let old = doc(r#"{"workloads":[
              {"id":"a","name":"A","overall":40,"band":"not-ready","principles":[{"id":"P6","score":0}],"framework":{"id":"CAF","score":50},"strategy":null},
              {"id":"b","name":"B","overall":80,"band":"ready","principles":[{"id":"P6","score":90}],"framework":{"id":"CAF","score":50}}],
             "portfolio":{"overall":60,"bands":{"ready":1,"not-ready":1},"principles":[{"id":"P6","score":45}],"framework":{"id":"CAF","score":50}}}"#);
        let new = doc(r#"{"workloads":[
              {"id":"a","name":"A","overall":55,"band":"conditional","principles":[{"id":"P6","score":100}],"framework":{"id":"CAF","score":50},"strategy":{"recommended":"replatform"}},
              {"id":"c","name":"C","overall":null,"band":"unknown","principles":[{"id":"P6","score":null}],"framework":{"id":"CAF","score":null}}],
             "portfolio":{"overall":55,"bands":{"conditional":1,"unknown":1},"principles":[{"id":"P6","score":100}],"framework":{"id":"CAF","score":50}}}"#);
        let d = compare("old", &old, "new", &new);
        let a = &d.workloads[0];
        assert_eq!(a.status, "changed");
        assert_eq!(a.overall.delta, Some(15.0));
        assert_eq!(a.principles.len(), 1);
        assert_eq!(a.principles[0].change.delta, Some(100.0));
        assert_eq!(
            a.strategy.as_ref().unwrap().new.as_deref(),
            Some("replatform")
        );
        assert_eq!(d.workloads[1].status, "removed");
        assert_eq!(d.workloads[2].status, "added");
        assert_eq!(d.portfolio.overall.delta, Some(-5.0));
        let text = render_text(&d);
        assert!(text.contains("a  overall 40 → 55 (+15)"), "{text}");
        assert!(text.contains("P6 0 → 100 (+100)"), "{text}");
    }
}
