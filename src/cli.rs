//! The command line: argument definitions (clap derive) and one runner per subcommand.
//! `main.rs` only parses and hands over.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::assessment;
use crate::check::{self as gate, RuleBook};
use crate::config::Config;
use crate::diagnostic::{Severity, did_you_mean};
use crate::error::{Error, Result};
use crate::inventory::{Date, Inventory};
use crate::load::{self, LoadOptions};
use crate::output;
use crate::pack::Packs;
use crate::plan::providers::Catalog;
use crate::plan::{PlanOptions, PlanRules};
use crate::render::{self, Format};
use crate::score::{Context, Detail};

const EXAMPLES: &str = "\
Examples:
  cloudready assess examples/inventory.yaml
  cloudready assess inventory.yaml --format json -o assessment.json
  cloudready assess corporate.yaml citizen.yaml --workload payroll
  cloudready validate inventory.yaml
  cloudready check inventory.yaml --strategy strategy.md --format sarif -o cloudready.sarif
  cloudready principles P6";

#[derive(Debug, Parser)]
#[command(
    name = "cloudready",
    version,
    about = "Assess an agency's workloads against the DTA Secure Cloud Strategy and plan the move to cloud",
    long_about = "Assess an agency's workloads against the seven principles of the DTA Secure Cloud Strategy \
and the common assessment framework, explain every score, and plan the move to cloud.\n\n\
Works fully offline; nothing leaves this machine.",
    after_help = EXAMPLES,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print only results and errors (no notes or summaries).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Colour in output: auto (when a terminal and NO_COLOR is unset), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score every workload against the seven principles and the assessment framework.
    #[command(after_help = "\
Examples:
  cloudready assess examples/inventory.yaml
  cloudready assess inventory.yaml --format json -o assessment.json
  cloudready assess inventory.yaml --format markdown --workload payroll --workload hr-core
  cloudready assess inventory.yaml --principles my-packs/   # agency's own criteria and weights")]
    Assess(AssessArgs),
    /// Draft the agency's cloud strategy (markdown or a self-contained HTML report).
    #[command(after_help = "\
Examples:
  cloudready strategy examples/inventory.yaml -o strategy.html
  cloudready strategy inventory.yaml --format markdown -o strategy.md
  cloudready strategy inventory.yaml --templates my-templates/ -o strategy.md   # agency's own templates
  cloudready strategy inventory.yaml -o strategy.html --date 2026-11-23         # print a date in the draft")]
    Strategy(StrategyArgs),
    /// Check inventory files and report every problem with its place and a fix.
    #[command(after_help = "\
Examples:
  cloudready validate inventory.yaml
  cloudready validate inventories/*.yaml")]
    Validate(ValidateArgs),
    /// Gate CI: hold the portfolio and its strategy documents to the bar in cloudready.toml.
    #[command(after_help = "\
Exit codes: 0 the check passed; 1 a finding of error severity remains unwaived; 2 bad input.

Examples:
  cloudready check inventory.yaml
  cloudready check inventory.yaml --config ci/cloudready.toml --strategy docs/strategy.md
  cloudready check inventory.yaml --format sarif -o cloudready.sarif
  cloudready check inventory.yaml --format junit -o cloudready-junit.xml
  cloudready check inventory.yaml --format github   # annotations in a GitHub Actions log")]
    Check(CheckArgs),
    /// Show the framework: principles, criteria, weights and answers.
    #[command(after_help = "\
Examples:
  cloudready principles
  cloudready principles P6
  cloudready principles hosting      # hosting options and rules
  cloudready principles strategies   # the strategy decision table and effort rules
  cloudready principles CAF --format markdown
  cloudready principles --format json > framework.json")]
    Principles(PrinciplesArgs),
    /// Print the JSON Schema of the inventory format, for editors that validate YAML.
    #[command(after_help = "\
Examples:
  cloudready schema > inventory.schema.json
  # then, as the first line of inventory.yaml:
  # yaml-language-server: $schema=inventory.schema.json")]
    Schema(SchemaArgs),
    /// Turn a CSV or JSON inventory (spreadsheet, CMDB export) into a tidy YAML inventory.
    #[command(after_help = "\
Examples:
  cloudready import cmdb-export.csv -o inventory.yaml
  cloudready import cmdb-export.csv --agency \"Department of Example Affairs\" -o inventory.yaml
  cloudready import inventory.json > inventory.yaml

CSV: one row per workload; the header names field paths (id,name,classification,current.hosting,…);
list cells are split on `;`; an empty cell is an unknown fact; optional agency.name,
agency.abbreviation and agency.as_of columns name the agency (else the file name does).")]
    Import(ImportArgs),
    /// Write a starter inventory.yaml, cloudready.toml and inventory.schema.json into DIR.
    #[command(after_help = "\
Examples:
  cloudready init
  cloudready init readiness --agency \"Department of Example Affairs\"
  cloudready assess readiness/inventory.yaml")]
    Init(InitArgs),
    /// Show how readiness changed between two inventories or two saved assessments.
    #[command(after_help = "\
Examples:
  cloudready diff inventory-2025.yaml inventory-2026.yaml
  cloudready diff old-assessment.json new-assessment.json --format markdown
  cloudready diff before.yaml after.yaml --format json -o change.json")]
    Diff(DiffArgs),
    /// Print a shell completion script.
    #[command(after_help = "\
Examples:
  cloudready completions bash > ~/.local/share/bash-completion/completions/cloudready
  cloudready completions zsh > ~/.zfunc/_cloudready
  cloudready completions fish > ~/.config/fish/completions/cloudready.fish")]
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    #[command(after_help = "\
Examples:
  cloudready man > cloudready.1 && man ./cloudready.1")]
    Man,
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Inventory files (YAML, JSON or CSV, by extension; `-` for standard input). Ids must be unique across them.
    #[arg(required = true, value_name = "INVENTORY")]
    pub inventories: Vec<PathBuf>,
    /// Refuse inputs larger than this many bytes (default 256 MiB).
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024)]
    pub max_input_size: u64,
}

impl InputArgs {
    fn load(&self) -> Result<Inventory> {
        let opts = LoadOptions {
            max_input_bytes: self.max_input_size,
            ..LoadOptions::default()
        };
        load::load_inventory(&self.inventories, &opts)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AssessFormat {
    Table,
    Json,
    Yaml,
    Csv,
    Markdown,
    /// An Excel workbook (Workloads, Criteria and Portfolio sheets); needs -o FILE.
    Xlsx,
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = AssessFormat::Table)]
    pub format: AssessFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite FILE even if cloudready did not write it.
    #[arg(long)]
    pub force: bool,
    /// A folder whose pack files replace the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub principles: Option<PathBuf>,
    /// Only these workloads (repeatable).
    #[arg(long, value_name = "ID")]
    pub workload: Vec<String>,
    /// Count "days until" from this date (YYYY-MM-DD) instead of the inventory's `agency.as_of`.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,
    /// A provider catalog (e.g. examples/providers.yaml): list the services each workload may use.
    #[arg(long, value_name = "FILE")]
    pub providers: Option<PathBuf>,
    /// Weights and waivers from this file (default: ./cloudready.toml when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrategyFormat {
    Markdown,
    Html,
    /// A Word document (the markdown draft's content, charts and marking); needs -o FILE.
    Docx,
}

#[derive(Debug, Args)]
pub struct StrategyArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Document format; by default taken from the -o file's extension (.html/.htm, .docx or .md), else markdown.
    #[arg(long, short, value_enum)]
    pub format: Option<StrategyFormat>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite FILE even if cloudready did not write it or it was edited since.
    #[arg(long)]
    pub force: bool,
    /// A provider catalog (e.g. examples/providers.yaml): list the services each workload may use.
    #[arg(long, value_name = "FILE")]
    pub providers: Option<PathBuf>,
    /// A folder whose templates replace the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// A folder whose pack files replace the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub principles: Option<PathBuf>,
    /// Print this date in the document and count "days until" from it (YYYY-MM-DD); without it
    /// the document carries no date and the same inventory gives the same bytes.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Sarif,
    Junit,
    Github,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Thresholds, weights and waivers from this file (default: ./cloudready.toml when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A strategy document (markdown or HTML) that must be complete and current (repeatable).
    #[arg(long, value_name = "DOC")]
    pub strategy: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite FILE even if cloudready did not write it.
    #[arg(long)]
    pub force: bool,
    /// A folder whose pack files replace the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub principles: Option<PathBuf>,
    /// Judge waiver expiry on this date (YYYY-MM-DD; default today) and count "days until" from
    /// it (default `agency.as_of`).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PrinciplesFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct PrinciplesArgs {
    /// A principle (P1..P7), CAF for the assessment framework, a criterion id such as P6.iac,
    /// `hosting` or `strategies` for the planning rules.
    pub id: Option<String>,
    #[arg(long, short, value_enum, default_value_t = PrinciplesFormat::Table)]
    pub format: PrinciplesFormat,
    /// A folder whose pack files replace the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub principles: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite FILE even if cloudready did not write it.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV or JSON inventory to convert.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite FILE even if it exists.
    #[arg(long)]
    pub force: bool,
    /// The agency's name (replaces any `agency.name` in the input).
    #[arg(long, value_name = "NAME")]
    pub agency: Option<String>,
    /// Refuse inputs larger than this many bytes (default 256 MiB).
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024)]
    pub max_input_size: u64,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to write into (created if missing).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// The agency's name for the starter inventory.
    #[arg(long, value_name = "NAME")]
    pub agency: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier inventory, or a saved `assess --format json` document.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later inventory, or a saved `assess --format json` document.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    #[arg(long, short, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite FILE even if cloudready did not write it.
    #[arg(long)]
    pub force: bool,
    /// A folder whose pack files replace the built-in ones (used for inventories on both sides).
    #[arg(long, value_name = "DIR")]
    pub principles: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

fn parse_date(s: &str) -> std::result::Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date; write YYYY-MM-DD"))
}

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

    fn notes(&self, inv: &Inventory) {
        if self.quiet {
            return;
        }
        let mut err = std::io::stderr().lock();
        for d in &inv.notes {
            let _ = err.write_all(d.render(&inv.sources, self.color_stderr).as_bytes());
        }
    }
}

impl Term {
    /// Warnings about the config that do not stop the run.
    fn config_notes(&self, config: &Config, inv: &Inventory) {
        if self.quiet {
            return;
        }
        let mut err = std::io::stderr().lock();
        for d in config.stray_waivers(inv.workloads.iter().map(|w| w.id.as_str())) {
            let _ = err.write_all(d.render(&config.sources, self.color_stderr).as_bytes());
        }
    }
}

/// Parses nothing, runs everything: returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let term = Term::new(cli.quiet, cli.color);
    let result = match &cli.command {
        Command::Assess(a) => assess(a, &term),
        Command::Strategy(a) => strategy(a, &term),
        Command::Validate(a) => validate(a, &term),
        Command::Check(a) => check(a, &term),
        Command::Principles(a) => principles(a),
        Command::Schema(a) => schema(a),
        Command::Import(a) => import(a, &term),
        Command::Init(a) => init(a, &term),
        Command::Diff(a) => diff(a, &term),
        Command::Completions(a) => {
            emit(None, &crate::shell::completions(a.shell), false, |_| false).map(|_| 0)
        }
        Command::Man => emit(None, &crate::shell::man(), false, |_| false).map(|_| 0),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = std::io::stderr().write_all(e.render(term.color_stderr).as_bytes());
            2
        }
    }
}

fn emit(
    out: Option<&PathBuf>,
    text: &str,
    force: bool,
    is_ours: impl Fn(&[u8]) -> bool,
) -> Result<()> {
    match out {
        Some(p) => output::write_atomic(p, text.as_bytes(), force, is_ours),
        None => {
            let mut so = std::io::stdout().lock();
            match so.write_all(text.as_bytes()).and_then(|_| so.flush()) {
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.map_err(|e| Error::io("<stdout>", &e)),
            }
        }
    }
}

fn assess(a: &AssessArgs, term: &Term) -> Result<i32> {
    let config = Config::discover(a.config.as_deref())?;
    let mut packs = Packs::load(a.principles.as_deref())?;
    config.apply(&mut packs)?;
    let inv = a.input.load()?;
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
    term.notes(&inv);
    term.config_notes(&config, &inv);
    let reference = a.date.or(inv.agency.as_of);
    let today = a.date.unwrap_or_else(Date::today);
    let waived = |w: &str, r: &str| config.waiver(w, r, today).is_some();
    let cx = Context {
        reference_date: reference,
        waived: &waived,
    };
    let rules = PlanRules::load(a.principles.as_deref())?;
    let catalog = match &a.providers {
        Some(p) => Some(Catalog::load(p, &rules.provider_kinds())?),
        None => None,
    };
    // Plan over every workload (waves need the whole graph), then show the ones asked for.
    // Totals only: the criteria are recomputed workload by workload as the output is written.
    let all = assessment::assess(&inv, &packs, &cx, &[], Detail::Totals);
    let opts = PlanOptions {
        reference,
        max_per_wave: (config.plan.max_per_wave as usize).max(1),
    };
    let plan = crate::plan::plan(&inv, &rules, catalog.as_ref(), &all, &opts);
    let scores: Vec<_> = all
        .into_iter()
        .filter(|s| a.workload.is_empty() || a.workload.contains(&s.workload.id))
        .collect();
    let mut doc = assessment::build(&inv, &packs, &scores, reference);
    drop(scores);
    assessment::attach_plan(&mut doc, &inv, plan);
    let format = match a.format {
        AssessFormat::Table => Format::Table,
        AssessFormat::Json => Format::Json,
        AssessFormat::Yaml => Format::Yaml,
        AssessFormat::Csv => Format::Csv,
        AssessFormat::Markdown => Format::Markdown,
        AssessFormat::Xlsx => {
            render::xlsx::write(&doc, &inv.sources, a.output.as_deref(), a.force)?;
            return Ok(0);
        }
    };
    let color = a.output.is_none() && term.color_stdout;
    if matches!(format, Format::Json | Format::Yaml) {
        // The machine formats can be far larger than the inventory: stream them.
        emit_streaming(
            a.output.as_ref(),
            a.force,
            |old| {
                let head = output::head(old, 4096);
                String::from_utf8_lossy(&head)
                    .lines()
                    .take(3)
                    .any(|l| l.contains(assessment::SCHEMA))
            },
            |w| render::render_to(&doc, format, false, w),
        )?;
        return Ok(0);
    }
    let text = render::render(&doc, format, color);
    let signature = signature(&text);
    emit(a.output.as_ref(), &text, a.force, |old| {
        let old = String::from_utf8_lossy(old);
        !signature.is_empty()
            && old
                .lines()
                .take(3)
                .collect::<Vec<_>>()
                .join("\n")
                .contains(&signature)
    })?;
    Ok(0)
}

/// [`emit`] for output written as it is produced: atomically into `out`, or to stdout.
fn emit_streaming(
    out: Option<&PathBuf>,
    force: bool,
    is_ours: impl Fn(&std::path::Path) -> bool,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match out {
        Some(p) => output::write_atomic_streaming(p, force, is_ours, fill),
        None => {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            match fill(&mut w).and_then(|_| w.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.map_err(|e| Error::io("<stdout>", &e)),
            }
        }
    }
}

/// A line near the top of every assessment output that identifies it as cloudready's own, so a
/// later run may replace it without `--force`.
fn signature(text: &str) -> String {
    let first = text.lines().take(3).find(|l| {
        l.contains(assessment::SCHEMA)
            || l.starts_with("id,name,classification,overall")
            || l.starts_with("# Cloud readiness:")
            || l.starts_with("│ Workload")
            || l.starts_with("┌")
    });
    match first {
        Some(l) if l.contains(assessment::SCHEMA) => assessment::SCHEMA.to_string(),
        Some(l) => l.chars().take(40).collect(),
        None => String::new(),
    }
}

fn strategy(a: &StrategyArgs, term: &Term) -> Result<i32> {
    use crate::render::strategy::{DocFormat, Evidence, Templates, context};
    let format = match (
        a.format,
        a.output
            .as_ref()
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str()),
    ) {
        (Some(StrategyFormat::Html), _) => DocFormat::Html,
        (Some(StrategyFormat::Markdown | StrategyFormat::Docx), _) => DocFormat::Markdown,
        (None, Some(e)) if e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm") => {
            DocFormat::Html
        }
        _ => DocFormat::Markdown,
    };
    // Word is drawn from the markdown draft (src/render/docx.rs).
    let docx = a.format == Some(StrategyFormat::Docx)
        || (a.format.is_none()
            && a.output
                .as_ref()
                .and_then(|p| p.extension())
                .is_some_and(|e| e.eq_ignore_ascii_case("docx")));
    if docx && a.output.is_none() {
        return Err(crate::render::office::needs_file("docx", "strategy.docx"));
    }
    // Compile templates and packs before reading the inventory: a broken template fails fast.
    let templates = Templates::load(a.templates.as_deref())?;
    // Shared with the templates' `criteria()` function for the length of the render.
    let packs = std::sync::Arc::new(Packs::load(a.principles.as_deref())?);
    let inv = std::sync::Arc::new(a.input.load()?);
    term.notes(&inv);
    let reference = a.date.or(inv.agency.as_of);
    let cx = Context {
        reference_date: reference,
        ..Context::default()
    };
    let scores = assessment::assess(&inv, &packs, &cx, &[], Detail::Totals);
    let rules = PlanRules::load(a.principles.as_deref())?;
    let catalog = match &a.providers {
        Some(p) => Some(Catalog::load(p, &rules.provider_kinds())?),
        None => None,
    };
    let opts = PlanOptions {
        reference,
        ..PlanOptions::default()
    };
    let plan = crate::plan::plan(&inv, &rules, catalog.as_ref(), &scores, &opts);
    let mut doc = assessment::build(&inv, &packs, &scores, reference);
    assessment::attach_plan(&mut doc, &inv, plan);
    let digest = crate::digest::inventory_digest(&inv.sources);
    let info = context::DocumentInfo {
        digest: &digest,
        date: a.date.map(|d| d.to_string()),
        format: format.name(),
    };
    drop(scores);
    let marking = crate::render::strategy::marking::marking(&doc);
    let ctx = context::build(doc, &packs, &info);
    let evidence = Evidence {
        inventory: std::sync::Arc::clone(&inv),
        packs: std::sync::Arc::clone(&packs),
        reference,
    };
    match &a.output {
        Some(path) if docx => {
            crate::render::docx::write_strategy(&templates, &ctx, evidence, marking, path, a.force)?
        }
        // Straight into the temporary file: a failure part-way leaves the old document whole.
        Some(path) => {
            let mut failure = None;
            let written = output::write_atomic_streaming(
                path,
                a.force,
                |old| crate::render::strategy::is_sealed(&std::fs::read(old).unwrap_or_default()),
                |w| {
                    templates.render_to(format, &ctx, evidence, w).map_err(|e| {
                        failure = Some(e);
                        std::io::Error::other("the document could not be rendered")
                    })
                },
            );
            match failure {
                Some(e) => Err(e),
                None => written,
            }?;
        }
        // Into memory first, so that a template error prints nothing but the error.
        None => {
            let text = templates.render(format, &ctx, evidence)?;
            emit(None, &text, false, |_| false)?;
        }
    }
    Ok(0)
}

fn validate(a: &ValidateArgs, term: &Term) -> Result<i32> {
    let inv = a.input.load()?;
    term.notes(&inv);
    if !term.quiet {
        let files = inv.sources.iter().count();
        let warnings = inv
            .notes
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        println!(
            "valid: {} workload{} in {} file{}{}",
            inv.workloads.len(),
            if inv.workloads.len() == 1 { "" } else { "s" },
            files,
            if files == 1 { "" } else { "s" },
            if warnings > 0 {
                format!(", {warnings} warning(s)")
            } else {
                String::new()
            }
        );
    }
    Ok(0)
}

fn principles(a: &PrinciplesArgs) -> Result<i32> {
    if let Some(which) = a.id.as_deref().and_then(crate::render::plan::Which::parse) {
        let rules = PlanRules::load(a.principles.as_deref())?;
        let text = crate::render::plan::render(&rules, which, a.format);
        emit(None, &text, false, |_| false)?;
        return Ok(0);
    }
    let packs = Packs::load(a.principles.as_deref())?;
    let text = crate::render::framework::render(&packs, a.id.as_deref(), a.format)?;
    emit(None, &text, false, |_| false)?;
    Ok(0)
}

fn check(a: &CheckArgs, term: &Term) -> Result<i32> {
    let config = Config::discover(a.config.as_deref())?;
    let mut packs = Packs::load(a.principles.as_deref())?;
    config.apply(&mut packs)?;
    let book = RuleBook::builtin()?;
    let inv = a.input.load()?;
    let mut documents = Vec::new();
    for d in &a.strategy {
        let shown = d.display().to_string();
        let text = std::fs::read_to_string(d).map_err(|e| Error::io(&shown, &e))?;
        documents.push((shown, text));
    }
    term.notes(&inv);
    term.config_notes(&config, &inv);
    let today = a.date.unwrap_or_else(Date::today);
    let waived = |w: &str, r: &str| config.waiver(w, r, today).is_some();
    let cx = Context {
        reference_date: a.date.or(inv.agency.as_of),
        waived: &waived,
    };
    let scores = assessment::assess(&inv, &packs, &cx, &[], Detail::Criteria);
    let inputs: Vec<String> = a
        .input
        .inventories
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let input = gate::Input {
        inventory: &inv,
        packs: &packs,
        config: &config,
        scores: &scores,
        today,
        documents: &documents,
        regenerate: format!(
            "cloudready strategy {} -o {{doc}} --force",
            inputs.join(" ")
        ),
    };
    let report = gate::run(&input, &book);
    let text = match a.format {
        CheckFormat::Text => gate::text::render(&report, a.output.is_none() && term.color_stdout),
        CheckFormat::Json => gate::json::render(&report),
        CheckFormat::Sarif => gate::sarif::render(&report),
        CheckFormat::Junit => gate::junit::render(&report),
        CheckFormat::Github => gate::github::render(&report),
    };
    emit(a.output.as_ref(), &text, a.force, gate::is_report)?;
    if a.output.is_some() && !term.quiet {
        eprintln!("{}", report.summary());
    }
    Ok(if report.passed() { 0 } else { 1 })
}

fn schema(a: &SchemaArgs) -> Result<i32> {
    let text = crate::schema::render();
    emit(a.output.as_ref(), &text, a.force, |old| {
        String::from_utf8_lossy(old).contains("\"title\": \"cloudready inventory")
    })?;
    Ok(0)
}

fn import(a: &ImportArgs, term: &Term) -> Result<i32> {
    let opts = LoadOptions {
        max_input_bytes: a.max_input_size,
        ..LoadOptions::default()
    };
    let mut inv = load::load_inventory(std::slice::from_ref(&a.file), &opts)?;
    if let Some(name) = &a.agency {
        if name.trim().is_empty() {
            return Err(Error::Usage("--agency needs a name".into()));
        }
        inv.agency.name = name.trim().to_string();
        // The file-name fallback note no longer applies.
        inv.notes.retain(|d| !d.message.contains("names no agency"));
    }
    term.notes(&inv);
    let text = crate::import::to_yaml(&inv);
    // An inventory is the user's own data: replaced only with --force.
    emit(a.output.as_ref(), &text, a.force, |_| false)?;
    if !term.quiet
        && let Some(p) = &a.output
    {
        eprintln!(
            "wrote {} workload{} to {}",
            inv.workloads.len(),
            if inv.workloads.len() == 1 { "" } else { "s" },
            p.display()
        );
    }
    Ok(0)
}

fn init(a: &InitArgs, term: &Term) -> Result<i32> {
    let written = crate::init::run(&a.dir, a.agency.as_deref())?;
    if !term.quiet {
        for p in &written {
            eprintln!("wrote {p}");
        }
        let inv = a.dir.join("inventory.yaml");
        eprintln!(
            "next: edit {}, then run `cloudready assess {}`",
            inv.display(),
            inv.display()
        );
    }
    Ok(0)
}

fn diff(a: &DiffArgs, _term: &Term) -> Result<i32> {
    let opts = LoadOptions::default();
    let old = crate::diff::read_side(&a.old, a.principles.as_deref(), &opts)?;
    let new = crate::diff::read_side(&a.new, a.principles.as_deref(), &opts)?;
    let d = crate::diff::compare(
        &a.old.display().to_string(),
        &old,
        &a.new.display().to_string(),
        &new,
    );
    let text = match a.format {
        DiffFormat::Text => crate::diff::render_text(&d),
        DiffFormat::Json => crate::diff::render_json(&d),
        DiffFormat::Markdown => crate::diff::render_markdown(&d),
    };
    emit(a.output.as_ref(), &text, a.force, |old| {
        let old = String::from_utf8_lossy(old);
        let head: String = old.lines().take(3).collect::<Vec<_>>().join("\n");
        head.contains("cloudready-diff/v1") || head.contains("Readiness change:")
    })?;
    Ok(0)
}
