//! The device boundary. The runner sees only [`Device`]; [`AndroidDevice`]
//! implements it over any [`Transport`] that runs shell commands, so the
//! in-process simulated device and a real device behind an adb server are
//! driven by the same code and the same output parsers.

pub mod adb;
pub mod lock;
pub mod parse;

use std::time::Duration;

use serde::Serialize;

pub use parse::{AppOp, Foreground, HierarchyNode, RuntimePermission};

/// Why a device could not do what was asked. Every variant is an
/// infrastructure problem (exit code 3), never a verdict.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    /// The device is not connected or went away.
    #[error("device {serial} is offline or disconnected: {detail}; check the cable or `adb connect`, then `adb devices`")]
    Offline {
        /// Device serial.
        serial: String,
        /// What happened.
        detail: String,
    },
    /// The device has not accepted this computer's key.
    #[error("device {serial} is unauthorized: accept the USB debugging prompt on the device, then run again")]
    Unauthorized {
        /// Device serial.
        serial: String,
    },
    /// No adb server answers.
    #[error("cannot reach the adb server at {addr}: {detail}; start it with `adb start-server` (Debian package `adb`)")]
    Server {
        /// host:port.
        addr: String,
        /// What happened.
        detail: String,
    },
    /// No device with that serial.
    #[error("no device `{serial}`: {detail}")]
    NotFound {
        /// Requested serial.
        serial: String,
        /// What is connected instead.
        detail: String,
    },
    /// A command took too long.
    #[error("`{command}` timed out after {secs:.1} s on {serial}")]
    Timeout {
        /// Device serial.
        serial: String,
        /// The command.
        command: String,
        /// The limit.
        secs: f64,
    },
    /// The app under test is not on the device.
    #[error("app {package} is not installed on {serial}; installed: {installed}")]
    NotInstalled {
        /// Device serial.
        serial: String,
        /// The package looked for.
        package: String,
        /// Some installed packages, nearest names first.
        installed: String,
    },
    /// A command failed in a way the device explains.
    #[error("`{command}` failed on {serial}: {output}")]
    Command {
        /// Device serial.
        serial: String,
        /// The command.
        command: String,
        /// What it printed.
        output: String,
    },
}

/// The output of a shell command: what it printed and its exit status.
#[derive(Debug, Clone, Default)]
pub struct ShellOutput {
    /// Bytes written to stdout.
    pub stdout: Vec<u8>,
    /// Exit status.
    pub status: i32,
}

impl ShellOutput {
    /// Success with this output.
    pub fn ok(s: impl Into<Vec<u8>>) -> Self {
        Self {
            stdout: s.into(),
            status: 0,
        }
    }

    /// Failure (status 1) with this message and a line break.
    pub fn err(s: impl Into<String>) -> Self {
        let mut b: Vec<u8> = s.into().into_bytes();
        b.push(b'\n');
        Self {
            stdout: b,
            status: 1,
        }
    }
}

/// Encodes an image as PNG, fast: what a device's `screencap -p` does,
/// shared by the raw-screencap path, the simulated device and the report.
pub fn encode_png(img: &image::RgbaImage) -> Result<Vec<u8>, String> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    let enc = PngEncoder::new_with_quality(
        std::io::Cursor::new(&mut out),
        CompressionType::Fast,
        FilterType::Sub,
    );
    img.write_with_encoder(enc).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Runs shell commands on a device: the only thing a device driver needs
/// from its connection.
pub trait Transport: Send {
    /// The device serial.
    fn serial(&self) -> &str;
    /// Runs a command (as `adb shell` / `adb exec-out`) and returns its raw output.
    fn shell(&mut self, command: &str) -> Result<ShellOutput, DeviceError>;
    /// Runs independent commands, each on its own stream, all at once
    /// when the connection can (the adb server multiplexes streams to one
    /// device), else one after another; the answers in the commands' order.
    fn shell_all(&mut self, commands: &[String]) -> Vec<Result<ShellOutput, DeviceError>> {
        commands.iter().map(|c| self.shell(c)).collect()
    }
    /// Lets time pass on the device.
    fn sleep(&mut self, d: Duration) {
        std::thread::sleep(d);
    }
    /// Runs a command with `input` on its standard input (what `adb
    /// install` streams a package with); `Err` when the connection cannot.
    fn shell_input(&mut self, command: &str, _input: &[u8]) -> Result<ShellOutput, DeviceError> {
        Err(DeviceError::Command {
            serial: self.serial().to_string(),
            command: command.to_string(),
            output: "this connection cannot send a file to the device".into(),
        })
    }
    /// Checks the device is still there, after a command answered oddly:
    /// an error here explains the odd answer (device gone).
    fn check(&mut self) -> Result<(), DeviceError> {
        Ok(())
    }
    /// The device's own clock in milliseconds, when it runs apart from the
    /// host's (a simulated device whose waits cost no real time); `None`:
    /// the device lives in real time, as every phone and emulator does.
    fn clock_ms(&self) -> Option<u64> {
        None
    }
}

/// What to start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LaunchTarget {
    /// An activity of a package.
    Component {
        /// Package.
        package: String,
        /// Activity (may start with `.`).
        activity: String,
    },
    /// A deep link, opened in the app that handles it (a mini program's host).
    DeepLink {
        /// The link.
        url: String,
        /// The package expected to handle it.
        package: String,
    },
}

/// A build of the app under test to install over the installed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Build {
    /// A package file's bytes (`install -r`): an APK on a real device, an
    /// app model's YAML on the simulated one.
    File(Vec<u8>),
    /// A version of a simulated app model (the simulated device only).
    Version(u32),
}

/// Keys a scenario can press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// The back key.
    Back,
    /// The home key.
    Home,
}

/// Model and Android version of a device.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DeviceInfo {
    /// Serial.
    pub serial: String,
    /// `ro.product.model`.
    pub model: String,
    /// `ro.build.version.release`.
    pub android: String,
    /// `ro.build.version.sdk`.
    pub sdk: String,
    /// The screen, `1080x2400@440` (`wm size`, `wm density`); empty when
    /// the device did not say.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub screen: String,
}

/// The version of an installed app, from `dumpsys package`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AppVersion {
    /// `versionName` (`6.2.1`).
    pub name: String,
    /// `versionCode` (`621`).
    pub code: String,
}

/// Everything a scenario does to a device and reads from it.
pub trait Device: Send {
    /// The serial.
    fn serial(&self) -> &str;
    /// Model and Android version.
    fn info(&mut self) -> Result<DeviceInfo, DeviceError>;
    /// A PNG screenshot.
    fn screenshot(&mut self) -> Result<Vec<u8>, DeviceError>;
    /// The view hierarchy; empty when the device cannot dump one now.
    fn hierarchy(&mut self) -> Result<Vec<HierarchyNode>, DeviceError>;
    /// The foreground app, if any.
    fn foreground(&mut self) -> Result<Option<Foreground>, DeviceError>;
    /// The process id of a package, if it runs.
    fn pid(&mut self, package: &str) -> Result<Option<u32>, DeviceError>;
    /// App-op records of a package.
    fn appops(&mut self, package: &str) -> Result<Vec<AppOp>, DeviceError>;
    /// Everything one frame reads of the device: screenshot, view
    /// hierarchy (unless `ask.hierarchy` is false), foreground, the
    /// package's process and (when `ask.appops`) its app-op records. A
    /// device that can answers them at once (see [`AndroidDevice`]); by
    /// default they are read one after another.
    fn read_frame(&mut self, ask: &FrameAsk) -> Result<FrameReads, DeviceError> {
        read_one_by_one(self, ask)
    }
    /// Whether nothing was done to the device (no tap, key, text, launch…)
    /// since the last [`Device::read_frame`] began: then a screenshot
    /// identical to that frame's shows the same screen. `false` when the
    /// device does not keep count.
    fn still(&self) -> bool {
        false
    }
    /// Taps a point.
    fn tap(&mut self, x: i32, y: i32) -> Result<(), DeviceError>;
    /// Swipes from one point to another over `ms` milliseconds (`input swipe`).
    fn swipe(&mut self, x1: i32, y1: i32, x2: i32, y2: i32, ms: u64) -> Result<(), DeviceError>;
    /// Presses a key.
    fn key(&mut self, key: Key) -> Result<(), DeviceError>;
    /// Types text into the focused field (Chinese too).
    fn text(&mut self, text: &str) -> Result<(), DeviceError>;
    /// Starts an app or opens a deep link.
    fn launch(&mut self, target: &LaunchTarget) -> Result<(), DeviceError>;
    /// Stops a package.
    fn force_stop(&mut self, package: &str) -> Result<(), DeviceError>;
    /// Clears a package's data (as a fresh install).
    fn clear_data(&mut self, package: &str) -> Result<(), DeviceError>;
    /// Waits.
    fn sleep(&mut self, d: Duration);
    /// The device's own clock (ms), when it does not run in real time: frame
    /// times must follow it, since app-op times are "… ago" on its clock.
    fn clock_ms(&self) -> Option<u64> {
        None
    }
    /// Whether the focused window is secure (`FLAG_SECURE`, from `dumpsys
    /// window windows`); `None` when the device does not say.
    fn window_secure(&mut self, _focus: Option<&Foreground>) -> Result<Option<bool>, DeviceError> {
        Ok(None)
    }
    /// The activity the launcher starts for a package (`cmd package
    /// resolve-activity`); `None` when the device does not say.
    fn launcher_activity(&mut self, _package: &str) -> Result<Option<String>, DeviceError> {
        Ok(None)
    }
    /// The runtime permissions of a package and whether each is granted
    /// (`dumpsys package`); `None` when the device does not say.
    fn runtime_permissions(
        &mut self,
        _package: &str,
    ) -> Result<Option<Vec<RuntimePermission>>, DeviceError> {
        Ok(None)
    }
    /// The installed packages; `None` when the device cannot list them.
    fn packages(&mut self) -> Result<Option<Vec<String>>, DeviceError> {
        Ok(None)
    }
    /// The installed version of a package; `None` when the device does
    /// not say.
    fn app_version(&mut self, _package: &str) -> Result<Option<AppVersion>, DeviceError> {
        Ok(None)
    }
    /// Installs another build of `package` over it, keeping its data (`adb
    /// install -r`).
    fn install(&mut self, package: &str, _build: &Build) -> Result<(), DeviceError> {
        Err(DeviceError::Command {
            serial: self.serial().to_string(),
            command: format!("install {package}"),
            output: "this device cannot install packages".into(),
        })
    }
}

/// What a frame asks of the device.
#[derive(Debug, Clone, Copy)]
pub struct FrameAsk<'a> {
    /// The package under test (its process and app-ops).
    pub package: &'a str,
    /// Whether to read its app-op records.
    pub appops: bool,
    /// Whether to dump the view hierarchy.
    pub hierarchy: bool,
}

/// What one frame read of the device.
#[derive(Debug, Clone, Default)]
pub struct FrameReads {
    /// The screenshot (PNG).
    pub png: Vec<u8>,
    /// The view hierarchy (empty when not asked or not dumpable now).
    pub nodes: Vec<HierarchyNode>,
    /// The foreground app.
    pub foreground: Option<Foreground>,
    /// The package's process id.
    pub pid: Option<u32>,
    /// The package's app-op records.
    pub appops: Vec<AppOp>,
}

/// A frame's reads one after another, each waiting for the one before.
pub fn read_one_by_one<D: Device + ?Sized>(
    dev: &mut D,
    ask: &FrameAsk,
) -> Result<FrameReads, DeviceError> {
    let png = dev.screenshot()?;
    let nodes = if ask.hierarchy {
        dev.hierarchy()?
    } else {
        Vec::new()
    };
    let foreground = dev.foreground()?;
    let pid = dev.pid(ask.package)?;
    let appops = if ask.appops {
        dev.appops(ask.package)?
    } else {
        Vec::new()
    };
    Ok(FrameReads {
        png,
        nodes,
        foreground,
        pid,
        appops,
    })
}

/// How screenshots are taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Screencap {
    /// Whichever of the two below the device answers faster, measured on
    /// the first screenshots.
    #[default]
    Auto,
    /// `screencap -p`: the device encodes a PNG.
    Png,
    /// `screencap`: raw pixels, encoded to PNG here (less work on a slow device).
    Raw,
}

/// How a frame's reads are made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Reads {
    /// All at once, each on its own stream: a frame costs its slowest read.
    #[default]
    Concurrent,
    /// One after another (a frame costs the sum of its reads).
    Sequential,
}

/// Screenshots each way are timed before `Screencap::Auto` chooses.
const SCREENCAP_TRIALS: usize = 2;

/// An Android device driven through shell commands.
pub struct AndroidDevice<T: Transport> {
    transport: T,
    screencap: Screencap,
    reads: Reads,
    /// `Screencap::Auto`'s timings so far: (raw?, seconds).
    trials: Vec<(bool, f64)>,
    /// Whether a command that acts on the device ran since the last frame
    /// began to be read (see [`Device::still`]).
    acted: bool,
}

impl<T: Transport> AndroidDevice<T> {
    /// Drives a device over this transport.
    pub fn new(transport: T) -> Self {
        Self {
            transport,
            screencap: Screencap::Auto,
            reads: Reads::Concurrent,
            trials: Vec::new(),
            acted: true,
        }
    }

    /// Chooses how screenshots are taken.
    pub fn with_screencap(mut self, mode: Screencap) -> Self {
        self.screencap = mode;
        self
    }

    /// Chooses how a frame's reads are made.
    pub fn with_reads(mut self, reads: Reads) -> Self {
        self.reads = reads;
        self
    }

    /// How screenshots are taken now: under `Auto`, alternately raw and
    /// PNG for the first frames, then whichever was faster.
    pub fn screencap_mode(&self) -> Screencap {
        if self.screencap != Screencap::Auto {
            return self.screencap;
        }
        let n = self.trials.len();
        if n < 2 * SCREENCAP_TRIALS {
            return if n.is_multiple_of(2) {
                Screencap::Raw
            } else {
                Screencap::Png
            };
        }
        let best = |raw: bool| {
            self.trials
                .iter()
                .filter(|t| t.0 == raw)
                .map(|t| t.1)
                .fold(f64::INFINITY, f64::min)
        };
        if best(true) < best(false) {
            Screencap::Raw
        } else {
            Screencap::Png
        }
    }

    fn screencap_command(&self) -> (&'static str, Screencap) {
        match self.screencap_mode() {
            Screencap::Raw => ("screencap", Screencap::Raw),
            _ => ("screencap -p", Screencap::Png),
        }
    }

    /// A screenshot from a `screencap` answer; under `Auto` a raw answer
    /// this driver cannot read makes PNG the choice from then on.
    fn screenshot_from(
        &mut self,
        mode: Screencap,
        out: Result<ShellOutput, DeviceError>,
        started: std::time::Instant,
    ) -> Result<Vec<u8>, DeviceError> {
        let out = out?;
        let png = if mode == Screencap::Raw {
            match parse::parse_raw_screencap(&out.stdout) {
                Ok(img) => encode_png(&img).map_err(|e| DeviceError::Command {
                    serial: self.serial().to_string(),
                    command: "screencap".into(),
                    output: e,
                })?,
                Err(_) if self.screencap == Screencap::Auto => {
                    self.screencap = Screencap::Png;
                    return self.screenshot();
                }
                Err(e) => {
                    self.transport.check()?;
                    return Err(DeviceError::Command {
                        serial: self.serial().to_string(),
                        command: "screencap".into(),
                        output: e.to_string(),
                    });
                }
            }
        } else {
            if !out.stdout.starts_with(b"\x89PNG") {
                self.transport.check()?;
                return Err(DeviceError::Command {
                    serial: self.serial().to_string(),
                    command: "screencap -p".into(),
                    output: String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(200)])
                        .into_owned(),
                });
            }
            out.stdout
        };
        if self.screencap == Screencap::Auto && self.trials.len() < 2 * SCREENCAP_TRIALS {
            self.trials
                .push((mode == Screencap::Raw, started.elapsed().as_secs_f64()));
        }
        Ok(png)
    }

    /// A hierarchy from a dump's answer: a dump taken while animations
    /// ran is dumped again (the screenshot has not waited for it).
    fn hierarchy_from(
        &mut self,
        out: Result<ShellOutput, DeviceError>,
    ) -> Result<Vec<HierarchyNode>, DeviceError> {
        match parse::parse_hierarchy(&out?.stdout) {
            Ok(nodes) => Ok(nodes),
            Err(parse::HierarchyError::NotIdle) => {
                self.transport.sleep(Duration::from_millis(500));
                self.hierarchy_once()
            }
            Err(e) => {
                tracing::debug!("no hierarchy on {}: {e}", self.serial());
                Ok(Vec::new())
            }
        }
    }

    fn hierarchy_once(&mut self) -> Result<Vec<HierarchyNode>, DeviceError> {
        let out = self.run(HIERARCHY_COMMAND)?;
        Ok(parse::parse_hierarchy(&out.stdout).unwrap_or_else(|e| {
            tracing::debug!("no hierarchy on {}: {e}", self.serial());
            Vec::new()
        }))
    }

    fn foreground_from(
        &mut self,
        out: Result<ShellOutput, DeviceError>,
    ) -> Result<Option<Foreground>, DeviceError> {
        if let Some(f) = parse::parse_foreground(&out?.stdout) {
            return Ok(Some(f));
        }
        let out = self.run("dumpsys activity activities")?;
        Ok(parse::parse_foreground(&out.stdout))
    }

    fn appops_from(
        &mut self,
        package: &str,
        out: Result<ShellOutput, DeviceError>,
    ) -> Result<Vec<AppOp>, DeviceError> {
        let out = out?;
        let text = String::from_utf8_lossy(&out.stdout);
        // Android 7 and older have no `cmd appops`: `dumpsys appops` has the
        // same records with absolute times.
        if text.contains("Can't find service") || text.contains("Unknown command") {
            let out = self.run(&format!(
                "dumpsys appops --package {}",
                shell_quote(package)
            ))?;
            return Ok(parse::parse_appops(&out.stdout));
        }
        Ok(parse::parse_appops(&out.stdout))
    }

    fn run(&mut self, command: &str) -> Result<ShellOutput, DeviceError> {
        self.transport.shell(command)
    }

    /// Runs a command that acts on the device (a tap, a launch…).
    fn run_ok(&mut self, command: &str) -> Result<String, DeviceError> {
        self.acted = true;
        let out = self.run(command)?;
        let text = parse::decode_text(&out.stdout);
        if out.status != 0 || text.starts_with("Error") || text.contains("\nError") {
            self.transport.check()?;
            return Err(DeviceError::Command {
                serial: self.transport.serial().to_string(),
                command: command.to_string(),
                output: text.trim().to_string(),
            });
        }
        Ok(text)
    }
}

const HIERARCHY_COMMAND: &str = "uiautomator dump /dev/tty";
const FOREGROUND_COMMAND: &str = "dumpsys window displays";

fn pid_command(package: &str) -> String {
    format!("pidof {}", shell_quote(package))
}

fn appops_command(package: &str) -> String {
    format!("cmd appops get {}", shell_quote(package))
}

fn parse_pid(out: &ShellOutput) -> Option<u32> {
    parse::decode_text(&out.stdout)
        .split_whitespace()
        .next()
        .and_then(|p| p.parse().ok())
}

/// Quotes a word for the device's `sh`.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

impl<T: Transport> Device for AndroidDevice<T> {
    fn serial(&self) -> &str {
        self.transport.serial()
    }

    fn info(&mut self) -> Result<DeviceInfo, DeviceError> {
        let mut get = |k: &str| -> Result<String, DeviceError> {
            Ok(
                parse::decode_text(&self.run(&format!("getprop {k}"))?.stdout)
                    .trim()
                    .to_string(),
            )
        };
        let (model, android, sdk) = (
            get("ro.product.model")?,
            get("ro.build.version.release")?,
            get("ro.build.version.sdk")?,
        );
        let size = self.run("wm size").map(|o| parse::decode_text(&o.stdout));
        let density = self
            .run("wm density")
            .map(|o| parse::decode_text(&o.stdout));
        let screen = match (size, density) {
            (Ok(s), Ok(d)) => parse::parse_screen(&s, &d).unwrap_or_default(),
            _ => String::new(),
        };
        Ok(DeviceInfo {
            model,
            android,
            sdk,
            screen,
            serial: self.transport.serial().to_string(),
        })
    }

    fn app_version(&mut self, package: &str) -> Result<Option<AppVersion>, DeviceError> {
        let out = self.run(&format!("dumpsys package {}", shell_quote(package)))?;
        Ok(parse::parse_app_version(&out.stdout))
    }

    fn screenshot(&mut self) -> Result<Vec<u8>, DeviceError> {
        let (command, mode) = self.screencap_command();
        let started = std::time::Instant::now();
        let out = self.run(command);
        self.screenshot_from(mode, out, started)
    }

    fn hierarchy(&mut self) -> Result<Vec<HierarchyNode>, DeviceError> {
        // uiautomator fails while animations run; one retry after a pause
        // covers most of it. A screen it cannot dump is read by OCR alone.
        let out = self.run(HIERARCHY_COMMAND);
        self.hierarchy_from(out)
    }

    fn foreground(&mut self) -> Result<Option<Foreground>, DeviceError> {
        let out = self.run(FOREGROUND_COMMAND);
        self.foreground_from(out)
    }

    fn pid(&mut self, package: &str) -> Result<Option<u32>, DeviceError> {
        let out = self.run(&pid_command(package))?;
        Ok(parse_pid(&out))
    }

    fn appops(&mut self, package: &str) -> Result<Vec<AppOp>, DeviceError> {
        let out = self.run(&appops_command(package));
        self.appops_from(package, out)
    }

    fn still(&self) -> bool {
        !self.acted
    }

    fn read_frame(&mut self, ask: &FrameAsk) -> Result<FrameReads, DeviceError> {
        self.acted = false;
        if self.reads == Reads::Sequential {
            return read_one_by_one(self, ask);
        }
        let (screencap, mode) = self.screencap_command();
        let mut commands = vec![
            screencap.to_string(),
            FOREGROUND_COMMAND.to_string(),
            pid_command(ask.package),
        ];
        if ask.hierarchy {
            commands.push(HIERARCHY_COMMAND.to_string());
        }
        if ask.appops {
            commands.push(appops_command(ask.package));
        }
        let started = std::time::Instant::now();
        let mut outs = self.transport.shell_all(&commands).into_iter();
        let mut next = || {
            outs.next().unwrap_or_else(|| {
                Err(DeviceError::Command {
                    serial: String::new(),
                    command: String::new(),
                    output: "no answer".into(),
                })
            })
        };
        let (shot, focus, pid) = (next(), next(), next());
        let dump = ask.hierarchy.then(&mut next);
        let ops = ask.appops.then(&mut next);
        let png = self.screenshot_from(mode, shot, started)?;
        let foreground = self.foreground_from(focus)?;
        let pid = parse_pid(&pid?);
        let nodes = match dump {
            Some(out) => self.hierarchy_from(out)?,
            None => Vec::new(),
        };
        let appops = match ops {
            Some(out) => self.appops_from(ask.package, out)?,
            None => Vec::new(),
        };
        Ok(FrameReads {
            png,
            nodes,
            foreground,
            pid,
            appops,
        })
    }

    fn window_secure(&mut self, focus: Option<&Foreground>) -> Result<Option<bool>, DeviceError> {
        let out = self.run("dumpsys window windows")?;
        Ok(parse::parse_window_secure(&out.stdout, focus))
    }

    fn launcher_activity(&mut self, package: &str) -> Result<Option<String>, DeviceError> {
        let out = self.run(&format!(
            "cmd package resolve-activity --brief -a android.intent.action.MAIN -c android.intent.category.LAUNCHER {}",
            shell_quote(package)
        ))?;
        Ok(parse::parse_resolved_activity(&out.stdout, package))
    }

    fn runtime_permissions(
        &mut self,
        package: &str,
    ) -> Result<Option<Vec<RuntimePermission>>, DeviceError> {
        let out = self.run(&format!("dumpsys package {}", shell_quote(package)))?;
        Ok(parse::parse_runtime_permissions(&out.stdout))
    }

    fn tap(&mut self, x: i32, y: i32) -> Result<(), DeviceError> {
        self.run_ok(&format!("input tap {x} {y}")).map(drop)
    }

    fn swipe(&mut self, x1: i32, y1: i32, x2: i32, y2: i32, ms: u64) -> Result<(), DeviceError> {
        self.run_ok(&format!("input swipe {x1} {y1} {x2} {y2} {ms}"))
            .map(drop)
    }

    fn key(&mut self, key: Key) -> Result<(), DeviceError> {
        let code = match key {
            Key::Back => 4,
            Key::Home => 3,
        };
        self.run_ok(&format!("input keyevent {code}")).map(drop)
    }

    fn text(&mut self, text: &str) -> Result<(), DeviceError> {
        if text.is_ascii() {
            // `input text` types ASCII only; spaces are written %s.
            self.run_ok(&format!(
                "input text {}",
                shell_quote(&text.replace(' ', "%s"))
            ))
            .map(drop)
        } else {
            // Chinese needs an input method that takes text by broadcast
            // (ADBKeyBoard, Android 5+), set as the current IME.
            self.run_ok(&format!(
                "am broadcast -a ADB_INPUT_TEXT --es msg {}",
                shell_quote(text)
            ))
            .map(drop)
        }
    }

    fn launch(&mut self, target: &LaunchTarget) -> Result<(), DeviceError> {
        let cmd = match target {
            LaunchTarget::Component { package, activity } => {
                format!(
                    "am start -n {}",
                    shell_quote(&format!("{package}/{activity}"))
                )
            }
            LaunchTarget::DeepLink { url, .. } => {
                format!(
                    "am start -a android.intent.action.VIEW -d {}",
                    shell_quote(url)
                )
            }
        };
        self.run_ok(&cmd).map(drop)
    }

    fn force_stop(&mut self, package: &str) -> Result<(), DeviceError> {
        self.run_ok(&format!("am force-stop {}", shell_quote(package)))
            .map(drop)
    }

    fn clear_data(&mut self, package: &str) -> Result<(), DeviceError> {
        self.run_ok(&format!("pm clear {}", shell_quote(package)))
            .map(drop)
    }

    fn sleep(&mut self, d: Duration) {
        self.transport.sleep(d)
    }

    fn clock_ms(&self) -> Option<u64> {
        self.transport.clock_ms()
    }

    fn packages(&mut self) -> Result<Option<Vec<String>>, DeviceError> {
        let out = self.run("pm list packages")?;
        let list = parse::parse_packages(&out.stdout);
        Ok((!list.is_empty()).then_some(list))
    }

    fn install(&mut self, package: &str, build: &Build) -> Result<(), DeviceError> {
        self.acted = true;
        let (command, out) = match build {
            // Streamed as `adb install -r` does on Android 7+: the package
            // manager reads SIZE bytes from the command's input.
            Build::File(bytes) => {
                let command = format!("cmd package install -r -S {}", bytes.len());
                let out = self.transport.shell_input(&command, bytes)?;
                (command, out)
            }
            Build::Version(v) => {
                let command = format!("sim-install {} {v}", shell_quote(package));
                let out = self.run(&command)?;
                (command, out)
            }
        };
        let text = parse::decode_text(&out.stdout);
        if text.lines().any(|l| l.trim() == "Success") {
            return Ok(());
        }
        let output = if matches!(build, Build::Version(_)) && text.contains("not found") {
            "`install: {version: N}` installs a newer build of a simulated app model; on a real device give `install: {apk: PATH}`".to_string()
        } else {
            text.trim().to_string()
        };
        self.transport.check()?;
        Err(DeviceError::Command {
            serial: self.transport.serial().to_string(),
            command,
            output,
        })
    }
}
