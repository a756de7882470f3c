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
    /// The simulated device.
    #[command(subcommand)]
    Sim(SimCommand),
    /// List the devices an adb server knows.
    Devices {
        /// The adb server (default: ADB_SERVER_SOCKET, ANDROID_ADB_SERVER_PORT, or 127.0.0.1:5037).
        #[arg(long)]
        adb_server: Option<String>,
    },
}

/// `consentry sim …`.
#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve the simulated device as an adbd on 127.0.0.1, for the real adb server (`adb connect 127.0.0.1:PORT`).
    Serve(ServeArgs),
}

/// `consentry sim serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// TCP port on 127.0.0.1 (0: any free port; the chosen one is printed).
    #[arg(long, default_value_t = 5555)]
    pub port: u16,
    /// App model files to install besides the bundled examples.
    #[arg(long = "app")]
    pub apps: Vec<PathBuf>,
    /// Device latency per command kind, e.g. `screencap=300ms,hierarchy=1s,other=20ms`.
    #[arg(long)]
    pub latency: Option<String>,
    /// Fault injection: drop the connection and exit after this many commands.
    #[arg(long)]
    pub drop_after: Option<usize>,
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
    /// The device: `sim` for the built-in simulated device, or an adb serial
    /// (`emulator-5554`, `127.0.0.1:5555`, a phone's serial).
    #[arg(long, short, default_value = "sim")]
    pub device: String,
    /// The adb server for adb devices (default: ADB_SERVER_SOCKET, ANDROID_ADB_SERVER_PORT, or 127.0.0.1:5037).
    #[arg(long)]
    pub adb_server: Option<String>,
    /// How adb devices take screenshots: `png` (`screencap -p`) or `raw`
    /// (pixels, encoded here: less work for a slow device).
    #[arg(long, default_value = "png", value_parser = ["png", "raw"])]
    pub screencap: String,
    /// Seconds each device command may take before the device counts as lost.
    #[arg(long, default_value_t = 30)]
    pub command_timeout: u64,
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

/// Parses `300ms`, `1.5s`, `2s`, `1m` (a bare number is seconds).
pub fn parse_duration(s: &str) -> Option<std::time::Duration> {
    let s = s.trim();
    let (num, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60.0)
    } else {
        (s, 1.0)
    };
    let v: f64 = num.trim().parse().ok()?;
    (v >= 0.0).then(|| std::time::Duration::from_secs_f64(v * scale))
}

/// Parses `--latency screencap=300ms,hierarchy=1s,other=20ms`.
pub fn parse_latency(s: &str) -> Result<crate::sim::Latency, String> {
    let mut l = crate::sim::Latency::default();
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("`{part}`: expected KIND=DURATION"))?;
        let d =
            parse_duration(v).ok_or_else(|| format!("`{v}` is not a duration like 300ms or 1s"))?;
        match k.trim() {
            "screencap" => l.screencap = d,
            "hierarchy" => l.hierarchy = d,
            "other" => l.other = d,
            other => {
                return Err(format!(
                    "unknown latency kind `{other}` (screencap, hierarchy, other)"
                ))
            }
        }
    }
    Ok(l)
}
