//! Helpers shared by the end-to-end tests: they run the real binary.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `consentry` with these arguments.
pub fn consentry(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(args)
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .expect("the consentry binary runs")
}

/// Runs `consentry` in a folder.
pub fn consentry_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(args)
        .current_dir(dir)
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .expect("the consentry binary runs")
}

/// Reads a report.json.
pub fn report(dir: &Path) -> serde_json::Value {
    let bytes = std::fs::read(dir.join("report.json")).expect("report.json written");
    serde_json::from_slice(&bytes).expect("report.json is JSON")
}
