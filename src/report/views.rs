//! The evidence panels of a run in the HTML report, shown under its
//! verdicts when the run checks a rule they serve: the app-op timeline
//! against the consent moment and the background stretches (data-access
//! rules), and the permission dialogs in the order the user met them
//! (permission rules).

use std::fmt::Write;

use super::html::{esc, frame_id};
use super::Run;
use crate::perception::Words;
use crate::rules::views::{self, DialogRow, OpTimeline};
use crate::trace::{AppTarget, Trace};

/// Rules the app-op timeline serves.
const OP_RULES: &[&str] = &[
    "no-collection-before-consent",
    "no-background-collection",
    "collection-frequency",
];

/// Rules the permission-dialog list serves.
const DIALOG_RULES: &[&str] = &[
    "permission-purpose",
    "no-upfront-permission",
    "no-bundled-permissions",
    "no-frequent-reprompt",
    "auth-state-unchanged",
];

/// The panels' look, added to the page's style sheet.
pub(super) const STYLE: &str = r#"
details.view{margin:8px 0;border:1px solid var(--line);border-radius:6px;padding:6px 10px;background:#fbfcfd}
details.view>summary{font-weight:600;cursor:pointer}
svg.ops{width:100%;max-width:1100px;height:auto;display:block;margin:6px 0;font:12px sans-serif}
svg.ops rect.bg{fill:#d0d7de;stroke:none;opacity:.55}svg.ops line.axis{stroke:#8c959f;stroke-width:1}
svg.ops line.consent{stroke:#1a7f37;stroke-width:2}svg.ops text.consent{fill:#1a7f37;font-weight:700}
svg.ops circle{stroke:#fff;stroke-width:1.5}svg.ops circle.ok{fill:#0969da}svg.ops circle.bad{fill:#cf222e}
svg.ops text{fill:#1f2328}svg.ops text.tick{fill:#57606a}
table.dialogs{border-collapse:collapse;margin:6px 0;font-size:13px}
table.dialogs th,table.dialogs td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
table.dialogs img{width:54px;height:auto;display:block}
.view .note{color:var(--muted);font-size:12px;margin:4px 0}
"#;

/// The run as the rules saw it, with the scenario's own role words.
pub(super) fn trace_of(run: &Run) -> Trace {
    Trace {
        app: AppTarget {
            package: run.app.package.clone(),
            activity: run.app.activity.clone(),
            deeplink: run.app.deeplink.clone(),
        },
        frames: run.frames.clone(),
        explorations: run.explorations.clone(),
        functions: run.functions.clone(),
        policies: run.policies.clone(),
        words: {
            let mut w = Words::default();
            w.extend(&run.words);
            w
        },
    }
}

/// Writes the panels the run's rules call for.
pub(super) fn render(h: &mut String, i: usize, run: &Run) {
    let checks = |rules: &[&str]| run.verdicts.iter().any(|v| rules.contains(&v.rule.id()));
    let (ops, dialogs) = (checks(OP_RULES), checks(DIALOG_RULES));
    if !ops && !dialogs {
        return;
    }
    let trace = trace_of(run);
    if ops {
        match views::op_timeline(&trace) {
            Some(t) => op_panel(h, i, &t),
            None => h.push_str("<details class=\"view\" open><summary>Data access</summary><p class=\"note\">No app-op records were read in this run.</p></details>"),
        }
    }
    if dialogs {
        dialog_panel(h, i, run, &views::permission_dialogs(&trace));
    }
}

/// The step between ticks, in seconds, for at most about eight ticks over
/// `span` seconds: a round step below ten minutes, else 1, 2 or 5 times a
/// power of ten.
fn tick_step(span: f64) -> f64 {
    if !(span.is_finite() && span > 8.0) {
        return 1.0;
    }
    let fixed = [1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0];
    if let Some(s) = fixed.into_iter().find(|s| span / s <= 8.0) {
        return s;
    }
    let raw = span / 8.0;
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
}

/// Seconds on the run's clock: `+4.0 s`, `-1.2 s`.
fn secs(ms: i64) -> String {
    format!("{:+.1} s", ms as f64 / 1000.0)
}

fn op_panel(h: &mut String, i: usize, t: &OpTimeline) {
    const LEFT: f64 = 330.0;
    const WIDTH: f64 = 1000.0;
    const ROW: f64 = 24.0;
    let first = t
        .ops
        .iter()
        .flat_map(|r| r.accesses.iter().map(|a| a.0))
        .min()
        .unwrap_or(0)
        .min(0);
    let last = (t.end_ms as i64).max(first + 1000);
    let x = |ms: i64| LEFT + (ms - first) as f64 / (last - first) as f64 * (WIDTH - LEFT - 20.0);
    let height = 34.0 + ROW * t.ops.len().max(1) as f64;
    let accesses: usize = t.ops.iter().map(|r| r.accesses.len()).sum();
    let _ = write!(
        h,
        "<details class=\"view\" open><summary>Data access: {} personal-data op(s), {accesses} access(es) seen, against the consent moment</summary>",
        t.ops.len()
    );
    let _ = write!(
        h,
        "<svg class=\"ops\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"app-op accesses over the run\">"
    );
    for &(from, to) in &t.background {
        let _ = write!(
            h,
            "<rect class=\"bg\" x=\"{:.1}\" y=\"4\" width=\"{:.1}\" height=\"{:.1}\"><title>in the background from {} to {}</title></rect><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\">background</text>",
            x(from as i64),
            (x(to as i64) - x(from as i64)).max(2.0),
            height - 24.0,
            secs(from as i64),
            secs(to as i64),
            x(from as i64) + 4.0,
            height - 26.0
        );
    }
    let axis = height - 18.0;
    let _ = write!(
        h,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{axis}\" x2=\"{:.1}\" y2=\"{axis}\"/>",
        WIDTH - 20.0
    );
    // Ticks at whole seconds, about eight of them.
    let span = (last - first) as f64 / 1000.0;
    let step = tick_step(span);
    let mut tick = (first as f64 / 1000.0 / step).ceil() * step;
    // At most a dozen ticks, whatever the span a device reported.
    for _ in 0..12 {
        if tick * 1000.0 > last as f64 {
            break;
        }
        let _ = write!(
            h,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{tick}s</text>",
            x((tick * 1000.0) as i64),
            height - 4.0
        );
        tick += step;
    }
    if let Some((frame, ms)) = t.consent {
        let cx = x(ms as i64);
        let _ = write!(
            h,
            "<a href=\"#{id}\" data-frame=\"{id}\"><line class=\"consent\" x1=\"{cx:.1}\" y1=\"4\" x2=\"{cx:.1}\" y2=\"{axis}\"><title>consent given at {} (frame {frame})</title></line><text class=\"consent\" x=\"{:.1}\" y=\"15\">consent</text></a>",
            secs(ms as i64),
            cx + 4.0,
            id = frame_id(i, frame)
        );
    }
    for (r, row) in t.ops.iter().enumerate() {
        let y = 30.0 + ROW * r as f64;
        let _ = write!(
            h,
            "<text x=\"4\" y=\"{:.1}\">{} <tspan class=\"tick\">{}</tspan></text>",
            y + 4.0,
            esc(&row.op),
            esc(row.meaning)
        );
        for &(at, frame) in &row.accesses {
            let before = t.consent.is_none_or(|(_, c)| at < c as i64);
            let away = t
                .background
                .iter()
                .any(|&(a, b)| at >= a as i64 && at <= b as i64);
            let _ = write!(
                h,
                "<a href=\"#{id}\" data-frame=\"{id}\"><circle class=\"{}\" cx=\"{:.1}\" cy=\"{y:.1}\" r=\"6\"><title>{} at {}{}{} — first seen in frame {frame}</title></circle></a>",
                if before || away { "bad" } else { "ok" },
                x(at),
                esc(&row.op),
                secs(at),
                if before { ", before consent" } else { "" },
                if away { ", in the background" } else { "" },
                id = frame_id(i, frame)
            );
        }
    }
    h.push_str("</svg><p class=\"note\">Each dot is an access Android's app-op records show (each record keeps only the latest access, so there may have been more); red: before consent or in the background. Times are seconds since the scenario started.</p></details>");
}

fn dialog_panel(h: &mut String, i: usize, run: &Run, rows: &[DialogRow]) {
    let _ = write!(
        h,
        "<details class=\"view\" open><summary>Permission dialogs: {} in the order shown</summary>",
        rows.len()
    );
    if rows.is_empty() {
        h.push_str("<p class=\"note\">No runtime-permission dialog appeared in this run.</p>");
    } else {
        h.push_str("<table class=\"dialogs\"><tr><th>#</th><th>frame</th><th>time</th><th>asks for</th><th>shown by</th><th>answer</th><th>notes</th></tr>");
        for (n, d) in rows.iter().enumerate() {
            let shot = run
                .frames
                .iter()
                .find(|f| f.index == d.frame)
                .map_or(String::new(), |f| {
                    format!(
                        "<img loading=\"lazy\" src=\"{}\" alt=\"\">",
                        esc(&f.screenshot)
                    )
                });
            let mut notes = Vec::new();
            if d.after_dialog {
                notes.push("right after the previous answer");
            }
            if d.one_of_several {
                notes.push("says it is one of several");
            }
            let answer = match &d.answer {
                Some((label, f)) => format!(
                    "「{}」 <a class=\"ev\" href=\"#{id}\" data-frame=\"{id}\">frame {f}</a>",
                    esc(label),
                    id = frame_id(i, *f)
                ),
                None => "no answer recorded".into(),
            };
            let _ = write!(
                h,
                "<tr><td>{}</td><td><a href=\"#{id}\" data-frame=\"{id}\">{shot}frame {}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{answer}</td><td>{}</td></tr>",
                n + 1,
                d.frame,
                secs(d.at_ms as i64),
                esc(&d.asks),
                esc(&d.shown_by),
                notes.join("; "),
                id = frame_id(i, d.frame)
            );
        }
        h.push_str("</table>");
    }
    // The grant state the run started and ended with (auth-state-unchanged).
    let reads: Vec<_> = run
        .frames
        .iter()
        .filter_map(|f| f.permissions.as_ref().map(|p| (f.index, p)))
        .collect();
    if let (Some((a, first)), Some((b, last))) = (reads.first(), reads.last()) {
        let granted = |p: &&Vec<crate::device::RuntimePermission>| {
            let g: Vec<String> = p
                .iter()
                .filter(|x| x.granted)
                .map(|x| esc(x.name.trim_start_matches("android.permission.")))
                .collect();
            if g.is_empty() {
                "none".to_string()
            } else {
                g.join(", ")
            }
        };
        let _ = write!(
            h,
            "<p class=\"note\">Runtime permissions granted (<code>dumpsys package</code>): at frame {a}: {}; at frame {b}: {}.</p>",
            granted(first),
            granted(last)
        );
    }
    h.push_str("</details>");
}

#[cfg(test)]
mod tests {
    #[test]
    fn ticks_stay_few_whatever_the_span() {
        for span in [
            0.0,
            3.0,
            40.0,
            3_000.0,
            9_999_999_999.0 * 86_400.0,
            f64::INFINITY,
        ] {
            let step = super::tick_step(span);
            assert!(step >= 1.0, "{span}: {step}");
            if span.is_finite() {
                assert!(span / step <= 8.0 || span <= 8.0, "{span}: {step}");
            }
        }
        assert_eq!(super::tick_step(30.0), 5.0);
    }
}
