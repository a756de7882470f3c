//! `junit.xml`: one testsuite per scenario, one testcase per rule, for CI
//! test reporters (Jenkins, GitLab, GitHub). Written with quick-junit.

use std::path::Path;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report as JUnit, TestCase, TestCaseStatus, TestSuite};

use super::Report;
use crate::rules::Status;
use crate::runner::RunStatus;

fn secs(a: chrono::DateTime<chrono::Utc>, b: chrono::DateTime<chrono::Utc>) -> Duration {
    (b - a).to_std().unwrap_or_default()
}

/// Whether XML 1.0 can carry a character (its `Char` production), with the
/// Unicode noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF) left out too.
pub fn xml_char(c: char) -> bool {
    let u = c as u32;
    let allowed = matches!(c, '\t' | '\n' | '\r')
        || (0x20..=0xD7FF).contains(&u)
        || (0xE000..=0xFFFD).contains(&u)
        || (0x10000..=0x10FFFF).contains(&u);
    allowed && !(0xFDD0..=0xFDEF).contains(&u) && (u & 0xFFFE) != 0xFFFE
}

/// A text XML can carry: what it forbids becomes U+FFFD.
pub fn xml_text(s: &str) -> String {
    s.chars()
        .map(|c| if xml_char(c) { c } else { '\u{fffd}' })
        .collect()
}

/// Renders the report as JUnit XML.
pub fn render(report: &Report) -> Result<String, String> {
    // Every text that can come from an app, a device or a file is made
    // XML-safe where it is written.
    let mut j = JUnit::new("consentry");
    j.set_timestamp(report.started);
    j.set_time(secs(report.started, report.finished));
    for run in &report.runs {
        let stem = xml_text(&Path::new(&run.scenario).file_stem().map_or_else(
            || run.scenario.clone(),
            |s| s.to_string_lossy().into_owned(),
        ));
        let mut suite = TestSuite::new(xml_text(&format!("{} ({stem})", run.name)));
        suite.set_timestamp(run.started);
        suite.set_time(secs(run.started, run.finished));
        for v in &run.verdicts {
            let evidence = v
                .evidence
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let text = xml_text(&format!(
                "T/NIFA 33-2025 {}: {} (evidence frames: {})",
                v.clause,
                v.message,
                if evidence.is_empty() {
                    "none"
                } else {
                    &evidence
                }
            ));
            let status = match v.status {
                Status::Pass => TestCaseStatus::success(),
                Status::Fail => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    s.set_message(text.clone()).set_type(v.rule.id());
                    s
                }
                Status::Inconclusive | Status::Manual => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(format!("{}: {text}", v.status.as_str()));
                    s
                }
            };
            let mut case = TestCase::new(v.rule.id(), status);
            case.set_classname(format!("consentry.{stem}"));
            case.set_system_out(text);
            suite.add_test_case(case);
        }
        if let Some(e) = &run.error {
            let kind = if run.status == RunStatus::StepFailed {
                NonSuccessKind::Failure
            } else {
                NonSuccessKind::Error
            };
            let mut s = TestCaseStatus::non_success(kind);
            s.set_message(xml_text(e)).set_type(match run.status {
                RunStatus::StepFailed => "step-failed",
                RunStatus::Interrupted => "interrupted",
                _ => "infrastructure",
            });
            let mut case = TestCase::new("steps", s);
            case.set_classname(format!("consentry.{stem}"));
            suite.add_test_case(case);
        }
        j.add_test_suite(suite);
    }
    j.to_string().map_err(|e| e.to_string())
}
