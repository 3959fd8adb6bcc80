//! The format a command writes, from `--format` (or its environment variable) and the `-o`
//! file's name: a known extension picks the format when none is given, and a format that
//! does not fit the extension is refused rather than written under a misleading name.

use std::path::Path;

use clap::ValueEnum;

use crate::error::{Error, Result};

use super::args::{AssessArgs, CheckArgs, DiffArgs, StrategyArgs, ValidateArgs};
use crate::diff::DiffFormat;
use crate::render::Format;
use crate::render::strategy::DocFormat;
use crate::report::ReportFormat;

const REPORT: Endings<ReportFormat> = &[
    (ReportFormat::Sarif, &[".sarif", ".sarif.json"]),
    (ReportFormat::Junit, &[".xml"]),
    (ReportFormat::Json, &[".json"]),
    (ReportFormat::Gitlab, &[".json"]),
    (ReportFormat::Text, &[".txt", ".log"]),
    (ReportFormat::Github, &[".txt", ".log"]),
];

const ASSESSMENT: Endings<Format> = &[
    (Format::Json, &[".json"]),
    (Format::Yaml, &[".yaml", ".yml"]),
    (Format::Csv, &[".csv"]),
    (Format::Markdown, &[".md", ".markdown"]),
    (Format::Xlsx, &[".xlsx"]),
    (Format::Table, &[".txt"]),
];

const DIFF: Endings<DiffFormat> = &[
    (DiffFormat::Json, &[".json"]),
    (DiffFormat::Markdown, &[".md", ".markdown"]),
    (DiffFormat::Text, &[".txt"]),
];

const DOCUMENT: Endings<DocFormat> = &[
    (DocFormat::Html, &[".html", ".htm"]),
    (DocFormat::Markdown, &[".md", ".markdown", ".txt"]),
    (DocFormat::Docx, &[".docx"]),
];

impl StrategyArgs {
    /// `--format` checked against the `-o` name; without it the strategy pipeline infers the
    /// format (and refuses a name it cannot write).
    pub(super) fn format(&self) -> Result<Option<DocFormat>> {
        match self.format {
            None => Ok(None),
            Some(f) => pick(Some(f), self.output.output.as_deref(), DOCUMENT, f).map(Some),
        }
    }
}

impl CheckArgs {
    pub(super) fn format(&self) -> Result<ReportFormat> {
        pick(
            self.format,
            self.output.output.as_deref(),
            REPORT,
            ReportFormat::Text,
        )
    }
}

impl ValidateArgs {
    pub(super) fn format(&self) -> Result<ReportFormat> {
        pick(
            self.format,
            self.output.output.as_deref(),
            REPORT,
            ReportFormat::Text,
        )
    }
}

impl AssessArgs {
    pub(super) fn format(&self) -> Result<Format> {
        pick(
            self.format,
            self.output.output.as_deref(),
            ASSESSMENT,
            Format::Table,
        )
    }
}

impl DiffArgs {
    pub(super) fn format(&self) -> Result<DiffFormat> {
        pick(
            self.format,
            self.output.output.as_deref(),
            DIFF,
            DiffFormat::Text,
        )
    }
}

/// File-name endings (lower case, with the dot) and the format each may hold; the first
/// entry listing an ending is the one inferred from it. Longer endings are tried first, so
/// `.sarif.json` can mean SARIF while `.json` means JSON.
pub(super) type Endings<F> = &'static [(F, &'static [&'static str])];

/// `given` (flag, then environment), else the format `out`'s name implies, else `default`.
pub(super) fn pick<F: ValueEnum + Copy + PartialEq>(
    given: Option<F>,
    out: Option<&Path>,
    endings: Endings<F>,
    default: F,
) -> Result<F> {
    let Some((ending, fits)) = out.and_then(|p| known(p, endings)) else {
        return Ok(given.unwrap_or(default));
    };
    match given {
        None => Ok(fits[0]),
        Some(f) if fits.contains(&f) => Ok(f),
        Some(f) => Err(Error::Usage(format!(
            "-o {} names a {} file, but the format is {}; name the file for the format, or pass --format {}",
            out.map(|p| p.display().to_string()).unwrap_or_default(),
            ending,
            name(f),
            fits.iter()
                .map(|f| name(*f))
                .collect::<Vec<_>>()
                .join(" or --format "),
        ))),
    }
}

/// A command with a single format (`import` writes YAML, `schema` JSON): refuses an `-o` whose
/// known ending says otherwise.
pub(super) fn only(
    out: Option<&Path>,
    what: &str,
    endings: &[&str],
    others: &[&str],
) -> Result<()> {
    let Some(p) = out else { return Ok(()) };
    let lower = p.to_string_lossy().to_lowercase();
    if endings.iter().any(|e| lower.ends_with(e)) {
        return Ok(());
    }
    match others.iter().find(|e| lower.ends_with(*e)) {
        Some(e) => Err(Error::Usage(format!(
            "-o {} names a {e} file, but this command writes {what}; name it {}",
            p.display(),
            endings.join(" or ")
        ))),
        None => Ok(()),
    }
}

/// The longest known ending of `p`'s name, and the formats it may hold.
fn known<F: Copy>(p: &Path, endings: Endings<F>) -> Option<(&'static str, Vec<F>)> {
    let lower = p.file_name()?.to_string_lossy().to_lowercase();
    let ending = endings
        .iter()
        .flat_map(|(_, es)| es.iter().copied())
        .filter(|e| lower.ends_with(e) && lower.len() > e.len())
        .max_by_key(|e| e.len())?;
    let fits = endings
        .iter()
        .filter(|(_, es)| es.contains(&ending))
        .map(|(f, _)| *f)
        .collect();
    Some((ending, fits))
}

fn name<F: ValueEnum>(f: F) -> String {
    f.to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ReportFormat as R;

    const ENDINGS: Endings<R> = &[
        (R::Sarif, &[".sarif", ".sarif.json"]),
        (R::Json, &[".json"]),
        (R::Text, &[".txt"]),
        (R::Github, &[".txt"]),
    ];

    fn at(p: &str) -> Option<&Path> {
        Some(Path::new(p))
    }

    #[test]
    fn infers_from_the_longest_known_ending() {
        assert_eq!(
            pick(None, at("out/x.SARIF"), ENDINGS, R::Text).unwrap(),
            R::Sarif
        );
        assert_eq!(
            pick(None, at("x.sarif.json"), ENDINGS, R::Text).unwrap(),
            R::Sarif
        );
        assert_eq!(pick(None, at("x.json"), ENDINGS, R::Text).unwrap(), R::Json);
        assert_eq!(pick(None, at("x.txt"), ENDINGS, R::Json).unwrap(), R::Text);
    }

    #[test]
    fn keeps_a_fitting_format_and_refuses_a_mismatch() {
        assert_eq!(
            pick(Some(R::Github), at("x.txt"), ENDINGS, R::Text).unwrap(),
            R::Github
        );
        let e = pick(Some(R::Text), at("x.sarif"), ENDINGS, R::Text).unwrap_err();
        assert!(
            e.to_string()
                .contains("names a .sarif file, but the format is text"),
            "{e}"
        );
        assert!(e.to_string().contains("--format sarif"), "{e}");
    }

    #[test]
    fn an_unknown_or_absent_name_infers_nothing() {
        assert_eq!(
            pick(Some(R::Json), at("report.out"), ENDINGS, R::Text).unwrap(),
            R::Json
        );
        assert_eq!(pick(None, at("report"), ENDINGS, R::Text).unwrap(), R::Text);
        assert_eq!(pick(None, None, ENDINGS, R::Github).unwrap(), R::Github);
        assert_eq!(pick(None, at(".json"), ENDINGS, R::Text).unwrap(), R::Text);
    }

    #[test]
    fn a_single_format_command_refuses_another_known_ending() {
        assert!(only(at("inv.yaml"), "YAML", &[".yaml", ".yml"], &[".json"]).is_ok());
        assert!(only(at("inv.out"), "YAML", &[".yaml", ".yml"], &[".json"]).is_ok());
        assert!(only(at("inv.json"), "YAML", &[".yaml", ".yml"], &[".json"]).is_err());
    }
}
