//! consentry: tests how Android apps and financial mini programs behave
//! around personal-data consent, against Section 7 of T/NIFA 33-2025.
//!
//! One run is a straight line: a scenario file is parsed into a
//! [`scenario::Scenario`]; the [`runner`] drives a [`device::Device`] through
//! it and records a [`trace::Trace`]; the [`rules`] turn the trace into
//! verdicts; the [`report`] writers present trace and verdicts.

pub mod cli;
pub mod commands;
pub mod device;
pub mod exit;
pub mod geom;
pub mod perception;
pub mod report;
pub mod rules;
pub mod runner;
pub mod scenario;
pub mod scheduler;
pub mod session;
pub mod sim;
pub mod trace;
pub mod yaml;

/// The example scenarios shipped in `scenarios/`, by file name.
pub const BUNDLED_SCENARIOS: &[(&str, &str)] = &[
    (
        "compliant-bank.yaml",
        include_str!("../scenarios/compliant-bank.yaml"),
    ),
    (
        "no-refuse.yaml",
        include_str!("../scenarios/no-refuse.yaml"),
    ),
    (
        "vague-agree.yaml",
        include_str!("../scenarios/vague-agree.yaml"),
    ),
    (
        "prechecked.yaml",
        include_str!("../scenarios/prechecked.yaml"),
    ),
    (
        "popup-loop.yaml",
        include_str!("../scenarios/popup-loop.yaml"),
    ),
    (
        "exit-on-refuse.yaml",
        include_str!("../scenarios/exit-on-refuse.yaml"),
    ),
    (
        "kill-on-refuse.yaml",
        include_str!("../scenarios/kill-on-refuse.yaml"),
    ),
    (
        "policy-deep.yaml",
        include_str!("../scenarios/policy-deep.yaml"),
    ),
    (
        "wechat-miniprogram.yaml",
        include_str!("../scenarios/wechat-miniprogram.yaml"),
    ),
    (
        "hostile-text.yaml",
        include_str!("../scenarios/hostile-text.yaml"),
    ),
];
