//! The summary printed when a run ends: one line per scenario and rule,
//! failures first, then the totals and where the reports are.

use std::fmt::Write as _;
use std::path::Path;

use super::Report;
use crate::rules::Status;
use crate::runner::RunStatus;

fn stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .map_or_else(|| path.to_string(), |s| s.to_string_lossy().into_owned())
}

/// Renders the summary.
pub fn summary(report: &Report, out_dir: &Path) -> String {
    let mut rows: Vec<(Status, usize, usize, String)> = Vec::new();
    // Columns as wide as their widest cell, in terminal cells (a Chinese
    // character takes two).
    let width = report
        .runs
        .iter()
        .map(|r| cells(&stem(&r.scenario)))
        .max()
        .unwrap_or(8)
        .max(8);
    // The rule's id, and in Chinese its name after it.
    let zh = crate::i18n::current() == crate::i18n::Lang::Zh;
    let rule_text = |r: crate::rules::RuleId| {
        if zh {
            format!("{} {}", r.name(), r.id())
        } else {
            r.id().to_string()
        }
    };
    let rule_w = report
        .runs
        .iter()
        .flat_map(|r| r.verdicts.iter().map(|v| cells(&rule_text(v.rule))))
        .max()
        .unwrap_or(17)
        .max(17);
    let status_w = if zh { 10 } else { 12 };
    let clause_w = report
        .runs
        .iter()
        .flat_map(|r| r.verdicts.iter().map(|v| cells(&v.clause)))
        .max()
        .unwrap_or(18)
        .max(10);
    for (ri, run) in report.runs.iter().enumerate() {
        for (vi, v) in run.verdicts.iter().enumerate() {
            let ev = if v.evidence.is_empty() {
                String::new()
            } else {
                format!(
                    "  [{} {}]",
                    crate::t!("summary-frames", count = v.evidence.len()),
                    v.evidence
                        .iter()
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                        .join(",")
                )
            };
            rows.push((
                v.status,
                ri,
                vi,
                format!(
                    "{} {}  {} {} {}{ev}",
                    pad(&v.status.shout(), status_w),
                    pad(&stem(&run.scenario), width),
                    pad(&rule_text(v.rule), rule_w),
                    pad(&v.clause, clause_w),
                    v.message,
                ),
            ));
        }
    }
    rows.sort_by_key(|(s, ri, vi, _)| (*s, *ri, *vi));
    let mut out = String::new();
    for (_, _, _, line) in &rows {
        out.push_str(line);
        out.push('\n');
    }
    for run in &report.runs {
        if let Some(e) = &run.error {
            let what = match run.status {
                RunStatus::StepFailed => crate::t!("term-step-failed"),
                RunStatus::Interrupted => crate::t!("term-interrupted"),
                _ => crate::t!("term-device-error"),
            };
            let _ = writeln!(out, "{} {}: {e}", pad(&what, status_w), stem(&run.scenario));
        }
    }
    for d in &report.devices {
        if let Some(why) = &d.put_aside {
            let _ = writeln!(
                out,
                "{} {}: {why}",
                pad(&crate::t!("term-put-aside"), status_w),
                d.serial
            );
        }
    }
    for run in report
        .runs
        .iter()
        .filter(|r| r.attempt > 1 && !r.device.is_empty())
    {
        let earlier = run
            .failed_attempts
            .iter()
            .map(|a| format!("{} on {}", a.status_word(), a.device))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "{} {}: {}",
            pad(&crate::t!("term-retried"), status_w),
            stem(&run.scenario),
            crate::t!(
                "summary-retried",
                attempt = run.attempt,
                device = run.device.as_str(),
                earlier = earlier
            )
        );
    }
    let [pass, fail, inconclusive, manual] = report.counts();
    let frames: usize = report.runs.iter().map(|r| r.frames.len()).sum();
    let secs = (report.finished - report.started).num_milliseconds() as f64 / 1000.0;
    let _ = writeln!(
        out,
        "\n{}",
        crate::t!(
            "summary-totals",
            runs = report.runs.len(),
            verdicts = pass + fail + inconclusive + manual,
            pass = pass,
            fail = fail,
            inconclusive = inconclusive,
            manual = manual,
            frames = frames,
            secs = format!("{secs:.1}"),
        )
    );
    if !report.complete {
        let _ = writeln!(out, "{}", crate::t!("summary-incomplete"));
    }
    match &report.unwritten {
        Some(e) => {
            let _ = writeln!(
                out,
                "{}",
                crate::t!(
                    "summary-unwritten",
                    error = e.as_str(),
                    dir = out_dir.display().to_string()
                )
            );
        }
        None => {
            let _ = writeln!(
                out,
                "{}",
                crate::t!(
                    "summary-report",
                    path = out_dir.join("report.json").display().to_string()
                )
            );
        }
    }
    printable(&out)
}

/// Text safe to print on a terminal: control characters (escape
/// sequences, carriage returns) and bidirectional overrides (U+202E …),
/// which could rewrite or reorder what a reviewer reads, are shown as
/// `\u{…}` escapes. Line breaks and tabs stay.
pub fn printable(s: &str) -> String {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(unsafe_char) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if unsafe_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// [`printable`] for a text that must stay on one line (a progress line,
/// a name): line breaks and tabs are escaped too.
pub fn one_line(s: &str) -> String {
    printable(s)
        .chars()
        .map(|c| match c {
            '\n' | '\t' => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// `println!` through [`printable`]: the one way the commands print text
/// that may hold what a device, a file or a name put in it.
#[macro_export]
macro_rules! say {
    () => { println!() };
    ($($t:tt)*) => { println!("{}", $crate::report::terminal::printable(&format!($($t)*))) };
}

/// `eprintln!` through [`printable`].
#[macro_export]
macro_rules! tell {
    () => { eprintln!() };
    ($($t:tt)*) => { eprintln!("{}", $crate::report::terminal::printable(&format!($($t)*))) };
}

/// How many terminal cells a text takes: two for a Chinese or full-width
/// character, one for others.
fn cells(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if (c as u32) >= 0x1100 && !(0x2000..0x2E80).contains(&(c as u32)) {
                2
            } else {
                1
            }
        })
        .sum()
}

/// A text padded with spaces to `w` terminal cells.
fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(cells(s))))
}

#[cfg(test)]
mod printable_tests {
    #[test]
    fn escapes_and_overrides_are_shown_not_obeyed() {
        assert_eq!(
            super::printable("a\x1b[2Jb\rc\u{202e}d\n"),
            "a\\u{1b}[2Jb\\u{d}c\\u{202e}d\n"
        );
        assert_eq!(super::printable("合规银行\tok\n"), "合规银行\tok\n");
    }
}
