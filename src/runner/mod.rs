//! Executes a scenario's steps on a device and records the trace: after
//! every step a frame (screenshot, texts, foreground, process, app-ops).

mod crawl;
mod explore;
mod functions;
pub mod secret;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::device::{Build, Device, DeviceError, DeviceInfo, HierarchyNode, Key, LaunchTarget};
use crate::geom::Rect;
use crate::perception::{Observation, Perceiver, PerceptionError, Role, TextItem};
use crate::scenario::{InstallBuild, Scenario, StepKind, Swipe, SwipeDirection, TapTarget};
use crate::screen::{controls, identity, kind as screen_kind, View};
use crate::trace::{ActionKind, Exploration, Frame, FunctionCheck, PolicyText, Tap, Target, Trace};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Every step ran.
    Completed,
    /// A step could not be done or an assertion failed; later steps were skipped.
    StepFailed,
    /// The device or OCR failed: an infrastructure problem, not a verdict.
    InfraError,
    /// Stopped by Ctrl-C.
    Interrupted,
}

/// A step that could not be done.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// The step failed (text not found, assertion).
    #[error("{0}")]
    Failed(String),
    /// The device failed.
    #[error(transparent)]
    Device(#[from] DeviceError),
    /// OCR failed.
    #[error(transparent)]
    Perception(#[from] PerceptionError),
    /// Ctrl-C.
    #[error("interrupted")]
    Interrupted,
    /// The scenario asked for more than its run budget allows.
    #[error("run budget exceeded: {0}")]
    Budget(String),
}

/// Caps on what one scenario may use (and, for disk, the whole run), so a
/// nightly run finishes whatever a scenario asks. Exceeding one ends that
/// scenario with a step failure naming the cap and the flag that raises it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    /// Frames one scenario may capture (`--max-frames`).
    pub max_frames: usize,
    /// The shortest `observe` interval (`--min-interval`).
    pub min_interval: Duration,
    /// Time one scenario may spend waiting in all: waits, settling,
    /// `wait_for` and `observe` (`--max-wait`).
    pub max_wait: Duration,
    /// Bytes of screenshots and frame records the whole run may write
    /// (`--max-disk`).
    pub max_disk: u64,
    /// Time one scenario may take in all, by the wall clock (`consentry
    /// audit --max-minutes`); past it the run ends with what it judged.
    pub max_time: Option<Duration>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_frames: 2_000,
            min_interval: Duration::from_millis(100),
            max_wait: Duration::from_secs(30 * 60),
            max_disk: 8 << 30,
            max_time: None,
        }
    }
}

/// Progress of a run, for displays.
#[derive(Debug, Clone)]
pub enum Event {
    /// A step starts.
    Step {
        /// Step index.
        index: usize,
        /// Description.
        describe: String,
    },
    /// A frame was captured.
    Frame {
        /// Frame index.
        index: usize,
    },
}

/// What one scenario run produced.
#[derive(Debug)]
pub struct RunOutcome {
    /// The trace, complete up to where the run stopped.
    pub trace: Trace,
    /// How it ended.
    pub status: RunStatus,
    /// Why it stopped early.
    pub error: Option<String>,
    /// The step it stopped at.
    pub failed_step: Option<usize>,
    /// What a tolerant run (an audit) could not do or exercise, by phase.
    pub notes: Vec<String>,
    /// The device's model and version.
    pub device: DeviceInfo,
    /// The app's installed version when the run began.
    pub app_version: Option<crate::device::AppVersion>,
    /// When it started.
    pub started: DateTime<Utc>,
    /// When it ended.
    pub finished: DateTime<Utc>,
}

/// Settle time after an action before the frame is captured.
const SETTLE: Duration = Duration::from_millis(400);
const LAUNCH_SETTLE: Duration = Duration::from_millis(1500);
const POLL: Duration = Duration::from_millis(500);

/// Runs scenarios on one device, with one OCR engine.
pub struct Runner<'a> {
    device: &'a mut dyn Device,
    perceiver: &'a mut Perceiver,
    out_dir: PathBuf,
    cancel: &'a AtomicBool,
    budget: Budget,
    disk: Option<&'a AtomicU64>,
}

struct Ctx<'s> {
    sc: &'s Scenario,
    frames_dir: String,
    frames: Vec<Frame>,
    explorations: Vec<Exploration>,
    functions: Vec<FunctionCheck>,
    policies: Vec<PolicyText>,
    nodes: Vec<HierarchyNode>,
    obs: Observation,
    started: Instant,
    start_time: DateTime<Utc>,
    virtual_ms: u64,
    /// The device's own clock at the start, when it keeps one apart from
    /// real time (the in-process simulated device).
    device_start_ms: Option<u64>,
    step: usize,
    describe: String,
    line: usize,
    /// Width and height of the last screenshot, in pixels.
    screen: (i32, i32),
    waited: Duration,
    secrets: secret::Secrets,
    /// The text boxes this run typed into (secret or not).
    typed_fields: Vec<Rect>,
    /// The audit phase under way (`phase` steps).
    phase: Option<String>,
    /// Steps a tolerant run (an audit) could not do, and what its crawls
    /// met: what the report says it could not exercise.
    notes: Vec<String>,
    /// Runtime permissions read right before the launch being made.
    permissions_before: Option<Vec<crate::device::RuntimePermission>>,
    /// The last screen perceived and what was read of it: a frame whose
    /// screenshot is the same bytes, with nothing done to the device since,
    /// reuses its hierarchy and perception.
    last_look: Option<LastLook>,
    /// The hash of the last screenshot read off the device.
    last_shot: Option<blake3::Hash>,
}

/// A frame as read off the device, not yet perceived.
struct RawFrame {
    reads: crate::device::FrameReads,
    /// The hash of its screenshot.
    shot: blake3::Hash,
    elapsed_ms: u64,
    /// The same screenshot as the last read, nothing done since: its
    /// hierarchy was not dumped, and the last look is reused.
    same: bool,
}

/// A screen as read and perceived (without typed secrets to hide).
struct LastLook {
    shot: blake3::Hash,
    nodes: Vec<HierarchyNode>,
    obs: Observation,
}

impl<'a> Runner<'a> {
    /// A runner writing screenshots under `out_dir`.
    pub fn new(
        device: &'a mut dyn Device,
        perceiver: &'a mut Perceiver,
        out_dir: &Path,
        cancel: &'a AtomicBool,
    ) -> Self {
        Self {
            device,
            perceiver,
            out_dir: out_dir.to_path_buf(),
            cancel,
            budget: Budget::default(),
            disk: None,
        }
    }

    /// Runs under these caps; `disk` counts the bytes every runner of the
    /// run wrote.
    pub fn with_budget(mut self, budget: Budget, disk: &'a AtomicU64) -> Self {
        self.budget = budget;
        self.disk = Some(disk);
        self
    }

    /// Runs one scenario; `frames_dir` is where its screenshots go, relative
    /// to the output folder.
    pub fn run(
        &mut self,
        sc: &Scenario,
        frames_dir: &str,
        on_event: &mut dyn FnMut(Event),
    ) -> RunOutcome {
        let started = Utc::now();
        let mut cx = Ctx {
            sc,
            frames_dir: frames_dir.to_string(),
            frames: Vec::new(),
            explorations: Vec::new(),
            functions: Vec::new(),
            policies: Vec::new(),
            nodes: Vec::new(),
            obs: Observation::default(),
            started: Instant::now(),
            start_time: started,
            virtual_ms: 0,
            device_start_ms: self.device.clock_ms(),
            step: 0,
            describe: String::new(),
            permissions_before: None,
            last_look: None,
            last_shot: None,
            line: 0,
            screen: (1080, 2400),
            waited: Duration::ZERO,
            secrets: secret::Secrets::default(),
            typed_fields: Vec::new(),
            phase: None,
            notes: Vec::new(),
        };
        let mut device = DeviceInfo {
            serial: self.device.serial().to_string(),
            ..Default::default()
        };
        let mut result = std::fs::create_dir_all(self.out_dir.join(frames_dir)).map_err(|e| {
            StepError::Failed(format!(
                "cannot create {}: {e}",
                self.out_dir.join(frames_dir).display()
            ))
        });
        if result.is_ok() {
            result = self
                .device
                .info()
                .map(|i| device = i)
                .map_err(StepError::from);
        }
        if result.is_ok() {
            result = self.check_installed(sc, &device.serial);
        }
        // Which build was tested, for the report; a device that does not
        // say is no reason to stop.
        let app_version = if result.is_ok() {
            self.device.app_version(&sc.app.package).ok().flatten()
        } else {
            None
        };
        let mut failed_step = None;
        if result.is_ok() {
            for (i, step) in sc.steps.iter().enumerate() {
                if self.cancel.load(Ordering::SeqCst) {
                    result = Err(StepError::Interrupted);
                    failed_step = Some(i);
                    break;
                }
                if let Some(max) = self.budget.max_time {
                    if cx.started.elapsed() > max {
                        result = Err(StepError::Budget(format!(
                            "the run took more than {} min, its time budget (raise it with --max-minutes): what it saw until then is judged",
                            max.as_secs().div_ceil(60)
                        )));
                        failed_step = Some(i);
                        break;
                    }
                }
                cx.step = i;
                cx.describe = step.kind.describe();
                cx.line = step.line;
                on_event(Event::Step {
                    index: i,
                    describe: match &cx.phase {
                        Some(p) => format!("[{p}] {}", cx.describe),
                        None => cx.describe.clone(),
                    },
                });
                let first_launch = !sc.steps[..i]
                    .iter()
                    .any(|s| matches!(s.kind, StepKind::Launch { .. }));
                match self.step(&mut cx, &step.kind, first_launch, on_event) {
                    Err(StepError::Failed(m)) if sc.tolerant => {
                        // An audit does not know the app: a step it cannot
                        // do is noted, and the run goes on.
                        let phase = cx.phase.clone().unwrap_or_default();
                        cx.notes.push(format!("{phase}: `{}`: {m}", cx.describe));
                    }
                    Err(e) => {
                        result = Err(e);
                        failed_step = Some(i);
                        break;
                    }
                    Ok(()) => {}
                }
            }
        }
        let (status, error) = match result {
            Ok(()) => (RunStatus::Completed, None),
            Err(StepError::Failed(m)) => (RunStatus::StepFailed, Some(m)),
            Err(e @ StepError::Budget(_)) => (RunStatus::StepFailed, Some(e.to_string())),
            Err(StepError::Interrupted) => {
                (RunStatus::Interrupted, Some("interrupted by Ctrl-C".into()))
            }
            Err(e) => (RunStatus::InfraError, Some(e.to_string())),
        };
        let error = match (error, failed_step) {
            (Some(e), Some(i)) => Some(format!(
                "step {} `{}` (line {}): {e}",
                i + 1,
                sc.steps[i].kind.describe(),
                sc.steps[i].line
            )),
            (e, _) => e,
        };
        RunOutcome {
            trace: Trace {
                app: sc.app.clone(),
                frames: cx.frames,
                explorations: cx.explorations,
                functions: cx.functions,
                policies: cx.policies,
                words: sc.words.clone(),
            },
            status,
            error,
            failed_step,
            notes: cx.notes,
            device,
            app_version,
            started,
            finished: Utc::now(),
        }
    }

    fn sleep(&mut self, cx: &mut Ctx, d: Duration) -> Result<(), StepError> {
        Self::sleep_on(&mut *self.device, &self.budget, cx, d)
    }

    fn sleep_on(
        device: &mut dyn Device,
        budget: &Budget,
        cx: &mut Ctx,
        d: Duration,
    ) -> Result<(), StepError> {
        cx.waited += d;
        if cx.waited > budget.max_wait {
            return Err(StepError::Budget(format!(
                "the scenario waited more than {} s in all (raise it with --max-wait)",
                budget.max_wait.as_secs()
            )));
        }
        // A simulated device's clock may move without real time passing;
        // count the difference so frame times follow the device.
        let t = Instant::now();
        device.sleep(d);
        cx.virtual_ms += d.saturating_sub(t.elapsed()).as_millis() as u64;
        Ok(())
    }

    /// `observe`: `n` frames, one every `interval`. A frame's screen is
    /// read (OCR) on another thread while the runner waits for the next
    /// and reads it off the device; frames are recorded in order, each as
    /// it was read.
    fn observe(
        &mut self,
        cx: &mut Ctx,
        n: u128,
        interval: Duration,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        let mut held: Option<RawFrame> = None;
        let mut i = 0;
        loop {
            let more = i < n;
            i += 1;
            let sc = cx.sc;
            let plain = cx.secrets.is_empty();
            let (device, perceiver, budget, cancel) = (
                &mut *self.device,
                &mut *self.perceiver,
                &self.budget,
                self.cancel,
            );
            let (read, next) = std::thread::scope(|scope| {
                let job = held.as_ref().filter(|r| plain && !r.same).map(|r| {
                    scope.spawn(move || {
                        crate::screen::observe(perceiver, &r.reads.png, &r.reads.nodes, &sc.words)
                    })
                });
                let next = if !more {
                    Ok(None)
                } else if cancel.load(Ordering::SeqCst) {
                    Err(StepError::Interrupted)
                } else {
                    Self::sleep_on(device, budget, cx, interval)
                        .and_then(|()| Self::read_raw(device, cx))
                        .map(Some)
                };
                let read = job.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
                (read, next)
            });
            if let Some(raw) = held.take() {
                let read = read.transpose()?;
                let (obs, frame) = self.perceive(cx, raw, read)?;
                self.record(cx, obs, frame, on_event)?;
            }
            held = next?;
            if held.is_none() {
                return Ok(());
            }
        }
    }

    /// A scenario whose app is not on the device cannot start: say so, with
    /// what is installed, before any step.
    fn check_installed(&mut self, sc: &Scenario, serial: &str) -> Result<(), StepError> {
        let Some(installed) = self.device.packages()? else {
            return Ok(());
        };
        if installed.contains(&sc.app.package) {
            return Ok(());
        }
        let mut near: Vec<&String> = installed
            .iter()
            .filter(|p| !p.starts_with("com.android.") && !p.starts_with("android"))
            .collect();
        near.sort_by_key(|p| strsim::damerau_levenshtein(p, &sc.app.package));
        let shown: Vec<&str> = near.iter().take(12).map(|p| p.as_str()).collect();
        Err(StepError::Device(DeviceError::NotInstalled {
            serial: serial.to_string(),
            package: sc.app.package.clone(),
            installed: format!(
                "{}{}",
                shown.join(", "),
                if near.len() > shown.len() {
                    ", …"
                } else {
                    ""
                }
            ),
        }))
    }

    fn target(&self, sc: &Scenario) -> LaunchTarget {
        match &sc.app.deeplink {
            Some(url) => LaunchTarget::DeepLink {
                url: url.clone(),
                package: sc.app.package.clone(),
            },
            None => LaunchTarget::Component {
                package: sc.app.package.clone(),
                activity: sc
                    .app
                    .activity
                    .clone()
                    .unwrap_or_else(|| ".MainActivity".into()),
            },
        }
    }

    /// Starts the app (or opens the mini program) and captures it.
    fn launch_app(
        &mut self,
        cx: &mut Ctx,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        let pkg = cx.sc.app.package.clone();
        let mut target = self.target(cx.sc);
        if cx.sc.app.activity.is_none() && !cx.sc.app.is_mini_program() {
            // An app named by its package alone: the launcher's activity.
            if let Some(a) = self.device.launcher_activity(&pkg)? {
                target = LaunchTarget::Component {
                    package: pkg.clone(),
                    activity: a,
                };
            }
        }
        cx.permissions_before = if reads_permissions(cx.sc) {
            self.device.runtime_permissions(&pkg)?
        } else {
            None
        };
        self.device.launch(&target)?;
        self.sleep(cx, LAUNCH_SETTLE)?;
        self.capture(cx, ActionKind::Launch, None, on_event)
    }

    /// In an audit (which does not know the app), answers a prompt only
    /// when the screen shows one: a consent prompt, a login page asking
    /// consent, a permission dialog; never a 关闭 or 取消 elsewhere.
    fn prompt_shown(&self, cx: &Ctx) -> Result<(), StepError> {
        if !cx.sc.tolerant {
            return Ok(());
        }
        let Some(f) = cx.frames.last() else {
            return Ok(());
        };
        let v = View {
            texts: &f.texts,
            foreground: f.foreground.as_ref(),
            words: &cx.sc.words,
            mini_program: cx.sc.app.is_mini_program(),
            app: Some(&cx.sc.app.package),
            inputs: &f.inputs,
        };
        // A long consent dialog shows its text first, its buttons below:
        // the step scrolls to them.
        let long_text = v.kind() == crate::screen::Kind::PolicyText;
        if v.prompt().is_some() || screen_kind::is_login_prompt(&f.texts) || long_text {
            Ok(())
        } else {
            Err(StepError::Failed(format!(
                "no consent prompt on the screen (a {} screen)",
                v.kind().as_str()
            )))
        }
    }

    /// Whether the user pressed Ctrl-C.
    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    fn step(
        &mut self,
        cx: &mut Ctx,
        kind: &StepKind,
        first_launch: bool,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        let pkg = cx.sc.app.package.clone();
        match kind {
            StepKind::Launch { clear_data } => {
                if *clear_data || (first_launch && cx.sc.clear_data) {
                    self.device.force_stop(&pkg)?;
                    self.device.clear_data(&pkg)?;
                    // Rules (policy-on-first-launch) tell a fresh install by it.
                    cx.describe = StepKind::Launch { clear_data: true }.describe();
                }
                self.launch_app(cx, on_event)?;
            }
            StepKind::Phase(name) => {
                cx.phase = Some(name.clone());
            }
            StepKind::DiscoverFunctions { max } => {
                self.discover_functions(cx, *max, on_event)?;
            }
            StepKind::DenyPermissions => {
                self.deny_permissions(cx, on_event)?;
            }
            StepKind::ReadPromptPolicy => {
                self.read_prompt_policy(cx, on_event)?;
            }
            StepKind::OpenLogin => {
                self.open_login(cx, on_event)?;
            }
            StepKind::WaitOutSplash => {
                self.wait_out_splash(cx, on_event)?;
            }
            StepKind::Crawl { max_taps } => {
                let got = self.crawl(cx, *max_taps, on_event)?;
                cx.notes.push(format!(
                    "crawl: {} entries tapped, {} screens seen, {} permission dialogs refused, {} face screens, {} login screens",
                    got.taps,
                    got.screens.len(),
                    got.dialogs,
                    got.faces,
                    got.logins
                ));
            }
            StepKind::Stop => {
                self.device.force_stop(&pkg)?;
                self.capture(cx, ActionKind::Stop, None, on_event)?;
            }
            StepKind::ClearData => {
                self.device.clear_data(&pkg)?;
                self.capture(cx, ActionKind::Stop, None, on_event)?;
            }
            StepKind::Tap(target) => {
                let tap = match target {
                    TapTarget::Point(x, y) => {
                        let hit = cx
                            .obs
                            .texts
                            .iter()
                            .find(|t| t.bounds.contains(*x, *y))
                            .cloned();
                        Tap {
                            x: *x,
                            y: *y,
                            label: hit.as_ref().map(|t| t.text.clone()),
                            role: hit.as_ref().map(|t| t.role),
                            bounds: hit.map(|t| t.bounds),
                        }
                    }
                    TapTarget::Text(text) => {
                        let t = self.find_text(cx, text, on_event)?;
                        tap_on(&t)
                    }
                    TapTarget::Id(id) => {
                        let node = cx
                            .nodes
                            .iter()
                            .find(|n| {
                                n.resource_id == *id
                                    || n.resource_id.rsplit(":id/").next() == Some(id.as_str())
                            })
                            .cloned()
                            .ok_or_else(|| {
                                StepError::Failed(format!(
                                    "no view with resource id `{id}` on the screen"
                                ))
                            })?;
                        let (x, y) = node.bounds.center();
                        let label = Some(node.label().to_string()).filter(|l| !l.is_empty());
                        Tap {
                            x,
                            y,
                            role: label.as_ref().map(|l| cx.sc.words.role(l)),
                            label,
                            bounds: Some(node.bounds),
                        }
                    }
                };
                self.tap(cx, tap, on_event)?;
            }
            StepKind::Type(text) => {
                // The field it goes into: the text field the last tap hit,
                // else the one with the input focus, when the hierarchy
                // shows one.
                let is_field = |n: &&HierarchyNode| n.class.contains("EditText") || n.password;
                let tapped = cx.frames.last().and_then(|f| f.tap.as_ref()).and_then(|t| {
                    cx.nodes
                        .iter()
                        .filter(is_field)
                        .filter(|n| n.bounds.contains(t.x, t.y))
                        .min_by_key(|n| n.bounds.area())
                });
                let field = tapped
                    .or_else(|| cx.nodes.iter().filter(is_field).find(|n| n.focused))
                    .map(|n| n.bounds);
                if let Some(f) = field {
                    if !cx.typed_fields.contains(&f) {
                        cx.typed_fields.push(f);
                    }
                }
                if text.is_secret() {
                    cx.secrets.typed(text.value(), field);
                }
                self.device.text(text.value()).map_err(|e| {
                    if text.is_secret() {
                        // Still a device error (retried elsewhere), but
                        // without the command line that holds the secret.
                        StepError::Device(DeviceError::Command {
                            serial: self.device.serial().to_string(),
                            command: "type (secret)".into(),
                            output: cx.secrets.redact(&e.to_string()),
                        })
                    } else {
                        e.into()
                    }
                })?;
                self.sleep(cx, SETTLE)?;
                self.capture(cx, ActionKind::Type, None, on_event)?;
                if !text.is_secret() {
                    if let Some(f) = cx.frames.last_mut() {
                        f.typed = Some(text.value().to_string());
                    }
                }
            }
            StepKind::Back => {
                self.press_back(cx, on_event)?;
            }
            StepKind::Home => {
                self.device.key(Key::Home)?;
                self.sleep(cx, SETTLE)?;
                self.capture(cx, ActionKind::Home, None, on_event)?;
            }
            StepKind::Wait(d) => {
                self.sleep(cx, *d)?;
                self.capture(cx, ActionKind::Look, None, on_event)?;
            }
            StepKind::WaitFor { text, timeout } => {
                self.wait_for(cx, text, *timeout, on_event)?;
            }
            StepKind::Observe { duration, interval } => {
                if *interval < self.budget.min_interval {
                    return Err(StepError::Budget(format!(
                        "`observe` every {} ms is more often than every {} ms (raise it with --min-interval)",
                        interval.as_millis(),
                        self.budget.min_interval.as_millis()
                    )));
                }
                let n = (duration.as_millis() / interval.as_millis().max(1)).max(1);
                if cx.frames.len() as u128 + n > self.budget.max_frames as u128 {
                    return Err(StepError::Budget(format!(
                        "`observe` would capture {n} frames, more than the {} one scenario may have (raise it with --max-frames)",
                        self.budget.max_frames
                    )));
                }
                self.observe(cx, n, *interval, on_event)?;
            }
            StepKind::Agree => {
                self.ensure_frame(cx, on_event)?;
                self.prompt_shown(cx)?;
                self.agree(cx, on_event)?;
            }
            StepKind::Refuse => {
                self.ensure_frame(cx, on_event)?;
                self.prompt_shown(cx)?;
                self.refuse(cx, true, on_event)?;
            }
            StepKind::RefuseOnce => {
                self.ensure_frame(cx, on_event)?;
                self.refuse(cx, false, on_event)?;
            }
            StepKind::Swipe(sw) => {
                self.ensure_frame(cx, on_event)?;
                let (w, h) = cx.screen;
                let (x1, y1, x2, y2, ms) = match *sw {
                    Swipe::Points { x1, y1, x2, y2, ms } => (x1, y1, x2, y2, ms),
                    Swipe::Direction(d) => {
                        let (cx_, cy) = (w / 2, h / 2);
                        let (dx, dy) = (w * 3 / 10, h / 5);
                        match d {
                            SwipeDirection::Up => (cx_, cy + dy, cx_, cy - dy, 300),
                            SwipeDirection::Down => (cx_, cy - dy, cx_, cy + dy, 300),
                            SwipeDirection::Left => (cx_ + dx, cy, cx_ - dx, cy, 300),
                            SwipeDirection::Right => (cx_ - dx, cy, cx_ + dx, cy, 300),
                        }
                    }
                };
                self.device.swipe(x1, y1, x2, y2, ms)?;
                self.sleep(cx, SETTLE)?;
                self.capture(cx, ActionKind::Swipe, None, on_event)?;
            }
            StepKind::AssertVisible(text) => {
                self.capture(cx, ActionKind::Look, None, on_event)?;
                if cx.obs.find(text).is_none() {
                    return Err(StepError::Failed(format!("「{text}」 is not visible")));
                }
            }
            StepKind::AssertNotVisible(text) => {
                self.capture(cx, ActionKind::Look, None, on_event)?;
                if let Some(t) = cx.obs.find(text) {
                    return Err(StepError::Failed(format!(
                        "「{text}」 is visible (as 「{}」 at {:?})",
                        t.text, t.bounds
                    )));
                }
            }
            StepKind::Install {
                build,
                policy_changed,
            } => {
                let b = match build {
                    InstallBuild::Version(v) => Build::Version(*v),
                    InstallBuild::Apk(p) => Build::File(
                        crate::files::read(p, crate::files::MAX_APK, "APK")
                            .map_err(|e| StepError::Failed(e.to_string()))?,
                    ),
                };
                self.device.install(&pkg, &b)?;
                self.sleep(cx, SETTLE)?;
                self.capture(cx, ActionKind::Install, None, on_event)?;
                if let Some(f) = cx.frames.last_mut() {
                    f.install = Some(crate::trace::Installed {
                        build: build.describe(),
                        policy_changed: *policy_changed,
                    });
                }
            }
            StepKind::ExplorePolicy { max_taps } => {
                self.ensure_frame(cx, on_event)?;
                let e = explore::explore(self, cx, Target::Policy, *max_taps, on_event)?;
                let read = e.found.is_some() && reads_policy(cx.sc);
                cx.explorations.push(e);
                if read {
                    // The policy's content is judged from its whole text.
                    let p = self.read_policy(cx, on_event)?;
                    cx.policies.push(p);
                }
            }
            StepKind::Explore { target, max_taps } => {
                self.ensure_frame(cx, on_event)?;
                let e = explore::explore(self, cx, *target, *max_taps, on_event)?;
                let read = *target == Target::Policy && e.found.is_some() && reads_policy(cx.sc);
                cx.explorations.push(e);
                if read {
                    let p = self.read_policy(cx, on_event)?;
                    cx.policies.push(p);
                }
            }
            StepKind::CheckFunctions(labels) => {
                self.check_functions(cx, labels, on_event)?;
            }
            StepKind::ReadPolicy => {
                let p = self.read_policy(cx, on_event)?;
                cx.policies.push(p);
            }
        }
        Ok(())
    }

    /// Agrees: ticks an unticked consent box, as a user would, then taps the
    /// clear agree (else a vague one; on a login page, its login action),
    /// scrolling down to find them when the prompt is longer than the screen.
    fn agree(&mut self, cx: &mut Ctx, on_event: &mut dyn FnMut(Event)) -> Result<(), StepError> {
        for _ in 0..=MAX_SCROLLS {
            let unticked = cx
                .obs
                .with_role(Role::Checkbox)
                .find(|t| t.checked == Some(false))
                .cloned();
            if let Some(cb) = unticked {
                let mut tap = tap_on(&cb);
                // The box sits at the label's left edge.
                tap.x = cb.bounds.x + (cx.screen.0 / 50).min(cb.bounds.w / 2);
                tap.y = cb.bounds.y + (cb.bounds.h / 2).min(cx.screen.0 / 28);
                self.tap(cx, tap, on_event)?;
            }
            let login = cx
                .frames
                .last()
                .is_some_and(|f| screen_kind::is_login_prompt(&f.texts));
            let found = pick(&cx.obs, Role::Agree)
                .or_else(|| pick(&cx.obs, Role::Vague))
                .or_else(|| {
                    login
                        .then(|| {
                            cx.obs
                                .texts
                                .iter()
                                .find(|t| screen_kind::is_login_action(&t.text))
                        })
                        .flatten()
                        .cloned()
                });
            if let Some(t) = found {
                return self.tap(cx, tap_on(&t), on_event);
            }
            if !self.scroll_down(cx, on_event)? {
                break;
            }
        }
        self.tap_control(cx, "agree", Role::Agree, Role::Vague, on_event)
    }

    /// Refuses the prompt on the screen, scrolling to find its refuse
    /// control; with `through`, also refuses each confirmation dialog the app
    /// answers with (温馨提示 … 仍不同意), up to four, and names them in the
    /// timeline. On a login page with nothing to decline, presses back.
    fn refuse(
        &mut self,
        cx: &mut Ctx,
        through: bool,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        let words = cx.sc.words.clone();
        let permission = cx.frames.last().is_some_and(|f| {
            View {
                texts: &f.texts,
                foreground: f.foreground.as_ref(),
                words: &words,
                mini_program: cx.sc.app.is_mini_program(),
                app: Some(&cx.sc.app.package),
                inputs: &f.inputs,
            }
            .is_system_permission_dialog()
        });
        let login = cx
            .frames
            .last()
            .is_some_and(|f| screen_kind::is_login_prompt(&f.texts));
        if login && !cx.obs.texts.iter().any(|t| controls::is_way_out(t, &words)) {
            return self.press_back(cx, on_event);
        }
        let mut found = None;
        for _ in 0..=MAX_SCROLLS {
            found = pick(&cx.obs, Role::Refuse)
                .or_else(|| pick(&cx.obs, Role::WeakRefuse))
                .or_else(|| {
                    login
                        .then(|| {
                            cx.obs
                                .texts
                                .iter()
                                .find(|t| controls::is_way_out(t, &words))
                        })
                        .flatten()
                        .cloned()
                });
            if found.is_some() || !self.scroll_down(cx, on_event)? {
                break;
            }
        }
        let Some(t) = found else {
            return self.tap_control(cx, "refuse", Role::Refuse, Role::WeakRefuse, on_event);
        };
        let start = cx.frames.len() - 1;
        self.tap(cx, tap_on(&t), on_event)?;
        if !through || permission {
            // A permission dialog has no confirmation to refuse through.
            return Ok(());
        }
        let mut passed = vec![start];
        for _ in 0..4 {
            let Some(f) = cx.frames.last() else { break };
            if passed
                .iter()
                .any(|&p| identity::same_view(&cx.frames[p], f))
            {
                break; // the prompt itself came back: the chain ends here
            }
            // A confirmation dialog: a clear way to refuse again, on a screen
            // that is about consent (weak words like 关闭 alone are not enough).
            let about_consent = f.texts.iter().any(|t| {
                let n = t.text.as_str();
                [
                    "同意", "协议", "政策", "隐私", "授权", "agree", "policy", "consent",
                ]
                .iter()
                .any(|w| n.to_lowercase().contains(w))
            });
            let refusal = f
                .texts
                .iter()
                .filter(|t| t.role == Role::Refuse || controls::is_refusal_label(&t.text, &words))
                .filter(|t| t.role != Role::WeakRefuse || about_consent)
                .filter(|t| t.role != Role::Other || normalize_len(&t.text) <= 8)
                // A clear refusal before a weak one (再想想, 取消 go back).
                // The hierarchy's (the top window's) before OCR's, which
                // also reads the screen the dialog dims.
                .min_by_key(|t| {
                    let rank = match t.role {
                        Role::Refuse => 0,
                        Role::Other => 1,
                        _ => 2,
                    };
                    (t.source != crate::perception::Source::Hierarchy, rank)
                })
                .cloned();
            let Some(r) = refusal else { break };
            if !about_consent && r.role != Role::Refuse {
                break;
            }
            let title = screen_kind::dialog_title(f);
            passed.push(f.index);
            let label = format!("{} › 「{}」 on {title}", cx.describe, r.text);
            self.tap_named(cx, &r, label, on_event)?;
        }
        Ok(())
    }

    /// Scrolls the screen down by about a third; false when nothing moved
    /// (the end, or nothing scrolls).
    fn scroll_down(
        &mut self,
        cx: &mut Ctx,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<bool, StepError> {
        // Only where something can scroll: a scrolling view in the
        // hierarchy, or web content (no hierarchy to tell).
        let scrolls = cx.nodes.iter().all(|n| n.label().is_empty())
            || cx.nodes.iter().any(|n| {
                [
                    "ScrollView",
                    "RecyclerView",
                    "ListView",
                    "WebView",
                    "ViewPager",
                ]
                .iter()
                .any(|c| n.class.ends_with(c))
            });
        if !scrolls {
            return Ok(false);
        }
        let before: Vec<(String, i32)> = cx
            .obs
            .texts
            .iter()
            .map(|t| (t.text.clone(), t.bounds.y))
            .collect();
        let (w, h) = cx.screen;
        self.device
            .swipe(w / 2, h * 65 / 100, w / 2, h * 35 / 100, 300)?;
        self.sleep(cx, SETTLE)?;
        self.capture(cx, ActionKind::Swipe, None, on_event)?;
        let after: Vec<(String, i32)> = cx
            .obs
            .texts
            .iter()
            .map(|t| (t.text.clone(), t.bounds.y))
            .collect();
        Ok(after != before)
    }

    /// Taps the consent prompt's control with role `clear`, else one with
    /// role `weak`; a step failure naming the words looked for if neither shows.
    fn tap_control(
        &mut self,
        cx: &mut Ctx,
        what: &str,
        clear: Role,
        weak: Role,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        let found = pick(&cx.obs, clear).or_else(|| pick(&cx.obs, weak));
        let Some(t) = found else {
            let w = &cx.sc.words;
            let (a, b) = if clear == Role::Agree {
                (&w.agree, &w.vague)
            } else {
                (&w.refuse, &w.weak_refuse)
            };
            let looked: Vec<&str> = a.iter().chain(b).take(8).map(String::as_str).collect();
            return Err(StepError::Failed(format!(
                "no {what} control on the screen (looked for {})",
                looked.join(", ")
            )));
        };
        self.tap(cx, tap_on(&t), on_event)
    }

    fn ensure_frame(
        &mut self,
        cx: &mut Ctx,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        if cx.frames.is_empty() {
            self.capture(cx, ActionKind::Look, None, on_event)?;
        }
        Ok(())
    }

    /// Taps a text, naming the frame after it `label` in the timeline.
    fn tap_named(
        &mut self,
        cx: &mut Ctx,
        t: &TextItem,
        label: String,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        let describe = std::mem::replace(&mut cx.describe, label);
        let res = self.tap(cx, tap_on(t), on_event);
        cx.describe = describe;
        res
    }

    fn tap(
        &mut self,
        cx: &mut Ctx,
        tap: Tap,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        self.device.tap(tap.x, tap.y)?;
        self.sleep(cx, SETTLE)?;
        self.capture(cx, ActionKind::Tap, Some(tap), on_event)
    }

    fn find_text(
        &mut self,
        cx: &mut Ctx,
        text: &str,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<TextItem, StepError> {
        self.ensure_frame(cx, on_event)?;
        if let Some(t) = cx.obs.find(text) {
            return Ok(t.clone());
        }
        // It may still be appearing: look again for a moment.
        self.wait_for(cx, text, Duration::from_secs(2), on_event)
            .map_err(|_| StepError::Failed(format!("no 「{text}」 on the screen to tap")))
    }

    fn wait_for(
        &mut self,
        cx: &mut Ctx,
        text: &str,
        timeout: Duration,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<TextItem, StepError> {
        let mut waited = Duration::ZERO;
        loop {
            let (obs, frame) = self.look(cx)?;
            if let Some(t) = obs.find(text).cloned() {
                self.record(cx, obs, frame, on_event)?;
                return Ok(t);
            }
            if waited >= timeout || self.cancel.load(Ordering::SeqCst) {
                self.record(cx, obs, frame, on_event)?;
                return Err(StepError::Failed(format!(
                    "「{text}」 did not appear within {:.1} s",
                    timeout.as_secs_f64()
                )));
            }
            self.sleep(cx, POLL)?;
            waited += POLL;
        }
    }

    /// Captures a frame and records it.
    fn capture(
        &mut self,
        cx: &mut Ctx,
        action: ActionKind,
        tap: Option<Tap>,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        let (obs, mut frame) = self.look(cx)?;
        frame.action = action;
        frame.tap = tap;
        self.record(cx, obs, frame, on_event)
    }

    fn record(
        &mut self,
        cx: &mut Ctx,
        obs: Observation,
        frame: PendingFrame,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        let index = cx.frames.len();
        if index >= self.budget.max_frames {
            return Err(StepError::Budget(format!(
                "the scenario captured {index} frames, the most one scenario may have (raise it with --max-frames)"
            )));
        }
        self.charge_disk(frame.png.len() as u64)?;
        let rel = format!("{}/{:03}.png", cx.frames_dir, index);
        if let Err(e) = std::fs::write(self.out_dir.join(&rel), &frame.png) {
            tracing::warn!("cannot write {rel}: {e}");
        }
        // Grant state is read after actions only: a `dumpsys package` costs
        // a real device a few hundred milliseconds.
        let permissions = if reads_permissions(cx.sc)
            && !matches!(frame.action, ActionKind::Look | ActionKind::Swipe)
        {
            self.device.runtime_permissions(&cx.sc.app.package)?
        } else {
            None
        };
        let permissions_before = if frame.action == ActionKind::Launch {
            cx.permissions_before.take()
        } else {
            None
        };
        cx.frames.push(Frame {
            index,
            step: cx.describe.clone(),
            step_index: cx.step,
            line: cx.line,
            time: cx.start_time + chrono::Duration::milliseconds(frame.elapsed_ms as i64),
            elapsed_ms: frame.elapsed_ms,
            screenshot: rel,
            action: frame.action,
            foreground: frame.foreground,
            pid: frame.pid,
            texts: obs.texts.clone(),
            tap: frame.tap,
            appops: frame.appops,
            permissions,
            permissions_before,
            install: None,
            page: None,
            phase: cx.phase.clone(),
            inputs: frame.inputs,
            secure: frame.secure,
            blank: frame.blank,
            exposed: frame.exposed,
            typed: None,
        });
        // What the frame's record adds to report.json counts too.
        let record = cx
            .frames
            .last()
            .and_then(|f| serde_json::to_vec(f).ok())
            .map_or(0, |v| v.len() as u64);
        cx.nodes = frame.nodes;
        cx.obs = obs;
        on_event(Event::Frame { index });
        self.charge_disk(record)
    }

    /// Presses back, lets the screen settle and captures the frame.
    fn press_back(
        &mut self,
        cx: &mut Ctx,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        self.device.key(Key::Back)?;
        self.sleep(cx, SETTLE)?;
        self.capture(cx, ActionKind::Back, None, on_event)
    }

    /// Counts bytes the run writes against `--max-disk`.
    fn charge_disk(&self, bytes: u64) -> Result<(), StepError> {
        if let Some(disk) = self.disk {
            let total = disk.fetch_add(bytes, Ordering::SeqCst) + bytes;
            if total > self.budget.max_disk {
                return Err(StepError::Budget(format!(
                    "the run's screenshots and records passed {} MiB on disk (raise it with --max-disk)",
                    self.budget.max_disk >> 20
                )));
            }
        }
        Ok(())
    }

    /// Reads the device: screenshot, hierarchy, foreground, process, app-ops.
    fn look(&mut self, cx: &mut Ctx) -> Result<(Observation, PendingFrame), StepError> {
        let raw = Self::read_raw(&mut *self.device, cx)?;
        self.perceive(cx, raw, None)
    }

    /// Reads a frame off the device: every read at once where the device
    /// can. Nothing done to the device since the last read (an `observe`
    /// loop, a wait): the screenshot alone tells whether the screen
    /// changed, and an unchanged one is not dumped again (its hierarchy and
    /// reading are the last frame's, see [`Runner::perceive`]).
    fn read_raw(device: &mut dyn Device, cx: &mut Ctx) -> Result<RawFrame, StepError> {
        let still = cx.secrets.is_empty() && cx.last_shot.is_some() && device.still();
        let mut reads = device.read_frame(&crate::device::FrameAsk {
            package: &cx.sc.app.package,
            appops: !cx.sc.app.is_mini_program(),
            hierarchy: !still,
        })?;
        // The frame's moment is when the device was read, before the
        // screen is perceived: app-op times are "… ago" from this read, and
        // perceiving takes long enough (OCR on a loaded machine) to make
        // one access look like several if the clock were read after it.
        let elapsed_ms = match (device.clock_ms(), cx.device_start_ms) {
            (Some(now), Some(start)) => now.saturating_sub(start),
            _ => cx.started.elapsed().as_millis() as u64 + cx.virtual_ms,
        };
        if let Some(size) = png_size(&reads.png) {
            cx.screen = size;
        }
        let shot = blake3::hash(&reads.png);
        let same = still && cx.last_shot == Some(shot);
        // A changed screen is dumped right away, as close to its
        // screenshot as can be.
        if still && !same {
            reads.nodes = device.hierarchy()?;
        }
        cx.last_shot = Some(shot);
        Ok(RawFrame {
            reads,
            shot,
            elapsed_ms,
            same,
        })
    }

    /// Perceives a frame read off the device; `read`: its screen already
    /// read (by OCR on another thread while the device was read again).
    fn perceive(
        &mut self,
        cx: &mut Ctx,
        raw: RawFrame,
        read: Option<Observation>,
    ) -> Result<(Observation, PendingFrame), StepError> {
        let RawFrame {
            reads:
                crate::device::FrameReads {
                    png,
                    nodes,
                    foreground,
                    pid,
                    appops,
                },
            shot,
            elapsed_ms,
            same,
        } = raw;
        let reused = match cx.last_look.take() {
            Some(last) if same && last.shot == shot => Some((last.nodes, last.obs)),
            _ => None,
        };
        let (mut nodes, reused_obs) = match reused {
            Some((nodes, obs)) => (nodes, Some(obs)),
            // Not met: a frame is `same` only after a look kept.
            None if same => (self.device.hierarchy()?, None),
            None => (nodes, read),
        };
        // What the text boxes show and where a typed secret showed, read
        // before the secrets are hidden from the frame (and kept without
        // them).
        let shown_nodes = nodes.clone();
        let mut exposed: Vec<Rect> = if cx.secrets.is_empty() {
            Vec::new()
        } else {
            nodes
                .iter()
                .filter(|n| cx.secrets.shows(&n.text) || cx.secrets.shows(&n.content_desc))
                .map(|n| n.bounds)
                .collect()
        };
        let (png, obs) = if let Some(obs) = reused_obs {
            (png, obs)
        } else if cx.secrets.is_empty() {
            let obs = crate::screen::observe(self.perceiver, &png, &nodes, &cx.sc.words)?;
            (png, obs)
        } else {
            // Hide what the hierarchy shows first, then read the screen and
            // hide what OCR still finds: the saved frame and its texts never
            // hold a typed secret.
            let mut hide = cx.secrets.scrub_nodes(&mut nodes);
            let mut png = secret::hide_regions(&png, &hide);
            let mut obs = crate::screen::observe(self.perceiver, &png, &nodes, &cx.sc.words)?;
            exposed.extend(
                obs.texts
                    .iter()
                    .filter(|t| cx.secrets.shows(&t.text))
                    .map(|t| t.bounds),
            );
            let more = cx.secrets.scrub_texts(&mut obs.texts);
            if !more.is_empty() {
                hide.extend(more);
                png = secret::hide_regions(&png, &hide);
            }
            (png, obs)
        };
        let mut inputs =
            crate::screen::auth::input_boxes(&shown_nodes, &obs.texts, &cx.typed_fields);
        // A field shows its hint only while empty: once typed into, it is
        // known by what an earlier frame showed at the same place.
        for b in inputs
            .iter_mut()
            .filter(|b| b.label.is_empty() || !b.password)
        {
            if let Some(earlier) = cx
                .frames
                .iter()
                .rev()
                .flat_map(|f| f.inputs.iter())
                .find(|o| o.bounds == b.bounds && !o.label.is_empty())
            {
                if b.label.is_empty() {
                    b.label = earlier.label.clone();
                }
                b.password |= earlier.password || crate::screen::auth::names_password(&b.label);
            }
        }
        // Whether a screen where a password is entered is a secure window:
        // read only there, and only when the scenario checks it.
        let (secure, blank) = if checks(cx.sc, "secure-auth-screens") {
            let blank = is_blank(&png);
            let auth = crate::screen::auth::auth_screen(&obs.texts, &inputs).is_some();
            let secure = if auth || blank {
                self.device.window_secure(foreground.as_ref())?
            } else {
                None
            };
            (secure, blank)
        } else {
            (None, false)
        };
        cx.last_look = cx.secrets.is_empty().then(|| LastLook {
            shot,
            nodes: nodes.clone(),
            obs: obs.clone(),
        });
        Ok((
            obs,
            PendingFrame {
                png,
                nodes,
                foreground,
                pid,
                appops,
                elapsed_ms,
                action: ActionKind::Look,
                tap: None,
                inputs,
                secure,
                blank,
                exposed,
            },
        ))
    }
}

/// Whether the scenario checks a rule.
fn checks(sc: &Scenario, id: &str) -> bool {
    sc.rules.iter().any(|r| r.id() == id)
}

/// Whether a screenshot shows nothing of the app: its middle (between
/// the status bar and the navigation bar, which a secure window leaves
/// drawn) all black, as Android captures a secure window.
fn is_blank(png: &[u8]) -> bool {
    let Ok(img) = image::load_from_memory_with_format(png, image::ImageFormat::Png) else {
        return false;
    };
    let img = img.to_rgb8();
    let (w, h) = img.dimensions();
    if w == 0 || h < 10 {
        return false;
    }
    let (top, bottom) = (h / 10, h - h / 10);
    let mut dark = 0u64;
    let mut all = 0u64;
    for y in (top..bottom).step_by(4) {
        for x in (0..w).step_by(4) {
            all += 1;
            if img.get_pixel(x, y).0.iter().all(|c| *c < 16) {
                dark += 1;
            }
        }
    }
    all > 0 && dark * 100 >= all * 98
}

/// Whether a run reads the app's runtime permissions (only when it checks
/// `auth-state-unchanged`, and never for a mini program: its permissions are
/// the host's).
fn reads_permissions(sc: &Scenario) -> bool {
    !sc.app.is_mini_program() && sc.rules.iter().any(|r| r.id() == "auth-state-unchanged")
}

/// Whether a policy search that found the policy goes on to read it to
/// its end (only when the scenario checks its content: reading a long
/// policy takes dozens of swipes).
fn reads_policy(sc: &Scenario) -> bool {
    sc.rules
        .iter()
        .any(|r| matches!(r.id(), "policy-content" | "minor-rules"))
}

struct PendingFrame {
    png: Vec<u8>,
    nodes: Vec<HierarchyNode>,
    foreground: Option<crate::device::Foreground>,
    pid: Option<u32>,
    appops: Vec<crate::device::AppOp>,
    elapsed_ms: u64,
    action: ActionKind,
    tap: Option<Tap>,
    inputs: Vec<crate::screen::auth::InputBox>,
    secure: Option<bool>,
    blank: bool,
    exposed: Vec<Rect>,
}

/// The control with a role to tap: one from the view hierarchy first (it
/// is exactly the top window's; OCR also reads what a dialog dims), else
/// one OCR read.
fn pick(obs: &Observation, role: Role) -> Option<TextItem> {
    obs.with_role(role)
        .find(|t| t.source == crate::perception::Source::Hierarchy)
        .or_else(|| obs.with_role(role).next())
        .cloned()
}

/// Most swipes `agree` and `refuse` make to find their control.
const MAX_SCROLLS: usize = 6;

fn normalize_len(s: &str) -> usize {
    crate::perception::words::normalize(s).chars().count()
}

/// Width and height from a PNG's header.
fn png_size(png: &[u8]) -> Option<(i32, i32)> {
    if png.len() < 24 || !png.starts_with(b"\x89PNG") {
        return None;
    }
    let be = |b: &[u8]| i32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&png[16..20]), be(&png[20..24])))
}

fn tap_on(t: &TextItem) -> Tap {
    let (x, y) = t.bounds.center();
    Tap {
        x,
        y,
        label: Some(t.text.clone()),
        role: Some(t.role),
        bounds: Some(t.bounds),
    }
}
