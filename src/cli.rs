//! Command-line arguments (clap definitions only). `main` turns them into a
//! [`crate::session::Plan`]; nothing else sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Exit codes, shown in `--help`.
pub const EXIT_CODES: &str = "Exit codes:
  0  every verdict passed (or is only manual/inconclusive)
  1  at least one rule failed, or a step could not be done
  2  usage or scenario-file error (nothing ran)
  3  device or infrastructure error (adb, device offline, OCR missing, interrupted)";

/// Tests how Android apps and mini programs behave around personal-data
/// consent, against Section 7 of T/NIFA 33-2025.
#[derive(Debug, Parser)]
#[command(name = "consentry", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenario files (or folders of them) on a device.
    #[command(after_help = EXIT_CODES)]
    Run(RunArgs),
    /// Run the bundled example scenarios on the built-in simulated device.
    #[command(after_help = EXIT_CODES)]
    Demo(DemoArgs),
    /// Check scenario files without running them.
    Check {
        /// Scenario files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// List the Section 7 rules and which this version checks.
    Rules,
}

/// Options shared by `run` and `demo`.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Folder for report.json and the frames.
    #[arg(long, short, default_value = "out")]
    pub out: PathBuf,
    /// Scenarios run at once (each on its own simulated device; OCR uses one core each).
    #[arg(long, short, default_value_t = default_jobs())]
    pub jobs: usize,
    /// Write annotated copies of every frame (default: the frames verdicts cite).
    #[arg(long)]
    pub annotate_all: bool,
    /// No progress display.
    #[arg(long, short)]
    pub quiet: bool,
}

fn default_jobs() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4)
}

/// `consentry run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files, or folders holding *.yaml scenario files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The device: `sim` for the built-in simulated device.
    #[arg(long, short, default_value = "sim")]
    pub device: String,
    /// An app model file to install on the simulated device (repeatable).
    #[arg(long = "sim-app")]
    pub sim_apps: Vec<PathBuf>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `consentry demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}
