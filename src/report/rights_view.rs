//! The evidence views of the search and refusal rules in `index.html`: the
//! path a search took (each tapped label with the frame it led to, in
//! order), the functions opened after a refusal, and the policy's captured
//! text (collapsible) with its hints: the elements found, with their
//! sentences quoted, and those not found.

use std::fmt::Write as _;

use super::html::esc;
use super::Run;
use crate::rules::policy_content::{self, Hint, CHILDREN};
use crate::rules::Verdict;
use crate::trace::{Exploration, Target};

pub(super) const STYLE: &str = r#"<style id="s7-style">
.s7{margin:6px 0 2px;font-size:13px;color:#1f2328}
.s7 ol.path{list-style:none;display:flex;flex-wrap:wrap;align-items:flex-start;gap:4px;padding:0;margin:4px 0}
.s7 ol.path li{display:flex;align-items:center;gap:4px}
.s7 .step{display:flex;flex-direction:column;align-items:center;width:96px;text-align:center;font-size:12px;text-decoration:none;color:#1f2328}
.s7 .step img{width:90px;height:200px;object-fit:cover;object-position:top;border:2px solid var(--line);border-radius:4px;background:#eee}
.s7 .step.found img{border-color:var(--pass)}.s7 .step.miss img{border-color:var(--inconclusive)}
.s7 .arrow{color:var(--muted);font-size:18px;padding-bottom:40px}
.s7 .label{font-weight:600;word-break:break-all}
.s7 table.fn{border-collapse:collapse;margin:4px 0}.s7 table.fn td{border:1px solid var(--line);padding:3px 6px;vertical-align:top}
.s7 details.policy{margin:4px 0}.s7 details.policy pre{white-space:pre-wrap;font:13px/1.6 inherit;background:#fff;border:1px solid var(--line);padding:8px;max-height:420px;overflow:auto;margin:4px 0}
.s7 ul.hints{margin:4px 0;padding-left:18px}.s7 ul.hints li.found::marker{content:"✓ ";color:var(--pass)}.s7 ul.hints li.missing::marker{content:"✗ ";color:var(--fail)}
.s7 ul.hints q{color:#57606a}.s7 ul.hints q::before{content:"「"}.s7 ul.hints q::after{content:"」"}
</style>"#;

/// Most screens shown of a search that found nothing.
const LOOKED_MAX: usize = 16;

fn frame_link(h: &mut String, run_index: usize, run: &Run, frame: usize, label: &str, class: &str) {
    let Some(f) = run.frames.get(frame) else {
        return;
    };
    let id = format!("r{run_index}-f{frame}");
    let _ = write!(
        h,
        "<a class=\"step {class}\" href=\"#{id}\" data-frame=\"{id}\"><img loading=\"lazy\" src=\"{}\" alt=\"frame {frame}\"><span class=\"label\">{}</span><small>frame {frame}</small></a>",
        esc(&f.screenshot),
        esc(label)
    );
}

/// The search path: the start screen, then each tapped label with the frame
/// it led to; the last is the screen found, or the near misses.
fn search(h: &mut String, run_index: usize, run: &Run, e: &Exploration) {
    let _ = write!(
        h,
        "<div>search for {} ({} deep): {} screens, {} taps</div><ol class=\"path\"><li>",
        esc(e.target.describe()),
        e.max_taps,
        e.screens,
        e.taps
    );
    frame_link(h, run_index, run, e.start_frame, "start", "");
    h.push_str("</li>");
    match &e.found {
        Some(f) => {
            for (k, (label, frame)) in f.path.iter().zip(&f.path_frames).enumerate() {
                let last = k + 1 == f.path.len();
                let _ = write!(h, "<li><span class=\"arrow\">›</span>");
                frame_link(
                    h,
                    run_index,
                    run,
                    *frame,
                    &format!("「{label}」"),
                    if last { "found" } else { "" },
                );
                h.push_str("</li>");
            }
            if !f.why.is_empty() {
                let _ = write!(h, "<li><span>found: {}</span></li>", esc(&f.why));
            }
        }
        None => {
            // Where it looked: the screen each of its taps led to, in order.
            let step = run.frames.get(e.start_frame + 1).map(|f| f.step_index);
            let looked: Vec<&crate::trace::Frame> = run
                .frames
                .iter()
                .skip(e.start_frame + 1)
                .take_while(|f| Some(f.step_index) == step)
                .filter(|f| f.action == crate::trace::ActionKind::Tap)
                .collect();
            for f in looked.iter().take(LOOKED_MAX) {
                let label = f
                    .tap
                    .as_ref()
                    .and_then(|t| t.label.as_deref())
                    .unwrap_or("");
                let _ = write!(h, "<li><span class=\"arrow\">·</span>");
                frame_link(h, run_index, run, f.index, &format!("「{label}」"), "");
                h.push_str("</li>");
            }
            if looked.len() > LOOKED_MAX {
                let _ = write!(
                    h,
                    "<li><span>… {} more taps</span></li>",
                    looked.len() - LOOKED_MAX
                );
            }
            for n in &e.instead {
                let _ = write!(h, "<li><span class=\"arrow\">…</span>");
                frame_link(
                    h,
                    run_index,
                    run,
                    n.frame,
                    &format!("「{}」: {} ({} taps)", n.title, n.why, n.depth),
                    "miss",
                );
                h.push_str("</li>");
            }
            h.push_str("<li><span>not found</span></li>");
        }
    }
    h.push_str("</ol>");
}

fn hints_list(h: &mut String, hints: &[Hint]) {
    h.push_str("<ul class=\"hints\">");
    for x in hints.iter().filter(|x| !x.quotes.is_empty()) {
        let _ = write!(h, "<li class=\"found\"><b>{}</b>: ", esc(x.name));
        for q in &x.quotes {
            let _ = write!(h, "<q>{}</q> ", esc(q));
        }
        h.push_str("</li>");
    }
    for x in hints.iter().filter(|x| x.quotes.is_empty()) {
        let _ = write!(
            h,
            "<li class=\"missing\"><b>{}</b>: not found</li>",
            esc(x.name)
        );
    }
    h.push_str("</ul>");
}

/// The extra evidence of a verdict of these rules, if it has any.
pub fn view(h: &mut String, run_index: usize, run: &Run, v: &Verdict) {
    let id = v.rule.id();
    let target = match id {
        "policy-reachable" => Some(Target::Policy),
        "revocation-reachable" => Some(Target::Revocation),
        "account-deletion-reachable" => Some(Target::AccountDeletion),
        _ => None,
    };
    let mut body = String::new();
    if let Some(t) = target {
        // Policy searches keep their old page; the new targets show their paths.
        if t != Target::Policy {
            for e in run.explorations.iter().filter(|e| e.target == t) {
                search(&mut body, run_index, run, e);
            }
        }
    } else if id == "refusal-keeps-functions" && !run.functions.is_empty() {
        body.push_str("<table class=\"fn\">");
        let trace = super::views::trace_of(run);
        for c in &run.functions {
            let _ = write!(
                body,
                "<tr><td><b>「{}」</b></td><td><ol class=\"path\"><li>",
                esc(&c.label)
            );
            frame_link(&mut body, run_index, run, c.before, "before", "");
            body.push_str("</li>");
            match &c.tapped {
                Some(t) => {
                    for (k, f) in c.after.iter().enumerate() {
                        let _ = write!(body, "<li><span class=\"arrow\">›</span>");
                        let label = if k == 0 {
                            format!("tap 「{t}」")
                        } else {
                            "a second later".to_string()
                        };
                        frame_link(&mut body, run_index, run, *f, &label, "");
                        body.push_str("</li>");
                    }
                }
                None => body.push_str("<li><span>never found on the screen</span></li>"),
            }
            body.push_str("</ol></td><td>");
            if c.tapped.is_some() {
                match crate::rules::refusal_keeps_functions::not_opened(c, &trace) {
                    Some(why) => {
                        let _ = write!(
                            body,
                            "<span class=\"status-fail\">did not open: {}</span>",
                            esc(&why.text)
                        );
                    }
                    None => body.push_str("<span class=\"status-pass\">opened</span>"),
                }
            }
            body.push_str("</td></tr>");
        }
        body.push_str("</table>");
    } else if id == "policy-content" || id == "minor-rules" {
        if let Some(p) = run
            .policies
            .iter()
            .filter(|p| !p.text.trim().is_empty())
            .max_by_key(|p| p.text.chars().count())
        {
            let hints = if id == "policy-content" {
                policy_content::hints(&p.text)
            } else {
                vec![policy_content::find(
                    &CHILDREN,
                    &policy_content::sentences(&p.text),
                )]
            };
            hints_list(&mut body, &hints);
            let _ = write!(
                body,
                "<details class=\"policy\"><summary>the captured text of 「{}」 ({} characters, {}, frames {})</summary><pre>{}</pre></details>",
                esc(&p.title),
                p.text.chars().count(),
                if p.complete { "read to its end" } else { "scrolling stopped before its end" },
                p.frames.iter().map(|f| f.to_string()).collect::<Vec<_>>().join(", "),
                esc(&p.text)
            );
        }
    }
    if body.is_empty() {
        return;
    }
    let _ = write!(h, "<div class=\"s7\">{body}</div>");
}
