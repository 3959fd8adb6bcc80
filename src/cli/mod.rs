//! The command line: what can be typed ([`args`]), what each command does ([`commands`]), and
//! how results and messages reach the user (this file). `main.rs` only parses and hands over.

pub mod args;
pub mod commands;
pub mod shell;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

pub use args::{Cli, ColorChoice, Command};

use crate::diagnostic::{Diagnostic, Sources};
use crate::error::{Error, Result};
use crate::output::{self, Seal};

/// How to talk to the user on this run.
pub struct Term {
    pub quiet: bool,
    pub color_stdout: bool,
    pub color_stderr: bool,
}

impl Term {
    pub fn new(quiet: bool, choice: ColorChoice) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let pick = |tty: bool| match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
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
    match commands::run(&cli.command, &term) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let _ = std::io::stderr().write_all(e.render(term.color_stderr).as_bytes());
            ExitCode::from(2)
        }
    }
}

/// Writes `text` to `out` (atomically) or to standard output.
pub(crate) fn emit(out: Option<&PathBuf>, text: &str, force: bool, seal: Seal) -> Result<()> {
    // The last line of defence against inventory text driving a terminal (#15).
    let text = &*crate::text::clean_keeping_colour(text);
    match out {
        Some(p) => output::write_atomic(p, text.as_bytes(), force, seal),
        None => {
            let mut so = std::io::stdout().lock();
            match so.write_all(text.as_bytes()).and_then(|_| so.flush()) {
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.map_err(|e| Error::io("<stdout>", e)),
            }
        }
    }
}

/// [`emit`] for output written as it is produced: atomically into `out`, or to stdout.
pub(crate) fn emit_streaming(
    out: Option<&PathBuf>,
    force: bool,
    seal: Seal,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match out {
        Some(p) => output::write_atomic_streaming(p, force, seal, fill),
        None => {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            match fill(&mut w).and_then(|_| w.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.map_err(|e| Error::io("<stdout>", e)),
            }
        }
    }
}
