//! What each subcommand does: read its arguments, run the [`pipeline`](crate::pipeline), and
//! hand the result to its renderer. No scoring, planning or formatting happens here.

use std::path::PathBuf;
use std::sync::Arc;

use super::args::{
    AssessArgs, CheckArgs, Command, DiffArgs, ImportArgs, InitArgs, InputArgs, ManArgs,
    PrinciplesArgs, SchemaArgs, StrategyArgs, ValidateArgs,
};
use super::{Term, emit, emit_streaming};
use crate::check::{self as gate, RuleBook};
use crate::diagnostic::{Severity, did_you_mean};
use crate::diff::DiffFormat;
use crate::error::{Error, Result};
use crate::inventory::Inventory;
use crate::output::{self, Seal};
use crate::pipeline::{self, Settings};
use crate::render::table::count;
use crate::render::{self, Format};
use crate::report::{self, ReportFormat};
use crate::score::Detail;

/// Runs one subcommand; `Ok` carries the exit code (0, or 1 when `check` fails).
pub fn run(command: &Command, term: &Term) -> Result<u8> {
    match command {
        Command::Assess(a) => assess(a, term),
        Command::Strategy(a) => strategy(a, term),
        Command::Validate(a) => validate(a, term),
        Command::Check(a) => check(a, term),
        Command::Principles(a) => principles(a),
        Command::Schema(a) => schema(a, term),
        Command::Import(a) => import(a, term),
        Command::Init(a) => init(a, term),
        Command::Diff(a) => diff(a, term),
        Command::Completions(a) => {
            emit(None, &super::shell::completions(a.shell), false, Seal::None).map(|_| 0)
        }
        Command::Man(a) => man(a, term),
    }
}

impl InputArgs {
    fn load(&self) -> Result<Inventory> {
        pipeline::load(&self.inventories, self.max_input_size)
    }
}

/// `wrote FILE` on standard error after a `-o FILE` (not with `--quiet`, and not for `-o -`,
/// which is standard output).
fn wrote(term: &Term, out: Option<&PathBuf>) {
    if let Some(p) = out
        && !term.quiet
        && p.as_os_str() != "-"
    {
        eprintln!("wrote {}", p.display());
    }
}

/// The inventory's notes and the settings' warnings, on standard error.
fn notes(term: &Term, settings: &Settings, inv: &Inventory) {
    term.notes(&inv.sources, &inv.notes);
    term.notes(&settings.config.sources, &settings.notes(inv));
}

fn assess(a: &AssessArgs, term: &Term) -> Result<u8> {
    let settings = Settings::load(&a.settings.options())?;
    let mut inv = a.input.load()?;
    for id in &a.workload {
        if inv.index_of(id).is_none() {
            let hint = did_you_mean(id, inv.workloads.iter().map(|w| w.id.as_str()))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(Error::Usage(format!(
                "--workload `{id}` is not in the inventory{hint}"
            )));
        }
    }
    notes(term, &settings, &inv);
    // No message quotes the inventory after this, and its text is as large as the file.
    inv.sources.release_texts();
    let out = a.output.output.as_ref();
    let format = a.format;
    if format == Format::Xlsx {
        let doc = settings.assess(&inv, &a.workload);
        crate::render::xlsx::write(&doc, &inv.sources, out.map(|p| p.as_path()), a.output.force)?;
        wrote(term, out);
        return Ok(0);
    }
    if matches!(format, Format::Json | Format::Csv) {
        // Each workload's entry is made, written and dropped in turn: the whole document never
        // exists, however large the inventory. CSV has no comment syntax and any extra line
        // would be a data row: a CSV file is replaced without --force only by the same bytes.
        let (doc, entries) = settings.assess_entries(&inv, &a.workload);
        let seal = if format == Format::Json {
            Seal::JSON
        } else {
            Seal::None
        };
        emit_streaming(out, a.output.force, seal, |w| {
            // Whatever the inventory held, no control character reaches the output: JSON
            // writes them as escapes (serde's writer leaves DEL and C1 controls raw), CSV
            // replaces them.
            let mut clean = if format == Format::Json {
                crate::text::CleanWriter::json(w)
            } else {
                crate::text::CleanWriter::new(w)
            };
            render::render_entries_to(&doc, entries, format, &mut clean)
                .unwrap_or(Ok(()))
                .and_then(|()| clean.finish())
        })?;
        wrote(term, out);
        return Ok(0);
    }
    let doc = settings.assess(&inv, &a.workload);
    if format == Format::Yaml {
        // Far larger than the inventory: streamed as it is written.
        emit_streaming(out, a.output.force, Seal::YAML, |w| {
            let mut clean = crate::text::CleanWriter::new(w);
            render::render_to(&doc, format, false, &mut clean).and_then(|()| clean.finish())
        })?;
        wrote(term, out);
        return Ok(0);
    }
    let color = out.is_none() && term.color_stdout;
    let text = match format {
        Format::Table if out.is_none() && !a.wide => {
            render::table::render_fit(&doc, color, super::terminal_width())
        }
        _ => render::render(&doc, format, color),
    };
    // CSV has no comment syntax and any extra line would be a data row: a CSV file is
    // replaced without --force only by the very same bytes.
    let seal = match format {
        Format::Markdown => Seal::MARKUP,
        Format::Csv => Seal::None,
        _ => Seal::TEXT,
    };
    emit(out, &text, a.output.force, seal)?;
    wrote(term, out);
    Ok(0)
}

fn strategy(a: &StrategyArgs, term: &Term) -> Result<u8> {
    use crate::render::strategy::{DocFormat, Evidence, Templates, adopt, context};
    let out = a.output.output.as_ref();
    let format = match a.format {
        Some(f) => f,
        None => match out.and_then(|p| p.extension()).and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm") => {
                Ok(DocFormat::Html)
            }
            // An extension the format cannot mean (`-o strategy.pdf`) is refused, not ignored.
            Some(e) => output::markdown_or_refuse(e),
            None => Ok(DocFormat::Markdown),
        }?,
    };
    if format == DocFormat::Docx && out.is_none() {
        return Err(crate::render::office::needs_file("docx", "strategy.docx"));
    }
    // Compile templates and read the settings before the inventory: a broken template fails fast.
    let templates = Templates::load(a.templates.as_deref())?;
    let settings = Settings::load(&a.settings.options())?;
    // Shared with the templates' `criteria()` function for the length of the render.
    let inv = Arc::new(a.input.load()?);
    notes(term, &settings, &inv);
    // Planned on the whole inventory (waves need every dependency), then a releasable version
    // drops what is above its level before anything is built from the document.
    let mut doc = settings.assess(&inv, &[]);
    let assumed = settings.rules.hosting.assume_classification;
    let release = a.max_classification.map(|level| adopt::Release {
        level,
        left_out: adopt::release(&mut doc, level, assumed, &settings.rules.strategies.points),
    });
    if release.is_some() {
        templates.release_only(doc.workloads.iter().map(|w| w.id.to_string()));
    }
    let digest = crate::digest::inventory_digest(&inv.sources);
    let info = context::DocumentInfo {
        digest: &digest,
        date: settings.date.map(|d| d.to_string()),
        format: format.name(),
    };
    let inputs = adopt::Inputs {
        inventory: Some(&inv),
        strategy: Some(&settings.config.strategy),
        wave_months: settings.config.plan.wave_months,
        start: settings.reference(&inv),
        hosting_titles: settings
            .rules
            .hosting
            .options
            .iter()
            .map(|o| (o.id.as_str(), o.title.as_str()))
            .collect(),
        assumed_classification: assumed,
        release,
        settings_file: settings.config.path.as_deref(),
    };
    // Word puts the marking in every page's header and footer, beside the draft's own lines.
    let marking = adopt::marking(&doc, &inputs)["text"]
        .as_str()
        .unwrap_or("OFFICIAL")
        .to_string();
    let ctx = context::build_with(doc, &settings.packs, &info, &inputs);
    let evidence = Evidence {
        inventory: Arc::clone(&inv),
        packs: Arc::clone(&settings.packs),
        reference: settings.reference(&inv),
    };
    match out {
        Some(path) if format == DocFormat::Docx => {
            crate::render::docx::write_strategy(
                &templates,
                &ctx,
                evidence,
                &marking,
                path,
                a.output.force,
            )?;
            wrote(term, out);
        }
        // Straight into the temporary file: a failure part-way leaves the old document whole.
        Some(path) => {
            let mut failure = None;
            let written =
                output::write_atomic_streaming(path, a.output.force, Seal::STRATEGY, |w| {
                    templates.render_to(format, &ctx, evidence, w).map_err(|e| {
                        failure = Some(e);
                        std::io::Error::other("the document could not be rendered")
                    })
                });
            match failure {
                // A write that failed inside the renderer (a full disk) names the file.
                Some(Error::Io { target, source }) if target == "<output>" => {
                    Err(Error::io(path.display().to_string(), source))
                }
                Some(e) => Err(e),
                None => written,
            }?;
            wrote(term, out);
        }
        // Into memory first, so that a template error prints nothing but the error.
        None => {
            let text = templates.render(format, &ctx, evidence)?;
            emit(None, &text, false, Seal::None)?;
        }
    }
    Ok(0)
}

fn validate(a: &ValidateArgs, term: &Term) -> Result<u8> {
    if a.format != ReportFormat::Text {
        return validate_report(a, term);
    }
    let inv = a.input.load()?;
    term.notes(&inv.sources, &inv.notes);
    if !term.quiet {
        let files = inv.sources.iter().count();
        let warnings = inv
            .notes
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        println!(
            "valid: {} in {}{}",
            count(inv.workloads.len(), "workload"),
            count(files, "file"),
            if warnings > 0 {
                format!(", {}", count(warnings, "warning"))
            } else {
                String::new()
            }
        );
    }
    Ok(0)
}

/// `validate --format json|sarif|junit|github`: the problems as a report, so a broken inventory
/// reaches code scanning like any `check` finding. Exits 2 when the input is invalid.
fn validate_report(a: &ValidateArgs, term: &Term) -> Result<u8> {
    let book = RuleBook::builtin()?;
    let (report, code) = match a.input.load() {
        Ok(inv) => (report::of_input(&inv.sources, inv.notes, &book.rules), 0),
        Err(Error::Invalid {
            sources,
            diagnostics,
        }) => (report::of_input(&sources, diagnostics, &book.rules), 2),
        Err(e) => return Err(e),
    };
    let out = a.output.output.as_ref();
    let text = report::render(&report, a.format, out.is_none() && term.color_stdout);
    emit(out, &text, a.output.force, report::seal(a.format))?;
    wrote(term, out);
    if !term.quiet {
        eprintln!("{}", report.summary());
    }
    Ok(code)
}

fn principles(a: &PrinciplesArgs) -> Result<u8> {
    if let Some(which) = a.id.as_deref().and_then(crate::render::plan::Which::parse) {
        let rules = crate::plan::PlanRules::load(a.principles.as_deref())?;
        let text = crate::render::plan::render(&rules, which, a.format);
        emit(None, &text, false, Seal::None)?;
        return Ok(0);
    }
    let packs = crate::pack::Packs::load(a.principles.as_deref())?;
    let text = if a.trace {
        crate::render::framework::trace(&packs, a.id.as_deref(), a.format)?
    } else {
        crate::render::framework::render(&packs, a.id.as_deref(), a.format)?
    };
    emit(None, &text, false, Seal::None)?;
    Ok(0)
}

fn check(a: &CheckArgs, term: &Term) -> Result<u8> {
    let settings = Settings::load(&a.settings.options())?;
    let book = RuleBook::builtin()?;
    let inv = a.input.load()?;
    let mut documents = Vec::new();
    for d in &a.strategy {
        let shown = d.display().to_string();
        let text = std::fs::read_to_string(d).map_err(|e| Error::io(&shown, e))?;
        documents.push((shown, text));
    }
    notes(term, &settings, &inv);
    // Criteria kept: blockers are reported with the place of their field.
    let scores = settings.score(&inv, Detail::Criteria);
    let doc = settings.document(&inv, &scores, &[]);
    let inputs: Vec<String> = a
        .input
        .inventories
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let input = gate::Input {
        inventory: &inv,
        settings: &settings,
        scores: &scores,
        document: &doc,
        documents: &documents,
        regenerate: format!(
            "cloudready strategy {} -o {{doc}} --force",
            inputs.join(" ")
        ),
    };
    let report = gate::run(&input, &book);
    let out = a.output.output.as_ref();
    let text = report::render(&report, a.format, out.is_none() && term.color_stdout);
    emit(out, &text, a.output.force, report::seal(a.format))?;
    wrote(term, out);
    if out.is_some() && !term.quiet {
        eprintln!("{}", report.summary());
    }
    Ok(if report.passed() { 0 } else { 1 })
}

fn schema(a: &SchemaArgs, term: &Term) -> Result<u8> {
    let text = crate::schema::render();
    emit(
        a.output.output.as_ref(),
        &text,
        a.output.force,
        Seal::JSON_SCHEMA,
    )?;
    wrote(term, a.output.output.as_ref());
    Ok(0)
}

fn import(a: &ImportArgs, term: &Term) -> Result<u8> {
    let mut inv = pipeline::load(std::slice::from_ref(&a.file), a.max_input_size)?;
    if let Some(name) = &a.agency {
        if name.trim().is_empty() {
            return Err(Error::Usage("--agency needs a name".into()));
        }
        inv.agency.name = name.trim().to_string();
        // The file-name fallback note no longer applies.
        inv.notes.retain(|d| !d.message.contains("names no agency"));
    }
    term.notes(&inv.sources, &inv.notes);
    let text = crate::import::to_yaml(&inv);
    let out: Option<&PathBuf> = a.output.output.as_ref();
    // Sealed: a re-run replaces its own unedited output; once someone edits the inventory it
    // is theirs, replaced only with --force.
    emit(out, &text, a.output.force, Seal::YAML)?;
    if !term.quiet
        && let Some(p) = out
    {
        eprintln!(
            "wrote {} to {}",
            count(inv.workloads.len(), "workload"),
            p.display()
        );
    }
    Ok(0)
}

fn init(a: &InitArgs, term: &Term) -> Result<u8> {
    let written = crate::init::run(&a.dir, a.agency.as_deref())?;
    if !term.quiet {
        for p in &written {
            eprintln!("wrote {p}");
        }
        let inv = a.dir.join("inventory.yaml");
        eprintln!(
            "next: edit {}, then run `cloudready assess {}` (and `cloudready check` in CI)",
            inv.display(),
            inv.display()
        );
    }
    Ok(0)
}

fn man(a: &ManArgs, term: &Term) -> Result<u8> {
    let Some(dir) = &a.dir else {
        emit(None, &super::shell::man(), false, Seal::None)?;
        return Ok(0);
    };
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    }
    let pages = super::shell::man_pages();
    for (name, text) in &pages {
        output::write_atomic(&dir.join(name), text.as_bytes(), a.force, Seal::ROFF)?;
    }
    if !term.quiet {
        eprintln!(
            "wrote {} to {} ({}, ...)",
            count(pages.len(), "man page"),
            dir.display(),
            pages
                .iter()
                .take(2)
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(0)
}

fn diff(a: &DiffArgs, term: &Term) -> Result<u8> {
    let settings = Settings::load(&a.settings.options())?;
    let old = crate::diff::read_side(&a.old, &settings, a.max_input_size)?;
    let new = crate::diff::read_side(&a.new, &settings, a.max_input_size)?;
    let d = crate::diff::compare(
        &a.old.display().to_string(),
        &old,
        &a.new.display().to_string(),
        &new,
    );
    let text = crate::diff::render(&d, a.format);
    let seal = match a.format {
        DiffFormat::Json => Seal::JSON,
        DiffFormat::Markdown => Seal::MARKUP,
        DiffFormat::Text => Seal::TEXT,
    };
    emit(a.output.output.as_ref(), &text, a.output.force, seal)?;
    wrote(term, a.output.output.as_ref());
    Ok(0)
}
