//! The command line: what can be typed ([`args`]), one thin adapter per command (each file
//! reads its arguments and hands them to the [`pipeline`](crate::pipeline)), and how messages
//! reach the user (this file). `main.rs` only parses and hands over.

pub mod args;
mod assess;
mod check;
mod diff;
mod import;
mod infer;
mod init;
mod man;
mod principles;
mod schema;
pub mod shell;
mod strategy;
mod validate;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

pub use args::{Cli, ColorChoice, Command};

use crate::diagnostic::{Diagnostic, Sources};
use crate::error::Result;
use crate::inventory::Inventory;
use crate::output::{Output, Overwrite, Seal};
use crate::pipeline::Settings;

/// How to talk to the user on this run.
pub struct Term {
    pub quiet: bool,
    pub color_stdout: bool,
    pub color_stderr: bool,
}

impl Term {
    pub fn new(quiet: bool, choice: ColorChoice) -> Self {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        let (no_color, force_color) = (set("NO_COLOR"), set("FORCE_COLOR"));
        let pick = |tty: bool| auto_color(choice, tty, no_color, force_color);
        Term {
            quiet,
            color_stdout: pick(std::io::stdout().is_terminal()),
            color_stderr: pick(std::io::stderr().is_terminal()),
        }
    }

    /// Notes and warnings that do not stop the run, on standard error (none with `--quiet`).
    pub fn notes<'a>(&self, sources: &Sources, notes: impl IntoIterator<Item = &'a Diagnostic>) {
        if self.quiet {
            return;
        }
        let mut err = std::io::stderr().lock();
        for d in notes {
            let _ = err.write_all(d.render(sources, self.color_stderr).as_bytes());
        }
    }
}

/// Colour or not: `--color always|never` decide; on `auto`, `NO_COLOR` turns it off, else
/// `FORCE_COLOR` turns it on where no terminal is (a CI log that renders colour), else a
/// terminal decides.
fn auto_color(choice: ColorChoice, tty: bool, no_color: bool, force_color: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color && (tty || force_color),
    }
}

/// The width to fit the table to when standard output is a terminal: `COLUMNS` when set (as
/// `ls` and clap honour it), else the terminal's own. `None` for a pipe or file.
pub(crate) fn terminal_width() -> Option<usize> {
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .or_else(|| terminal_size::terminal_size_of(&stdout).map(|(w, _)| usize::from(w.0)))
}

/// Parses nothing, runs everything: returns the process exit code (0 ok, 1 check failed,
/// 2 bad input or usage).
pub fn run(cli: Cli) -> ExitCode {
    let term = Term::new(cli.quiet, cli.color);
    crate::progress::start(cli.quiet);
    match dispatch(&cli.command, &term) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let _ = std::io::stderr().write_all(e.render(term.color_stderr).as_bytes());
            ExitCode::from(2)
        }
    }
}

/// Runs one subcommand; `Ok` carries the exit code (0, or 1 when `check` fails).
fn dispatch(command: &Command, term: &Term) -> Result<u8> {
    match command {
        Command::Assess(a) => assess::run(a, term),
        Command::Strategy(a) => strategy::run(a, term),
        Command::Validate(a) => validate::run(a, term),
        Command::Check(a) => check::run(a, term),
        Command::Principles(a) => principles::run(a),
        Command::Schema(a) => schema::run(a, term),
        Command::Import(a) => import::run(a, term),
        Command::Init(a) => init::run(a, term),
        Command::Diff(a) => diff::run(a, term),
        Command::Completions(a) => {
            let text = shell::completions(a.shell);
            Output::stdout().write_text(&text, Seal::None).map(|_| 0)
        }
        Command::Man(a) => man::run(a, term),
    }
}

impl args::InputArgs {
    /// Reads the inventories; files that disagree on `agency.as_of` are refused unless `date`
    /// (`--date`) is given.
    fn load(&self, date: Option<crate::inventory::Date>) -> Result<Inventory> {
        let inv = crate::pipeline::load(&self.inventories, self.max_input_size)?;
        crate::pipeline::one_reference_date(&inv, date)?;
        Ok(inv)
    }
}

impl args::OutputArgs {
    /// Where the result goes: `-o FILE` (replaced only when ours, or with `--force`), else
    /// standard output.
    fn to_output(&self) -> Output {
        Output::new(self.output.as_ref(), Overwrite::forced(self.force))
    }
}

/// Writes `report` in `format` to `out` (standard output or `-o FILE`), without its summary
/// line under `--quiet`; `check` and `validate` share it, so their reports read the same.
fn write_report(
    term: &Term,
    out: &Output,
    report: &crate::report::Report,
    format: crate::report::ReportFormat,
) -> Result<()> {
    let text = crate::report::render(report, format, out.is_stdout() && term.color_stdout);
    let text = if term.quiet {
        crate::report::without_summary(&text, format)
    } else {
        text
    };
    out.write_text(&text, crate::report::seal(format))?;
    wrote(term, out);
    Ok(())
}

/// `wrote FILE` on standard error after a `-o FILE` (not with `--quiet`, and not for `-o -`,
/// which is standard output).
fn wrote(term: &Term, out: &Output) {
    if let Some(p) = out.path()
        && !term.quiet
        && p.as_os_str() != "-"
    {
        eprintln!("wrote {}", p.display());
    }
}

/// The inventory's notes and the settings' warnings, on standard error.
fn notes(term: &Term, settings: &Settings, inv: &Inventory) {
    term.notes(&inv.sources, &inv.notes);
    term.notes(&inv.sources, &settings.inventory_notes(inv));
    term.notes(&settings.config.sources, &settings.notes(inv));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn force_color_colours_a_pipe_unless_no_color_or_never() {
        assert!(auto_color(ColorChoice::Auto, false, false, true));
        assert!(!auto_color(ColorChoice::Auto, false, false, false));
        assert!(!auto_color(ColorChoice::Auto, true, true, true));
        assert!(!auto_color(ColorChoice::Never, true, false, true));
        assert!(auto_color(ColorChoice::Always, false, true, false));
    }
}
