//! One invocation: scenarios spread over devices, one scenario per device
//! at a time, longest first; a scenario whose device failed (offline, adb
//! timeout, screencap failure) is tried again on another healthy worker
//! (the [`crate::scheduler`] decides); a device that fails is put aside.
//! Workers emit [`Progress`] events on one channel; the report files and
//! the caller's display subscribe to it. report.json, index.html and
//! junit.xml are rewritten after every finished scenario, so a crash,
//! kill -9 or Ctrl-C loses nothing that finished.
//!
//! Each device gets a thread: its work is blocking device I/O and
//! CPU-bound OCR, and each thread owns its tesseract engine.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use chrono::Utc;

use crate::device::{self, Device, DeviceError};
use crate::perception::{OcrError, OcrKind, Perceiver};
use crate::report::{AppTargetRecord, Attempt, DeviceRecord, Report, Run};
use crate::rules;
use crate::runner::{Budget, Event, RunOutcome, RunStatus, Runner};
use crate::scenario::Scenario;
use crate::scheduler::{Ended, Job, Next, Scheduler, Settled, WorkerId};
use crate::sim::model::AppModel;

/// One device to run on.
#[derive(Debug, Clone)]
pub enum DeviceSpec {
    /// The built-in simulated device, with extra app models.
    Sim {
        /// App models added to the bundled ones.
        apps: Vec<AppModel>,
        /// Its screen: size, density and theme (`--screen`, `--theme`).
        display: crate::sim::Display,
    },
    /// A device behind an adb server.
    Adb {
        /// The server.
        server: crate::device::adb::AdbServer,
        /// The device serial.
        serial: String,
        /// Per-command timeout.
        timeout: Duration,
        /// How screenshots are taken.
        screencap: crate::device::Screencap,
        /// How a frame's reads are made.
        reads: crate::device::Reads,
        /// How long to wait for the device's lock (`--lock-wait`).
        lock_wait: Duration,
    },
}

impl DeviceSpec {
    /// The serial reports name it by.
    pub fn serial(&self) -> &str {
        match self {
            DeviceSpec::Sim { .. } => "sim",
            DeviceSpec::Adb { serial, .. } => serial,
        }
    }

    fn open(&self) -> Result<Box<dyn Device>, SessionError> {
        match self {
            DeviceSpec::Sim { apps, display } => Ok(Box::new(crate::sim::sim_device_on(
                "sim",
                apps.clone(),
                *display,
            )?)),
            DeviceSpec::Adb {
                server,
                serial,
                timeout,
                screencap,
                reads,
                ..
            } => {
                let t = crate::device::adb::AdbTransport::connect(server.clone(), serial)?
                    .with_timeout(*timeout);
                Ok(Box::new(
                    device::AndroidDevice::new(t)
                        .with_screencap(*screencap)
                        .with_reads(*reads),
                ))
            }
        }
    }

    /// Whether the device still answers.
    fn check(&self) -> Result<(), DeviceError> {
        match self {
            DeviceSpec::Sim { .. } => Ok(()),
            DeviceSpec::Adb { server, serial, .. } => server.check_device(serial),
        }
    }
}

/// What to run and where to write.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The scenarios, in report order.
    pub scenarios: Vec<Scenario>,
    /// The output folder.
    pub out_dir: PathBuf,
    /// The devices. A simulated device is used by `jobs` workers at once,
    /// each with its own instance.
    pub devices: Vec<DeviceSpec>,
    /// How many scenarios run at once on the simulated device.
    pub jobs: usize,
    /// Annotate every frame, not only the evidence frames.
    pub annotate_all: bool,
    /// How many more times a scenario is tried after an infrastructure failure.
    pub retries: u32,
    /// Seconds each scenario took before (by scenario path), to start the longest first.
    pub durations: HashMap<String, f64>,
    /// Caps on what one scenario (and the whole run, for disk) may use.
    pub budget: Budget,
    /// The OCR engine every worker loads (once) to read screens.
    pub ocr: OcrKind,
}

impl Plan {
    /// A plan for the simulated device alone.
    pub fn sim(scenarios: Vec<Scenario>, out_dir: PathBuf, jobs: usize) -> Plan {
        Plan {
            scenarios,
            out_dir,
            devices: vec![DeviceSpec::Sim {
                apps: Vec::new(),
                display: crate::sim::Display::default(),
            }],
            jobs,
            annotate_all: false,
            retries: 1,
            durations: HashMap::new(),
            budget: Budget::default(),
            ocr: OcrKind::configured(),
        }
    }
}

/// Progress of the whole invocation, for displays.
#[derive(Debug, Clone)]
pub enum Progress {
    /// A scenario started on a device.
    Started {
        /// Device serial.
        device: String,
        /// Scenario name.
        name: String,
        /// Which attempt (1 = first).
        attempt: u32,
    },
    /// A device moved on within its scenario.
    Step {
        /// Device serial.
        device: String,
        /// Scenario name.
        name: String,
        /// The step.
        describe: String,
    },
    /// A frame was captured.
    Frame {
        /// Device serial.
        device: String,
        /// Scenario name.
        name: String,
        /// Frame index within the attempt.
        index: usize,
    },
    /// A scenario finished (for good: not to be retried).
    Finished {
        /// Device serial (empty for a scenario that found no device to run on).
        device: String,
        /// The scenario's position in the plan.
        slot: usize,
        /// The run's record.
        run: Box<Run>,
    },
    /// A scenario failed on a device for infrastructure reasons and will be tried again.
    Retrying {
        /// Device serial.
        device: String,
        /// Scenario name.
        name: String,
        /// The attempt that comes next.
        attempt: u32,
        /// What went wrong.
        error: String,
    },
    /// A device was put aside.
    PutAside {
        /// Device serial.
        device: String,
        /// Why.
        reason: String,
    },
}

/// Why an invocation could not start.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// OCR is not installed.
    #[error(transparent)]
    Ocr(#[from] OcrError),
    /// The simulated device could not load its apps.
    #[error(transparent)]
    Model(#[from] crate::sim::model::ModelError),
    /// The device cannot be reached.
    #[error(transparent)]
    Device(#[from] DeviceError),
    /// The output folder cannot be written.
    #[error("cannot write to {path}: {source}")]
    Output {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// No device was given.
    #[error("no device to run on")]
    NoDevice,
}

/// The folder, relative to the output folder, for one attempt's frames.
pub fn frames_dir(index: usize, sc: &Scenario, attempt: u32) -> String {
    let stem = sc
        .path
        .file_stem()
        .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if attempt <= 1 {
        format!("frames/{:02}-{safe}", index + 1)
    } else {
        format!("frames/{:02}-{safe}-try{attempt}", index + 1)
    }
}

/// Turns a finished run into its report record, with verdicts.
pub fn record(sc: &Scenario, outcome: RunOutcome) -> Run {
    let mut verdicts = rules::check_all(&sc.rules, &outcome.trace);
    if sc.tolerant {
        crate::audit::explain(&mut verdicts, &outcome.notes);
    }
    if matches!(
        outcome.status,
        RunStatus::InfraError | RunStatus::Interrupted
    ) {
        // A run cut short may have stopped before a rule could fail: what
        // it saw failing stands, what it saw passing is not proven.
        for v in verdicts
            .iter_mut()
            .filter(|v| v.status == rules::Status::Pass)
        {
            v.status = rules::Status::Inconclusive;
            let said = crate::said!("session-not-proven", message = v.said());
            v.set(said);
        }
    }
    Run {
        scenario: sc.path.display().to_string(),
        name: sc.name.clone(),
        device: outcome.device.serial.clone(),
        device_info: outcome.device,
        app: AppTargetRecord {
            version: outcome.app_version,
            ..AppTargetRecord::from(&sc.app)
        },
        scenario_sha256: sc.sha256.clone(),
        status: outcome.status,
        error: outcome.error,
        notes: outcome.notes,
        started: outcome.started,
        finished: outcome.finished,
        attempt: 1,
        failed_attempts: Vec::new(),
        verdicts,
        explorations: outcome.trace.explorations,
        functions: outcome.trace.functions,
        policies: outcome.trace.policies,
        frames: outcome.trace.frames,
        words: outcome.trace.words.beyond_defaults(),
    }
}

/// The report files as a subscriber of the event stream: it keeps every
/// finished scenario and rewrites report.json (atomically: a kill -9 at any
/// moment leaves the previous complete file) after each one, and
/// index.html and junit.xml after each one too unless rendering them would
/// take more than a fifth of the run's time (a run of thousands of
/// scenarios: then they are refreshed as often as that allows, and at the
/// end). It runs on the thread that dispatches events, never under the
/// scheduler's lock.
pub struct ReportWriter {
    out_dir: PathBuf,
    started: chrono::DateTime<Utc>,
    slots: Vec<Option<Run>>,
    devices: Vec<DeviceRecord>,
    /// When index.html and junit.xml were last written, and what it took.
    views: Option<(std::time::Instant, std::time::Duration)>,
}

impl ReportWriter {
    /// A writer for `scenarios` scenarios into `out_dir`.
    pub fn new(out_dir: PathBuf, scenarios: usize) -> Self {
        ReportWriter {
            out_dir,
            started: Utc::now(),
            slots: vec![None; scenarios],
            devices: Vec::new(),
            views: None,
        }
    }

    fn device(&mut self, serial: &str) -> &mut DeviceRecord {
        if let Some(i) = self.devices.iter().position(|d| d.serial == serial) {
            return &mut self.devices[i];
        }
        self.devices.push(DeviceRecord {
            serial: serial.to_string(),
            scenarios: 0,
            put_aside: None,
        });
        let last = self.devices.len() - 1;
        &mut self.devices[last]
    }

    /// Takes in one event; writes the files when a scenario finished.
    pub fn on_event(&mut self, e: &Progress) {
        match e {
            Progress::Started { device, .. } => {
                self.device(device);
            }
            Progress::Retrying { device, .. } => self.device(device).scenarios += 1,
            Progress::Finished { device, slot, run } => {
                if !device.is_empty() {
                    self.device(device).scenarios += 1;
                }
                if let Some(s) = self.slots.get_mut(*slot) {
                    *s = Some((**run).clone());
                }
                self.write(false, false);
            }
            Progress::PutAside { device, reason } => {
                self.device(device).put_aside = Some(reason.clone());
            }
            Progress::Step { .. } | Progress::Frame { .. } => {}
        }
    }

    /// The report as it stands, written to disk: report.json always, the
    /// pages when due (see above) or when it is the `last` write.
    pub fn write(&mut self, complete: bool, last: bool) -> Report {
        let mut r = Report::new(self.started);
        r.runs = self.slots.iter().flatten().cloned().collect();
        r.devices = self.devices.clone();
        r.complete = complete;
        r.finished = Utc::now();
        let due = last
            || self
                .views
                .is_none_or(|(at, cost)| at.elapsed() >= cost.saturating_mul(4));
        let written = r.write_json(&self.out_dir).and_then(|()| {
            if !due {
                return Ok(());
            }
            let t = std::time::Instant::now();
            r.write_views(&self.out_dir)?;
            self.views = Some((std::time::Instant::now(), t.elapsed()));
            Ok(())
        });
        if let Err(e) = written {
            let e = format!(
                "cannot write the reports in {}: {e}",
                self.out_dir.display()
            );
            tracing::error!("{e}");
            r.unwritten = Some(e);
        }
        r
    }

    /// Whether every scenario has a result.
    pub fn complete(&self) -> bool {
        self.slots.iter().all(Option::is_some)
    }
}

/// The scheduler, the failed attempts kept as evidence, and the condition
/// variable workers wait on: shared by the worker threads.
struct Shared {
    sched: Mutex<(Scheduler, Vec<Vec<Attempt>>)>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, (Scheduler, Vec<Vec<Attempt>>)> {
        self.sched.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A run that never started, recorded with why.
fn not_run(
    sc: &Scenario,
    job: &Job,
    status: RunStatus,
    error: String,
    failed: Vec<Attempt>,
) -> Run {
    let mut run = record(
        sc,
        RunOutcome {
            trace: crate::trace::Trace {
                app: sc.app.clone(),
                frames: Vec::new(),
                explorations: Vec::new(),
                functions: Vec::new(),
                policies: Vec::new(),
                words: sc.words.clone(),
            },
            status,
            error: Some(error),
            failed_step: None,
            notes: Vec::new(),
            device: Default::default(),
            app_version: None,
            started: Utc::now(),
            finished: Utc::now(),
        },
    );
    run.attempt = job.attempt;
    run.failed_attempts = failed;
    run
}

/// Runs the plan. Workers and scheduler emit [`Progress`] events on one
/// channel; this thread hands each to the report files and to `progress`.
pub fn execute(
    plan: &Plan,
    cancel: &AtomicBool,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Report, SessionError> {
    std::fs::create_dir_all(&plan.out_dir).map_err(|source| SessionError::Output {
        path: plan.out_dir.clone(),
        source,
    })?;
    // Fail before any work if OCR or every device is missing.
    plan.ocr.check()?;
    if plan.devices.is_empty() {
        return Err(SessionError::NoDevice);
    }
    let mut first_err = None;
    let mut workers: Vec<&DeviceSpec> = Vec::new();
    for d in &plan.devices {
        // Opening an adb device checks that the server lists it as ready.
        match d.open() {
            Ok(_) => match d {
                DeviceSpec::Sim { .. } => workers.extend(std::iter::repeat_n(
                    d,
                    plan.jobs.clamp(1, plan.scenarios.len().max(1)),
                )),
                DeviceSpec::Adb { .. } => workers.push(d),
            },
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    if workers.is_empty() {
        return Err(first_err.unwrap_or(SessionError::NoDevice));
    }
    if let Some(e) = first_err {
        tracing::warn!("a device is left out: {e}");
    }

    // Longest first, where an earlier run says how long each took.
    let mut order: Vec<usize> = (0..plan.scenarios.len()).collect();
    let known = |i: &usize| {
        plan.durations
            .get(&plan.scenarios[*i].path.display().to_string())
            .copied()
    };
    order.sort_by(|a, b| {
        known(b)
            .unwrap_or(f64::INFINITY)
            .total_cmp(&known(a).unwrap_or(f64::INFINITY))
            .then(a.cmp(b))
    });

    let shared = Shared {
        sched: Mutex::new((
            Scheduler::new(order, workers.len(), plan.retries),
            vec![Vec::new(); plan.scenarios.len()],
        )),
        changed: Condvar::new(),
    };
    let disk = AtomicU64::new(0);
    let mut writer = ReportWriter::new(plan.out_dir.clone(), plan.scenarios.len());
    // report.json exists from the start (`complete: false`), so a run that
    // dies before its first scenario ends still leaves one.
    writer.write(false, false);
    let (tx, rx) = mpsc::channel::<Progress>();

    std::thread::scope(|scope| {
        for (i, spec) in workers.iter().enumerate() {
            let (shared, tx, disk) = (&shared, tx.clone(), &disk);
            scope.spawn(move || worker(plan, WorkerId(i), spec, shared, cancel, disk, &tx));
        }
        drop(tx);
        // The dispatcher: report files first, so a finished scenario is on
        // disk before anyone is told about it.
        for e in rx {
            writer.on_event(&e);
            progress(e);
        }
    });

    // Ctrl-C: queued scenarios with a failed attempt keep it in the report.
    let (mut sched, mut failed) = shared.sched.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut left = sched.drain();
    left.extend(sched.stranded().into_iter().map(|s| match s {
        Settled::Record(j) | Settled::Retry(j) | Settled::NoWorker(j) => j,
    }));
    for job in left {
        let sc = &plan.scenarios[job.index];
        let attempts = std::mem::take(&mut failed[job.index]);
        let run = if cancel.load(Ordering::SeqCst) {
            if attempts.is_empty() {
                continue;
            }
            not_run(
                sc,
                &job,
                RunStatus::Interrupted,
                "interrupted by Ctrl-C before it could be tried again".into(),
                attempts,
            )
        } else {
            not_run(
                sc,
                &job,
                RunStatus::InfraError,
                "no healthy device was left to run it".into(),
                attempts,
            )
        };
        writer.on_event(&Progress::Finished {
            device: String::new(),
            slot: job.index,
            run: Box::new(run),
        });
    }
    let complete = writer.complete();
    Ok(writer.write(complete, true))
}

/// Why a panic happened, from its payload.
fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

#[allow(clippy::too_many_arguments)]
fn worker(
    plan: &Plan,
    id: WorkerId,
    spec: &DeviceSpec,
    shared: &Shared,
    cancel: &AtomicBool,
    disk: &AtomicU64,
    tx: &mpsc::Sender<Progress>,
) {
    let serial = spec.serial().to_string();
    let emit = |e: Progress| {
        let _ = tx.send(e);
    };
    // Settles what the scheduler gave up on, and wakes the waiting workers.
    let settle = |st: &mut (Scheduler, Vec<Vec<Attempt>>), settled: Vec<Settled>| {
        for s in settled {
            if let Settled::NoWorker(job) | Settled::Record(job) = s {
                let sc = &plan.scenarios[job.index];
                let attempts = std::mem::take(&mut st.1[job.index]);
                let run = not_run(
                    sc,
                    &job,
                    RunStatus::InfraError,
                    "no healthy device was left to run it".into(),
                    attempts,
                );
                emit(Progress::Finished {
                    device: String::new(),
                    slot: job.index,
                    run: Box::new(run),
                });
            }
        }
        shared.changed.notify_all();
    };
    let put_aside = |reason: String| {
        let mut st = shared.lock();
        let gone = st.0.put_aside(id);
        settle(&mut st, gone);
        drop(st);
        emit(Progress::PutAside {
            device: serial.clone(),
            reason,
        });
    };
    let mut perceiver = match Perceiver::with_kind(plan.ocr) {
        Ok(p) => p,
        Err(e) => return put_aside(e.to_string()),
    };
    // One run at a time on a device: its lock, on the device itself, is
    // held (and its heartbeat kept) until this worker ends.
    let _lock = match spec {
        DeviceSpec::Adb {
            server,
            serial,
            timeout,
            lock_wait,
            ..
        } => {
            let taken = crate::device::adb::AdbTransport::connect(server.clone(), serial)
                .map_err(crate::device::lock::LockError::from)
                .and_then(|t| {
                    crate::device::lock::acquire(
                        Box::new(t.with_timeout(*timeout)),
                        *lock_wait,
                        cancel,
                    )
                });
            match taken {
                Ok(l) => Some(l),
                Err(e) => return put_aside(e.to_string()),
            }
        }
        DeviceSpec::Sim { .. } => None,
    };
    loop {
        let job = {
            let mut st = shared.lock();
            loop {
                if cancel.load(Ordering::SeqCst) {
                    st.0.cancel();
                    shared.changed.notify_all();
                    // The queue stays with the scheduler: `execute` records
                    // what had failed attempts.
                    return;
                }
                match st.0.next(id) {
                    Next::Run(j) => break j,
                    Next::Done => {
                        let gone = st.0.stranded();
                        settle(&mut st, gone);
                        return;
                    }
                    Next::Wait => {
                        st = shared.changed.wait(st).unwrap_or_else(|p| p.into_inner());
                    }
                }
            }
        };
        let sc = &plan.scenarios[job.index];
        // A fresh device connection (for the simulated device, a fresh
        // device) per scenario: runs do not depend on what ran before.
        let mut dev = match spec.open() {
            Ok(d) => d,
            Err(e) => {
                // The device is gone before the scenario began: the job goes
                // back untouched and the device is put aside.
                shared.lock().0.give_back(id);
                return put_aside(e.to_string());
            }
        };
        emit(Progress::Started {
            device: serial.clone(),
            name: sc.name.clone(),
            attempt: job.attempt,
        });
        let name = sc.name.clone();
        // A panic anywhere in the run (a parser, a rule, the annotator)
        // ends this attempt as an infrastructure failure and retires the
        // worker; the scenario is retried or recorded like any other.
        let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut runner = Runner::new(dev.as_mut(), &mut perceiver, &plan.out_dir, cancel)
                .with_budget(plan.budget.clone(), disk);
            let outcome = runner.run(
                sc,
                &frames_dir(job.index, sc, job.attempt),
                &mut |e| match e {
                    Event::Step { describe, .. } => emit(Progress::Step {
                        device: serial.clone(),
                        name: name.clone(),
                        describe,
                    }),
                    Event::Frame { index } => emit(Progress::Frame {
                        device: serial.clone(),
                        name: name.clone(),
                        index,
                    }),
                },
            );
            let mut run = record(sc, outcome);
            run.attempt = job.attempt;
            if let Err(e) =
                crate::report::annotate::write_run(&run, &plan.out_dir, plan.annotate_all)
            {
                tracing::warn!("cannot write annotated frames: {e}");
            }
            run
        }));
        let (mut run, panicked) = match attempt {
            Ok(run) => (run, None),
            Err(p) => {
                let msg = format!("the worker crashed: {}", panic_message(p.as_ref()));
                let mut run = not_run(sc, &job, RunStatus::InfraError, msg.clone(), Vec::new());
                run.device = serial.clone();
                run.device_info.serial = serial.clone();
                (run, Some(msg))
            }
        };
        let infra = run.status == RunStatus::InfraError;
        let mut st = shared.lock();
        let ended = if infra { Ended::Infra } else { Ended::Ran };
        match st.0.finish(id, ended) {
            Some(Settled::Retry(again)) => {
                st.1[job.index].push(Attempt::from_run(&run));
                shared.changed.notify_all();
                drop(st);
                emit(Progress::Retrying {
                    device: serial.clone(),
                    name: sc.name.clone(),
                    attempt: again.attempt,
                    error: run.error.clone().unwrap_or_default(),
                });
            }
            Some(Settled::NoWorker(_)) => {
                // Its device failed and no other may retry it: the attempt
                // is kept as evidence, the verdicts are not proven.
                let error = run.error.clone().unwrap_or_default();
                st.1[job.index].push(Attempt::from_run(&run));
                let attempts = std::mem::take(&mut st.1[job.index]);
                shared.changed.notify_all();
                drop(st);
                let run = not_run(
                    sc,
                    &job,
                    RunStatus::InfraError,
                    format!("{error} (no healthy device was left to retry it)"),
                    attempts,
                );
                emit(Progress::Finished {
                    device: serial.clone(),
                    slot: job.index,
                    run: Box::new(run),
                });
            }
            Some(Settled::Record(_)) | None => {
                run.failed_attempts = std::mem::take(&mut st.1[job.index]);
                shared.changed.notify_all();
                drop(st);
                emit(Progress::Finished {
                    device: serial.clone(),
                    slot: job.index,
                    run: Box::new(run),
                });
            }
        }
        if let Some(msg) = panicked {
            return put_aside(msg);
        }
        if infra {
            if let Err(e) = spec.check() {
                return put_aside(e.to_string());
            }
        }
    }
}

/// Seconds each scenario took in an earlier report, by scenario path.
pub fn durations_from(report: &Report) -> HashMap<String, f64> {
    report
        .runs
        .iter()
        .map(|r| {
            (
                r.scenario.clone(),
                (r.finished - r.started).num_milliseconds() as f64 / 1000.0,
            )
        })
        .collect()
}
