//! Rendering the assessment for people and machines.

pub mod csv;
pub mod framework;
pub mod markdown;
pub mod plan;
pub mod strategy;
pub mod table;

use std::io::Write;

use crate::assessment::Assessment;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Yaml,
    Csv,
    Markdown,
}

/// Renders the assessment in `format`. `color` applies to the table only.
pub fn render(doc: &Assessment, format: Format, color: bool) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = render_to(doc, format, color, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Renders the assessment in `format` straight into `w`. The machine formats stream: each
/// workload's criteria are computed, written and dropped in turn, so the output never sits in
/// memory whole, however large the inventory.
pub fn render_to(
    doc: &Assessment,
    format: Format,
    color: bool,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Table => w.write_all(table::render(doc, color).as_bytes()),
        Format::Json => {
            let mut out = Batched::new(w);
            json_lines(doc, &mut out)?;
            out.flush()
        }
        Format::Yaml => {
            let mut out = Batched::new(w);
            serde_saphyr::to_io_writer(&mut out, doc)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            out.flush()
        }
        Format::Csv => w.write_all(csv::render(doc).as_bytes()),
        Format::Markdown => w.write_all(markdown::render(doc).as_bytes()),
    }
}

/// The assessment as JSON with one workload per line: compact enough to write hundreds of
/// megabytes quickly, and still readable and diff-friendly (a changed workload is a changed
/// line). Same keys, same order as the document's `Serialize`; a unit test holds the two equal.
fn json_lines(doc: &Assessment, out: &mut impl Write) -> std::io::Result<()> {
    fn put(out: &mut impl Write, key: &str, v: &impl serde::Serialize) -> std::io::Result<()> {
        out.write_all(b"\"")?;
        out.write_all(key.as_bytes())?;
        out.write_all(b"\":")?;
        serde_json::to_writer(&mut *out, v).map_err(std::io::Error::from)
    }
    out.write_all(b"{")?;
    put(out, "schema", &doc.schema)?;
    out.write_all(b",")?;
    put(out, "generator", &doc.generator)?;
    out.write_all(b",")?;
    put(out, "agency", &doc.agency)?;
    out.write_all(b",")?;
    put(out, "reference_date", &doc.reference_date)?;
    out.write_all(b",\"workloads\":[")?;
    for (i, w) in doc.workloads.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, w).map_err(std::io::Error::from)?;
    }
    if !doc.workloads.is_empty() {
        out.write_all(b"\n")?;
    }
    out.write_all(b"],")?;
    put(out, "portfolio", &doc.portfolio)?;
    out.write_all(b"}\n")
}

/// Collects a serializer's many small writes (a brace, an indent, a key) in memory and hands
/// them on in large blocks: calls into a `dyn Write` cannot be inlined, and the machine formats
/// make millions of them.
pub(crate) struct Batched<'w> {
    buf: Vec<u8>,
    out: &'w mut dyn Write,
}

impl<'w> Batched<'w> {
    const BLOCK: usize = 256 * 1024;
    pub(crate) fn new(out: &'w mut dyn Write) -> Self {
        Batched {
            buf: Vec::with_capacity(Self::BLOCK + 4096),
            out,
        }
    }
}

impl Write for Batched<'_> {
    #[inline]
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.write_all(b)?;
        Ok(b.len())
    }
    #[inline]
    fn write_all(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(b);
        if self.buf.len() >= Self::BLOCK {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()
    }
}

pub fn json(doc: &Assessment) -> String {
    render(doc, Format::Json, false)
}

pub fn yaml(doc: &Assessment) -> String {
    render(doc, Format::Yaml, false)
}

/// A score for a cell: `87`, or `–` when unknown.
pub fn cell_score(s: Option<f64>) -> String {
    match s {
        Some(v) => format!("{:.0}", v),
        None => "–".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment;
    use crate::pack::Packs;
    use crate::plan::{self, PlanOptions, PlanRules};
    use crate::score::{Context, Detail};

    #[test]
    fn streamed_json_is_the_document_one_workload_per_line() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/inventory.yaml");
        let inv = crate::load::load_inventory(&[path], &Default::default()).unwrap();
        let packs = Packs::builtin().unwrap();
        let rules = PlanRules::builtin().unwrap();
        let cx = Context {
            reference_date: inv.agency.as_of,
            ..Context::default()
        };
        let scores = assessment::assess(&inv, &packs, &cx, &[], Detail::Totals);
        let p = plan::plan(&inv, &rules, None, &scores, &PlanOptions::default());
        let mut doc = assessment::build(&inv, &packs, &scores, inv.agency.as_of);
        assessment::attach_plan(&mut doc, &inv, &p);

        let text = json(&doc);
        let streamed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(streamed, serde_json::to_value(&doc).unwrap());
        // The criteria were recomputed while writing, and came out complete.
        let first = &streamed["workloads"][0]["principles"][0]["criteria"];
        assert_eq!(
            first.as_array().map(Vec::len),
            Some(packs.principles[0].criteria.len())
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), inv.workloads.len() + 2);
        for (line, w) in lines[1..lines.len() - 1].iter().zip(&inv.workloads) {
            let one: serde_json::Value = serde_json::from_str(line.trim_end_matches(',')).unwrap();
            assert_eq!(one["id"], w.id.as_str());
        }
    }
}
