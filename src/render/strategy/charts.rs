//! Geometry for the report's inline SVG charts. The numbers are worked out here; how they look
//! is the template's business. Every chart also has a text alternative in the template.

use serde_json::{Value, json};

use crate::assessment::{Assessment, WorkloadDoc};

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

fn arr(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

pub fn build(doc: &Assessment, insights: &Value) -> Value {
    let columns: Vec<&str> = doc.portfolio.principles.iter().map(|p| p.id).collect();
    json!({
        "heatmap": heatmap(&doc.workloads, &columns),
        "distribution": distribution(doc.workloads.iter().map(|w| w.overall)),
        "strategy_mix": bars(arr(&insights["strategy_mix"]), "value", "workloads"),
        "waves": waves(doc),
    })
}

/// The lowest-scoring workloads (all of them when few) against the principles' `columns`.
fn heatmap(workloads: &[WorkloadDoc], principle_columns: &[&str]) -> Value {
    let mut rows: Vec<&WorkloadDoc> = workloads.iter().collect();
    let total = rows.len();
    if total > HEATMAP_MAX_ROWS {
        let s = |w: &WorkloadDoc| w.overall.unwrap_or(f64::INFINITY);
        // Only the lowest rows are kept: select them, then sort just those.
        let by = |a: &&WorkloadDoc, b: &&WorkloadDoc| s(a).total_cmp(&s(b)).then(a.id.cmp(b.id));
        rows.select_nth_unstable_by(HEATMAP_MAX_ROWS - 1, by);
        rows.truncate(HEATMAP_MAX_ROWS);
        rows.sort_by(by);
    }
    let (label_w, cell_w, cell_h, head_h) = (220.0, 46.0, 22.0, 28.0);
    let mut columns: Vec<&str> = principle_columns.to_vec();
    columns.push("CAF");
    columns.push("Overall");
    let header: Vec<Value> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| json!({"x": label_w + cell_w * i as f64 + cell_w / 2.0, "y": head_h - 8.0, "label": c}))
        .collect();
    let mut out_rows = Vec::with_capacity(rows.len());
    for (r, w) in rows.iter().enumerate() {
        let y = head_h + cell_h * r as f64;
        let mut scores: Vec<Option<f64>> = w.principles.iter().map(|p| p.score).collect();
        scores.push(w.framework.score);
        scores.push(w.overall);
        let cells: Vec<Value> = scores
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (fill, ink) = score_colour(*s);
                json!({
                    "x": label_w + cell_w * i as f64, "y": y, "w": cell_w - 2.0, "h": cell_h - 2.0,
                    "tx": label_w + cell_w * i as f64 + (cell_w - 2.0) / 2.0, "ty": y + cell_h / 2.0 + 3.0,
                    "fill": fill, "ink": ink, "label": crate::render::number::score_cell(*s),
                    "column": columns.get(i).copied().unwrap_or(""),
                })
            })
            .collect();
        out_rows
            .push(json!({"id": w.id, "name": w.name, "y": y + cell_h / 2.0 + 4.0, "cells": cells}));
    }
    json!({
        "width": label_w + cell_w * columns.len() as f64 + 4.0,
        "height": head_h + cell_h * out_rows.len() as f64 + 4.0,
        "label_x": label_w - 8.0,
        "columns": header,
        "rows": out_rows,
        "shown": out_rows.len(),
        "total": total,
    })
}

fn distribution(overall: impl Iterator<Item = Option<f64>>) -> Value {
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
    let mut bars: Vec<Value> = bins
        .iter()
        .enumerate()
        .map(|(i, &count)| {
            let h = plot_h * count as f64 / max;
            let (fill, _) = score_colour(Some(i as f64 * 10.0 + 5.0));
            json!({
                "x": left + bar_w * i as f64, "y": top + plot_h - h, "w": bar_w - 4.0, "h": h,
                "count": count, "label": format!("{}–{}", i * 10, i * 10 + 10), "fill": fill,
                "tx": left + bar_w * i as f64 + (bar_w - 4.0) / 2.0,
            })
        })
        .collect();
    let h = plot_h * unknown as f64 / max;
    bars.push(json!({
        "x": left + bar_w * 10.0 + 8.0, "y": top + plot_h - h, "w": bar_w - 4.0, "h": h, "count": unknown,
        "label": "no score", "fill": score_colour(None).0, "tx": left + bar_w * 10.0 + 8.0 + (bar_w - 4.0) / 2.0,
    }));
    json!({"width": left + bar_w * 11.0 + 16.0, "height": top + plot_h + 40.0, "baseline": top + plot_h, "label_y": top + plot_h + 16.0, "count_dy": -4.0, "bars": bars})
}

/// Horizontal bars for a list of `{label_key, count_key}` items.
fn bars(items: &[Value], label_key: &str, count_key: &str) -> Value {
    let max = items
        .iter()
        .filter_map(|i| i[count_key].as_u64())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (label_w, plot_w, bar_h) = (130.0, 360.0, 24.0);
    let bars: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let count = it[count_key].as_u64().unwrap_or(0);
            let w = plot_w * count as f64 / max;
            json!({"label": it[label_key], "count": count, "x": label_w, "y": 8.0 + bar_h * i as f64, "w": w, "h": bar_h - 6.0,
                   "ty": 8.0 + bar_h * i as f64 + bar_h / 2.0 + 1.0, "tx": label_w + w + 6.0})
        })
        .collect();
    json!({"width": label_w + plot_w + 60.0, "height": 16.0 + bar_h * items.len() as f64, "label_x": label_w - 8.0, "bars": bars})
}

fn waves(doc: &Assessment) -> Value {
    let waves = &doc.portfolio.waves;
    let max = waves
        .iter()
        .map(|w| w.workloads.len())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (label_w, plot_w, bar_h) = (80.0, 420.0, 26.0);
    let bars: Vec<Value> = waves
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let n = w.workloads.len();
            let len = plot_w * n as f64 / max;
            json!({"wave": w.wave, "count": n, "x": label_w, "y": 8.0 + bar_h * i as f64, "w": len, "h": bar_h - 6.0,
                   "ty": 8.0 + bar_h * i as f64 + bar_h / 2.0 + 1.0, "tx": label_w + len + 6.0, "effort": w.effort})
        })
        .collect();
    json!({"width": label_w + plot_w + 120.0, "height": 16.0 + bar_h * waves.len() as f64, "label_x": label_w - 8.0, "bars": bars})
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
        assert_eq!(h["shown"], HEATMAP_MAX_ROWS);
        assert_eq!(h["total"], 100);
        assert_eq!(h["rows"][0]["id"], "w099");
        assert_eq!(
            h["rows"][HEATMAP_MAX_ROWS - 1]["id"],
            format!("w{:03}", 100 - HEATMAP_MAX_ROWS)
        );
        assert_eq!(h["columns"][7]["label"], "CAF");
        assert_eq!(h["rows"][0]["cells"].as_array().map(Vec::len), Some(9));
    }

    #[test]
    fn distribution_counts_unknown_apart() {
        let d = distribution([Some(95.0), Some(100.0), None, Some(3.0)].into_iter());
        assert_eq!(d["bars"][9]["count"], 2);
        assert_eq!(d["bars"][0]["count"], 1);
        assert_eq!(d["bars"][10]["count"], 1);
    }
}
