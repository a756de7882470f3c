//! One invocation: scenarios spread over worker devices, each worker with
//! its own OCR engine; report.json rewritten after every finished scenario
//! so a crash or Ctrl-C loses nothing that finished.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use chrono::Utc;

use crate::device::{self, Device};
use crate::perception::{OcrError, Perceiver};
use crate::report::{AppTargetRecord, Report, Run};
use crate::rules;
use crate::runner::{Event, RunOutcome, RunStatus, Runner};
use crate::scenario::Scenario;
use crate::sim::model::AppModel;

/// Which devices to run on.
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
        timeout: std::time::Duration,
        /// How screenshots are taken.
        screencap: crate::device::Screencap,
    },
}

/// What to run and where to write.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The scenarios, in report order.
    pub scenarios: Vec<Scenario>,
    /// The output folder.
    pub out_dir: PathBuf,
    /// Devices.
    pub device: DeviceSpec,
    /// How many scenarios run at once.
    pub jobs: usize,
    /// Annotate every frame, not only the evidence frames.
    pub annotate_all: bool,
}

/// Progress of the whole invocation, for displays.
#[derive(Debug, Clone)]
pub enum Progress {
    /// A scenario started on a worker.
    Started {
        /// Worker number.
        worker: usize,
        /// Scenario name.
        name: String,
    },
    /// A worker moved on within its scenario.
    Step {
        /// Worker number.
        worker: usize,
        /// Scenario name.
        name: String,
        /// The step.
        describe: String,
    },
    /// A scenario finished.
    Finished {
        /// Worker number.
        worker: usize,
        /// The run's record.
        run: Box<Run>,
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
    Device(#[from] crate::device::DeviceError),
    /// The output folder cannot be written.
    #[error("cannot write to {path}: {source}")]
    Output {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// The folder, relative to the output folder, for one scenario's frames.
pub fn frames_dir(index: usize, sc: &Scenario) -> String {
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
    format!("frames/{:02}-{safe}", index + 1)
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
        verdicts,
        explorations: outcome.trace.explorations,
        frames: outcome.trace.frames,
    }
}

fn make_device(spec: &DeviceSpec) -> Result<Box<dyn Device>, SessionError> {
    match spec {
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

/// Runs the plan. `report.json` is rewritten after every scenario.
pub fn execute(
    plan: &Plan,
    cancel: &AtomicBool,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Report, SessionError> {
    std::fs::create_dir_all(&plan.out_dir).map_err(|source| SessionError::Output {
        path: plan.out_dir.clone(),
        source,
    })?;
    // Fail before any work if OCR or the device cannot start.
    crate::perception::ocr::find_tessdata()?;
    make_device(&plan.device)?;

    let started = Utc::now();
    let queue: Mutex<VecDeque<usize>> = Mutex::new((0..plan.scenarios.len()).collect());
    let slots: Mutex<Vec<Option<Run>>> = Mutex::new(vec![None; plan.scenarios.len()]);
    let first_error: Mutex<Option<SessionError>> = Mutex::new(None);
    // One scenario at a time per device: a real device runs one app in front.
    let jobs = match plan.device {
        DeviceSpec::Sim { .. } => plan.jobs.clamp(1, plan.scenarios.len().max(1)),
        DeviceSpec::Adb { .. } => 1,
    };

    let write = |slots: &[Option<Run>], complete: bool| -> Report {
        let mut r = Report::new(started);
        r.runs = slots.iter().flatten().cloned().collect();
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
        for worker in 0..jobs {
            let (queue, slots, first_error, write) = (&queue, &slots, &first_error, &write);
            scope.spawn(move || {
                let mut perceiver = match Perceiver::new() {
                    Ok(p) => p,
                    Err(e) => {
                        first_error
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .get_or_insert(e.into());
                        return;
                    }
                };
                loop {
                    if cancel.load(std::sync::atomic::Ordering::SeqCst) {
                        return;
                    }
                    let Some(i) = queue.lock().unwrap_or_else(|p| p.into_inner()).pop_front()
                    else {
                        return;
                    };
                    let sc = &plan.scenarios[i];
                    // A fresh simulated device per scenario: runs do not
                    // depend on which scenarios ran before on the same worker.
                    let mut dev = match make_device(&plan.device) {
                        Ok(d) => d,
                        Err(e) => {
                            first_error
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .get_or_insert(e);
                            return;
                        }
                    };
                    progress(Progress::Started {
                        worker,
                        name: sc.name.clone(),
                    });
                    let mut runner =
                        Runner::new(dev.as_mut(), &mut perceiver, &plan.out_dir, cancel);
                    let name = sc.name.clone();
                    let outcome = runner.run(sc, &frames_dir(i, sc), &mut |e| {
                        if let Event::Step { describe, .. } = e {
                            progress(Progress::Step {
                                worker,
                                name: name.clone(),
                                describe,
                            });
                        }
                    });
                    let run = record(sc, outcome);
                    if let Err(e) =
                        crate::report::annotate::write_run(&run, &plan.out_dir, plan.annotate_all)
                    {
                        tracing::warn!("cannot write annotated frames: {e}");
                    }
                    let mut s = slots.lock().unwrap_or_else(|p| p.into_inner());
                    s[i] = Some(run.clone());
                    write(&s, false);
                    drop(s);
                    progress(Progress::Finished {
                        worker,
                        run: Box::new(run),
                    });
                }
            });
        }
    });
    if let Some(e) = first_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        let done = slots
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .any(Option::is_some);
        if !done {
            return Err(e);
        }
        tracing::error!("a worker could not start: {e}");
    }
    let slots = slots.into_inner().unwrap_or_else(|p| p.into_inner());
    let complete = slots.iter().all(Option::is_some);
    Ok(write(&slots, complete))
}

/// The output folder's report path.
pub fn report_path(out: &Path) -> PathBuf {
    out.join("report.json")
}
