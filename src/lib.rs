//! consentry: tests how Android apps and financial mini programs behave
//! around personal-data consent, against Section 7 of T/NIFA 33-2025.
//!
//! One run is a straight line: a scenario file is parsed into a
//! [`scenario::Scenario`]; the [`runner`] drives a [`device::Device`] through
//! it and records a [`trace::Trace`]; the [`rules`] turn the trace into
//! verdicts; the [`report`] writers present trace and verdicts.

pub mod audit;
pub mod cli;
pub mod commands;
pub mod deps;
pub mod device;
pub mod exit;
pub mod files;
pub mod geom;
pub mod i18n;
pub mod perception;
pub mod report;
pub mod rules;
pub mod runner;
pub mod scenario;
pub mod scheduler;
pub mod screen;
pub mod session;
pub mod sim;
pub mod trace;
pub mod yaml;

/// `(path, text)` of files under a folder of the crate, embedded.
macro_rules! embed {
    ($dir:literal: $($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!($dir, $path)))),*]
    };
}

/// The example scenarios shipped in `scenarios/`, by path below it: the
/// compliant example, then one folder per theme (README, "The bundled
/// examples").
pub const BUNDLED_SCENARIOS: &[(&str, &str)] = embed!("../scenarios/":
    "compliant-bank.yaml",
    "consent/no-refuse.yaml",
    "consent/vague-agree.yaml",
    "consent/prechecked.yaml",
    "consent/popup-loop.yaml",
    "consent/exit-on-refuse.yaml",
    "consent/kill-on-refuse.yaml",
    "consent/policy-deep.yaml",
    "consent/wechat-miniprogram.yaml",
    "consent/hostile-text.yaml",
    "notices/no-first-launch-notice.yaml",
    "notices/face-no-notice.yaml",
    "notices/silent-update.yaml",
    "notices/reward-prompt.yaml",
    "permissions/upfront-permission.yaml",
    "permissions/bundled-permissions.yaml",
    "permissions/silent-grant.yaml",
    "permissions/no-purpose.yaml",
    "permissions/reprompt-on-launch.yaml",
    "data-access/collect-before-consent.yaml",
    "data-access/background-location.yaml",
    "data-access/frequent-location.yaml",
    "notices/thin-policy.yaml",
    "rights/no-revocation.yaml",
    "rights/no-account-deletion.yaml",
    "rights/functions-blocked.yaml",
    "security/unmasked-card.yaml",
    "security/password-in-clear.yaml",
    "security/capturable-login.yaml",
    "security/telling-login-error.yaml",
    "security/password-kept.yaml",
);
