//! `consentry diff`: what changed between last night's report and tonight's.
//! Scenarios are matched by file name, so suites run from different folders
//! (or merged from shards) still line up.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::Report;
use crate::rules::Status;

/// One verdict that is not what it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Scenario file name.
    pub scenario: String,
    /// Rule id.
    pub rule: String,
    /// Status in the baseline (none: the rule or scenario is new).
    pub before: Option<Status>,
    /// Status now.
    pub after: Status,
    /// Tonight's message.
    pub message: String,
}

/// Everything that changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// Verdicts failing now that did not fail before.
    pub new_failures: Vec<Change>,
    /// Verdicts that failed before and pass now.
    pub fixed: Vec<Change>,
    /// Any other change of status.
    pub changed: Vec<Change>,
    /// Scenarios in the baseline that are not in the report.
    pub disappeared: Vec<String>,
    /// Scenarios in the report that were not in the baseline.
    pub appeared: Vec<String>,
}

impl Diff {
    /// Whether anything got worse: a new failure or a scenario gone missing.
    pub fn regression(&self) -> bool {
        !self.new_failures.is_empty() || !self.disappeared.is_empty()
    }

    /// The diff as text for a terminal or a mail.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let st = |s: Option<Status>| s.map_or("—", Status::as_str);
        let mut section = |title: &str, items: &[Change]| {
            if !items.is_empty() {
                let _ = writeln!(out, "{title} ({}):", items.len());
                for c in items {
                    let _ = writeln!(
                        out,
                        "  {} / {}: {} → {}: {}",
                        c.scenario,
                        c.rule,
                        st(c.before),
                        c.after.as_str(),
                        c.message
                    );
                }
            }
        };
        section("new failures", &self.new_failures);
        section("fixed", &self.fixed);
        section("changed", &self.changed);
        if !self.disappeared.is_empty() {
            let _ = writeln!(
                out,
                "disappeared ({}):\n  {}",
                self.disappeared.len(),
                self.disappeared.join("\n  ")
            );
        }
        if !self.appeared.is_empty() {
            let _ = writeln!(
                out,
                "appeared ({}):\n  {}",
                self.appeared.len(),
                self.appeared.join("\n  ")
            );
        }
        let _ = writeln!(
            out,
            "{} new failure{}, {} fixed, {} changed, {} disappeared, {} appeared: {}",
            self.new_failures.len(),
            if self.new_failures.len() == 1 {
                ""
            } else {
                "s"
            },
            self.fixed.len(),
            self.changed.len(),
            self.disappeared.len(),
            self.appeared.len(),
            if self.regression() {
                "REGRESSION"
            } else {
                "no regression"
            }
        );
        out
    }
}

fn key(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |f| f.to_string_lossy().into_owned())
}

/// Compares a report with its baseline.
pub fn diff(baseline: &Report, report: &Report) -> Diff {
    let index = |r: &Report| -> BTreeMap<String, BTreeMap<String, (Status, String)>> {
        r.runs
            .iter()
            .map(|run| {
                (
                    key(&run.scenario),
                    run.verdicts
                        .iter()
                        .map(|v| (v.rule.id().to_string(), (v.status, v.message.clone())))
                        .collect(),
                )
            })
            .collect()
    };
    let (before, after) = (index(baseline), index(report));
    let mut d = Diff::default();
    for (sc, rules) in &after {
        let old = before.get(sc);
        if old.is_none() {
            d.appeared.push(sc.clone());
        }
        for (rule, (status, message)) in rules {
            let was = old.and_then(|o| o.get(rule)).map(|(s, _)| *s);
            if was == Some(*status) {
                continue;
            }
            let c = Change {
                scenario: sc.clone(),
                rule: rule.clone(),
                before: was,
                after: *status,
                message: message.clone(),
            };
            match (was, status) {
                (w, Status::Fail) if w != Some(Status::Fail) => d.new_failures.push(c),
                (Some(Status::Fail), Status::Pass) => d.fixed.push(c),
                (None, _) => {} // a new scenario's passing verdicts are not changes
                _ => d.changed.push(c),
            }
        }
    }
    d.disappeared = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .cloned()
        .collect();
    d
}
