//! The terminal table: one row per workload, a column per principle, overall and band.
//!
//! Given a width (a terminal's), the table is made to fit it: the name is shortened first, then
//! the principle columns are merged into one, then the least telling columns are dropped, and a
//! line under the table says what was left out. Without a width (a pipe, a file, `--wide`) every
//! column is shown.

use comfy_table::{
    Cell, CellAlignment, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED,
};
use unicode_width::UnicodeWidthStr;

use super::number::score_cell as cell_score;
use crate::assessment::{Assessment, WorkloadDoc};
use crate::score::Readiness;

/// The widest a name is ever shown, and the narrowest it is shortened to before other columns
/// give way.
const NAME_MAX: usize = 32;
const NAME_MIN: usize = 12;
/// Ids longer than this are cut once the table has to give way: few ids are, and most of one
/// still tells which workload it is.
const ID_FIT: usize = 20;

fn band_color(b: Readiness) -> Color {
    match b {
        Readiness::Ready => Color::Green,
        Readiness::Conditional => Color::Yellow,
        Readiness::NotReady => Color::Red,
        Readiness::Unknown => Color::DarkGrey,
    }
}

/// How the principle scores are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Principles {
    /// A column each.
    Apart,
    /// One column, the scores side by side under their ids.
    Merged,
    Hidden,
}

/// Which columns a table has. `name` is the width names are cut to, or `None` for no Name
/// column; `id` the width ids are cut to. A fitted table counts its waves under the table
/// rather than in the Wave column, which keeps that column narrow.
#[derive(Debug, Clone, Copy)]
struct Layout {
    id: usize,
    name: Option<usize>,
    principles: Principles,
    framework: bool,
    confidence: bool,
    /// The plan's columns: Strategy and Wave.
    plan: bool,
    fitted: bool,
}

impl Layout {
    const FULL: Layout = Layout {
        id: usize::MAX,
        name: Some(NAME_MAX),
        principles: Principles::Apart,
        framework: true,
        confidence: true,
        plan: true,
        fitted: false,
    };

    /// The layouts to try on a terminal, most complete first: what a reader misses least goes
    /// first. A name is shortened (down to [`NAME_MIN`]) within each before the next is tried.
    fn ladder() -> Vec<Layout> {
        use Principles::*;
        let l = |name: bool, principles, framework, confidence| Layout {
            id: ID_FIT,
            name: name.then_some(NAME_MAX),
            principles,
            framework,
            confidence,
            plan: true,
            fitted: true,
        };
        // The principle scores, merged, outlast every column but the id, overall and band:
        // they are what the assessment is about, and the legend explains them.
        let without_plan = Layout {
            plan: false,
            ..l(false, Merged, false, false)
        };
        vec![
            Layout {
                fitted: true,
                ..Layout::FULL
            },
            l(true, Merged, true, true),
            l(true, Merged, true, false),
            l(false, Merged, true, false),
            l(false, Merged, false, false),
            without_plan,
            l(true, Hidden, true, true),
            l(true, Hidden, false, true),
            l(true, Hidden, false, false),
            l(false, Hidden, true, true),
            l(false, Hidden, true, false),
            l(false, Hidden, false, false),
        ]
    }

    /// The columns left out, for the line under the table.
    fn hidden(&self, doc: &Assessment) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.is_none() {
            out.push("Name".to_string());
        }
        if self.principles == Principles::Hidden {
            out.push(principle_range(doc));
        }
        if !self.framework {
            out.push(doc.portfolio.framework.id.to_string());
        }
        if !self.confidence {
            out.push("Conf.".to_string());
        }
        if !self.plan {
            out.push("Strategy".to_string());
            out.push("Wave".to_string());
        }
        out
    }
}

/// `P1–P7`, or the ids of whatever packs are loaded.
fn principle_range(doc: &Assessment) -> String {
    let ids: Vec<&str> = doc.portfolio.principles.iter().map(|p| p.id).collect();
    match ids.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [first, .., last] => format!("{first}–{last}"),
    }
}

/// The full table: every column (a pipe, a file, `--wide`).
pub fn render(doc: &Assessment, color: bool) -> String {
    render_fit(doc, color, None)
}

/// The table fitted to `width` columns when one is given (a terminal), else every column.
pub fn render_fit(doc: &Assessment, color: bool, width: Option<usize>) -> String {
    let Some(width) = width else {
        return finish(doc, &build(doc, Layout::FULL, color), Layout::FULL, None);
    };
    for layout in Layout::ladder() {
        if let Some(layout) = fit_name(doc, layout, width) {
            return finish(doc, &build(doc, layout, color), layout, Some(width));
        }
    }
    // Nothing fits (a very narrow terminal or very long ids): let comfy-table wrap the cells of
    // the narrowest layout.
    let layout = *Layout::ladder().last().expect("the ladder is not empty");
    let mut t = build(doc, layout, color);
    t.set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(width).unwrap_or(u16::MAX));
    finish(doc, &t, layout, Some(width))
}

/// `layout` with its names shortened just enough to fit `width`, or `None` when even the
/// shortest names do not fit.
fn fit_name(doc: &Assessment, mut layout: Layout, width: usize) -> Option<Layout> {
    loop {
        let w = table_width(&build(doc, layout, false));
        if w <= width {
            return Some(layout);
        }
        let name = layout.name?;
        let shown = doc
            .workloads
            .iter()
            .map(|w| truncate(w.name, name).width())
            .max()
            .unwrap_or(0);
        let next = shown.saturating_sub(w - width);
        if next < NAME_MIN || next >= name {
            return None;
        }
        layout.name = Some(next);
    }
}

fn table_width(t: &Table) -> usize {
    t.to_string()
        .lines()
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

fn build(doc: &Assessment, layout: Layout, color: bool) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    let p = &doc.portfolio;
    let ids: Vec<&str> = p.principles.iter().map(|p| p.id).collect();
    // Merged scores line up under their ids.
    let cell_w = ids.iter().map(|i| i.width()).max().unwrap_or(0).max(3);
    let merged = |cells: Vec<String>| merged(cells, cell_w);

    let mut header = vec![Cell::new("Workload")];
    if layout.name.is_some() {
        header.push(Cell::new("Name"));
    }
    match layout.principles {
        Principles::Apart => header.extend(ids.iter().map(|i| right(i.to_string()))),
        Principles::Merged => {
            header.push(right(merged(ids.iter().map(|i| i.to_string()).collect())))
        }
        Principles::Hidden => {}
    }
    if layout.framework {
        header.push(right(p.framework.id.to_string()));
    }
    header.push(right("Overall".into()));
    if layout.confidence {
        header.push(right("Conf.".into()));
    }
    header.push(Cell::new("Band"));
    if layout.plan {
        header.extend([Cell::new("Strategy"), right("Wave".into())]);
    }
    t.set_header(header);

    for w in &doc.workloads {
        t.add_row(workload_row(w, layout, color, cell_w));
    }

    let mut footer = vec![Cell::new("portfolio")];
    if layout.name.is_some() {
        footer.push(Cell::new(count(p.workloads, "workload")));
    }
    let scores = || p.principles.iter().map(|p| cell_score(p.score));
    match layout.principles {
        Principles::Apart => footer.extend(scores().map(right)),
        Principles::Merged => footer.push(right(merged(scores().collect()))),
        Principles::Hidden => {}
    }
    if layout.framework {
        footer.push(right(cell_score(p.framework.score)));
    }
    footer.push(right(cell_score(p.overall)));
    if layout.confidence {
        footer.push(Cell::new(""));
    }
    footer.push(Cell::new(""));
    if layout.plan {
        footer.push(Cell::new(""));
        footer.push(right(if p.waves.is_empty() || layout.fitted {
            String::new()
        } else {
            count(p.waves.len(), "wave")
        }));
    }
    t.add_row(footer);
    t
}

fn right(s: String) -> Cell {
    Cell::new(s).set_alignment(CellAlignment::Right)
}

/// Principle scores in one cell, each under its id.
fn merged(cells: Vec<String>, cell_w: usize) -> String {
    cells
        .iter()
        .map(|c| format!("{c:>cell_w$}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One workload's row.
fn workload_row(w: &WorkloadDoc, layout: Layout, color: bool, cell_w: usize) -> Vec<Cell> {
    let mut row = vec![Cell::new(truncate(w.id, layout.id))];
    if let Some(n) = layout.name {
        row.push(Cell::new(truncate(w.name, n)));
    }
    let scores = || w.principles.iter().map(|p| cell_score(p.score));
    match layout.principles {
        Principles::Apart => row.extend(scores().map(right)),
        Principles::Merged => row.push(right(merged(scores().collect(), cell_w))),
        Principles::Hidden => {}
    }
    if layout.framework {
        row.push(right(cell_score(w.framework.score)));
    }
    row.push(right(cell_score(w.overall)));
    if layout.confidence {
        row.push(right(format!("{}%", super::number::percent(w.confidence))));
    }
    let mut band = w.band.as_str().to_string();
    if !w.blockers.is_empty() {
        // A fitted table marks it and explains the mark underneath: the ten characters
        // saved keep the principle scores on a 100-column terminal.
        band.push_str(if layout.fitted { "!" } else { " (blocker)" });
    }
    let mut cell = Cell::new(band);
    if color {
        cell = cell.fg(band_color(w.band));
    }
    row.push(cell);
    if layout.plan {
        row.push(Cell::new(strategy_cell(w)));
        row.push(right(w.wave.map_or("–".to_string(), |v| v.to_string())));
    }
    row
}

/// The recommended strategy, the one the report counts; an asterisk when the agency planned
/// another.
fn strategy_cell(w: &WorkloadDoc) -> String {
    match &w.strategy {
        Some(s) if !s.agrees => format!("{}*", s.recommended),
        Some(s) => s.recommended.to_string(),
        None => "–".into(),
    }
}

/// `1 workload`, `21 workloads`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The table and the lines under it, wrapped to `width` when there is one.
fn finish(doc: &Assessment, t: &Table, layout: Layout, width: Option<usize>) -> String {
    let mut out = t.to_string();
    out.push('\n');
    let b = &doc.portfolio.bands;
    let waves = &doc.portfolio.waves;
    let mut notes = vec![format!(
        "{} ready · {} conditional · {} not ready · {} unknown{}",
        b.ready,
        b.conditional,
        b.not_ready,
        b.unknown,
        if layout.fitted && !waves.is_empty() {
            format!(" · {}", count(waves.len(), "wave"))
        } else {
            String::new()
        }
    )];
    if layout.principles != Principles::Hidden || layout.framework {
        notes.push(format!(
            "{}: Secure Cloud Strategy principles; {}: common assessment framework; `cloudready principles` explains them.",
            principle_range(doc),
            doc.portfolio.framework.id
        ));
        notes.push(format!(
            "Overall: the principles' weighted mean; the band is the lower of the principles' and \
             {}'s, and a control policy mandates that is recorded unmet keeps a workload from ready \
             (`unmet_controls` in --format json).",
            doc.portfolio.framework.id
        ));
    }
    if layout.fitted && doc.workloads.iter().any(|w| !w.blockers.is_empty()) {
        notes.push(
            "Band: ! a failed blocker, which keeps the workload not ready whatever its score \
             (`blockers` in --format json)."
                .to_string(),
        );
    }
    if doc
        .workloads
        .iter()
        .any(|w| w.strategy.as_ref().is_some_and(|s| !s.agrees))
    {
        notes.push(
            "Strategy: the recommended one. * the agency planned another, and its waves follow \
             that plan (`planned` in --format csv, `strategy.note` in --format json)."
                .to_string(),
        );
    }
    let hidden = layout.hidden(doc);
    if let (Some(w), false) = (width, hidden.is_empty()) {
        notes.push(format!(
            "Not shown, to fit {w} columns: {} (`--wide` shows every column).",
            hidden.join(", ")
        ));
    }
    for n in notes {
        match width {
            Some(w) => {
                for line in wrap(&n, w) {
                    out.push_str(&line);
                    out.push('\n');
                }
            }
            None => {
                out.push_str(&n);
                out.push('\n');
            }
        }
    }
    out
}

/// Breaks `text` at spaces into lines at most `width` wide (a word longer than that stands
/// alone).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `s` on one line with no control character left to reach the terminal, cut to `n` columns
/// of display width, with an ellipsis when cut.
fn truncate(s: &str, n: usize) -> String {
    let s = &*crate::text::clean_line(s);
    if s.width() <= n {
        return s.to_string();
    }
    let mut t = String::new();
    for c in s.chars() {
        if t.width() + c.to_string().width() + 1 > n {
            break;
        }
        t.push(c);
    }
    t.push('…');
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_counts_display_width() {
        assert_eq!(truncate("Payroll", 12), "Payroll");
        assert_eq!(truncate("Benefits Payment System", 12), "Benefits Pa…");
        assert_eq!(truncate("給与計算システム", 7).width(), 7);
        assert!(truncate("給与計算システム", 7).ends_with('…'));
    }

    #[test]
    fn wrap_keeps_every_word_within_the_width() {
        let text = "a bb ccc dddd eeeee ffffff";
        let lines = wrap(text, 9);
        assert!(lines.iter().all(|l| l.width() <= 9), "{lines:?}");
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn plurals() {
        assert_eq!(count(1, "workload"), "1 workload");
        assert_eq!(count(0, "wave"), "0 waves");
        assert_eq!(count(21, "workload"), "21 workloads");
    }
}
