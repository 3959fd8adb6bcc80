//! CSV: one row per workload, for spreadsheets. The `csv` crate quotes; this file decides what
//! the cells hold.

use std::borrow::Cow;

use crate::assessment::{Assessment, WorkloadDoc};

/// A cell's text, with no control character, and defused when a spreadsheet would run it as
/// a formula.
fn defuse(s: &str) -> Cow<'_, str> {
    let s = crate::text::clean(s);
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err() {
        Cow::Owned(format!("'{s}"))
    } else {
        s
    }
}

/// Scores as every other output shows them (an unknown one is an empty cell).
fn num(x: Option<f64>) -> String {
    x.map(|v| super::number::score(v).to_string())
        .unwrap_or_default()
}

pub fn render(doc: &Assessment) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_entries(doc, doc.workloads.iter(), &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The header row.
fn header<'d>(doc: &'d Assessment) -> Vec<&'d str> {
    let mut header = vec![
        "id",
        "name",
        "classification",
        "overall",
        "band",
        "confidence",
    ];
    header.extend(doc.portfolio.principles.iter().map(|p| p.id));
    header.push(doc.portfolio.framework.id);
    header.push("blockers");
    header.extend([
        "recommended_strategy",
        "planned_strategy",
        "adopted_strategy",
        "wave",
    ]);
    header
}

/// One workload's row.
fn row(w: &WorkloadDoc) -> Vec<String> {
    let mut row = vec![
        defuse(w.id).into_owned(),
        defuse(w.name).into_owned(),
        defuse(w.classification.as_deref().unwrap_or("")).into_owned(),
        num(w.overall),
        w.band.as_str().to_string(),
        super::number::percent(w.confidence).to_string(),
    ];
    row.extend(
        w.principles
            .iter()
            .chain(std::iter::once(&w.framework))
            .map(|p| num(p.score)),
    );
    row.push(defuse(&w.blockers.join(";")).into_owned());
    // What the evidence suggests, what the agency planned (empty when it did not say), and
    // the one the waves follow (the agency's plan when it has one).
    let s = w.strategy.as_ref();
    row.push(s.map_or(String::new(), |s| s.recommended.to_string()));
    row.push(
        s.and_then(|s| s.planned)
            .map_or("", |p| p.as_str())
            .to_string(),
    );
    row.push(s.map_or(String::new(), |s| s.adopted.to_string()));
    row.push(w.wave.map_or(String::new(), |v| v.to_string()));
    row
}

/// The CSV with the workload rows given one at a time (the document's own list is not read).
pub fn write_entries<'a, W: std::borrow::Borrow<WorkloadDoc<'a>>>(
    doc: &Assessment,
    entries: impl Iterator<Item = W>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    // The caller buffers: one buffer between the rows and the output is enough.
    let mut csv = csv::WriterBuilder::new()
        .buffer_capacity(1 << 12)
        .from_writer(out);
    csv.write_record(header(doc))?;
    for w in entries {
        csv.write_record(row(w.borrow()))?;
    }
    csv.flush()
}

#[cfg(test)]
mod tests {
    /// A cell as the CSV writes it.
    fn cell(s: &str) -> String {
        let mut out = Vec::new();
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(&mut out);
        w.write_record([super::defuse(s).as_ref(), "x"]).unwrap();
        drop(w);
        let line = String::from_utf8(out).unwrap();
        line.strip_suffix(",x\n").unwrap().to_string()
    }

    #[test]
    fn quotes_and_defuses() {
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-5"), "-5");
        assert_eq!(cell("plain"), "plain");
    }
}
