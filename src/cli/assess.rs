//! `cloudready assess`: the assessment in one of its formats.

use super::args::AssessArgs;
use super::{Term, notes, wrote};
use crate::assessment::ReleaseDoc;
use crate::error::Result;
use crate::inventory::CLASSIFICATIONS;
use crate::pipeline::{self, Settings};
use crate::render::{Format, Style};

pub(super) fn run(a: &AssessArgs, term: &Term) -> Result<u8> {
    let format = a.format()?;
    let settings = Settings::load(&a.settings.options())?;
    let mut inv = a.input.load(a.settings.date)?;
    // The notes are about the input as given, so they come before a release cuts it.
    notes(term, &settings, &inv);
    let release = a.max_classification.map(|level| {
        let cut = settings.release(&mut inv, level);
        ReleaseDoc {
            level: CLASSIFICATIONS
                .get(cut.level)
                .copied()
                .unwrap_or("OFFICIAL"),
            left_out: cut.left_out,
        }
    });
    // After the cut: a withheld workload is not in this version, whoever names it.
    pipeline::known_workloads(&inv, &a.workload)?;
    // No message quotes the inventory after this, and its text is as large as the file.
    inv.sources.release_texts();
    let out = a.output.to_output();
    let style = Style {
        color: out.is_stdout() && term.color_stdout,
        // A pipe, a file or `--wide` get every column.
        width: (out.is_stdout() && !a.wide)
            .then(super::terminal_width)
            .flatten(),
    };
    // The table and CSV have no place for it; the other formats carry it themselves.
    if let Some(r) = &release
        && matches!(format, Format::Table | Format::Csv)
        && !term.quiet
    {
        eprintln!("note: {}", crate::render::markdown::release_line(r));
    }
    settings.write_assessment(&inv, &a.workload, release, format, style, &out)?;
    wrote(term, &out);
    Ok(0)
}
