//! Geometry for the report's inline SVG charts. The numbers are worked out here; how they look
//! is the template's business. Every chart also has a text alternative in the template.

use serde::Serialize;

use super::adopt::Timeline;
use super::insights::{Count, Insights};
use crate::assessment::{Assessment, WorkloadDoc};
use crate::plan::EffortSum;

/// The heatmap shows at most this many workloads (the lowest scoring); a heatmap of thousands
/// of rows says nothing, and the appendix lists every workload.
pub const HEATMAP_MAX_ROWS: usize = 60;

/// Fill and text colour for a score: colour is never the only signal (every cell has its number),
/// and each pair keeps at least 4.5:1 contrast.
pub fn score_colour(score: Option<f64>) -> (&'static str, &'static str) {
    match score {
        None => ("#d0d7de", "#1f2328"),
        Some(s) if s >= 75.0 => ("#1a7f37", "#ffffff"),
        Some(s) if s >= 50.0 => ("#f2cc60", "#1f2328"),
        Some(s) if s >= 25.0 => ("#f0883e", "#1f2328"),
        Some(_) => ("#cf222e", "#ffffff"),
    }
}

/// `charts`: every chart's geometry, in SVG user units.
#[derive(Debug, Serialize)]
pub struct Charts<'a> {
    pub heatmap: Heatmap<'a>,
    pub distribution: Distribution,
    pub strategy_mix: Bars<'a>,
    pub waves: WaveBars<'a>,
    /// Only on a dated roadmap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Timeline<'a>>,
}

/// Scores of the lowest-scoring workloads against the principles, the framework and overall.
#[derive(Debug, Serialize)]
pub struct Heatmap<'a> {
    pub width: f64,
    pub height: f64,
    pub label_x: f64,
    pub columns: Vec<HeatmapColumn<'a>>,
    pub rows: Vec<HeatmapRow<'a>>,
    /// Rows drawn.
    pub shown: usize,
    /// Workloads in the document.
    pub total: usize,
}

/// A column heading of the heatmap.
#[derive(Debug, Serialize)]
pub struct HeatmapColumn<'a> {
    pub x: f64,
    pub y: f64,
    pub label: &'a str,
}

/// One workload's row of the heatmap.
#[derive(Debug, Serialize)]
pub struct HeatmapRow<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// Where the row's label goes.
    pub y: f64,
    pub cells: Vec<HeatmapCell<'a>>,
}

/// One score on the heatmap.
#[derive(Debug, Serialize)]
pub struct HeatmapCell<'a> {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// Where the cell's number goes.
    pub tx: f64,
    pub ty: f64,
    pub fill: &'static str,
    pub ink: &'static str,
    /// The score as every output shows it.
    pub label: String,
    pub column: &'a str,
}

/// Workloads by overall score, in ten bins and one for no score.
#[derive(Debug, Serialize)]
pub struct Distribution {
    pub width: f64,
    pub height: f64,
    pub baseline: f64,
    pub label_y: f64,
    /// Where a bar's count goes, above its top.
    pub count_dy: f64,
    pub bars: Vec<DistributionBar>,
}

/// One bin of the distribution.
#[derive(Debug, Serialize)]
pub struct DistributionBar {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub count: usize,
    pub label: String,
    pub fill: &'static str,
    pub tx: f64,
}

/// Horizontal bars, one per counted value.
#[derive(Debug, Serialize)]
pub struct Bars<'a> {
    pub width: f64,
    pub height: f64,
    pub label_x: f64,
    pub bars: Vec<Bar<'a>>,
}

/// One value's bar.
#[derive(Debug, Serialize)]
pub struct Bar<'a> {
    pub label: &'a str,
    pub count: usize,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub ty: f64,
    pub tx: f64,
}

/// Workloads per migration wave.
#[derive(Debug, Serialize)]
pub struct WaveBars<'a> {
    pub width: f64,
    pub height: f64,
    pub label_x: f64,
    pub bars: Vec<WaveBar<'a>>,
}

/// One wave's bar.
#[derive(Debug, Serialize)]
pub struct WaveBar<'a> {
    pub wave: u32,
    pub count: usize,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub ty: f64,
    pub tx: f64,
    pub effort: &'a EffortSum,
}

/// Every chart of the document; `timeline` comes with a dated roadmap.
pub fn build<'a>(
    doc: &'a Assessment,
    insights: &'a Insights<'a>,
    timeline: Option<Timeline<'a>>,
) -> Charts<'a> {
    let columns: Vec<&str> = doc.portfolio.principles.iter().map(|p| p.id).collect();
    Charts {
        heatmap: heatmap(&doc.workloads, &columns),
        distribution: distribution(doc.workloads.iter().map(|w| w.overall)),
        strategy_mix: bars(&insights.strategy_mix),
        waves: waves(doc),
        timeline,
    }
}

/// The lowest-scoring workloads (all of them when few) against the principles' `columns`.
fn heatmap<'a>(workloads: &'a [WorkloadDoc], principle_columns: &[&'a str]) -> Heatmap<'a> {
    let mut rows: Vec<&WorkloadDoc> = workloads.iter().collect();
    let total = rows.len();
    if total > HEATMAP_MAX_ROWS {
        let s = |w: &WorkloadDoc| w.overall.unwrap_or(f64::INFINITY);
        // Only the lowest rows are kept: select them, then sort just those.
        let by = |a: &&WorkloadDoc, b: &&WorkloadDoc| s(a).total_cmp(&s(b)).then(a.id.cmp(b.id));
        rows.select_nth_unstable_by(HEATMAP_MAX_ROWS - 1, by);
        rows.truncate(HEATMAP_MAX_ROWS);
    }
    // Read by name: a board member looks a system up, not a rank.
    rows.sort_by(|a, b| a.name.cmp(b.name).then(a.id.cmp(b.id)));
    // Wide enough for a 30-character label and its ellipsis at the label size: never clipped.
    let (label_w, cell_w, cell_h, head_h) = (270.0, 46.0, 22.0, 28.0);
    let mut columns: Vec<&str> = principle_columns.to_vec();
    columns.push("CAF");
    columns.push("Overall");
    let header = columns
        .iter()
        .enumerate()
        .map(|(i, c)| HeatmapColumn {
            x: label_w + cell_w * i as f64 + cell_w / 2.0,
            y: head_h - 8.0,
            label: c,
        })
        .collect();
    let mut out_rows = Vec::with_capacity(rows.len());
    for (r, w) in rows.iter().enumerate() {
        let y = head_h + cell_h * r as f64;
        let mut scores: Vec<Option<f64>> = w.principles.iter().map(|p| p.score).collect();
        scores.push(w.framework.score);
        scores.push(w.overall);
        let cells = scores
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (fill, ink) = score_colour(*s);
                HeatmapCell {
                    x: label_w + cell_w * i as f64,
                    y,
                    w: cell_w - 2.0,
                    h: cell_h - 2.0,
                    tx: label_w + cell_w * i as f64 + (cell_w - 2.0) / 2.0,
                    ty: y + cell_h / 2.0 + 3.0,
                    fill,
                    ink,
                    label: crate::render::number::score_cell(*s),
                    column: columns.get(i).copied().unwrap_or(""),
                }
            })
            .collect();
        out_rows.push(HeatmapRow {
            id: w.id,
            name: w.name,
            y: y + cell_h / 2.0 + 4.0,
            cells,
        });
    }
    Heatmap {
        width: label_w + cell_w * columns.len() as f64 + 4.0,
        height: head_h + cell_h * out_rows.len() as f64 + 4.0,
        label_x: label_w - 8.0,
        columns: header,
        shown: out_rows.len(),
        rows: out_rows,
        total,
    }
}

fn distribution(overall: impl Iterator<Item = Option<f64>>) -> Distribution {
    let mut bins = [0usize; 10];
    let mut unknown = 0usize;
    for o in overall {
        match o {
            Some(s) => bins[((s / 10.0).floor() as usize).min(9)] += 1,
            None => unknown += 1,
        }
    }
    let max = bins.iter().copied().max().unwrap_or(0).max(unknown).max(1) as f64;
    let (bar_w, plot_h, left, top) = (44.0, 160.0, 40.0, 16.0);
    let mut bars: Vec<DistributionBar> = bins
        .iter()
        .enumerate()
        .map(|(i, &count)| {
            let h = plot_h * count as f64 / max;
            let (fill, _) = score_colour(Some(i as f64 * 10.0 + 5.0));
            DistributionBar {
                x: left + bar_w * i as f64,
                y: top + plot_h - h,
                w: bar_w - 4.0,
                h,
                count,
                label: format!("{}–{}", i * 10, i * 10 + 10),
                fill,
                tx: left + bar_w * i as f64 + (bar_w - 4.0) / 2.0,
            }
        })
        .collect();
    let h = plot_h * unknown as f64 / max;
    bars.push(DistributionBar {
        x: left + bar_w * 10.0 + 8.0,
        y: top + plot_h - h,
        w: bar_w - 4.0,
        h,
        count: unknown,
        label: "no score".to_string(),
        fill: score_colour(None).0,
        tx: left + bar_w * 10.0 + 8.0 + (bar_w - 4.0) / 2.0,
    });
    Distribution {
        width: left + bar_w * 11.0 + 16.0,
        height: top + plot_h + 40.0,
        baseline: top + plot_h,
        label_y: top + plot_h + 16.0,
        count_dy: -4.0,
        bars,
    }
}

/// Horizontal bars for counted values.
fn bars<'a>(items: &'a [Count<'a>]) -> Bars<'a> {
    let max = items.iter().map(|i| i.workloads).max().unwrap_or(1).max(1) as f64;
    let (label_w, plot_w, bar_h) = (130.0, 360.0, 24.0);
    let bars = items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let w = plot_w * it.workloads as f64 / max;
            Bar {
                label: it.value,
                count: it.workloads,
                x: label_w,
                y: 8.0 + bar_h * i as f64,
                w,
                h: bar_h - 6.0,
                ty: 8.0 + bar_h * i as f64 + bar_h / 2.0 + 1.0,
                tx: label_w + w + 6.0,
            }
        })
        .collect();
    Bars {
        width: label_w + plot_w + 60.0,
        height: 16.0 + bar_h * items.len() as f64,
        label_x: label_w - 8.0,
        bars,
    }
}

fn waves<'a>(doc: &'a Assessment) -> WaveBars<'a> {
    let waves = &doc.portfolio.waves;
    let max = waves
        .iter()
        .map(|w| w.workloads.len())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (label_w, plot_w, bar_h) = (80.0, 420.0, 26.0);
    let bars = waves
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let n = w.workloads.len();
            let len = plot_w * n as f64 / max;
            WaveBar {
                wave: w.wave,
                count: n,
                x: label_w,
                y: 8.0 + bar_h * i as f64,
                w: len,
                h: bar_h - 6.0,
                ty: 8.0 + bar_h * i as f64 + bar_h / 2.0 + 1.0,
                tx: label_w + len + 6.0,
                effort: &w.effort,
            }
        })
        .collect();
    WaveBars {
        width: label_w + plot_w + 120.0,
        height: 16.0 + bar_h * waves.len() as f64,
        label_x: label_w - 8.0,
        bars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_keep_contrast_and_order() {
        assert_eq!(score_colour(Some(90.0)).1, "#ffffff");
        assert_eq!(score_colour(Some(10.0)).0, "#cf222e");
        assert_eq!(score_colour(None).0, "#d0d7de");
    }

    #[test]
    fn heatmap_caps_rows_and_keeps_the_weakest() {
        let mut yaml = String::from("schema: cloudready/v1\nagency: { name: A }\nworkloads:\n");
        for i in (0..100).rev() {
            yaml.push_str(&format!("  - {{ id: w{i:03}, name: n }}\n"));
        }
        let inv = crate::load::load_from_bytes(
            &[("t.yaml".into(), yaml.into_bytes())],
            &Default::default(),
        )
        .unwrap();
        let settings = crate::pipeline::Settings::builtin().unwrap();
        let mut doc = settings.assess(&inv, &[]);
        for (i, w) in doc.workloads.iter_mut().enumerate() {
            // Scores fall as ids rise, and one workload has none: it sorts last.
            w.overall = (i != 0).then_some(100.0 - i as f64);
        }
        let columns: Vec<&str> = doc.portfolio.principles.iter().map(|p| p.id).collect();
        let h = heatmap(&doc.workloads, &columns);
        assert_eq!(h.shown, HEATMAP_MAX_ROWS);
        assert_eq!(h.rows.len(), HEATMAP_MAX_ROWS);
        assert_eq!(h.total, 100);
        // The weakest are kept, and shown by name (all "n" here, so by id).
        assert_eq!(h.rows[0].id, format!("w{:03}", 100 - HEATMAP_MAX_ROWS));
        assert_eq!(h.rows[HEATMAP_MAX_ROWS - 1].id, "w099");
        let mut names: Vec<(&str, &str)> = h.rows.iter().map(|r| (r.name, r.id)).collect();
        let shown = names.clone();
        names.sort();
        assert_eq!(shown, names);
        assert_eq!(h.columns[7].label, "CAF");
        assert_eq!(h.rows[0].cells.len(), 9);
    }

    #[test]
    fn distribution_counts_unknown_apart() {
        let d = distribution([Some(95.0), Some(100.0), None, Some(3.0)].into_iter());
        assert_eq!(d.bars[9].count, 2);
        assert_eq!(d.bars[0].count, 1);
        assert_eq!(d.bars[10].count, 1);
        assert_eq!(d.bars[10].label, "no score");
    }
}
