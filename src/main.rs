//! The `consentry` binary: parse arguments, call the library, map the
//! outcome to an exit code.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::Parser;

use consentry::cli::{Cli, Command, OutputArgs, ServeArgs, SimCommand};
use consentry::device::adb;
use consentry::report::terminal;
use consentry::rules::RuleId;
use consentry::scenario::{self, LoadError};
use consentry::session::{self, DeviceSpec, Plan, Progress};

/// libtesseract's OpenMP reads OMP_THREAD_LIMIT when it loads, before main:
/// unset, OCR on a 2-core machine runs about 5x slower. Start again with it set.
fn ensure_omp_limit() {
    if std::env::var_os("OMP_THREAD_LIMIT").is_some() {
        return;
    }
    use std::os::unix::process::CommandExt;
    if let Ok(exe) = std::env::current_exe() {
        let err = std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env("OMP_THREAD_LIMIT", "1")
            .exec();
        tracing::debug!("could not re-execute with OMP_THREAD_LIMIT=1: {err}");
    }
}

fn main() -> ExitCode {
    ensure_omp_limit();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CONSENTRY_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Run(args) => {
            let apps = match consentry::sim::load_apps(&args.sim_apps) {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let scenarios = match scenario::load_paths(&args.paths) {
                Ok(s) => s,
                Err(e) => return ExitCode::from(load_error(e) as u8),
            };
            let spec = if args.device == "sim" {
                DeviceSpec::Sim { apps }
            } else {
                let server = match adb::server_address(args.adb_server.as_deref()) {
                    Ok(a) => adb::AdbServer::new(a),
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::from(3);
                    }
                };
                DeviceSpec::Adb {
                    server,
                    serial: args.device.clone(),
                    timeout: std::time::Duration::from_secs(args.command_timeout.max(1)),
                    screencap: if args.screencap == "raw" {
                        consentry::device::Screencap::Raw
                    } else {
                        consentry::device::Screencap::Png
                    },
                }
            };
            run(scenarios, spec, &args.output)
        }
        Command::Demo(args) => demo(&args.output),
        Command::Check { paths } => match scenario::load_paths(&paths) {
            Ok(s) => {
                for sc in &s {
                    println!(
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
                0
            }
            Err(e) => load_error(e),
        },
        Command::Sim(SimCommand::Serve(args)) => serve(&args),
        Command::Devices { adb_server } => {
            let server = match adb::server_address(adb_server.as_deref()) {
                Ok(a) => adb::AdbServer::new(a),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(3);
                }
            };
            match server.devices() {
                Ok(list) => {
                    for d in &list {
                        println!("{}\t{}", d.serial, d.state);
                    }
                    if list.is_empty() {
                        eprintln!("no devices: start an emulator, plug in a phone with USB debugging on, or `adb connect HOST:PORT`");
                    }
                    0
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    3
                }
            }
        }
        Command::Rules => {
            for r in RuleId::ALL {
                println!(
                    "{:<30} {:<18} {}",
                    r.id(),
                    r.clause(),
                    if r.implemented() { "checked" } else { "manual" }
                );
            }
            0
        }
    };
    ExitCode::from(code as u8)
}

fn load_error(e: LoadError) -> i32 {
    match e {
        LoadError::Invalid(d) => eprint!("{}", d.render()),
        other => eprintln!("error: {other}"),
    }
    2
}

fn demo(out: &OutputArgs) -> i32 {
    // The bundled scenarios are copied beside the report, so a reviewer
    // sees exactly what ran and can edit and re-run them.
    let dir = out.out.join("scenarios");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return 3;
    }
    for (name, src) in consentry::BUNDLED_SCENARIOS {
        if let Err(e) = std::fs::write(dir.join(name), src) {
            eprintln!("error: cannot write {}: {e}", dir.join(name).display());
            return 3;
        }
    }
    match scenario::load_paths(std::slice::from_ref(&dir)) {
        Ok(s) => run(s, DeviceSpec::Sim { apps: Vec::new() }, out),
        Err(e) => load_error(e),
    }
}

fn run(scenarios: Vec<scenario::Scenario>, device: DeviceSpec, out: &OutputArgs) -> i32 {
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = cancel.clone();
        let _ = ctrlc::set_handler(move || {
            if cancel.swap(true, Ordering::SeqCst) {
                // Second Ctrl-C: finished scenarios are already in report.json.
                std::process::exit(130);
            }
            eprintln!("\ninterrupted: finishing the current step; report.json keeps every finished scenario (Ctrl-C again to quit now)");
        });
    }
    let total = scenarios.len();
    let plan = Plan {
        scenarios,
        out_dir: out.out.clone(),
        device,
        jobs: out.jobs,
        annotate_all: out.annotate_all,
    };
    let tty = std::io::stderr().is_terminal() && !out.quiet;
    let bar = indicatif::ProgressBar::new(total as u64);
    if tty {
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {wide_msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let done = std::sync::atomic::AtomicUsize::new(0);
    let quiet = out.quiet;
    let progress = |p: Progress| match p {
        Progress::Started { .. } => {}
        Progress::Step {
            worker,
            name,
            describe,
        } => bar.set_message(format!("[{worker}] {name}: {describe}")),
        Progress::Finished { run, .. } => {
            let n = done.fetch_add(1, Ordering::SeqCst) + 1;
            bar.inc(1);
            let fails = run
                .verdicts
                .iter()
                .filter(|v| v.status == consentry::rules::Status::Fail)
                .count();
            let line = format!(
                "[{n}/{total}] {} on {}: {} frames, {} verdicts, {fails} fail",
                run.name,
                run.device,
                run.frames.len(),
                run.verdicts.len()
            );
            if tty {
                bar.println(line);
            } else if !quiet {
                eprintln!("{line}");
            }
        }
    };
    let result = session::execute(&plan, &cancel, &progress);
    bar.finish_and_clear();
    match result {
        Ok(report) => {
            print!("{}", terminal::summary(&report, Path::new(&out.out)));
            report.exit_code()
        }
        Err(e) => {
            eprintln!("error: {e}");
            3
        }
    }
}

fn serve(args: &ServeArgs) -> i32 {
    let mut apps = match consentry::sim::bundled_apps() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    match consentry::sim::load_apps(&args.apps) {
        Ok(more) => apps.extend(more),
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    }
    let listener = match std::net::TcpListener::bind(("127.0.0.1", args.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{}: {e}", args.port);
            return 3;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return 3;
        }
    };
    let mut sim =
        match consentry::sim::Sim::new(&addr.to_string(), apps, consentry::sim::Clock::Real) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        };
    if let Some(l) = &args.latency {
        match consentry::cli::parse_latency(l) {
            Ok(l) => sim.latency = l,
            Err(e) => {
                eprintln!("error: --latency: {e}");
                return 2;
            }
        }
    }
    println!(
        "consentry sim: serving the simulated device on {addr}; connect with `adb connect {addr}`"
    );
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let faults = consentry::sim::adbd::Faults {
        drop_after: args.drop_after,
    };
    match consentry::sim::adbd::serve(listener, sim, faults) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            3
        }
    }
}
