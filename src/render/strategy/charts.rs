//! Geometry for the report's inline SVG charts. The numbers are worked out here; how they look
//! is the template's business. Every chart also has a text alternative in the template.

use serde_json::{Value, json};

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

pub fn build(doc: &Value, insights: &Value) -> Value {
    json!({
        "heatmap": heatmap(doc),
        "distribution": distribution(doc),
        "strategy_mix": bars(arr(&insights["strategy_mix"]), "value", "workloads"),
        "waves": waves(doc),
    })
}

fn heatmap(doc: &Value) -> Value {
    let workloads = arr(&doc["workloads"]);
    let mut rows: Vec<&Value> = workloads.iter().collect();
    let total = rows.len();
    if total > HEATMAP_MAX_ROWS {
        rows.sort_by(|a, b| {
            let s = |w: &Value| w["overall"].as_f64().unwrap_or(f64::INFINITY);
            s(a).total_cmp(&s(b))
                .then(a["id"].as_str().cmp(&b["id"].as_str()))
        });
        rows.truncate(HEATMAP_MAX_ROWS);
    }
    let (label_w, cell_w, cell_h, head_h) = (220.0, 46.0, 22.0, 28.0);
    let mut columns: Vec<String> = arr(&doc["portfolio"]["principles"])
        .iter()
        .filter_map(|p| p["id"].as_str().map(String::from))
        .collect();
    columns.push("CAF".into());
    columns.push("Overall".into());
    let header: Vec<Value> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| json!({"x": label_w + cell_w * i as f64 + cell_w / 2.0, "y": head_h - 8.0, "label": c}))
        .collect();
    let mut out_rows = Vec::with_capacity(rows.len());
    for (r, w) in rows.iter().enumerate() {
        let y = head_h + cell_h * r as f64;
        let mut scores: Vec<Option<f64>> = arr(&w["principles"])
            .iter()
            .map(|p| p["score"].as_f64())
            .collect();
        scores.push(w["framework"]["score"].as_f64());
        scores.push(w["overall"].as_f64());
        let cells: Vec<Value> = scores
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (fill, ink) = score_colour(*s);
                json!({
                    "x": label_w + cell_w * i as f64, "y": y, "w": cell_w - 2.0, "h": cell_h - 2.0,
                    "tx": label_w + cell_w * i as f64 + (cell_w - 2.0) / 2.0, "ty": y + cell_h / 2.0 + 3.0,
                    "fill": fill, "ink": ink, "label": s.map_or("–".to_string(), |v| format!("{v:.0}")),
                    "column": columns[i],
                })
            })
            .collect();
        out_rows.push(
            json!({"id": w["id"], "name": w["name"], "y": y + cell_h / 2.0 + 4.0, "cells": cells}),
        );
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

fn distribution(doc: &Value) -> Value {
    let mut bins = [0usize; 10];
    let mut unknown = 0usize;
    for w in arr(&doc["workloads"]) {
        match w["overall"].as_f64() {
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

fn waves(doc: &Value) -> Value {
    let waves = arr(&doc["portfolio"]["waves"]);
    let max = waves
        .iter()
        .map(|w| arr(&w["workloads"]).len())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (label_w, plot_w, bar_h) = (80.0, 420.0, 26.0);
    let bars: Vec<Value> = waves
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let n = arr(&w["workloads"]).len();
            let len = plot_w * n as f64 / max;
            json!({"wave": w["wave"], "count": n, "x": label_w, "y": 8.0 + bar_h * i as f64, "w": len, "h": bar_h - 6.0,
                   "ty": 8.0 + bar_h * i as f64 + bar_h / 2.0 + 1.0, "tx": label_w + len + 6.0, "effort": w["effort"]})
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
        let ws: Vec<Value> = (0..100)
            .map(|i| json!({"id": format!("w{i:03}"), "name": "n", "overall": i as f64, "principles": [], "framework": {"score": null}}))
            .collect();
        let doc = json!({"workloads": ws, "portfolio": {"principles": []}});
        let h = heatmap(&doc);
        assert_eq!(h["shown"], HEATMAP_MAX_ROWS);
        assert_eq!(h["total"], 100);
        assert_eq!(h["rows"][0]["id"], "w000");
    }

    #[test]
    fn distribution_counts_unknown_apart() {
        let doc = json!({"workloads": [{"overall": 95.0}, {"overall": 100.0}, {"overall": null}, {"overall": 3.0}]});
        let d = distribution(&doc);
        assert_eq!(d["bars"][9]["count"], 2);
        assert_eq!(d["bars"][0]["count"], 1);
        assert_eq!(d["bars"][10]["count"], 1);
    }
}
