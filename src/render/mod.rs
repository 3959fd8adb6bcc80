//! Rendering the assessment for people and machines.

pub mod csv;
pub mod framework;
pub mod markdown;
pub mod plan;
pub mod strategy;
pub mod table;

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
    match format {
        Format::Table => table::render(doc, color),
        Format::Json => json(doc),
        Format::Yaml => yaml(doc),
        Format::Csv => csv::render(doc),
        Format::Markdown => markdown::render(doc),
    }
}

pub fn json(doc: &Assessment) -> String {
    // Serialising plain structs and strings cannot fail.
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_default();
    s.push('\n');
    s
}

pub fn yaml(doc: &Assessment) -> String {
    serde_saphyr::to_string(doc).unwrap_or_default()
}

/// A score for a cell: `87`, or `–` when unknown.
pub fn cell_score(s: Option<f64>) -> String {
    match s {
        Some(v) => format!("{:.0}", v),
        None => "–".to_string(),
    }
}
