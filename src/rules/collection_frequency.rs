//! `collection-frequency`, 7.3(f): personal data is not read far more often
//! than the function on screen needs. Read from the app-op access times of
//! frames taken close together (an `observe` step).
//!
//! Thresholds (an op is read "too often" when, inside one observed stretch,
//! it was read at least [`MIN_ACCESSES`] times and the median time between
//! reads is below its limit):
//! - location: every [`LOCATION_MIN_GAP_MS`] (30 s) or more often, on
//!   screens that show no map, navigation or nearby-places function
//!   (地图, 导航, 附近, 定位, Map …);
//! - any other personal-data op (device ids, contacts, clipboard, installed
//!   apps, SMS …): every [`OTHER_MIN_GAP_MS`] (60 s) or more often;
//! - camera and microphone are left out: an open camera or recording reads
//!   them continuously by design.
//!
//! Each frame's records show only the latest read, so the count is a lower
//! bound and the median gap an upper bound: the rule never overstates.

use super::evidence::{accesses, mini_program_note, personal, secs};
use super::{Outcome, Rule, Section, Status};
use crate::trace::Trace;

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "collection-frequency",
    clause: "7.3(f)",
    default_on: false,
    fails_when: "an op is accessed far more often than the visible function needs",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(check),
};

/// Reads needed before a rate is judged.
pub const MIN_ACCESSES: usize = 3;
/// Location read more often than this without a map on screen fails.
pub const LOCATION_MIN_GAP_MS: i64 = 30_000;
/// Any other personal-data op read more often than this fails.
pub const OTHER_MIN_GAP_MS: i64 = 60_000;
/// The shortest observed stretch the rule judges.
pub const MIN_WINDOW_MS: u64 = 30_000;
/// The most time between two frames inside one observed stretch: slower
/// sampling cannot see a read every few seconds.
pub const MAX_SAMPLE_GAP_MS: u64 = 10_000;

/// Words of a screen whose function needs frequent location.
const MAP_WORDS: &[&str] = &[
    "地图",
    "导航",
    "附近",
    "定位",
    "路线",
    "map",
    "navigation",
    "nearby",
];

fn check(trace: &Trace) -> Outcome {
    if let Some(note) = mini_program_note(trace) {
        return Outcome::plain(Status::Inconclusive, Vec::new(), note);
    }
    let frames = &trace.frames;
    // Stretches of frames at most MAX_SAMPLE_GAP_MS apart.
    let mut windows: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for i in 1..=frames.len() {
        let split = i == frames.len()
            || frames[i]
                .elapsed_ms
                .saturating_sub(frames[i - 1].elapsed_ms)
                > MAX_SAMPLE_GAP_MS;
        if split {
            if i > start && frames[i - 1].elapsed_ms - frames[start].elapsed_ms >= MIN_WINDOW_MS {
                windows.push((start, i - 1));
            }
            start = i;
        }
    }
    if windows.is_empty() {
        return Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!(
                "collection-frequency-no-stretch",
                window = secs(MIN_WINDOW_MS as i64),
                gap = secs(MAX_SAMPLE_GAP_MS as i64)
            ),
        );
    }
    let all = accesses(trace);
    let mut watched = 0u64;
    for &(a, b) in &windows {
        let (from, to) = (frames[a].elapsed_ms as i64, frames[b].elapsed_ms as i64);
        watched += (to - from) as u64;
        let map_shown = frames[a..=b].iter().any(|f| {
            f.texts.iter().any(|t| {
                let l = t.text.to_lowercase();
                MAP_WORDS.iter().any(|w| l.contains(w))
            })
        });
        let mut ops: Vec<&str> = all.iter().map(|x| x.op.as_str()).collect();
        ops.sort_unstable();
        ops.dedup();
        for op in ops {
            let what = personal(op).unwrap_or_default();
            if matches!(op, "CAMERA" | "RECORD_AUDIO") {
                continue;
            }
            let location = what.starts_with("location");
            if location && map_shown {
                continue;
            }
            let limit = if location {
                LOCATION_MIN_GAP_MS
            } else {
                OTHER_MIN_GAP_MS
            };
            // Reads inside the stretch (one read before it anchors the first gap).
            let times: Vec<&super::evidence::Access> = all
                .iter()
                .filter(|x| {
                    x.op == op && x.at_ms >= from - MAX_SAMPLE_GAP_MS as i64 && x.at_ms <= to
                })
                .collect();
            if times.len() < MIN_ACCESSES {
                continue;
            }
            let mut gaps: Vec<i64> = times.windows(2).map(|w| w[1].at_ms - w[0].at_ms).collect();
            gaps.sort_unstable();
            let median = gaps[gaps.len() / 2];
            if median < limit {
                let span = times[times.len() - 1].at_ms - times[0].at_ms;
                let mut evidence: Vec<usize> = times.iter().map(|x| x.seen_in).collect();
                evidence.dedup();
                return Outcome::plain(
                    Status::Fail,
                    evidence,
                    crate::said!(
                        "collection-frequency-fail",
                        op = op,
                        what = super::evidence::meaning(what),
                        n = times.len(),
                        span = secs(span),
                        median = secs(median),
                        where_ = if location {
                            crate::said!("collection-frequency-no-map")
                        } else {
                            crate::i18n::Said::none()
                        },
                        limit = secs(limit)
                    ),
                );
            }
        }
    }
    Outcome::plain(
        Status::Pass,
        windows
            .iter()
            .flat_map(|&(a, b)| [frames[a].index, frames[b].index])
            .collect(),
        crate::said!("collection-frequency-pass", secs = secs(watched as i64)),
    )
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::*;
    use crate::perception::Role;
    use crate::trace::{ActionKind, Frame};

    /// Frames every 5 s for 30 s on a screen, with an op read every `every` ms.
    fn observed(screen: &str, op: &str, every: u64) -> Vec<Frame> {
        (0..7)
            .map(|k| {
                let at = 10_000 + k * 5000;
                let last = (at / every) * every;
                with_ops(
                    frame(ActionKind::Look, at, &[(screen, Role::Other)]),
                    &[(op, at - last)],
                )
            })
            .collect()
    }

    #[test]
    fn location_every_five_seconds_without_a_map_fails() {
        let o = check(&trace(observed("理财产品", "COARSE_LOCATION", 5000)));
        assert_eq!(o.status, Status::Fail, "{}", o.message);
        assert!(
            o.message
                .contains("COARSE_LOCATION (location) was read at least 7 times"),
            "{}",
            o.message
        );
        assert!(o.message.contains("every 5.0 s"), "{}", o.message);
    }

    #[test]
    fn location_on_a_map_and_slow_reads_pass() {
        assert_eq!(
            check(&trace(observed("附近网点 地图", "FINE_LOCATION", 5000))).status,
            Status::Pass
        );
        // Device ids every 5 s fail, every 2 minutes pass.
        assert_eq!(
            check(&trace(observed("行情", "READ_PHONE_STATE", 5000))).status,
            Status::Fail
        );
        assert_eq!(
            check(&trace(observed("行情", "READ_PHONE_STATE", 120_000))).status,
            Status::Pass
        );
    }

    #[test]
    fn without_a_close_observation_it_is_inconclusive() {
        let t = trace(vec![
            frame(ActionKind::Launch, 1000, &[]),
            frame(ActionKind::Look, 20_000, &[]),
            frame(ActionKind::Look, 40_000, &[]),
        ]);
        let o = check(&t);
        assert_eq!(o.status, Status::Inconclusive);
        assert!(o.message.contains("observe"), "{}", o.message);
    }
}
