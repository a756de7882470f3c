//! What `revocation-reachable` and `account-deletion-reachable` share: the
//! verdict of the bounded searches for one target, with the path as the
//! evidence.

use super::{Outcome, Status};
use crate::i18n::Said;
use crate::screen::search::{self, Match, SearchView};
use crate::trace::{Exploration, Found, Target, Trace};

/// The depth a search must reach before finding nothing counts as a
/// failure: the 4 taps 7.1(d) allows the policy, which the standard's "便捷"
/// (convenient) asks of these ways too.
pub const DEPTH: u32 = 4;

/// `1 tap`, `3 taps`, in the process's language.
fn taps(n: u32) -> Said {
    crate::said!("search-taps", n = n)
}

/// `1 screen`, `3 screens`, in the process's language.
fn screens(n: u32) -> Said {
    crate::said!("search-screens", n = n)
}

/// What a search looks for, in the process's language, for messages (the
/// privacy policy, a way to withdraw authorizations, …).
pub(super) fn describe(target: Target) -> Said {
    match target {
        Target::Policy => crate::said!("search-target-policy"),
        Target::Revocation => crate::said!("search-target-revocation"),
        Target::AccountDeletion => crate::said!("search-target-account-deletion"),
    }
}

/// Near misses of the searches, for messages: `; found instead: 「隐私设置」
/// (no switch …, 2 taps)`.
pub(super) fn instead(searches: &[&Exploration]) -> Said {
    let mut seen = Vec::new();
    for e in searches {
        for n in &e.instead {
            let s = crate::said!(
                "search-instead-item",
                title = n.title.as_str(),
                why = if n.reason.is_empty() {
                    Said::verbatim(n.why.as_str())
                } else {
                    Said {
                        text: n.why.clone(),
                        reason: n.reason.clone(),
                    }
                },
                taps = taps(n.depth)
            );
            if !seen.contains(&s) {
                seen.push(s);
            }
        }
    }
    if seen.is_empty() {
        Said::none()
    } else {
        crate::said!(
            "search-found-instead",
            list = crate::i18n::Listed::join(seen.iter(), &crate::t!("evidence-list-sep"))
        )
    }
}

/// Judges the searches for `target`: pass with the path when one found it,
/// fail when a search at least [`DEPTH`] taps deep found nothing, else
/// inconclusive naming the step to add.
/// The frame a search stopped on, asked again (the screen's own
/// classifier, on what the search kept of the screen): `Ok` with why it is
/// the target, or `Err` with what it shows instead. A frame recorded
/// without what the search knew of it (an older report) is taken as found.
pub(super) fn confirmed(trace: &Trace, target: Target, f: &Found) -> Result<Said, Said> {
    let Some(frame) = trace.frames.get(f.frame) else {
        return Err(crate::said!("search-frame-missing", frame = f.frame));
    };
    let Some(page) = &frame.page else {
        return Ok(Said::verbatim(f.why.as_str()));
    };
    let view = SearchView {
        texts: &frame.texts,
        words: &trace.words,
        page,
    };
    match search::classify(&view, target, f.path.last().map(String::as_str)) {
        Match::Target(why) => Ok(why),
        Match::Near(title, why) => Err(crate::said!(
            "search-frame-shows",
            frame = f.frame,
            title = title,
            why = why
        )),
        Match::Other => Err(crate::said!("search-frame-not-it", frame = f.frame)),
    }
}

/// What a rule says when every screen a search reported is not the target
/// when asked again.
pub(super) fn unconfirmed(what: &Said, found: &[(usize, Said)]) -> Outcome {
    let why: Vec<&Said> = found.iter().map(|(_, w)| w).collect();
    Outcome::plain(
        Status::Inconclusive,
        found.iter().map(|(i, _)| *i).collect(),
        crate::said!(
            "search-unconfirmed",
            what = what,
            why = crate::i18n::Listed::join(why, &crate::t!("search-why-sep"))
        ),
    )
}

pub fn judge(trace: &Trace, target: Target, step: &str) -> Outcome {
    let searches: Vec<&Exploration> = trace
        .explorations
        .iter()
        .filter(|e| e.target == target)
        .collect();
    let what = &describe(target);
    if searches.is_empty() {
        return Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("search-none", what = what, step = step),
        );
    }
    let mut refused = Vec::new();
    let confirmed_found = searches
        .iter()
        .filter_map(|e| e.found.as_ref().map(|f| (e, f)))
        .filter_map(|(e, f)| match confirmed(trace, target, f) {
            Ok(why) => Some((e, f, why)),
            Err(no) => {
                refused.push((f.frame, no));
                None
            }
        })
        .min_by_key(|(_, f, _)| f.depth);
    if confirmed_found.is_none() && !refused.is_empty() {
        return unconfirmed(what, &refused);
    }
    if let Some((e, f, why)) = confirmed_found {
        let mut ev = vec![e.start_frame];
        ev.extend(&f.path_frames);
        ev.push(f.frame);
        ev.dedup();
        let path = if f.path.is_empty() {
            crate::said!("search-on-start-screen")
        } else {
            crate::said!(
                "search-path",
                taps = taps(f.depth),
                path = crate::i18n::Listed::join(f.path.iter(), " › ")
            )
        };
        let why = if why.is_empty() {
            Said::none()
        } else {
            crate::said!("search-why", why = why)
        };
        return Outcome::plain(
            Status::Pass,
            ev,
            crate::said!("search-reached", what = what, path = path, why = why),
        );
    }
    let deepest = searches
        .iter()
        .max_by_key(|e| (e.max_taps, e.screens))
        .copied();
    let Some(deepest) = deepest else {
        return Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("search-none-short", what = what),
        );
    };
    let mut ev = vec![deepest.start_frame];
    ev.extend(deepest.instead.iter().map(|n| n.frame));
    ev.dedup();
    if deepest.max_taps < DEPTH {
        return Outcome::plain(
            Status::Inconclusive,
            ev,
            crate::said!(
                "search-too-shallow",
                taps = taps(deepest.max_taps),
                what = what,
                depth = DEPTH,
                instead = instead(&searches)
            ),
        );
    }
    Outcome::plain(
        Status::Fail,
        ev,
        crate::said!(
            "search-not-reached",
            what = what,
            within = taps(deepest.max_taps),
            screens = screens(deepest.screens),
            taps = taps(deepest.taps),
            instead = instead(&searches)
        ),
    )
}

#[cfg(test)]
mod tests {
    use crate::trace::{Exploration, Target};

    #[test]
    fn searches_recorded_before_targets_existed_were_for_the_policy() {
        let e: Exploration =
            serde_json::from_str(r#"{"start_frame":0,"max_taps":4,"taps":3,"screens":4}"#)
                .expect("an old exploration loads");
        assert_eq!(e.target, Target::Policy);
    }
}
