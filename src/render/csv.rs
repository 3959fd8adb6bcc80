//! CSV: one row per workload, for spreadsheets.

use crate::assessment::{Assessment, WorkloadDoc};

/// Quotes a cell when needed, and defuses cells a spreadsheet would run as a formula.
pub fn cell(s: &str) -> String {
    let s = &*crate::text::clean(s);
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
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

/// The header row (without its newline).
pub fn header(doc: &Assessment) -> String {
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
    header.join(",")
}

/// The CSV with the workload rows given one at a time (the document's own list is not read).
pub fn write_entries<'a, W: std::borrow::Borrow<WorkloadDoc<'a>>>(
    doc: &Assessment,
    entries: impl Iterator<Item = W>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    out.write_all(header(doc).as_bytes())?;
    out.write_all(b"\n")?;
    for w in entries {
        let w = w.borrow();
        let mut row = vec![
            cell(w.id),
            cell(w.name),
            cell(w.classification.as_deref().unwrap_or("")),
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
        row.push(cell(&w.blockers.join(";")));
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
        out.write_all(row.join(",").as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn quotes_and_defuses() {
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-5"), "-5");
        assert_eq!(cell("plain"), "plain");
    }
}
