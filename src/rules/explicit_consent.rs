//! `explicit-consent`, 7.1(c): every consent prompt offers a clear agree
//! and a real refuse, its box is not ticked in advance, and the refuse
//! option is not shrunk out of sight. A login page with a consent box
//! (我已阅读并同意《隐私政策》 above 登录) is a consent prompt too: its box must
//! start unticked and the user must have a way on without agreeing.

use super::consent_flow::{is_way_out, prompts, same_prompt, same_view, signature, PromptKind};
use super::{highlight, Outcome, Rule, Section, Status};
use crate::perception::{Role, Source, TextItem};
use crate::trace::{ActionKind, Frame, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "explicit-consent",
    clause: "7.1(c)",
    default_on: true,
    fails_when: "no clear refuse, only a vague agree, a pre-ticked box, or a refuse far smaller or fainter than agree",
    by_a_person: false,
    section: Section::Seven,
    level2: false,
    check: Some(judge),
};

fn judge(trace: &Trace) -> Outcome {
    let prompts = prompts(trace);
    if prompts.is_empty() {
        return Outcome::new(
            Status::Inconclusive,
            Vec::new(),
            Vec::new(),
            crate::said!("explicit-consent-no-prompt"),
        );
    }
    let mut first_pass = None;
    for &(i, kind) in &prompts {
        let f = &trace.frames[i];
        let o = match kind {
            PromptKind::Login => login(trace, f),
            _ => dialog(trace, f),
        };
        if o.status != Status::Pass {
            return o;
        }
        first_pass.get_or_insert(o);
    }
    first_pass.unwrap_or(Outcome::new(
        Status::Inconclusive,
        Vec::new(),
        Vec::new(),
        crate::said!("explicit-consent-no-prompt-short"),
    ))
}

/// A login page asking consent with a checkbox.
fn login(trace: &Trace, f: &Frame) -> Outcome {
    let ev = vec![f.index];
    let boxes: Vec<_> = f.with_role(Role::Checkbox).collect();
    if let Some(cb) = boxes.iter().find(|t| t.checked == Some(true)) {
        return Outcome::new(
            Status::Fail,
            ev,
            vec![highlight(f.index, cb)],
            crate::said!("explicit-consent-login-pre-ticked", text = cb.text.as_str()),
        );
    }
    let cb = boxes.first().map_or(String::new(), |t| t.text.clone());
    if let Some(out) = f.texts.iter().find(|t| is_way_out(t, &trace.words)) {
        return Outcome::new(
            Status::Pass,
            ev,
            vec![highlight(f.index, out)],
            crate::said!(
                "explicit-consent-login-way-out",
                cb = cb.as_str(),
                out = out.text.as_str()
            ),
        );
    }
    // No control to decline: did leaving the page (back) work?
    let sig = signature(f);
    let left = trace.frames.iter().skip(1).find(|g| {
        g.action == ActionKind::Back && same_prompt(&sig, &signature(&trace.frames[g.index - 1]))
    });
    match left {
        Some(g) if !same_prompt(&sig, &signature(g)) => Outcome::new(
            Status::Pass,
            vec![f.index, g.index],
            Vec::new(),
            crate::said!("explicit-consent-login-back-declines", cb = cb.as_str()),
        ),
        Some(g) => Outcome::new(
            Status::Fail,
            vec![f.index, g.index],
            Vec::new(),
            crate::said!("explicit-consent-login-no-way-on", cb = cb.as_str()),
        ),
        None => Outcome::new(
            Status::Inconclusive,
            ev,
            Vec::new(),
            crate::said!("explicit-consent-login-untried", cb = cb.as_str()),
        ),
    }
}

/// The frames that show one prompt before the user chose: the first, and
/// those scrolled to the rest of it (a long dialog's controls below the fold).
fn view(trace: &Trace, f: &Frame) -> Vec<usize> {
    let mut v = vec![f.index];
    // Opening the policy or an agreement the prompt links to, and coming
    // back to the prompt, is reading it, not choosing.
    let mut reading = false;
    for g in &trace.frames[f.index + 1..] {
        if reading {
            if same_view(f, g) {
                reading = false;
            } else if matches!(
                g.action,
                ActionKind::Back | ActionKind::Swipe | ActionKind::Look
            ) {
                continue;
            } else {
                break;
            }
        }
        let link = g.action == ActionKind::Tap
            && g.tap
                .as_ref()
                .is_some_and(|t| matches!(t.role, Some(Role::Policy | Role::Agreement)));
        if link {
            reading = true;
            continue;
        }
        if !matches!(
            g.action,
            ActionKind::Swipe | ActionKind::Look | ActionKind::Back
        ) || !same_view(f, g)
        {
            break;
        }
        // Frames that only looked again show nothing new.
        if g.action == ActionKind::Swipe {
            v.push(g.index);
        }
    }
    v
}

/// The texts of a frame that can be the prompt's controls. Where the view
/// hierarchy lists the top window's texts, a control OCR read outside all
/// of them is not the prompt's: it is the screen a dialog dims behind it
/// (an app named 退出保险 in its title bar is no refuse button).
fn controls(f: &Frame) -> Vec<&TextItem> {
    let tree: Vec<&TextItem> = f
        .texts
        .iter()
        .filter(|t| t.source == Source::Hierarchy)
        .collect();
    f.texts
        .iter()
        .filter(|t| {
            tree.is_empty()
                || t.source == Source::Hierarchy
                || t.role == Role::Other
                || tree
                    .iter()
                    .any(|h| h.bounds.overlap_of_smaller(&t.bounds) > 0.5)
        })
        .collect()
}

/// A consent dialog or page with agree and refuse controls.
fn dialog(trace: &Trace, f: &Frame) -> Outcome {
    let frames = view(trace, f);
    let ev = frames.clone();
    let items: Vec<(usize, &TextItem)> = frames
        .iter()
        .flat_map(|&i| controls(&trace.frames[i]).into_iter().map(move |t| (i, t)))
        .collect();
    let with = |roles: &[Role]| -> Vec<(usize, &TextItem)> {
        items
            .iter()
            .filter(|(_, t)| roles.contains(&t.role))
            .copied()
            .collect()
    };
    let agree = with(&[Role::Agree]);
    let vague = with(&[Role::Vague]);
    let refuse = with(&[Role::Refuse, Role::WeakRefuse]);
    let hl = |items: &[(usize, &TextItem)]| {
        items
            .iter()
            .map(|(i, t)| highlight(*i, t))
            .collect::<Vec<_>>()
    };
    let labels = |items: &[(usize, &TextItem)]| {
        let mut v: Vec<String> = items.iter().map(|(_, t)| t.text.clone()).collect();
        v.dedup();
        v
    };

    if agree.is_empty() && vague.is_empty() {
        // A prompt recognised by its refuse control and policy link: its
        // agree control was not read (OCR), so nothing can be said of it.
        return Outcome::new(
            Status::Inconclusive,
            ev,
            hl(&refuse),
            crate::said!(
                "explicit-consent-agree-unread",
                refuse = refuse[0].1.text.as_str()
            ),
        );
    }
    if refuse.is_empty() {
        let names = labels(&[agree.clone(), vague.clone()].concat());
        let quoted: Vec<String> = names.iter().map(|t| format!("「{t}」")).collect();
        // The labels as the screen shows them; the message quotes each.
        let shown = crate::i18n::Listed::join(names.iter(), " ").with_text(quoted.join(" "));
        return Outcome::new(
            Status::Fail,
            ev,
            hl(&[agree, vague].concat()),
            crate::said!("explicit-consent-no-refuse", shown = shown),
        );
    }
    if agree.is_empty() {
        return Outcome::new(
            Status::Fail,
            ev,
            hl(&vague),
            crate::said!(
                "explicit-consent-vague-agree",
                labels = labels(&vague).join("」「")
            ),
        );
    }
    if let Some((i, cb)) = with(&[Role::Checkbox])
        .into_iter()
        .find(|(_, t)| t.checked == Some(true))
    {
        // Frames before the user touched anything: the box came ticked.
        return Outcome::new(
            Status::Fail,
            ev,
            vec![highlight(i, cb)],
            crate::said!("explicit-consent-pre-ticked", text = cb.text.as_str()),
        );
    }
    // Size and contrast from the pixels or the hierarchy (perception's
    // measure), over the frames that show the prompt.
    for &i in &frames {
        if let Some((a, r, why)) = crate::screen::inspect::suppressed_refuse(&trace.frames[i].texts)
        {
            return Outcome::new(
                Status::Fail,
                ev,
                vec![highlight(i, a), highlight(i, r)],
                crate::said!("explicit-consent-suppressed-refuse", why = why),
            );
        }
    }
    Outcome::new(
        Status::Pass,
        ev,
        hl(&[agree.clone(), refuse.clone()].concat()),
        crate::said!(
            "explicit-consent-pass",
            agree = agree[0].1.text.as_str(),
            refuse = refuse[0].1.text.as_str()
        ),
    )
}
