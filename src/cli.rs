//! Command-line flags as clap types, and nothing else: no I/O, no logic.
//! They are resolved once into a [`Context`](crate::context::Context).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::{ArgValueCandidates, ArgValueCompleter};

use crate::complete;

/// Track a company's implementation roadmap and KPIs over plain YAML files.
///
/// The roadmap lives in a `roadmap/` folder (found from the current folder
/// upward, or given with --dir or ROADMAP_DIR).
#[derive(Debug, Parser)]
#[command(
    name = "roadmap",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(after_help = "Exit codes: 0 ok, 1 a check found a problem, 2 error or bad input.")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The roadmap folder [default: the nearest `roadmap/` from here upward]
    #[arg(long, global = true, env = "ROADMAP_DIR", value_name = "PATH")]
    pub dir: Option<PathBuf>,
    /// Evaluate as of this date (YYYY-MM-DD) [default: today]
    #[arg(long, global = true, env = "ROADMAP_AS_OF", value_name = "DATE")]
    pub as_of: Option<String>,
    /// When to colour the output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// How long to wait for another roadmap command that is writing to
    /// the same folder before giving up, in seconds
    #[arg(long, global = true, default_value_t = 60, value_name = "SECONDS")]
    pub wait: u64,
    /// Print nothing on standard output: the exit code says how it went
    /// (for CI). Errors, and `check`'s annotations, still go to stderr
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

/// The output format of a report.
#[derive(Debug, Clone, Copy, Args)]
pub struct Output {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table, value_name = "FORMAT")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set
    Auto,
    /// Colour, even into a pipe or file
    Always,
    /// No colour
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for a terminal
    Table,
    /// Stable JSON for programs (see the README for the schema)
    Json,
    /// GitHub-flavoured Markdown (e.g. for $GITHUB_STEP_SUMMARY)
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Where the plan stands: month, phase, items done and overdue, gates
    Status(StatusArgs),
    /// List items, filtered by phase, track, area or state
    Items(ItemsArgs),
    /// Check every file of the roadmap and report every problem
    Validate(ValidateArgs),
    /// Mark items done (sets `done: DATE` in place, nothing else changes)
    Done {
        /// Item ids (see `roadmap items`)
        #[arg(required = true, value_name = "ID", add = ArgValueCandidates::new(complete::open_items))]
        ids: Vec<String>,
        /// The date it was done [default: the as-of date]
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// Mark items open again (removes their `done` line)
    Reopen {
        /// Item ids
        #[arg(required = true, value_name = "ID", add = ArgValueCandidates::new(complete::done_items))]
        ids: Vec<String>,
    },
    /// The items that can be started now, most urgent first: by deadline,
    /// then by how much work each one frees
    Next(NextArgs),
    /// Mark work on items begun (sets `started: DATE` in place)
    Start {
        /// Item ids
        #[arg(required = true, value_name = "ID", add = ArgValueCandidates::new(complete::open_items))]
        ids: Vec<String>,
        /// The day work began [default: the as-of date]
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// Mark items blocked, saying why (sets `blocked: REASON` in place)
    Block {
        /// Item ids
        #[arg(required = true, value_name = "ID", add = ArgValueCandidates::new(complete::open_items))]
        ids: Vec<String>,
        /// What is in the way, in a few words
        #[arg(long, required = true, value_name = "TEXT")]
        reason: String,
    },
    /// Mark items no longer blocked (removes their `blocked` line)
    Unblock {
        /// Item ids
        #[arg(required = true, value_name = "ID", add = ArgValueCandidates::new(complete::blocked_items))]
        ids: Vec<String>,
    },
    /// Give items an owner (sets `owner: NAME` in place)
    Assign {
        /// Item ids
        #[arg(required = true, value_name = "ID", add = ArgValueCandidates::new(complete::open_items))]
        ids: Vec<String>,
        /// A person or team (one of `people:` when the plan lists them)
        #[arg(long, required = true, value_name = "NAME", add = ArgValueCandidates::new(complete::owners))]
        owner: String,
    },
    /// Add an item to a period of a track, in the file that holds the
    /// track, written in that file's style
    Add(AddArgs),
    /// KPI targets: actual against wanted, trend and projection
    Kpis(KpisArgs),
    /// The plan's dashboards: each panel's metrics with their latest value,
    /// change over the dashboard's cadence, trend, target and freshness
    Dashboard(DashboardArgs),
    /// Evaluate due phase gates and alerts; exit 1 if a gate fails or a
    /// critical alert fires (for CI)
    Check(CheckArgs),
    /// Alerts that fire on the recorded values, with their actions
    Alerts(AlertsArgs),
    /// The contingency plan: risks, mitigations, and which are active
    Risks(RisksArgs),
    /// What changed over a period (items done, KPIs, gates, alerts, risks)
    /// and what is due next: a weekly or monthly update
    Update(UpdateArgs),
    /// Run rule tests: metric histories with the alerts and gate verdicts
    /// they must produce
    Test(TestArgs),
    /// Store metric values from snapshot files (YAML, JSON or CSV)
    Ingest(IngestArgs),
    /// Record metric values by hand: `roadmap record cac=140 revenue=12K`
    Record(RecordArgs),
    /// Phases and items in time, with their states: a text chart, or a
    /// Mermaid Gantt chart to paste into a README or pull request
    Timeline(TimelineArgs),
    /// What changed in the plan between two git revisions (default second
    /// revision: the working tree)
    Diff(DiffArgs),
    /// Write the plan as one self-contained HTML page to share: phases,
    /// KPI charts, burn-up, timeline, alerts and risks
    Report(ReportArgs),
    /// Many teams' roadmaps in one view: one row per plan, with a total
    /// (`portfolio check`: one gate for CI over them all)
    Portfolio(PortfolioArgs),
    /// Start a plan: write a commented starter plan into a new folder
    Init(InitArgs),
    /// Print the JSON Schema of a kind of roadmap file (for editors and
    /// validators)
    Schema {
        /// The kind of file
        #[arg(value_enum, value_name = "KIND")]
        kind: SchemaKind,
    },
    /// Print the shell's completion script, which completes ids from the
    /// plan too (the same as `COMPLETE=SHELL roadmap`; see the README)
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff: view it with `roadmap man | man -l -`
    Man,
}

/// Filters shared by the commands that list items.
#[derive(Debug, Clone, Args, Default)]
pub struct Filter {
    /// Only this phase (its id, e.g. `f2`)
    #[arg(long, value_name = "ID", add = ArgValueCandidates::new(complete::phases))]
    pub phase: Option<String>,
    /// Only this track (its id, e.g. `saas`)
    #[arg(long, value_name = "ID", add = ArgValueCandidates::new(complete::tracks))]
    pub track: Option<String>,
    /// Only items of this area (e.g. `Marketing`; case-insensitive)
    #[arg(long, value_name = "AREA", add = ArgValueCandidates::new(complete::areas))]
    pub area: Option<String>,
    /// Only items this person or team owns (case-insensitive)
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(complete::owners))]
    pub owner: Option<String>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub filter: Filter,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Validate the roadmap as it is staged in git (what `git commit` would
    /// record), not the working tree: for a pre-commit hook
    #[arg(long)]
    pub staged: bool,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct ItemsArgs {
    #[command(flatten)]
    pub filter: Filter,
    /// Only items not done yet
    #[arg(long, group = "state")]
    pub open: bool,
    /// Only items done
    #[arg(long, group = "state")]
    pub done: bool,
    /// Only items past their deadline and not done (blocked or not)
    #[arg(long, group = "state")]
    pub overdue: bool,
    /// Only items in these states: done, blocked, overdue, started,
    /// waiting, ready, upcoming (comma-separated, or the flag repeated)
    #[arg(long = "state", group = "state", value_name = "STATE", value_delimiter = ',', add = ArgValueCandidates::new(complete::states))]
    pub states: Vec<String>,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct NextArgs {
    #[command(flatten)]
    pub filter: Filter,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct KpisArgs {
    /// Only this phase's gate targets (its id, e.g. `f1`) [default: the
    /// current phase's, then the standing targets]
    #[arg(long, value_name = "ID", add = ArgValueCandidates::new(complete::phases))]
    pub phase: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Evaluate this phase's gate, due or not [default: every due gate]
    #[arg(long, value_name = "ID", add = ArgValueCandidates::new(complete::phases))]
    pub phase: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Critical,
    Opportunity,
}

#[derive(Debug, Args)]
pub struct AlertsArgs {
    /// Only alerts of this severity
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub severity: Option<SeverityArg>,
    /// Take the actions of the alerts that fire: run their `run:` commands
    /// and post their `notify:` webhooks, once per firing episode, each
    /// attempt logged in actions.csv; exit 1 if one fails
    #[arg(long)]
    pub act: bool,
    /// With --act: show what would run, and run and write nothing
    #[arg(long, requires = "act")]
    pub dry_run: bool,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct RisksArgs {
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The HTML file to write (replaced atomically), or `-` for standard
    /// output
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The track to add the item to
    #[arg(value_name = "TRACK", add = ArgValueCandidates::new(complete::tracks))]
    pub track: String,
    /// What is to be done, in a few words
    #[arg(value_name = "TITLE")]
    pub title: String,
    /// The area the item belongs to (e.g. `Legal`)
    #[arg(long, required = true, value_name = "AREA", add = ArgValueCandidates::new(complete::areas))]
    pub area: String,
    /// The months of the track's period to add it to, as that period writes
    /// them (`4-6`, or `3` for one month)
    #[arg(long, required = true, value_name = "A-B")]
    pub months: String,
    /// The item's id [default: the track's id and the title's words, e.g.
    /// `shop-new-oven`]
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// Items it waits on, comma-separated
    #[arg(long, value_name = "IDS", value_delimiter = ',', add = ArgValueCandidates::new(complete::open_items))]
    pub after: Vec<String>,
    /// A person or team (one of `people:` when the plan lists them)
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(complete::owners))]
    pub owner: Option<String>,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Rule test files [default: every `*.yaml` in the roadmap's `tests/`
    /// folder]
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub output: Output,
}

impl Command {
    /// Whether the command changes files (so its errors say nothing was).
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Command::Done { .. }
                | Command::Reopen { .. }
                | Command::Start { .. }
                | Command::Block { .. }
                | Command::Unblock { .. }
                | Command::Assign { .. }
                | Command::Add(_)
                | Command::Ingest(_)
                | Command::Record(_)
                | Command::Init(_)
                | Command::Alerts(AlertsArgs {
                    act: true,
                    dry_run: false,
                    ..
                })
        )
    }

    /// The report format a command was asked for (table when it prints no
    /// report).
    pub fn format(&self) -> Format {
        match self {
            Command::Status(a) => a.output.format,
            Command::Items(a) => a.output.format,
            Command::Next(a) => a.output.format,
            Command::Validate(a) => a.output.format,
            Command::Kpis(a) => a.output.format,
            Command::Dashboard(a) => a.output.format,
            Command::Check(a) => a.output.format,
            Command::Alerts(a) => a.output.format,
            Command::Risks(a) => a.output.format,
            Command::Test(a) => a.output.format,
            Command::Update(a) => a.output.format,
            Command::Timeline(a) => a.format.report(),
            Command::Diff(a) => a.output.format,
            Command::Portfolio(a) => match &a.check {
                Some(PortfolioCommand::Check(c)) => c.output.format,
                None => a.output.format,
            },
            _ => Format::Table,
        }
    }
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the plan in (it may exist if it holds no plan)
    /// [default: `roadmap` in the current folder]
    #[arg(value_name = "DIR")]
    pub folder: Option<PathBuf>,
    /// What to start from
    #[arg(long, value_enum, default_value_t = TemplateArg::Blank, value_name = "TEMPLATE")]
    pub template: TemplateArg,
}

/// The starter plans of `roadmap init`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateArg {
    /// One phase, one track, one item and one KPI target, each key explained
    Blank,
    /// A bakery opening a second shop: small, commented, every file kind
    Bakery,
    /// The bundled 24-month plan for three AI products (in Spanish), with
    /// its rule tests
    AiProducts,
}

/// The kinds of YAML file in a roadmap folder, each with its JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// roadmap.yaml
    Roadmap,
    /// A track file listed in roadmap.yaml's `include:`
    Tracks,
    /// kpis.yaml
    Kpis,
    /// alerts.yaml
    Alerts,
    /// risks.yaml
    Risks,
    /// A rule test file in tests/
    Tests,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Yaml,
    Json,
    Csv,
}

/// How values are stored, shared by `ingest` and `record`.
#[derive(Debug, Clone, Copy, Args)]
pub struct StoreArgs {
    /// Overwrite values already recorded for the same metric and date
    #[arg(long)]
    pub replace: bool,
    /// Show what would change, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Snapshot files, or `-` for standard input
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Input format [default: from each file's extension; required for `-`]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<InputFormat>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Values as METRIC=VALUE, in the metric's unit (`cac=140`,
    /// `revenue=12K`, `nps=4.6/5`). Dollars need no `$`; if you write one,
    /// single-quote the argument (`'cac=$140'`): the shell expands `$1`
    #[arg(required = true, value_name = "METRIC=VALUE", add = ArgValueCompleter::new(complete::metric_values))]
    pub values: Vec<String>,
    /// The date the values are for [default: the as-of date]
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The day before the period: the update covers the days after it, up
    /// to and including the as-of date [default: 7 days before the as-of
    /// date]
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct DashboardArgs {
    /// Only this dashboard (its id, e.g. `principales`) [default: all]
    #[arg(value_name = "ID", conflicts_with = "cadence", add = ArgValueCandidates::new(complete::dashboards))]
    pub id: Option<String>,
    /// Only the dashboards updated at this cadence
    #[arg(long, value_enum, value_name = "CADENCE")]
    pub cadence: Option<CadenceArg>,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CadenceArg {
    Daily,
    Weekly,
    Monthly,
}

/// The output formats of `roadmap timeline`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    /// A text chart for a terminal
    Table,
    /// A Mermaid `gantt` chart (for a `.mmd` file or the Mermaid tools)
    Mermaid,
    /// The Mermaid chart in a ```mermaid fence, for a README or pull request
    Markdown,
    /// Stable JSON for programs (see the README for the schema)
    Json,
}

impl TimelineFormat {
    /// The report format this stands for in the context: Mermaid text, like
    /// Markdown, is read by programs and browsers, so never coloured.
    pub fn report(self) -> Format {
        match self {
            TimelineFormat::Table => Format::Table,
            TimelineFormat::Json => Format::Json,
            TimelineFormat::Mermaid | TimelineFormat::Markdown => Format::Markdown,
        }
    }
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub filter: Filter,
    /// Output format
    #[arg(long, value_enum, default_value_t = TimelineFormat::Table, value_name = "FORMAT")]
    pub format: TimelineFormat,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier revision (a commit, branch or tag: `HEAD~3`, `main`,
    /// `v1.0`)
    #[arg(value_name = "REV1")]
    pub from: String,
    /// The later revision [default: the working tree, uncommitted changes
    /// included]
    #[arg(value_name = "REV2")]
    pub to: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

/// Which plans a portfolio holds.
#[derive(Debug, Clone, Args)]
pub struct Members {
    /// Member plans: a roadmap folder, or a folder holding `roadmap/`
    /// [default: those of `portfolio.yaml` here, else the plan found as
    /// for any command]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// A portfolio file: `name:`, `members:` (paths relative to it, or
    /// globs such as `teams/*/roadmap`) and company `kpis:`
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct PortfolioArgs {
    #[command(subcommand)]
    pub check: Option<PortfolioCommand>,
    #[command(flatten)]
    pub members: Members,
    #[command(flatten)]
    pub output: Output,
    /// Write the portfolio as one self-contained HTML page, as `roadmap
    /// report` writes a plan's, to `--out`
    #[arg(long, requires = "out", conflicts_with = "format")]
    pub report: bool,
    /// The HTML file to write (replaced atomically), or `-` for standard
    /// output
    #[arg(long, value_name = "FILE", requires = "report")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum PortfolioCommand {
    /// Exit 1 when a member's due gate fails, a critical alert fires or a
    /// company KPI misses its target (for CI)
    Check(PortfolioCheckArgs),
}

#[derive(Debug, Args)]
pub struct PortfolioCheckArgs {
    #[command(flatten)]
    pub members: Members,
    #[command(flatten)]
    pub output: Output,
}
