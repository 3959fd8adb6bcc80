//! What can be typed: the clap definitions of every subcommand and the argument groups they
//! share. Each runner is in its own file beside this one (`assess.rs`, `check.rs`, ...).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diff::DiffFormat;
use crate::inventory::Date;
use crate::render::Format;
use crate::render::framework::PrinciplesFormat;
use crate::render::strategy::DocFormat;
use crate::report::ReportFormat;

// Examples are one command a line, each short enough for an 80-column terminal, with any
// explanation on a `#` line of its own: clap wraps long lines, and a wrapped example reads as
// two commands. tests/it/help.rs holds every example to this.
const EXAMPLES: &str = "\
Examples:
  cloudready assess examples/inventory.yaml
  cloudready assess inventory.yaml --format json -o assessment.json
  cloudready assess corporate.yaml citizen.yaml --workload payroll
  cloudready validate inventory.yaml
  cloudready check inventory.yaml --format sarif -o cloudready.sarif
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
On a terminal the table is fitted to its width; --wide, a pipe or -o get every column.

Examples:
  cloudready assess examples/inventory.yaml
  cloudready assess inventory.yaml --format json -o assessment.json
  cloudready assess inventory.yaml --format markdown --workload payroll
  # the agency's own criteria and weights:
  cloudready assess inventory.yaml --principles my-packs/")]
    Assess(AssessArgs),
    /// Draft the agency's cloud strategy (markdown, a self-contained HTML report or a Word document).
    #[command(after_help = "\
Examples:
  cloudready strategy examples/inventory.yaml -o strategy.html
  cloudready strategy inventory.yaml --format markdown -o strategy.md
  # the agency's own templates:
  cloudready strategy inventory.yaml --templates my-templates/ -o strategy.md
  # a date printed in the draft:
  cloudready strategy inventory.yaml -o strategy.html --date 2026-11-23")]
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
  cloudready check inventory.yaml --config ci/cloudready.toml
  cloudready check inventory.yaml --strategy docs/strategy.md
  cloudready check inventory.yaml --format sarif -o cloudready.sarif
  cloudready check inventory.yaml --format junit -o cloudready-junit.xml
  # annotations in a GitHub Actions log:
  cloudready check inventory.yaml --format github")]
    Check(CheckArgs),
    /// Show the framework: principles, criteria, weights and answers.
    #[command(after_help = "\
Examples:
  cloudready principles
  cloudready principles P6
  # hosting options and rules; the strategy decision table and effort rules:
  cloudready principles hosting
  cloudready principles strategies
  cloudready principles CAF --format markdown
  cloudready principles --format json > framework.json
  cloudready principles --trace      # criterion, source, fields read")]
    Principles(PrinciplesArgs),
    /// Print the JSON Schema of the inventory format, for editors that validate YAML.
    #[command(after_help = "\
Examples:
  cloudready schema > inventory.schema.json
  # then, as the first line of inventory.yaml:
  # yaml-language-server: $schema=inventory.schema.json")]
    Schema(SchemaArgs),
    /// Turn an export (RVTools, Azure Migrate, AWS Migration Hub, ServiceNow, Konveyor) or a CSV or JSON inventory into a tidy YAML inventory.
    #[command(after_help = "\
Exports are recognised by their headers (--from NAME to say which): one workload per machine or
application, or per --group-by value. Classification is never inferred: every imported workload
lists, as comments, the facts a person must supply.
CSV inventories: one row per workload; the header names field paths (id,name,classification,...);
list cells are split on `;`; an empty cell is an unknown fact; optional agency.name,
agency.abbreviation and agency.as_of columns name the agency (else the file name does).

Examples:
  cloudready import RVTools.xlsx --hosting on-premises -o inventory.yaml
  cloudready import RVTools.xlsx --group-by Folder -o inventory.yaml
  cloudready import AzureMigrate.xlsx --sheet Discovery_Report -o inventory.yaml
  cloudready import cmdb-export.csv -o inventory.yaml
  cloudready import cmdb-export.csv --agency \"Example Affairs\" -o inventory.yaml
  cloudready import inventory.json > inventory.yaml")]
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
  # bash, then `source ~/.cloudready.bash` from ~/.bashrc:
  cloudready completions bash > ~/.cloudready.bash
  cloudready completions zsh > ~/.zfunc/_cloudready
  cloudready completions fish > ~/.config/fish/completions/cloudready.fish")]
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write a page per subcommand into a folder.
    #[command(after_help = "\
Examples:
  cloudready man > cloudready.1 && man ./cloudready.1
  # cloudready.1, cloudready-assess.1, ... for MANPATH:
  cloudready man --dir ~/.local/share/man/man1")]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Inventory files (YAML, JSON, CSV, or an .xlsx/.ods spreadsheet, by extension; `-` for standard input). Ids must be unique across them.
    #[arg(required = true, value_name = "INVENTORY")]
    pub inventories: Vec<PathBuf>,
    /// Refuse inputs larger than this many bytes (default 256 MiB).
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024)]
    pub max_input_size: u64,
}

/// Where a command writes: standard output, or a file written atomically.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write to this file (atomically: a temporary file, then renamed) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite FILE even if cloudready did not write it (or it was edited since).
    #[arg(long)]
    pub force: bool,
}

/// The settings every pipeline command reads: the same flags, the same defaults.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Weights, thresholds, waivers and planning limits from this file (default: $CLOUDREADY_CONFIG, else ./cloudready.toml when present).
    #[arg(long, value_name = "FILE", env = "CLOUDREADY_CONFIG")]
    pub config: Option<PathBuf>,
    /// A folder whose pack and planning-rule files replace the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub principles: Option<PathBuf>,
    /// A provider catalog (e.g. examples/providers.yaml): list the services each workload may use.
    #[arg(long, value_name = "FILE")]
    pub providers: Option<PathBuf>,
    /// Judge waivers on this date and count "days until" from it (YYYY-MM-DD; default: waivers
    /// today, days from the inventory's `agency.as_of`). `strategy` also prints it in the draft.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,
}

impl SettingsArgs {
    pub fn options(&self) -> crate::pipeline::Options<'_> {
        crate::pipeline::Options {
            config: self.config.as_deref(),
            principles: self.principles.as_deref(),
            providers: self.providers.as_deref(),
            date: self.date,
        }
    }
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format: a table for people (fitted to a terminal), json or yaml with every
    /// criterion's evidence, csv for spreadsheets, markdown for a wiki, xlsx (with -o) for Excel.
    /// Default: from the -o file's extension, else table.
    #[arg(long, short, value_enum)]
    pub format: Option<Format>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Only these workloads (repeatable); planning still sees the whole inventory.
    #[arg(long, value_name = "ID")]
    pub workload: Vec<String>,
    /// A releasable version: assess and plan as if every workload classified above LEVEL
    /// (OFFICIAL, "OFFICIAL: Sensitive" or official-sensitive, PROTECTED, SECRET, "TOP SECRET"
    /// or top-secret) were not in the inventory.
    #[arg(long, value_name = "LEVEL", value_parser = parse_classification)]
    pub max_classification: Option<usize>,
    /// Show every column of the table, however wide the terminal (a pipe or file always gets
    /// every column).
    #[arg(long)]
    pub wide: bool,
}

#[derive(Debug, Args)]
pub struct StrategyArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Document format; by default taken from the -o file's extension (.html/.htm, .docx or .md), else markdown.
    #[arg(long, short, value_enum)]
    pub format: Option<DocFormat>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// A folder whose templates replace the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Also write the annex, system by system (risk tables, hosting, migration, milestones,
    /// cards, method note), as markdown, HTML or Word by its extension; the paper names it.
    #[arg(long, value_name = "FILE")]
    pub annex: Option<PathBuf>,
    /// Write a releasable version: built as if every workload classified above LEVEL (OFFICIAL,
    /// "OFFICIAL: Sensitive" or official-sensitive, PROTECTED, SECRET, "TOP SECRET" or
    /// top-secret) were not in the inventory; the `[strategy]` text goes in as written.
    #[arg(long, value_name = "LEVEL", value_parser = parse_classification)]
    pub max_classification: Option<usize>,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// A PSPF classification on the command line, as an index into `CLASSIFICATIONS`.
fn parse_classification(s: &str) -> Result<usize, String> {
    crate::render::strategy::adopt::classification_index(s).ok_or_else(|| {
        format!(
            "`{s}` is not a PSPF classification; use one of UNOFFICIAL, OFFICIAL, official-sensitive, PROTECTED, SECRET, top-secret"
        )
    })
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// A strategy document (markdown or HTML) that must be complete and current (repeatable).
    #[arg(long, value_name = "DOC")]
    pub strategy: Vec<PathBuf>,
    /// Report format: text for people, json, sarif for code scanning, junit for test reports,
    /// github for annotations in a GitHub Actions log, gitlab for GitLab Code Quality. Default:
    /// from the -o file's extension (.sarif, .xml, .json), else text.
    #[arg(long, short, value_enum, env = "CLOUDREADY_FORMAT")]
    pub format: Option<ReportFormat>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Exit 0 even when findings fail the check (they are still reported); bad input still
    /// exits 2.
    #[arg(long)]
    pub soft_fail: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Report format: `text` prints problems with snippets on standard error; the others write a
    /// report (JSON, SARIF for code scanning, JUnit, GitHub annotations, GitLab Code Quality) to
    /// standard output or -o. Default: from the -o file's extension, else text.
    #[arg(long, short, value_enum, env = "CLOUDREADY_FORMAT")]
    pub format: Option<ReportFormat>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct PrinciplesArgs {
    /// A principle (P1..P7), CAF for the assessment framework, a criterion id such as P6.iac,
    /// `hosting` or `strategies` for the planning rules.
    pub id: Option<String>,
    /// Output format: a table for people, markdown for a wiki, json for tools.
    #[arg(long, short, value_enum, default_value_t = PrinciplesFormat::Table)]
    pub format: PrinciplesFormat,
    /// A folder whose pack files replace the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub principles: Option<PathBuf>,
    /// Trace each criterion to its source and the inventory fields it reads.
    #[arg(long)]
    pub trace: bool,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The export or inventory to convert: CSV, JSON, or an .xlsx/.ods workbook (RVTools, Azure Migrate, AWS Migration Hub, ServiceNow and Konveyor exports are recognised by their headers).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Read the file as this source's export instead of recognising it: rvtools, azure-migrate, azure-migrate-csv, aws-migration-hub, servicenow-business-app, servicenow-server, konveyor.
    #[arg(long, value_name = "NAME")]
    pub from: Option<String>,
    /// Read this sheet of a workbook (any case) instead of the one whose header is recognised.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Read the export with this mapping file instead of a built-in one (same format as import/rvtools.yaml).
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Merge the machines that share a value of this column (an annotation, folder, resource pool, custom attribute, or AWS `Applications`) into one workload each.
    #[arg(long, value_name = "COLUMN")]
    pub group_by: Option<String>,
    /// Where the imported machines run today (an export cannot tell): sets `current.hosting`.
    #[arg(long, value_name = "HOSTING", value_parser = clap::builder::PossibleValuesParser::new(crate::inventory::HOSTING))]
    pub hosting: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
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

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier inventory, or a saved `assess --format json` document.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later inventory, or a saved `assess --format json` document.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Output format: text for people, json for tools, markdown for a wiki or pull request.
    /// Default: from the -o file's extension, else text.
    #[arg(long, short, value_enum)]
    pub format: Option<DiffFormat>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// The settings inventories on either side are assessed and planned with.
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Refuse inputs larger than this many bytes (default 256 MiB).
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024)]
    pub max_input_size: u64,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write cloudready.1 and one page per subcommand (cloudready-assess.1, ...) into this
    /// folder (created if missing) instead of printing the top page.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Overwrite pages in DIR that cloudready did not write.
    #[arg(long, requires = "dir")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn parse_date(s: &str) -> std::result::Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date; write YYYY-MM-DD"))
}
