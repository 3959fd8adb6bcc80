//! `cloudready assess`: the assessment in one of its formats.

use super::args::AssessArgs;
use super::{Term, notes, wrote};
use crate::error::Result;
use crate::pipeline::{self, Settings};
use crate::render::Style;

pub(super) fn run(a: &AssessArgs, term: &Term) -> Result<u8> {
    let format = a.format()?;
    let settings = Settings::load(&a.settings.options())?;
    let mut inv = a.input.load()?;
    pipeline::known_workloads(&inv, &a.workload)?;
    notes(term, &settings, &inv);
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
    settings.write_assessment(&inv, &a.workload, format, style, &out)?;
    wrote(term, &out);
    Ok(0)
}
