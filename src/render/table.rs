//! The terminal table: one row per workload, a column per principle, overall and band.

use comfy_table::{
    Cell, CellAlignment, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED,
};

use super::cell_score;
use crate::assessment::Assessment;
use crate::score::Readiness;

fn band_color(b: Readiness) -> Color {
    match b {
        Readiness::Ready => Color::Green,
        Readiness::Conditional => Color::Yellow,
        Readiness::NotReady => Color::Red,
        Readiness::Unknown => Color::DarkGrey,
    }
}

pub fn render(doc: &Assessment, color: bool) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    let mut header: Vec<Cell> = vec![Cell::new("Workload"), Cell::new("Name")];
    let principle_ids: Vec<&str> = doc.portfolio.principles.iter().map(|p| p.id).collect();
    header.extend(
        principle_ids
            .iter()
            .map(|p| Cell::new(p).set_alignment(CellAlignment::Right)),
    );
    header.push(Cell::new(doc.portfolio.framework.id).set_alignment(CellAlignment::Right));
    header.push(Cell::new("Overall").set_alignment(CellAlignment::Right));
    header.push(Cell::new("Conf.").set_alignment(CellAlignment::Right));
    header.push(Cell::new("Band"));
    header.push(Cell::new("Strategy"));
    header.push(Cell::new("Wave").set_alignment(CellAlignment::Right));
    t.set_header(header);
    for w in &doc.workloads {
        let mut row: Vec<Cell> = vec![Cell::new(w.id), Cell::new(truncate(w.name, 32))];
        for p in w.principles.iter().chain(std::iter::once(&w.framework)) {
            row.push(Cell::new(cell_score(p.score)).set_alignment(CellAlignment::Right));
        }
        row.push(Cell::new(cell_score(w.overall)).set_alignment(CellAlignment::Right));
        row.push(
            Cell::new(format!("{:.0}%", w.confidence * 100.0)).set_alignment(CellAlignment::Right),
        );
        let mut band = w.band.as_str().to_string();
        if !w.blockers.is_empty() {
            band.push_str(" (blocker)");
        }
        let mut cell = Cell::new(band);
        if color {
            cell = cell.fg(band_color(w.band));
        }
        row.push(cell);
        // An asterisk marks an agency plan that differs from the recommendation.
        row.push(Cell::new(match &w.strategy {
            Some(s) if !s.agrees => format!("{}*", s.adopted),
            Some(s) => s.adopted.to_string(),
            None => "–".into(),
        }));
        row.push(
            Cell::new(w.wave.map_or("–".to_string(), |v| v.to_string()))
                .set_alignment(CellAlignment::Right),
        );
        t.add_row(row);
    }
    let p = &doc.portfolio;
    let mut footer: Vec<Cell> = vec![
        Cell::new("portfolio"),
        Cell::new(format!("{} workloads", p.workloads)),
    ];
    for pp in p.principles.iter().chain(std::iter::once(&p.framework)) {
        footer.push(Cell::new(cell_score(pp.score)).set_alignment(CellAlignment::Right));
    }
    footer.push(Cell::new(cell_score(p.overall)).set_alignment(CellAlignment::Right));
    footer.push(Cell::new(""));
    footer.push(Cell::new(""));
    footer.push(Cell::new(""));
    footer.push(Cell::new(if p.waves.is_empty() {
        String::new()
    } else {
        format!("{} waves", p.waves.len())
    }));
    t.add_row(footer);
    let mut out = t.to_string();
    out.push('\n');
    let b = &p.bands;
    out.push_str(&format!(
        "{} ready · {} conditional · {} not ready · {} unknown   (P1–P7: Secure Cloud Strategy principles; CAF: common assessment framework; `cloudready principles` explains them)\n",
        b.ready, b.conditional, b.not_ready, b.unknown
    ));
    if doc
        .workloads
        .iter()
        .any(|w| w.strategy.as_ref().is_some_and(|s| !s.agrees))
    {
        out.push_str("* the agency's planned strategy; the evidence suggests another (`strategy.note` in --format json)\n");
    }
    out
}

/// At most `n` characters of `s`, on one line, with no control character left to reach the
/// terminal.
fn truncate(s: &str, n: usize) -> String {
    let s = &*crate::text::clean_line(s);
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
