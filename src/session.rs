//! One invocation: scenarios spread over devices, one scenario per device
//! at a time, longest first; a scenario whose device failed (offline, adb
//! timeout, screencap failure) is tried again on another healthy device; a
//! device that fails is put aside. report.json, index.html and junit.xml
//! are rewritten after every finished scenario, so a crash or Ctrl-C loses
//! nothing that finished.
//!
//! Each device gets a thread: its work is blocking device I/O and
//! CPU-bound OCR, and each thread owns its tesseract engine.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use chrono::Utc;

use crate::device::{self, Device, DeviceError};
use crate::perception::{OcrError, OcrKind, Perceiver};
use crate::report::{AppTargetRecord, Attempt, DeviceRecord, Report, Run};
use crate::rules;
use crate::runner::{Event, RunOutcome, RunStatus, Runner};
use crate::scenario::Scenario;
use crate::sim::model::AppModel;

/// One device to run on.
#[derive(Debug, Clone)]
pub enum DeviceSpec {
    /// The built-in simulated device, with extra app models.
    Sim {
        /// App models added to the bundled ones.
        apps: Vec<AppModel>,
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
            DeviceSpec::Sim { apps } => Ok(Box::new(device::sim_device("sim", apps.clone())?)),
            DeviceSpec::Adb {
                server,
                serial,
                timeout,
                screencap,
            } => {
                let t = crate::device::adb::AdbTransport::connect(server.clone(), serial)?
                    .with_timeout(*timeout);
                Ok(Box::new(
                    device::AndroidDevice::new(t).with_screencap(*screencap),
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
    /// The OCR engine every worker loads (once) to read screens.
    pub ocr: OcrKind,
}

impl Plan {
    /// A plan for the simulated device alone.
    pub fn sim(scenarios: Vec<Scenario>, out_dir: PathBuf, jobs: usize) -> Plan {
        Plan {
            scenarios,
            out_dir,
            devices: vec![DeviceSpec::Sim { apps: Vec::new() }],
            jobs,
            annotate_all: false,
            retries: 1,
            durations: HashMap::new(),
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
    /// A scenario finished (for good: not to be retried).
    Finished {
        /// Device serial.
        device: String,
        /// The run's record.
        run: Box<Run>,
    },
    /// A scenario failed on a device for infrastructure reasons and will be tried again.
    Retrying {
        /// Device serial.
        device: String,
        /// Scenario name.
        name: String,
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
            v.message = format!(
                "the run stopped early, so this is not proven: {}",
                v.message
            );
        }
    }
    Run {
        scenario: sc.path.display().to_string(),
        name: sc.name.clone(),
        device: outcome.device.serial.clone(),
        device_info: outcome.device,
        app: AppTargetRecord::from(&sc.app),
        status: outcome.status,
        error: outcome.error,
        started: outcome.started,
        finished: outcome.finished,
        attempt: 1,
        failed_attempts: Vec::new(),
        verdicts,
        explorations: outcome.trace.explorations,
        frames: outcome.trace.frames,
    }
}

#[derive(Debug, Clone)]
struct Job {
    index: usize,
    attempt: u32,
    avoid: Vec<String>,
}

struct State {
    queue: VecDeque<Job>,
    in_flight: usize,
    healthy: usize,
    slots: Vec<Option<Run>>,
    failed: Vec<Vec<Attempt>>,
    devices: Vec<DeviceRecord>,
}

enum Take {
    Job(Job),
    Wait,
    Done,
}

impl State {
    fn take(&mut self, serial: &str) -> Take {
        // A job this device failed before goes to another device, unless no
        // other healthy device is left to take it.
        let pos = self
            .queue
            .iter()
            .position(|j| !j.avoid.iter().any(|a| a == serial));
        let pos = pos.or_else(|| {
            self.queue
                .iter()
                .position(|j| j.avoid.len() >= self.healthy)
        });
        match pos {
            Some(p) => {
                self.in_flight += 1;
                Take::Job(self.queue.remove(p).expect("position is in the queue"))
            }
            None if self.queue.is_empty() && self.in_flight == 0 => Take::Done,
            None => Take::Wait,
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
        self.devices.last_mut().expect("just pushed")
    }
}

fn lock(m: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Runs the plan. The reports are rewritten after every scenario.
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

    let started = Utc::now();
    let state = Mutex::new(State {
        queue: order
            .into_iter()
            .map(|index| Job {
                index,
                attempt: 1,
                avoid: Vec::new(),
            })
            .collect(),
        in_flight: 0,
        healthy: workers.len(),
        slots: vec![None; plan.scenarios.len()],
        failed: vec![Vec::new(); plan.scenarios.len()],
        devices: Vec::new(),
    });
    let write = |st: &State, complete: bool| -> Report {
        let mut r = Report::new(started);
        r.runs = st.slots.iter().flatten().cloned().collect();
        r.devices = st.devices.clone();
        r.complete = complete;
        r.finished = Utc::now();
        if let Err(e) = r.write_all(&plan.out_dir) {
            tracing::error!(
                "cannot write the reports in {}: {e}",
                plan.out_dir.display()
            );
        }
        r
    };

    std::thread::scope(|scope| {
        for spec in &workers {
            let (state, write) = (&state, &write);
            scope.spawn(move || worker(plan, spec, state, cancel, progress, write));
        }
    });

    let mut st = state.into_inner().unwrap_or_else(|p| p.into_inner());
    // Scenarios left when no healthy device remained.
    let left: Vec<Job> = st.queue.drain(..).collect();
    for job in left {
        let sc = &plan.scenarios[job.index];
        if cancel.load(Ordering::SeqCst) {
            continue;
        }
        let mut run = record(
            sc,
            RunOutcome {
                trace: crate::trace::Trace {
                    app: sc.app.clone(),
                    frames: Vec::new(),
                    explorations: Vec::new(),
                    words: sc.words.clone(),
                },
                status: RunStatus::InfraError,
                error: Some("no healthy device was left to run it".into()),
                failed_step: None,
                device: Default::default(),
                started: Utc::now(),
                finished: Utc::now(),
            },
        );
        run.attempt = job.attempt;
        run.failed_attempts = std::mem::take(&mut st.failed[job.index]);
        st.slots[job.index] = Some(run);
    }
    let complete = st.slots.iter().all(Option::is_some);
    Ok(write(&st, complete))
}

fn worker(
    plan: &Plan,
    spec: &DeviceSpec,
    state: &Mutex<State>,
    cancel: &AtomicBool,
    progress: &(dyn Fn(Progress) + Sync),
    write: &(dyn Fn(&State, bool) -> Report + Sync),
) {
    let serial = spec.serial().to_string();
    let put_aside = |reason: String| {
        let mut st = lock(state);
        st.healthy = st.healthy.saturating_sub(1);
        st.device(&serial).put_aside = Some(reason.clone());
        drop(st);
        progress(Progress::PutAside {
            device: serial.clone(),
            reason,
        });
    };
    let mut perceiver = match Perceiver::with_kind(plan.ocr) {
        Ok(p) => p,
        Err(e) => return put_aside(e.to_string()),
    };
    lock(state).device(&serial);
    loop {
        if cancel.load(Ordering::SeqCst) {
            return;
        }
        let job = match lock(state).take(&serial) {
            Take::Job(j) => j,
            Take::Done => return,
            Take::Wait => {
                std::thread::sleep(Duration::from_millis(50));
                continue;
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
                let mut st = lock(state);
                st.in_flight -= 1;
                st.queue.push_front(job);
                drop(st);
                return put_aside(e.to_string());
            }
        };
        progress(Progress::Started {
            device: serial.clone(),
            name: sc.name.clone(),
            attempt: job.attempt,
        });
        let name = sc.name.clone();
        let outcome = Runner::new(dev.as_mut(), &mut perceiver, &plan.out_dir, cancel).run(
            sc,
            &frames_dir(job.index, sc, job.attempt),
            &mut |e| {
                if let Event::Step { describe, .. } = e {
                    progress(Progress::Step {
                        device: serial.clone(),
                        name: name.clone(),
                        describe,
                    });
                }
            },
        );
        let mut run = record(sc, outcome);
        run.attempt = job.attempt;
        let infra = run.status == RunStatus::InfraError;
        if let Err(e) = crate::report::annotate::write_run(&run, &plan.out_dir, plan.annotate_all) {
            tracing::warn!("cannot write annotated frames: {e}");
        }
        let mut st = lock(state);
        st.in_flight -= 1;
        st.device(&serial).scenarios += 1;
        if infra && job.attempt <= plan.retries {
            // Told apart from verdicts: the attempt is kept as evidence and
            // the scenario goes to another device. A failing rule is never
            // retried: only infrastructure failures come here.
            let error = run.error.clone().unwrap_or_default();
            st.failed[job.index].push(Attempt::from_run(&run));
            let mut avoid = job.avoid.clone();
            avoid.push(serial.clone());
            st.queue.push_front(Job {
                index: job.index,
                attempt: job.attempt + 1,
                avoid,
            });
            drop(st);
            progress(Progress::Retrying {
                device: serial.clone(),
                name: sc.name.clone(),
                error,
            });
        } else {
            run.failed_attempts = std::mem::take(&mut st.failed[job.index]);
            st.slots[job.index] = Some(run.clone());
            write(&st, false);
            drop(st);
            progress(Progress::Finished {
                device: serial.clone(),
                run: Box::new(run),
            });
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
