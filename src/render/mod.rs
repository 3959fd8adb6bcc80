//! Rendering the assessment for people and machines.

pub mod csv;
pub mod docx;
pub mod framework;
pub mod json;
pub mod markdown;
pub mod number;
pub mod office;
pub mod rules;
pub mod strategy;
pub mod table;
pub mod xlsx;

use std::borrow::Borrow;
use std::io::{BufWriter, Write};

use crate::assessment::{Assessment, Streamed, WorkloadDoc};
use crate::output::Seal;
use crate::score::WorkloadScore;

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

impl Format {
    /// The seal a file in this format carries (see [`crate::output`]). CSV has no comment
    /// syntax and any extra line would be a data row: a CSV file is replaced without --force
    /// only by the very same bytes.
    pub fn seal(self) -> Seal {
        match self {
            Format::Table => Seal::TEXT,
            Format::Json => Seal::JSON,
            Format::Yaml => Seal::YAML,
            Format::Csv => Seal::None,
            Format::Markdown => Seal::MARKUP,
            Format::Xlsx => Seal::OFFICE,
        }
    }
}

/// How the table looks: colour, and the terminal width to fit it to (`None`: every column).
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub color: bool,
    pub width: Option<usize>,
}

/// Renders the whole assessment in `format` into memory. `color` applies to the table only.
pub fn render(doc: &Assessment, format: Format, color: bool) -> String {
    let mut out = Vec::new();
    let style = Style { color, width: None };
    // Writing into memory cannot fail.
    let _ = write_whole(doc, format, style, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the assessment in `format` into `w` as it is made: the one route from a document to
/// its bytes. JSON and CSV write each workload's entry (and its criteria) as it is made and
/// drop it, so the output never sits in memory whole, however large the inventory; the other
/// formats collect the document first. Whatever the inventory held, no control character
/// reaches the machine formats.
pub fn render_to<'a, S: Borrow<WorkloadScore<'a>>>(
    doc: Streamed<'a, S>,
    format: Format,
    style: Style,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Json | Format::Csv => write_entries(&doc.head, doc.entries, format, w),
        _ => write_whole(&doc.collect(), format, style, w),
    }
}

/// [`render_to`] for a document already whole.
fn write_whole(
    doc: &Assessment,
    format: Format,
    style: Style,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Table => {
            let text = match style.width {
                Some(width) => table::render_fit(doc, style.color, Some(width)),
                None => table::render(doc, style.color),
            };
            w.write_all(text.as_bytes())
        }
        Format::Json | Format::Csv => write_entries(doc, doc.workloads.iter(), format, w),
        Format::Yaml => {
            let mut clean = crate::text::CleanWriter::new(w);
            let mut kept = KeepError {
                inner: &mut clean,
                error: None,
            };
            let mut out = batched(&mut kept);
            let written = serde_saphyr::to_io_writer(&mut out, doc);
            let flushed = out.flush();
            drop(out);
            if let Err(e) = written {
                // The serializer says only that writing failed; the writer's own error keeps
                // its kind, so a reader closing the pipe (`| head`) is still told apart.
                return Err(kept
                    .error
                    .take()
                    .unwrap_or_else(|| std::io::Error::other(e.to_string())));
            }
            flushed?;
            clean.finish()
        }
        Format::Markdown => w.write_all(markdown::render(doc).as_bytes()),
        // A binary workbook is written to a file by `xlsx::write`, never as text.
        Format::Xlsx => Err(std::io::Error::other(
            "an xlsx workbook is written with xlsx::write, not as text",
        )),
    }
}

/// JSON or CSV, with the workload entries given one at a time (the document's own list is
/// not read). JSON writes control characters as escapes (serde's writer leaves DEL and C1
/// controls raw); CSV replaces them.
fn write_entries<'a, W: Borrow<WorkloadDoc<'a>>>(
    doc: &Assessment,
    entries: impl Iterator<Item = W>,
    format: Format,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let mut clean = if format == Format::Json {
        crate::text::CleanWriter::json(w)
    } else {
        crate::text::CleanWriter::new(w)
    };
    let mut out = batched(&mut clean);
    if format == Format::Json {
        json::write_entries(doc, entries, &mut out)?;
    } else {
        csv::write_entries(doc, entries, &mut out)?;
    }
    out.flush()?;
    drop(out);
    clean.finish()
}

/// Collects a serializer's many small writes (a brace, an indent, a key) in memory and hands
/// them on in large blocks: calls into a `dyn Write` cannot be inlined, and the machine formats
/// make millions of them. The one buffer between a renderer and its output.
pub(crate) type Batched<'w> = BufWriter<&'w mut dyn Write>;

/// A [`Batched`] writer into `out`.
/// A writer that keeps the first error of the one it wraps, for callers whose own error type
/// drops it.
struct KeepError<'a> {
    inner: &'a mut dyn Write,
    error: Option<std::io::Error>,
}

impl Write for KeepError<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf).inspect_err(|e| {
            if self.error.is_none() {
                self.error = Some(std::io::Error::new(e.kind(), e.to_string()));
            }
        })
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().inspect_err(|e| {
            if self.error.is_none() {
                self.error = Some(std::io::Error::new(e.kind(), e.to_string()));
            }
        })
    }
}

pub(crate) fn batched(out: &mut dyn Write) -> Batched<'_> {
    BufWriter::with_capacity(256 * 1024, out)
}
