//! The `consentry` binary: parse arguments, call the library, map the
//! outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

use consentry::cli::Cli;

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
    consentry::i18n::set(cli.lang.unwrap_or_else(consentry::i18n::Lang::from_env));
    consentry::commands::dispatch(cli.command).into()
}
