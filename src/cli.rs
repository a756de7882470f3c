//! Command-line arguments (clap definitions only). `main` turns them into a
//! [`crate::session::Plan`]; nothing else sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Exit codes, shown in `--help`.
pub const EXIT_CODES: &str = "Exit codes:
  0  every verdict passed (or is only manual/inconclusive); `diff`: no regression
  1  at least one rule failed, or a step could not be done; `diff`: a regression
  2  usage or scenario-file error (nothing ran)
  3  device or infrastructure error (adb, device offline, OCR missing, interrupted)";

/// Tests how Android apps and mini programs behave around personal-data
/// consent, against Section 7 of T/NIFA 33-2025 (and the parts of Section 6
/// a screen shows).
#[derive(Debug, Parser)]
#[command(name = "consentry", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// The language of everything printed and written for people: `zh`
    /// (中文) or `en`. Default: the locale (LC_ALL, LC_MESSAGES, LANG:
    /// `zh_CN.UTF-8` gives Chinese), else English.
    #[arg(long, global = true, value_enum)]
    pub lang: Option<crate::i18n::Lang>,
}

/// The subcommands.
// Parsed once per invocation: the size of its biggest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenario files (or folders of them) on a device.
    #[command(after_help = EXIT_CODES)]
    Run(RunArgs),
    /// Run the bundled example scenarios on the built-in simulated device.
    #[command(after_help = EXIT_CODES)]
    Demo(DemoArgs),
    /// Judge the whole of Section 7 (and Section 6's `masked-identifiers`)
    /// on an app or mini program with no scenario: the audit discovers what
    /// each screen shows (docs/audit.md).
    #[command(after_help = EXIT_CODES)]
    Audit(AuditArgs),
    /// Show what consentry reads on screens: every text with its box,
    /// source and confidence, every control with its role, checkbox states,
    /// and whether the screen is a consent prompt, a permission prompt or neither.
    #[command(after_help = EXIT_CODES)]
    Inspect(InspectArgs),
    /// Check scenario files without running them.
    Check {
        /// Scenario files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// List every rule (Section 7, then Section 6): its clause, how it is judged, what fails it.
    Rules {
        /// Print JSON (`[{id, section, clause, level, judged, default, fails_when}]`).
        #[arg(long)]
        json: bool,
    },
    /// The simulated device.
    #[command(subcommand)]
    Sim(SimCommand),
    /// Join reports (e.g. of shards run on several machines) into one: JSON, HTML, JUnit.
    Merge {
        /// The report.json files.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        /// Folder for the merged reports and frames.
        #[arg(long, short)]
        out: PathBuf,
    },
    /// What changed since a baseline report: new failures, fixed rules,
    /// changed verdicts, scenarios that disappeared. Exits 1 on a regression.
    Diff {
        /// Last night's report.json.
        #[arg(long)]
        baseline: PathBuf,
        /// Tonight's report.json.
        report: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List the devices an adb server knows.
    Devices {
        /// The adb server (default: ADB_SERVER_SOCKET, ANDROID_ADB_SERVER_PORT, or 127.0.0.1:5037).
        #[arg(long)]
        adb_server: Option<String>,
    },
}

/// `consentry inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Screenshots (PNG or JPEG).
    #[arg(required_unless_present = "device")]
    pub images: Vec<PathBuf>,
    /// A uiautomator dump of the same screen (with one image).
    #[arg(long)]
    pub hierarchy: Option<PathBuf>,
    /// Read the live screen (and its hierarchy) of this adb device instead.
    #[arg(long, conflicts_with = "images")]
    pub device: Option<String>,
    /// The adb server for --device (default: ADB_SERVER_SOCKET, ANDROID_ADB_SERVER_PORT, or 127.0.0.1:5037).
    #[arg(long)]
    pub adb_server: Option<String>,
    /// Print JSON: an array with one object per screen (layout in docs/inspect.md).
    #[arg(long)]
    pub json: bool,
    /// Write a copy with the boxes drawn, coloured by role: a PNG file for
    /// one screen, else a folder of them.
    #[arg(long)]
    pub annotate: Option<PathBuf>,
    /// OCR engine: `ppocr` or `tesseract` [default: CONSENTRY_OCR, else ppocr].
    #[arg(long, value_parser = ["ppocr", "tesseract"])]
    pub ocr: Option<String>,
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
    /// Device latency per command kind, e.g. `screencap=400ms,hierarchy=1500ms,other=80ms`
    /// (kinds: screencap, hierarchy, dumpsys, pidof, appops, package, input,
    /// other; a kind not given takes `other`'s).
    #[arg(long)]
    pub latency: Option<String>,
    /// Fault injection: drop the connection and exit after this many commands.
    #[arg(long)]
    pub drop_after: Option<usize>,
    /// The simulated screen.
    #[command(flatten)]
    pub screen: ScreenArgs,
}

/// The simulated device's screen (`--screen`, `--theme`).
#[derive(Debug, Args, Clone, Default)]
pub struct ScreenArgs {
    /// Screen size and density of the simulated device, WIDTHxHEIGHT@DPI
    /// (e.g. 720x1280@320, 1080x2400@440, 1440x3200@560).
    #[arg(long, value_parser = parse_screen)]
    pub screen: Option<(u32, u32, u32)>,
    /// Light or dark system theme of the simulated device.
    #[arg(long, value_parser = ["light", "dark"])]
    pub theme: Option<String>,
}

impl ScreenArgs {
    /// The display these options describe.
    pub fn display(&self) -> crate::sim::Display {
        let mut d = crate::sim::Display::default();
        if let Some((w, h, dpi)) = self.screen {
            (d.width, d.height, d.density) = (w, h, dpi);
        }
        if self.theme.as_deref() == Some("dark") {
            d.theme = crate::sim::Theme::Dark;
        }
        d
    }
}

/// Parses `WIDTHxHEIGHT@DPI`.
pub fn parse_screen(s: &str) -> Result<(u32, u32, u32), String> {
    crate::sim::Display::parse_screen(s)
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
    /// The simulated device's screen.
    #[command(flatten)]
    pub screen: ScreenArgs,
    /// Run budgets.
    #[command(flatten)]
    pub budget: BudgetArgs,
    /// OCR engine that reads the screens: `ppocr` (PP-OCR through ONNX
    /// Runtime) or `tesseract` [default: CONSENTRY_OCR, else ppocr].
    #[arg(long, value_parser = ["ppocr", "tesseract"])]
    pub ocr: Option<String>,
}

fn default_jobs() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4)
}

/// Which devices to drive, and how.
#[derive(Debug, Clone, Args)]
pub struct DeviceArgs {
    /// A device: `sim` for the built-in simulated device, or an adb serial
    /// (`emulator-5554`, `127.0.0.1:5555`, a phone's serial). Repeat for
    /// several devices; scenarios are spread over them.
    #[arg(long, short)]
    pub device: Vec<String>,
    /// Every device the adb servers list as ready (`--devices all`).
    #[arg(long, value_parser = ["all"])]
    pub devices: Option<String>,
    /// An adb server, host:port (repeatable; default: ADB_SERVER_SOCKET,
    /// ANDROID_ADB_SERVER_PORT, or 127.0.0.1:5037).
    #[arg(long)]
    pub adb_server: Vec<String>,
    /// How adb devices take screenshots: `png` (`screencap -p`), `raw`
    /// (pixels, encoded here: less work for a slow device) or `auto`
    /// (whichever the device answers faster, timed on the first frames).
    #[arg(long, default_value = "auto", value_parser = ["auto", "png", "raw"])]
    pub screencap: String,
    /// How a frame reads an adb device: `concurrent` (screenshot, view
    /// hierarchy, focus, process and app-ops each on its own stream, at
    /// once) or `sequential` (one after another, for comparison).
    #[arg(long, default_value = "concurrent", value_parser = ["concurrent", "sequential"])]
    pub frame_reads: String,
    /// Seconds each device command may take before the device counts as lost.
    #[arg(long, default_value_t = 30)]
    pub command_timeout: u64,
    /// Seconds to wait for a device another run holds (its lock on the
    /// device); past it the run ends with exit 3 naming the holder. A lock
    /// whose holder stopped its heartbeat for 60 s is taken over.
    #[arg(long, default_value_t = 120, value_name = "SECONDS")]
    pub lock_wait: u64,
}

/// `consentry audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The installed app's package (`com.bank.app`); the launcher activity
    /// is found on the device. Without it: `--mini`, `--apps`, or each app
    /// of `--sim-app`.
    pub package: Option<String>,
    /// A mini program, by the deep link that opens it in its host
    /// (`weixin://dl/business/?appid=…`).
    #[arg(long)]
    pub mini: Option<String>,
    /// The mini program's host app.
    #[arg(long, default_value = "com.tencent.mm")]
    pub host: String,
    /// A file of targets, one a line: a package, or a mini program's deep
    /// link (`#` starts a comment). Spread over the devices like `run`.
    #[arg(long)]
    pub apps: Option<PathBuf>,
    /// Audit again an app the output folder already holds an audit of.
    #[arg(long)]
    pub again: bool,
    /// An app model to install on the simulated device (repeatable); with
    /// no other target, each app it describes is audited.
    #[arg(long = "sim-app")]
    pub sim_apps: Vec<PathBuf>,
    /// A newer build to install over the app and launch (its processing
    /// rules changed), for `reconsent-on-change`: an APK.
    #[arg(long)]
    pub update: Option<PathBuf>,
    /// On the simulated device: the newer build of the app model to install.
    #[arg(long)]
    pub update_version: Option<u32>,
    /// Steps (a YAML file with `steps:`, as in a scenario) that log in,
    /// replayed after consent: the audit then judges the login page's
    /// Section 6 rules too.
    #[arg(long)]
    pub login: Option<PathBuf>,
    /// Role words beyond the defaults (a YAML file with `words:`, as in a scenario).
    #[arg(long)]
    pub words: Option<PathBuf>,
    /// Most taps of the crawl of the app's functions.
    #[arg(long, default_value_t = 30)]
    pub max_taps: u32,
    /// Most minutes one app's audit may take (default 15 on a device; the
    /// simulated device's own clock runs faster).
    #[arg(long)]
    pub max_minutes: Option<u64>,
    /// Run only shard K of N of the targets (e.g. `2/4`).
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// The devices to run on.
    #[command(flatten)]
    pub on: DeviceArgs,
    /// Tries again on another healthy device after an infrastructure failure.
    #[arg(long, default_value_t = 1)]
    pub retries: u32,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `consentry run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files, or folders holding *.yaml scenario files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The devices to run on.
    #[command(flatten)]
    pub on: DeviceArgs,
    /// Tries again on another healthy device after an infrastructure failure
    /// (device offline, adb timeout, screencap failure); a failing rule is never retried.
    #[arg(long, default_value_t = 1)]
    pub retries: u32,
    /// Run only shard K of N (e.g. `2/4`): a stable share of the scenarios, so N machines split a suite.
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// An earlier report.json whose durations order the scenarios longest first
    /// (default: the output folder's report.json, if there is one).
    #[arg(long)]
    pub durations: Option<PathBuf>,
    /// An app model file to install on the simulated device (repeatable).
    #[arg(long = "sim-app")]
    pub sim_apps: Vec<PathBuf>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Parses `K/N` with 1 <= K <= N.
pub fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let (k, n) = s.split_once('/').ok_or("expected K/N, e.g. 1/4")?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| "K must be a number")?,
        n.trim().parse().map_err(|_| "N must be a number")?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: need 1 <= K <= N"));
    }
    Ok((k, n))
}

/// `consentry demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Parses `--latency screencap=400ms,hierarchy=1500ms,other=80ms`.
pub fn parse_latency(s: &str) -> Result<crate::sim::Latency, String> {
    crate::sim::Latency::parse(s)
}

/// Caps that keep a run bounded whatever a scenario asks (README, "Run
/// budgets"). A scenario that exceeds one ends with a step failure.
#[derive(Debug, Args)]
pub struct BudgetArgs {
    /// Most frames one scenario may capture.
    #[arg(long, default_value_t = 2000, value_name = "N")]
    pub max_frames: usize,
    /// Shortest `observe` interval, in milliseconds.
    #[arg(long, default_value_t = 100, value_name = "MS")]
    pub min_interval: u64,
    /// Most time one scenario may spend waiting in all, in seconds.
    #[arg(long, default_value_t = 1800, value_name = "SECS")]
    pub max_wait: u64,
    /// Most screenshot data the whole run may write, in MiB.
    #[arg(long, default_value_t = 8192, value_name = "MIB")]
    pub max_disk: u64,
}

impl OutputArgs {
    /// The run budget these options ask for.
    pub fn budget(&self) -> crate::runner::Budget {
        let b = &self.budget;
        crate::runner::Budget {
            max_frames: b.max_frames.max(1),
            min_interval: std::time::Duration::from_millis(b.min_interval),
            max_wait: std::time::Duration::from_secs(b.max_wait),
            max_disk: b.max_disk.saturating_mul(1 << 20),
            max_time: None,
        }
    }
}
