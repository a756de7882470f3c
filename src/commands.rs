//! The subcommands, behind `main.rs`: each takes its parsed arguments and
//! returns the [`Exit`] the process ends with. Progress goes to stderr,
//! results to stdout.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::cli::{Command, DeviceArgs, InspectArgs, OutputArgs, RunArgs, ServeArgs, SimCommand};
use crate::device::adb;
use crate::exit::Exit;
use crate::report::terminal;
use crate::report::Report;
use crate::rules::{RuleId, Section};
use crate::scenario::{self, LoadError};
use crate::session::{self, DeviceSpec, Plan, Progress};

/// Runs one subcommand.
pub fn dispatch(command: Command) -> Exit {
    match command {
        Command::Run(args) => run_command(&args),
        Command::Demo(args) => demo(&args.output),
        Command::Audit(args) => crate::audit::command(&args),
        Command::Inspect(args) => inspect(&args),
        Command::Check { paths } => match scenario::load_paths(&paths) {
            Ok(s) => {
                for sc in &s {
                    crate::say!(
                        "ok  {} ({} steps; rules: {})",
                        sc.path.display(),
                        sc.steps.len(),
                        sc.rules
                            .iter()
                            .map(|r| r.id())
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                Exit::Ok
            }
            Err(e) => load_error(e),
        },
        Command::Sim(SimCommand::Serve(args)) => serve(&args),
        Command::Merge { reports, out } => match crate::report::merge::merge(&reports, &out) {
            Ok(r) => {
                print!("{}", terminal::summary(&r, &out));
                Exit::Ok
            }
            Err(e) => {
                crate::tell!("error: {e}");
                match e {
                    crate::report::merge::MergeError::Write { .. } => Exit::Infra,
                    _ => Exit::Usage,
                }
            }
        },
        Command::Diff {
            baseline,
            report,
            json,
        } => {
            let (b, r) = match (Report::read_json(&baseline), Report::read_json(&report)) {
                (Ok(b), Ok(r)) => (b, r),
                (Err(e), _) | (_, Err(e)) => {
                    crate::tell!("error: {e}");
                    return Exit::Usage;
                }
            };
            let d = crate::report::diff::diff(&b, &r);
            if json {
                println!("{}", serde_json::to_string_pretty(&d).unwrap_or_default());
            } else {
                print!("{}", terminal::printable(&d.text()));
            }
            if d.regression() {
                Exit::Failed
            } else {
                Exit::Ok
            }
        }
        Command::Devices { adb_server } => {
            let server = match adb::server_address(adb_server.as_deref()) {
                Ok(a) => adb::AdbServer::new(a),
                Err(e) => {
                    crate::tell!("error: {e}");
                    return Exit::Infra;
                }
            };
            match server.devices() {
                Ok(list) => {
                    for d in &list {
                        crate::say!("{}\t{}", d.serial, d.state);
                    }
                    if list.is_empty() {
                        crate::tell!("no devices: start an emulator, plug in a phone with USB debugging on, or `adb connect HOST:PORT`");
                    }
                    Exit::Ok
                }
                Err(e) => {
                    crate::tell!("error: {e}");
                    Exit::Infra
                }
            }
        }
        Command::Rules { json } => rules_command(json),
    }
}

/// `consentry rules`: every rule, Section 7's then Section 6's, one line
/// each (or JSON).
fn rules_command(json: bool) -> Exit {
    if json {
        let list: Vec<serde_json::Value> = RuleId::ALL
            .into_iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id(),
                    "section": r.rule().section.number(),
                    "clause": r.clause(),
                    "level": if r.rule().level2 { "L2" } else { "L1" },
                    "judged": r.judged().as_str(),
                    "default": r.rule().default_on,
                    "fails_when": r.fails_when(),
                    "name": r.name(),
                    "clause_text": r.clause_words(),
                })
            })
            .collect();
        match serde_json::to_string_pretty(&list) {
            Ok(s) => crate::say!("{s}"),
            Err(e) => {
                crate::tell!("error: {e}");
                return Exit::Infra;
            }
        }
        return Exit::Ok;
    }
    for (section, title) in [
        (Section::Seven, "Section 7: collecting personal information"),
        (
            Section::Six,
            "Section 6: what a screen shows of the app's security",
        ),
    ] {
        crate::say!("{title}");
        crate::say!(
            "  {:<28} {:<17} {:<10} {:<8} FAILS WHEN",
            "RULE",
            "CLAUSE",
            "JUDGED",
            "CHECKED"
        );
        for r in RuleId::ALL
            .into_iter()
            .filter(|r| r.rule().section == section)
        {
            let clause = if r.rule().level2 {
                format!("{} (L2)", r.clause())
            } else {
                r.clause().to_string()
            };
            crate::say!(
                "  {:<28} {:<17} {:<10} {:<8} {}",
                r.id(),
                clause,
                r.judged().as_str(),
                if r.rule().default_on {
                    "always"
                } else {
                    "listed"
                },
                r.fails_when()
            );
            // The rule's name and its clause in the standard's words.
            crate::say!("  {:<28} {}", "", r.name());
            for line in r.clause_words().lines() {
                crate::say!("  {:<28} {line}", "");
            }
        }
        crate::say!();
    }
    crate::say!("automatic: a pass / fail / inconclusive verdict with evidence frames.");
    crate::say!("manual: consentry gathers the evidence (frames, text, hints); a person judges.");
    crate::say!("always: every run checks it; listed: checked when a scenario's `rules:` names it or its group.");
    crate::say!("groups: `rules: all` (or `section7`) lists Section 7's rules; `section6` lists Section 6's: `rules: [all, section6]`.");
    crate::say!(
        "L2: a clause the standard counts among its higher-level (L2) requirements (table A.1)."
    );
    Exit::Ok
}

fn run_command(args: &RunArgs) -> Exit {
    let apps = match crate::sim::load_apps(&args.sim_apps) {
        Ok(a) => a,
        Err(e) => {
            crate::tell!("error: {e}");
            return Exit::Usage;
        }
    };
    let mut scenarios = match scenario::load_paths(&args.paths) {
        Ok(s) => s,
        Err(e) => return load_error(e),
    };
    if let Some((k, n)) = args.shard {
        let total = scenarios.len();
        scenarios = scenario::shard(scenarios, k, n);
        crate::tell!("shard {k}/{n}: {} of {total} scenarios", scenarios.len());
        if scenarios.is_empty() {
            crate::say!("shard {k}/{n} holds no scenario");
            return Exit::Ok;
        }
    }
    let devices = match devices(&args.on, apps) {
        Ok(d) => d,
        Err(e) => {
            crate::tell!("error: {e}");
            return Exit::Infra;
        }
    };
    // Durations from an earlier run order the scenarios longest first.
    let earlier = args
        .durations
        .clone()
        .unwrap_or_else(|| args.output.out.join("report.json"));
    let durations = Report::read_json(&earlier)
        .map(|r| session::durations_from(&r))
        .unwrap_or_default();
    let plan = Plan {
        scenarios,
        out_dir: args.output.out.clone(),
        devices,
        jobs: args.output.jobs,
        annotate_all: args.output.annotate_all,
        retries: args.retries,
        durations,
        budget: args.output.budget(),
        ocr: ocr_kind(&args.output.ocr),
    };
    execute(plan, &args.output)
}

/// The devices named by --device / --devices on the given adb servers.
pub(crate) fn devices(
    args: &DeviceArgs,
    apps: Vec<crate::sim::model::AppModel>,
) -> Result<Vec<DeviceSpec>, crate::device::DeviceError> {
    let servers: Vec<adb::AdbServer> = if args.adb_server.is_empty() {
        vec![adb::AdbServer::new(adb::server_address(None)?)]
    } else {
        args.adb_server
            .iter()
            .map(|s| adb::server_address(Some(s)).map(adb::AdbServer::new))
            .collect::<Result<_, _>>()?
    };
    let screencap = match args.screencap.as_str() {
        "raw" => crate::device::Screencap::Raw,
        "png" => crate::device::Screencap::Png,
        _ => crate::device::Screencap::Auto,
    };
    let reads = if args.frame_reads == "sequential" {
        crate::device::Reads::Sequential
    } else {
        crate::device::Reads::Concurrent
    };
    let timeout = std::time::Duration::from_secs(args.command_timeout.max(1));
    let lock_wait = std::time::Duration::from_secs(args.lock_wait);
    let adb_device = |server: &adb::AdbServer, serial: &str| DeviceSpec::Adb {
        server: server.clone(),
        serial: serial.to_string(),
        timeout,
        screencap,
        reads,
        lock_wait,
    };
    let mut out = Vec::new();
    if args.devices.is_some() {
        for server in &servers {
            for d in server.devices()? {
                if d.state == "device" {
                    out.push(adb_device(server, &d.serial));
                } else {
                    crate::tell!("left out {} ({}) on {}", d.serial, d.state, server.addr());
                }
            }
        }
        if out.is_empty() {
            return Err(crate::device::DeviceError::NotFound {
                serial: "all".into(),
                detail: "the adb servers list no ready device".into(),
            });
        }
        return Ok(out);
    }
    let wanted = if args.device.is_empty() {
        vec!["sim".to_string()]
    } else {
        args.device.clone()
    };
    let mut apps = Some(apps);
    for serial in &wanted {
        if serial == "sim" {
            out.push(DeviceSpec::Sim {
                apps: apps.take().unwrap_or_default(),
                display: crate::sim::Display::default(),
            });
            continue;
        }
        // The first server that lists the serial drives it.
        let mut found = None;
        let mut last_err = None;
        for server in &servers {
            match server.check_device(serial) {
                Ok(()) => {
                    found = Some(server);
                    break;
                }
                Err(e) => last_err = Some(e),
            }
        }
        match (found, last_err) {
            (Some(server), _) => out.push(adb_device(server, serial)),
            (None, Some(e)) => return Err(e),
            (None, None) => {}
        }
    }
    Ok(out)
}

/// `consentry inspect`: pictures, or a device's live screen.
fn inspect(args: &InspectArgs) -> Exit {
    use crate::perception::{Perceiver, Words};
    use crate::screen::inspect;
    let mut perceiver = match Perceiver::with_kind(ocr_kind(&args.ocr)) {
        Ok(p) => p,
        Err(e) => {
            crate::tell!("error: {e}");
            return Exit::Infra;
        }
    };
    let words = Words::default();
    // (name, encoded screenshot, hierarchy, window in front)
    let mut screens = Vec::new();
    if let Some(serial) = &args.device {
        let shot = (|| {
            let server = adb::AdbServer::new(adb::server_address(args.adb_server.as_deref())?);
            server.check_device(serial)?;
            let t = adb::AdbTransport::connect(server, serial)?
                .with_timeout(std::time::Duration::from_secs(30));
            let mut dev = crate::device::AndroidDevice::new(t);
            use crate::device::Device;
            let png = dev.screenshot()?;
            let nodes = dev.hierarchy().unwrap_or_else(|e| {
                crate::tell!("note: no view hierarchy ({e}); reading the pixels alone");
                Vec::new()
            });
            let fg = dev.foreground().unwrap_or(None);
            Ok::<_, crate::device::DeviceError>((png, nodes, fg))
        })();
        match shot {
            Ok((png, nodes, fg)) => screens.push((format!("device:{serial}"), png, nodes, fg)),
            Err(e) => {
                crate::tell!("error: {e}");
                return Exit::Infra;
            }
        }
    }
    let nodes = match &args.hierarchy {
        None => Vec::new(),
        Some(p) => match crate::files::read(p, crate::files::MAX_TEXT, "view hierarchy")
            .map_err(|e| e.to_string())
            .and_then(|raw| crate::device::parse::parse_hierarchy(&raw).map_err(|e| e.to_string()))
        {
            Ok(n) => n,
            Err(e) => {
                crate::tell!("error: {}: {e}", p.display());
                return Exit::Usage;
            }
        },
    };
    for path in &args.images {
        match crate::files::read(path, crate::files::MAX_IMAGE, "screenshot") {
            Ok(b) => screens.push((path.display().to_string(), b, nodes.clone(), None)),
            Err(e) => {
                crate::tell!("error: {e}");
                return Exit::Usage;
            }
        }
    }
    let many = screens.len() > 1;
    let mut all = Vec::new();
    for (name, bytes, nodes, fg) in screens {
        let (ins, mut img, obs) = match inspect::inspect_bytes(
            &mut perceiver,
            name.clone(),
            &bytes,
            &nodes,
            fg.as_ref(),
            &words,
        ) {
            Ok(r) => r,
            Err(crate::perception::PerceptionError::Decode(e)) => {
                crate::tell!("error: {name} is not a PNG or JPEG picture: {e}");
                return Exit::Usage;
            }
            Err(e) => {
                crate::tell!("error: {e}");
                return Exit::Infra;
            }
        };
        if let Some(out) = &args.annotate {
            let dst = if many {
                let stem = Path::new(&name)
                    .file_stem()
                    .map_or("screen".into(), |s| s.to_string_lossy().to_string());
                out.join(format!("{stem}.png"))
            } else {
                out.clone()
            };
            inspect::annotate(&mut img, &obs.texts, &ins.controls);
            let written = dst
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or(Ok(()), std::fs::create_dir_all)
                .map_err(|e| e.to_string())
                .and_then(|_| crate::sim::encode_png(&img))
                .and_then(|png| std::fs::write(&dst, png).map_err(|e| e.to_string()));
            if let Err(e) = written {
                crate::tell!("error: cannot write {}: {e}", dst.display());
                return Exit::Infra;
            }
        }
        if args.json {
            all.push(ins);
        } else {
            print!("{}", terminal::printable(&ins.text()));
        }
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
    }
    Exit::Ok
}

/// The engine `--ocr` names (clap admits only known names), else the
/// one CONSENTRY_OCR names, else PP-OCR.
pub(crate) fn ocr_kind(name: &Option<String>) -> crate::perception::OcrKind {
    use crate::perception::OcrKind;
    name.as_deref()
        .and_then(OcrKind::parse)
        .unwrap_or_else(OcrKind::configured)
}

fn load_error(e: LoadError) -> Exit {
    match e {
        LoadError::Invalid(d) => eprint!("{}", terminal::printable(&d.render())),
        other => crate::tell!("error: {other}"),
    }
    Exit::Usage
}

fn demo(out: &OutputArgs) -> Exit {
    // The bundled scenarios are copied beside the report, so a reviewer
    // sees exactly what ran and can edit and re-run them.
    let dir = out.out.join("scenarios");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        crate::tell!("error: cannot create {}: {e}", dir.display());
        return Exit::Infra;
    }
    // Exactly the bundled scenarios run: a file left in the folder by an
    // older demo (or by the user) is not picked up.
    let mut paths = Vec::new();
    for (name, src) in crate::BUNDLED_SCENARIOS {
        let path = dir.join(name);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, src));
        if let Err(e) = written {
            crate::tell!("error: cannot write {}: {e}", dir.join(name).display());
            return Exit::Infra;
        }
        paths.push(path);
    }
    // In path order, as `consentry run` on the folder would run them.
    paths.sort();
    match scenario::load_paths(&paths) {
        Ok(s) => {
            let mut plan = Plan::sim(s, out.out.clone(), out.jobs);
            plan.annotate_all = out.annotate_all;
            plan.budget = out.budget();
            plan.ocr = ocr_kind(&out.ocr);
            execute(plan, out)
        }
        Err(e) => load_error(e),
    }
}

pub(crate) fn execute(mut plan: Plan, out: &OutputArgs) -> Exit {
    // Every simulated device of this run gets the screen asked for.
    for d in &mut plan.devices {
        if let DeviceSpec::Sim { display, .. } = d {
            *display = out.screen.display();
        }
    }
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = cancel.clone();
        let _ = ctrlc::set_handler(move || {
            if cancel.swap(true, Ordering::SeqCst) {
                // Second Ctrl-C: finished scenarios are already in report.json.
                std::process::exit(i32::from(Exit::Infra.code()));
            }
            crate::tell!("\n{}", crate::t!("progress-interrupted"));
        });
    }
    let total = plan.scenarios.len();
    let tty = std::io::stderr().is_terminal() && !out.quiet;
    let bar = indicatif::ProgressBar::new(total as u64);
    if tty {
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {prefix} {wide_msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    // What each device is doing, shown together on one line.
    let doing: Mutex<BTreeMap<String, String>> = Mutex::new(BTreeMap::new());
    let done = AtomicUsize::new(0);
    let fails = AtomicUsize::new(0);
    let quiet = out.quiet;
    let say = |line: String| {
        let line = terminal::one_line(&line);
        if tty {
            bar.println(line);
        } else if !quiet {
            crate::tell!("{line}");
        }
    };
    let progress = |p: Progress| match p {
        Progress::Started { .. } => {}
        Progress::Step {
            device,
            name,
            describe,
        } => {
            let mut d = doing.lock().unwrap_or_else(|p| p.into_inner());
            d.insert(device, format!("{name}: {describe}"));
            bar.set_message(terminal::one_line(
                &d.iter()
                    .map(|(k, v)| format!("[{k}] {v}"))
                    .collect::<Vec<_>>()
                    .join("  "),
            ));
        }
        Progress::Frame { .. } => {}
        Progress::Finished { device, run, .. } => {
            let n = done.fetch_add(1, Ordering::SeqCst) + 1;
            let f = run
                .verdicts
                .iter()
                .filter(|v| v.status == crate::rules::Status::Fail)
                .count();
            let total_fails = fails.fetch_add(f, Ordering::SeqCst) + f;
            doing
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&device);
            bar.inc(1);
            bar.set_prefix(crate::t!("progress-failing", n = total_fails));
            let retry = if run.attempt > 1 {
                crate::t!("progress-attempt", attempt = run.attempt)
            } else {
                String::new()
            };
            let on = if device.is_empty() {
                String::new()
            } else {
                crate::t!("progress-on", device = device.as_str())
            };
            let error = match (&run.status, &run.error) {
                (
                    crate::runner::RunStatus::InfraError | crate::runner::RunStatus::Interrupted,
                    Some(e),
                ) => format!(" ({e})"),
                _ => String::new(),
            };
            say(crate::t!(
                "progress-finished",
                n = n,
                total = total,
                name = run.name.as_str(),
                on = on,
                retry = retry,
                frames = run.frames.len(),
                verdicts = run.verdicts.len(),
                fail = f,
                error = error
            ));
        }
        Progress::Retrying {
            device,
            name,
            attempt,
            error,
        } => say(crate::t!(
            "progress-retrying",
            name = name,
            attempt = attempt,
            device = device,
            error = error
        )),
        Progress::PutAside { device, reason } => say(crate::t!(
            "progress-put-aside",
            device = device,
            reason = reason
        )),
    };
    let result = session::execute(&plan, &cancel, &progress);
    bar.finish_and_clear();
    match result {
        Ok(report) => {
            print!("{}", terminal::summary(&report, Path::new(&out.out)));
            report.exit()
        }
        Err(e) => {
            crate::tell!("error: {e}");
            Exit::Infra
        }
    }
}

fn serve(args: &ServeArgs) -> Exit {
    let mut apps = match crate::sim::bundled_apps() {
        Ok(a) => a,
        Err(e) => {
            crate::tell!("error: {e}");
            return Exit::Usage;
        }
    };
    match crate::sim::load_apps(&args.apps) {
        Ok(more) => apps.extend(more),
        Err(e) => {
            crate::tell!("error: {e}");
            return Exit::Usage;
        }
    }
    let listener = match std::net::TcpListener::bind(("127.0.0.1", args.port)) {
        Ok(l) => l,
        Err(e) => {
            crate::tell!("error: cannot listen on 127.0.0.1:{}: {e}", args.port);
            return Exit::Infra;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            crate::tell!("error: {e}");
            return Exit::Infra;
        }
    };
    let sim = match crate::sim::Sim::new(&addr.to_string(), apps, crate::sim::Clock::Real) {
        Ok(s) => s,
        Err(e) => {
            crate::tell!("error: {e}");
            return Exit::Usage;
        }
    };
    let mut sim = sim.with_display(args.screen.display());
    if let Some(l) = &args.latency {
        match crate::cli::parse_latency(l) {
            Ok(l) => sim.latency = l,
            Err(e) => {
                crate::tell!("error: --latency: {e}");
                return Exit::Usage;
            }
        }
    }
    crate::say!(
        "consentry sim: serving the simulated device on {addr}; connect with `adb connect {addr}`"
    );
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let faults = crate::sim::adbd::Faults {
        drop_after: args.drop_after,
    };
    match crate::sim::adbd::serve(listener, sim, faults) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            crate::tell!("error: {e}");
            Exit::Infra
        }
    }
}
