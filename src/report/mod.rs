//! What a run leaves behind: `report.json` (schema in docs/report.md) and
//! the terminal summary. Every writer is fed the same [`Report`].

pub mod annotate;
pub mod diff;
pub mod html;
pub mod junit;
pub mod merge;
pub mod rights_view;
pub mod terminal;
mod views;
pub mod xlsx;

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::device::DeviceInfo;
use crate::perception::words::WordsPatch;
use crate::rules::{Status, Verdict};
use crate::runner::RunStatus;
use crate::scenario::AppTarget;
use crate::trace::{Exploration, Frame, FunctionCheck, PolicyText};

/// The version of the report.json schema; bumped on incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The tool that wrote a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    /// `consentry`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// A whole report: every scenario run of one invocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Schema version.
    pub schema: u32,
    /// Who wrote it.
    pub tool: Tool,
    /// When the invocation started.
    pub started: DateTime<Utc>,
    /// When it finished (or when this report was last written).
    pub finished: DateTime<Utc>,
    /// Whether every scheduled scenario has a run here.
    pub complete: bool,
    /// The devices used, with what became of them.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub devices: Vec<DeviceRecord>,
    /// The runs, in scenario order.
    pub runs: Vec<Run>,
    /// Why this report could not be written to disk (the files there are
    /// from an earlier point of the run, or absent). Never in report.json.
    #[serde(skip)]
    pub unwritten: Option<String>,
}

/// One scenario run on one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The scenario file.
    pub scenario: String,
    /// The scenario's name.
    pub name: String,
    /// The device serial.
    pub device: String,
    /// Model and Android version.
    pub device_info: DeviceInfo,
    /// The app under test.
    pub app: AppTargetRecord,
    /// The sha256 of the scenario file that ran (hex).
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub scenario_sha256: String,
    /// How the run ended.
    pub status: RunStatus,
    /// Why it stopped early.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
    /// What an audit could not do or exercise, by phase (`consentry audit`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub notes: Vec<String>,
    /// When it started.
    pub started: DateTime<Utc>,
    /// When it finished.
    pub finished: DateTime<Utc>,
    /// Which attempt produced these verdicts (1 = the first).
    #[serde(default = "one")]
    pub attempt: u32,
    /// Earlier attempts that failed for infrastructure reasons, with their frames.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub failed_attempts: Vec<Attempt>,
    /// One verdict per rule.
    pub verdicts: Vec<Verdict>,
    /// Policy searches.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub explorations: Vec<Exploration>,
    /// Declared basic functions tried after refusing (`check_functions`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub functions: Vec<FunctionCheck>,
    /// Texts of the processing rules read to their end.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub policies: Vec<PolicyText>,
    /// Every frame.
    pub frames: Vec<Frame>,
    /// The scenario's own role words (beyond the defaults) that its verdicts
    /// were judged with, so the report's panels use them too.
    #[serde(skip_serializing_if = "WordsPatch::is_empty", default)]
    pub words: WordsPatch,
}

fn one() -> u32 {
    1
}

/// An attempt at a scenario that a device failure cut short.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// Which attempt.
    pub attempt: u32,
    /// The device it ran on.
    pub device: String,
    /// How it ended.
    pub status: RunStatus,
    /// What went wrong.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
    /// When it started.
    pub started: DateTime<Utc>,
    /// When it ended.
    pub finished: DateTime<Utc>,
    /// The frames it captured.
    pub frames: Vec<Frame>,
}

impl Attempt {
    /// What ended it, in a word or two.
    pub fn status_word(&self) -> &'static str {
        match self.status {
            RunStatus::InfraError => "device error",
            RunStatus::Interrupted => "interrupted",
            RunStatus::StepFailed => "step failed",
            RunStatus::Completed => "completed",
        }
    }

    /// The failed attempt a run record stands for.
    pub fn from_run(run: &Run) -> Attempt {
        Attempt {
            attempt: run.attempt,
            device: run.device.clone(),
            status: run.status,
            error: run.error.clone(),
            started: run.started,
            finished: run.finished,
            frames: run.frames.clone(),
        }
    }
}

/// A device of the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRecord {
    /// Serial.
    pub serial: String,
    /// Scenario attempts it ran.
    pub scenarios: u32,
    /// Why it was put aside, if it was.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub put_aside: Option<String>,
}

/// The app under test, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppTargetRecord {
    /// Package (host package for a mini program).
    pub package: String,
    /// Activity.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub activity: Option<String>,
    /// Deep link of a mini program.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub deeplink: Option<String>,
    /// A mini program's appid (from its deep link); its host is `package`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub appid: Option<String>,
    /// The installed version when the run began (`dumpsys package`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub version: Option<crate::device::AppVersion>,
}

impl AppTargetRecord {
    /// How a report names the app: `com.bank.app 6.2.1 (621)`, or for a
    /// mini program `appid wx123 in com.tencent.mm 8.0.50 (2780)`.
    pub fn describe(&self) -> String {
        let version = self.version.as_ref().map_or(String::new(), |v| {
            match (v.name.is_empty(), v.code.is_empty()) {
                (false, false) => format!(" {} ({})", v.name, v.code),
                (false, true) => format!(" {}", v.name),
                (true, false) => format!(" ({})", v.code),
                (true, true) => String::new(),
            }
        });
        match &self.appid {
            Some(id) => crate::t!(
                "app-mini-program",
                appid = id.as_str(),
                host = self.package.as_str(),
                version = version
            ),
            None => format!("{}{version}", self.package),
        }
    }
}

/// The `appid` parameter of a mini program's deep link.
pub fn appid_of(link: &str) -> Option<String> {
    let query = link.split_once('?')?.1;
    query
        .split(['&', '#'])
        .find_map(|kv| {
            kv.strip_prefix("appid=")
                .or_else(|| kv.strip_prefix("appId="))
        })
        .filter(|v| !v.is_empty() && v.len() <= 64)
        .map(str::to_string)
}

impl From<&AppTarget> for AppTargetRecord {
    fn from(a: &AppTarget) -> Self {
        AppTargetRecord {
            package: a.package.clone(),
            activity: a.activity.clone(),
            deeplink: a.deeplink.clone(),
            appid: a.deeplink.as_deref().and_then(appid_of),
            version: None,
        }
    }
}

impl Report {
    /// An empty report started now.
    pub fn new(started: DateTime<Utc>) -> Report {
        Report {
            schema: SCHEMA_VERSION,
            tool: Tool {
                name: "consentry".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            started,
            finished: started,
            complete: false,
            devices: Vec::new(),
            runs: Vec::new(),
            unwritten: None,
        }
    }

    /// Every verdict with its run.
    pub fn verdicts(&self) -> impl Iterator<Item = (&Run, &Verdict)> {
        self.runs
            .iter()
            .flat_map(|r| r.verdicts.iter().map(move |v| (r, v)))
    }

    /// Counts of verdicts by status: pass, fail, inconclusive, manual.
    pub fn counts(&self) -> [usize; 4] {
        let mut c = [0; 4];
        for (_, v) in self.verdicts() {
            c[match v.status {
                Status::Pass => 0,
                Status::Fail => 1,
                Status::Inconclusive => 2,
                Status::Manual => 3,
            }] += 1;
        }
        c
    }

    /// The exit code the report calls for: 3 on an infrastructure error,
    /// 1 on a failed rule or step, else 0.
    pub fn exit(&self) -> crate::exit::Exit {
        use crate::exit::Exit;
        if self
            .runs
            .iter()
            .any(|r| matches!(r.status, RunStatus::InfraError | RunStatus::Interrupted))
            || !self.complete
            || self.unwritten.is_some()
        {
            Exit::Infra
        } else if self.counts()[1] > 0
            || self.runs.iter().any(|r| r.status == RunStatus::StepFailed)
        {
            Exit::Failed
        } else {
            Exit::Ok
        }
    }

    /// The exit code as a number.
    pub fn exit_code(&self) -> i32 {
        self.exit().code() as i32
    }

    pub fn write_json(&self, dir: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        write_atomic(dir, "report.json", &json)
    }

    /// Writes report.json, index.html and junit.xml into `dir`.
    pub fn write_all(&self, dir: &Path) -> std::io::Result<()> {
        self.write_json(dir)?;
        self.write_views(dir)
    }

    /// Writes index.html, junit.xml and report.xlsx into `dir`.
    pub fn write_views(&self, dir: &Path) -> std::io::Result<()> {
        let book = xlsx::render(self, crate::i18n::current()).map_err(std::io::Error::other)?;
        write_atomic(dir, "report.xlsx", &book)?;
        let html = html::render(self, dir);
        write_atomic(dir, "index.html", html.as_bytes())?;
        let xml = junit::render(self).map_err(std::io::Error::other)?;
        write_atomic(dir, "junit.xml", xml.as_bytes())
    }

    /// Reads a report.json.
    /// A report of another schema version is refused by name.
    pub fn read_json(path: &Path) -> Result<Report, String> {
        let bytes = crate::files::read(path, crate::files::MAX_TEXT, "report.json")
            .map_err(|e| e.to_string())?;
        let shown = || terminal::printable(&path.display().to_string());
        #[derive(serde::Deserialize)]
        struct Head {
            schema: Option<serde_json::Value>,
        }
        let head: Head = serde_json::from_slice(&bytes)
            .map_err(|e| format!("{} is not a consentry report: {e}", shown()))?;
        match head.schema {
            Some(serde_json::Value::Number(n)) if n.as_u64() == Some(SCHEMA_VERSION as u64) => {}
            Some(v) => {
                return Err(format!(
                    "{} is a report of schema {v}; this consentry ({}) reads schema {SCHEMA_VERSION}: use the consentry that wrote it",
                    shown(),
                    env!("CARGO_PKG_VERSION")
                ))
            }
            None => {
                return Err(format!(
                    "{} is not a consentry report: it has no `schema`",
                    shown()
                ))
            }
        }
        serde_json::from_slice(&bytes)
            .map_err(|e| format!("{} is not a consentry report: {e}", shown()))
    }
}

/// Writes a file by renaming a finished temporary one into place, so a
/// reader never sees half a file.
/// Every write is checked, through to the disk (a full disk often shows
/// only at `fsync`); on failure the temporary file is removed and the
/// previous file stays as it was.
fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = dir.join(format!(".{name}.tmp"));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    let done = written.and_then(|()| std::fs::rename(&tmp, dir.join(name)));
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done
}
