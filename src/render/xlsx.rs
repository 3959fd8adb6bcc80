//! `assess --format xlsx`: the assessment as an Excel workbook, for the people who will sort,
//! filter and annotate it. Three sheets, each a plain table with a frozen, filterable header:
//!
//! - **Workloads**: one row per workload — scores per principle, the framework and overall,
//!   band (coloured), confidence, recommended and planned strategy, effort, wave, blockers;
//! - **Criteria**: one row per workload × criterion — answer, score, finding, advice and where
//!   the answer is written in the inventory;
//! - **Portfolio**: the agency, the bands, each principle's mean score, and the waves.
//!
//! The bytes are deterministic: the document's creation date is the assessment's reference
//! date (or a fixed one), and the package is sealed (see [`super::office`]).

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

use crate::assessment::{Assessment, LocationDoc};
use crate::diagnostic::Sources;
use crate::error::{Error, Result};
use crate::output::{Output, Seal};
use crate::render::office;
use crate::render::strategy::charts::score_colour;
use crate::score::Readiness;

/// Writes the workbook to `out` (atomically; never to standard output).
pub fn write(doc: &Assessment, sources: &Sources, out: &Output) -> Result<()> {
    if out.is_stdout() {
        return Err(office::needs_file("xlsx", "assessment.xlsx"));
    }
    let bytes = to_bytes(doc, sources)?;
    out.write_bytes(&bytes, Seal::OFFICE)
}

/// The sealed workbook's bytes.
pub fn to_bytes(doc: &Assessment, sources: &Sources) -> Result<Vec<u8>> {
    let package = build(doc, sources, office::PLACEHOLDER)
        .map_err(|e| Error::file("<workbook>", e.to_string()))?;
    office::seal(&package)
}

/// Fill colour of a band, the same as the strategy report's heatmap for that score range.
fn band_colour(b: Readiness) -> (&'static str, &'static str) {
    match b {
        Readiness::Ready => score_colour(Some(100.0)),
        Readiness::Conditional => score_colour(Some(60.0)),
        Readiness::NotReady => score_colour(Some(0.0)),
        Readiness::Unknown => score_colour(None),
    }
}

fn hex(c: &str) -> Color {
    Color::RGB(u32::from_str_radix(c.trim_start_matches('#'), 16).unwrap_or(0))
}

struct Styles {
    header: Format,
    score: Format,
    wrap: Format,
}

/// Writes a header row, freezes it, and sets the columns' widths.
fn header(
    ws: &mut Worksheet,
    st: &Styles,
    columns: &[(&str, f64)],
) -> std::result::Result<(), XlsxError> {
    for (c, (name, width)) in columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, &st.header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// An optional score: a number cell, or empty when unknown.
fn score(
    ws: &mut Worksheet,
    st: &Styles,
    r: u32,
    c: u16,
    v: Option<f64>,
) -> std::result::Result<(), XlsxError> {
    // The number every other output shows (render::number): whole, rounded down.
    if let Some(v) = v {
        ws.write_number_with_format(r, c, super::number::score(v) as f64, &st.score)?;
    }
    Ok(())
}

fn text(ws: &mut Worksheet, r: u32, c: u16, v: &str) -> std::result::Result<(), XlsxError> {
    if !v.is_empty() {
        ws.write_string(r, c, v)?;
    }
    Ok(())
}

/// Where a criterion's answer is written: `inventory.yaml:12:7`, or for a spreadsheet
/// inventory `inventory.xlsx: Workloads!C7`.
fn source(sources: &Sources, l: &LocationDoc) -> String {
    match sources.iter().position(|f| f.path == l.file) {
        Some(i) => sources.place(crate::diagnostic::Loc::new(i as u32, l.line, l.column)),
        None => format!("{}:{}:{}", l.file, l.line, l.column),
    }
}

fn build(
    doc: &Assessment,
    sources: &Sources,
    seal: &str,
) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = doc
        .reference_date
        .as_deref()
        .and_then(|d| ExcelDateTime::parse_from_str(d).ok())
        .map_or_else(|| ExcelDateTime::from_ymd(2000, 1, 1), Ok)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("Cloud readiness assessment: {}", doc.agency.name))
            .set_author(doc.generator.name)
            .set_comment(format!(
                "{} {} — {}",
                doc.generator.name, doc.generator.version, doc.schema
            ))
            .set_creation_datetime(&created)
            .set_custom_property(office::SEAL_PROPERTY, seal),
    );
    let st = Styles {
        header: Format::new()
            .set_bold()
            .set_background_color(hex("#1f2328"))
            .set_font_color(hex("#ffffff"))
            .set_text_wrap()
            .set_align(FormatAlign::Top),
        score: Format::new().set_num_format("0"),
        wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
    };

    workloads_sheet(&mut book, doc, &st)?;
    criteria_sheet(&mut book, doc, sources, &st, MAX_ROW)?;
    portfolio_sheet(&mut book, doc, &st)?;
    book.save_to_buffer()
}

fn workloads_sheet(
    book: &mut Workbook,
    doc: &Assessment,
    st: &Styles,
) -> std::result::Result<(), XlsxError> {
    let ws = book.add_worksheet().set_name("Workloads")?;
    let mut columns: Vec<(&str, f64)> = vec![("id", 16.0), ("name", 30.0)];
    columns.extend(doc.portfolio.principles.iter().map(|p| (p.title, 12.0)));
    columns.extend([
        (doc.portfolio.framework.title, 12.0),
        ("overall", 9.0),
        ("band", 12.0),
        ("confidence", 11.0),
        ("recommended strategy", 14.0),
        ("planned strategy", 14.0),
        ("effort", 8.0),
        ("wave", 7.0),
        ("blockers", 40.0),
    ]);
    header(ws, st, &columns)?;
    // Principle titles are long: the header wraps them rather than widening every column.
    ws.set_row_height(0, 78)?;
    let bands: Vec<(Readiness, Format)> = [
        Readiness::Ready,
        Readiness::Conditional,
        Readiness::NotReady,
        Readiness::Unknown,
    ]
    .into_iter()
    .map(|b| {
        let (fill, ink) = band_colour(b);
        (
            b,
            Format::new()
                .set_background_color(hex(fill))
                .set_font_color(hex(ink)),
        )
    })
    .collect();
    for (i, w) in doc.workloads.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, w.id)?;
        text(ws, r, 1, w.name)?;
        let mut c = 2u16;
        for p in &w.principles {
            score(ws, st, r, c, p.score)?;
            c += 1;
        }
        score(ws, st, r, c, w.framework.score)?;
        score(ws, st, r, c + 1, w.overall)?;
        if let Some((_, f)) = bands.iter().find(|(b, _)| *b == w.band) {
            ws.write_string_with_format(r, c + 2, w.band.as_str(), f)?;
        }
        ws.write_number_with_format(
            r,
            c + 3,
            super::number::percent(w.confidence) as f64 / 100.0,
            &Format::new().set_num_format("0%"),
        )?;
        if let Some(s) = &w.strategy {
            text(ws, r, c + 4, s.recommended.as_str())?;
            text(ws, r, c + 5, s.planned.map_or("", |p| p.as_str()))?;
            text(ws, r, c + 6, s.effort.size.as_str())?;
        }
        if let Some(wave) = w.wave {
            ws.write_number(r, c + 7, wave)?;
        }
        text(ws, r, c + 8, &w.blockers.join("; "))?;
    }
    let last = columns.len() as u16 - 1;
    ws.autofilter(0, 0, doc.workloads.len() as u32, last)?;
    Ok(())
}

/// Excel's last row (0-based): a sheet holds 1,048,576 rows.
const MAX_ROW: u32 = 1_048_575;

/// The Criteria sheet's columns.
const CRITERIA_COLUMNS: [(&str, f64); 11] = [
    ("workload", 16.0),
    ("principle", 22.0),
    ("criterion", 26.0),
    ("question", 40.0),
    ("blocker", 8.0),
    ("status", 12.0),
    ("answer", 18.0),
    ("score", 7.0),
    ("finding", 50.0),
    ("advice", 50.0),
    ("source", 30.0),
];

/// One row per workload x criterion. A large portfolio has more criteria than a sheet has
/// rows: they continue on `Criteria (2)`, `Criteria (3)`, …, each with its own header.
fn criteria_sheet(
    book: &mut Workbook,
    doc: &Assessment,
    sources: &Sources,
    st: &Styles,
    max_row: u32,
) -> std::result::Result<(), XlsxError> {
    let mut sheets = 1;
    let mut ws = criteria_page(book, st, "Criteria")?;
    let mut r = 0u32;
    for w in &doc.workloads {
        for p in w.principles.iter().chain(std::iter::once(&w.framework)) {
            for c in p.criteria.iter() {
                if r == max_row {
                    ws.autofilter(0, 0, r, CRITERIA_COLUMNS.len() as u16 - 1)?;
                    sheets += 1;
                    ws = criteria_page(book, st, &format!("Criteria ({sheets})"))?;
                    r = 0;
                }
                r += 1;
                text(ws, r, 0, w.id)?;
                text(ws, r, 1, p.title)?;
                text(ws, r, 2, c.id)?;
                ws.write_string_with_format(r, 3, c.question, &st.wrap)?;
                ws.write_boolean(r, 4, c.blocker)?;
                text(ws, r, 5, c.status.as_str())?;
                text(ws, r, 6, c.answer.as_deref().unwrap_or(""))?;
                if let Some(s) = c.score {
                    ws.write_number(r, 7, s)?;
                }
                text(ws, r, 8, &c.finding)?;
                text(ws, r, 9, c.advice.unwrap_or(""))?;
                if let Some(l) = &c.location {
                    text(ws, r, 10, &source(sources, l))?;
                }
            }
        }
    }
    ws.autofilter(0, 0, r, CRITERIA_COLUMNS.len() as u16 - 1)?;
    Ok(())
}

fn criteria_page<'b>(
    book: &'b mut Workbook,
    st: &Styles,
    name: &str,
) -> std::result::Result<&'b mut Worksheet, XlsxError> {
    // Rows go to a temporary file as they are written: a large portfolio's criteria would
    // otherwise all sit in memory until the workbook is saved.
    let ws = book.add_worksheet_with_constant_memory()?.set_name(name)?;
    header(ws, st, &CRITERIA_COLUMNS)?;
    Ok(ws)
}

fn portfolio_sheet(
    book: &mut Workbook,
    doc: &Assessment,
    st: &Styles,
) -> std::result::Result<(), XlsxError> {
    let ws = book.add_worksheet().set_name("Portfolio")?;
    header(
        ws,
        st,
        &[
            ("measure", 34.0),
            ("value", 14.0),
            ("confidence", 11.0),
            ("detail", 60.0),
        ],
    )?;
    let pf = &doc.portfolio;
    let mut r = 0u32;
    let mut row = |ws: &mut Worksheet, label: &str| -> std::result::Result<u32, XlsxError> {
        r += 1;
        ws.write_string(r, 0, label)?;
        Ok(r)
    };
    let at = row(ws, "agency")?;
    ws.write_string(at, 1, doc.agency.name)?;
    if let Some(d) = &doc.reference_date {
        let at = row(ws, "reference date")?;
        ws.write_string(at, 1, d)?;
    }
    let at = row(ws, "workloads")?;
    ws.write_number(at, 1, pf.workloads as f64)?;
    let at = row(ws, "overall (mean)")?;
    score(ws, st, at, 1, pf.overall)?;
    for b in [
        Readiness::Ready,
        Readiness::Conditional,
        Readiness::NotReady,
        Readiness::Unknown,
    ] {
        let at = row(ws, &format!("band: {}", b.as_str()))?;
        ws.write_number(at, 1, pf.bands.get(b) as f64)?;
    }
    for p in pf.principles.iter().chain(std::iter::once(&pf.framework)) {
        let at = row(ws, p.title)?;
        score(ws, st, at, 1, p.score)?;
        ws.write_number_with_format(
            at,
            2,
            super::number::percent(p.confidence) as f64 / 100.0,
            &Format::new().set_num_format("0%"),
        )?;
        ws.write_string(at, 3, p.id)?;
    }
    for w in &pf.waves {
        let at = row(ws, &format!("wave {}", w.wave))?;
        ws.write_number(at, 1, w.workloads.len() as f64)?;
        let e = &w.effort;
        let detail = format!(
            "effort S {} · M {} · L {} · XL {} — {}",
            e.s,
            e.m,
            e.l,
            e.xl,
            w.workloads.join(", ")
        );
        ws.write_string(at, 3, detail)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criteria_beyond_a_sheet_continue_on_the_next() {
        use calamine::Reader;
        let text = std::fs::read("examples/inventory.yaml").unwrap();
        let inv =
            crate::load::load_from_bytes(&[("inventory.yaml".into(), text)], &Default::default())
                .unwrap();
        let settings = crate::pipeline::Settings::builtin().unwrap();
        let doc = settings.assess(&inv, &[]);
        let total: usize = doc
            .workloads
            .iter()
            .flat_map(|w| w.principles.iter().chain(std::iter::once(&w.framework)))
            .map(|p| p.criteria.iter().count())
            .sum();
        let mut book = Workbook::new();
        let st = Styles {
            header: Format::new(),
            score: Format::new(),
            wrap: Format::new(),
        };
        criteria_sheet(&mut book, &doc, &inv.sources, &st, 300).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let mut read = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let names = read.sheet_names();
        assert_eq!(names.len(), total.div_ceil(300), "{names:?}");
        assert_eq!(names[1], "Criteria (2)");
        let mut rows = 0;
        for n in &names {
            let r = read.worksheet_range(n).unwrap();
            assert_eq!(
                r.get((0, 0)).map(|c| c.to_string()),
                Some("workload".into())
            );
            assert!(r.height() <= 301);
            rows += r.height() - 1;
        }
        assert_eq!(rows, total, "every criterion once");
    }

    #[test]
    fn band_colours_follow_the_heatmap() {
        assert_eq!(band_colour(Readiness::Ready).0, "#1a7f37");
        assert_eq!(band_colour(Readiness::NotReady).0, "#cf222e");
        assert_eq!(hex("#1a7f37"), Color::RGB(0x1a7f37));
    }
}
