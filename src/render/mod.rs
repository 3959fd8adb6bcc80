//! Rendering the assessment for people and machines.

pub mod csv;
pub mod docx;
pub mod framework;
pub mod json;
pub mod markdown;
pub mod number;
pub mod office;
pub mod plan;
pub mod strategy;
pub mod table;
pub mod xlsx;

use std::io::Write;

use crate::assessment::Assessment;

/// The formats of `assess`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Yaml,
    Csv,
    Markdown,
    /// An Excel workbook (Workloads, Criteria and Portfolio sheets); needs -o FILE.
    Xlsx,
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
            let mut clean = crate::text::CleanWriter::json(w);
            let mut out = Batched::new(&mut clean);
            json::write(doc, &mut out)?;
            out.flush()?;
            clean.finish()
        }
        Format::Yaml => {
            let mut out = Batched::new(w);
            serde_saphyr::to_io_writer(&mut out, doc)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            out.flush()
        }
        Format::Csv => w.write_all(csv::render(doc).as_bytes()),
        Format::Markdown => w.write_all(markdown::render(doc).as_bytes()),
        // A binary workbook is written to a file by `xlsx::write`, never as text.
        Format::Xlsx => Err(std::io::Error::other(
            "an xlsx workbook is written with xlsx::write, not as text",
        )),
    }
}

/// [`render_to`] for JSON or CSV with the workload entries given one at a time (see
/// [`crate::assessment::Entries`]); `None` for the formats that need the whole document.
pub fn render_entries_to<'a>(
    doc: &crate::assessment::Assessment<'a>,
    entries: impl Iterator<Item = crate::assessment::WorkloadDoc<'a>>,
    format: Format,
    w: &mut dyn Write,
) -> Option<std::io::Result<()>> {
    let mut out = Batched::new(w);
    let written = match format {
        Format::Json => json::write_entries(doc, entries, &mut out),
        Format::Csv => csv::write_entries(doc, entries, &mut out),
        _ => return None,
    };
    Some(written.and_then(|()| out.flush()))
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
