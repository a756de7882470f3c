//! `index.html`: one self-contained page (no network; screenshots beside it
//! under `frames/`) where a reviewer sees the verdicts, every frame with its
//! text boxes coloured by role, the taps, and the boxes a verdict relied on.
//! Every text that comes from an app, a scenario or a device is escaped.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use super::{Report, Run};
use crate::geom::Rect;
use crate::rules::{RuleId, Status};

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Width and height of a PNG, from its header.
pub fn png_size(path: &Path) -> Option<(u32, u32)> {
    use std::io::Read;
    let mut head = [0u8; 24];
    // Only a regular file: a FIFO would block, a device never end.
    crate::files::check(path, crate::files::MAX_IMAGE, "screenshot").ok()?;
    std::fs::File::open(path).ok()?.read_exact(&mut head).ok()?;
    if &head[..8] != b"\x89PNG\r\n\x1a\n" {
        return None;
    }
    Some((
        u32::from_be_bytes([head[16], head[17], head[18], head[19]]),
        u32::from_be_bytes([head[20], head[21], head[22], head[23]]),
    ))
}

/// The id of a frame's figure in the page.
pub(super) fn frame_id(run: usize, frame: usize) -> String {
    format!("r{run}-f{frame}")
}

fn verdict_id(run: usize, rule: RuleId) -> String {
    format!("r{run}-{}", rule.id())
}

const STYLE: &str = r#"
:root{--pass:#1a7f37;--fail:#cf222e;--inconclusive:#9a6700;--manual:#6e40c9;--line:#d0d7de;--muted:#57606a}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:12px 20px;display:flex;gap:24px;align-items:baseline;flex-wrap:wrap}
header h1{font-size:18px;margin:0}header .meta{color:#c9d1d9;font-size:13px}
main{padding:16px 20px;max-width:1500px}
.counts span{display:inline-block;margin-right:14px;font-weight:600}
.status-pass{color:var(--pass)}.status-fail{color:var(--fail)}.status-inconclusive{color:var(--inconclusive)}.status-manual{color:var(--manual)}
.badge{display:inline-block;min-width:92px;text-align:center;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:700;color:#fff}
.badge.status-pass{background:var(--pass)}.badge.status-fail{background:var(--fail)}.badge.status-inconclusive{background:var(--inconclusive)}.badge.status-manual{background:var(--manual)}
table.summary{border-collapse:collapse;background:#fff;margin:10px 0 20px}
table.summary th,table.summary td{border:1px solid var(--line);padding:4px 10px;text-align:left;white-space:nowrap}
table.summary td a{text-decoration:none}
.controls{margin:8px 0;display:flex;gap:18px;align-items:center}
.controls kbd{border:1px solid var(--line);border-radius:4px;padding:0 4px;background:#fff}
section.run{background:#fff;border:1px solid var(--line);border-radius:8px;margin:0 0 20px;padding:12px 16px}
section.run h2{font-size:16px;margin:0 0 4px}section.run .sub{color:var(--muted);font-size:12px}
ul.verdicts{list-style:none;padding:0;margin:10px 0}
li.verdict{padding:6px 8px;border-left:4px solid var(--line);margin:4px 0;background:#f6f8fa}
li.verdict.status-fail{border-color:var(--fail);background:#fff5f5}li.verdict.status-pass{border-color:var(--pass)}
li.verdict.status-inconclusive{border-color:var(--inconclusive)}li.verdict.status-manual{border-color:var(--manual)}
li.verdict .rule{font-weight:700;color:#1f2328;margin:0 6px}li.verdict .clause{color:var(--muted)}
li.verdict .why{color:#1f2328;margin:2px 0 0}
.ev{margin-right:6px}
.error{color:var(--fail);font-weight:600}.audit{margin:6px 0;font-size:13px}.audit summary{cursor:pointer;font-weight:600}.phase{color:var(--muted)}.retry{color:var(--inconclusive)}
ol.timeline{list-style:none;display:flex;flex-wrap:wrap;gap:12px;padding:0;margin:8px 0}
figure.frame{margin:0;width:236px;border:2px solid var(--line);border-radius:6px;background:#fff;padding:6px;outline:none}
figure.frame.evidence{border-color:#bf8700}figure.frame:focus,figure.frame.flash{border-color:#0969da;box-shadow:0 0 0 3px #54aeff66}
.shot{position:relative;display:block;width:220px;height:489px;background:#eee}
.shot img{width:100%;height:100%;display:block}
.shot svg{position:absolute;inset:0;width:100%;height:100%}
svg rect{fill:none;stroke-width:5}svg rect.hl{stroke:#ff00d4;stroke-width:14}
svg .role-agree{stroke:#1a7f37}svg .role-refuse{stroke:#cf222e}svg .role-weak-refuse{stroke:#ff6b81}svg .role-vague{stroke:#e36209}
svg .role-policy{stroke:#0969da}svg .role-agreement{stroke:#54aeff}svg .role-checkbox{stroke:#8250df}svg .role-other{stroke:#8c959f;stroke-width:3;stroke-dasharray:10 6}
svg circle.tap{fill:#ff00d480;stroke:#fff;stroke-width:6}
figcaption{font-size:12px;margin-top:4px;word-break:break-all}figcaption .step{font-weight:600}
figcaption .fg{color:var(--muted)}
ol.texts{padding-left:18px;margin:4px 0;max-height:240px;overflow:auto}ol.texts small{color:var(--muted)}
ol.texts li.role-agree .text{color:#1a7f37}ol.texts li.role-refuse .text{color:#cf222e}ol.texts li.role-vague .text{color:#e36209}ol.texts li.role-policy .text{color:#0969da}
.legend span{margin-right:10px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;border:3px solid;margin-right:3px;vertical-align:-1px}
body.only-fail li.verdict:not(.status-fail),body.only-fail td.cell:not(.status-fail) a,body.only-fail section.run:not(.has-fail),body.only-fail tr.no-fail{display:none}
.summary-wrap{max-width:100%;overflow:auto;max-height:85vh;margin:10px 0 20px}
.summary-wrap table.summary{margin:0}
table.summary thead th{position:sticky;top:0;background:#fff;z-index:1;vertical-align:bottom}
table.summary.matrix th.rule{padding:4px 2px;width:24px}
table.summary.matrix th.rule span{writing-mode:vertical-rl;white-space:nowrap;font-weight:600;font-size:12px;max-height:220px;overflow:hidden;text-overflow:ellipsis}
table.summary.matrix th.rule small{display:block;writing-mode:vertical-rl;color:var(--muted);font-weight:400;margin-top:4px}
table.summary.matrix td.cell{padding:2px;text-align:center;width:24px}
table.summary.matrix td.name{max-width:320px;overflow:hidden;text-overflow:ellipsis}
a.dot{display:inline-block;width:20px;height:20px;line-height:20px;border-radius:4px;color:#fff;font-weight:700;font-size:12px;text-decoration:none;text-align:center}
a.dot.status-pass{background:var(--pass)}a.dot.status-fail{background:var(--fail)}a.dot.status-inconclusive{background:var(--inconclusive)}a.dot.status-manual{background:var(--manual)}
table.summary.rules td.rname{white-space:normal;min-width:180px}table.summary tr.section th{background:#f6f8fa;text-align:left}
li.verdict .words{color:var(--muted);font-size:12px;margin:2px 0 0;white-space:pre-line}
.cover{display:none}
@page{size:A4;margin:14mm 12mm}
@media print{
 body{background:#fff;font-size:11px}header,.controls,.counts,details,ol.texts,.summary-wrap{display:none}
 .cover{display:block;break-after:page;padding-top:40mm}.cover h1{font-size:24px;margin:0 0 16mm}
 .cover table{border-collapse:collapse;font-size:14px;width:100%}.cover th,.cover td{border:1px solid #999;padding:6px 12px;text-align:left;vertical-align:top}.cover th{white-space:nowrap;width:1%}
 main{padding:0;max-width:none}section.run{border:0;padding:0;break-before:page}
 figure.frame:not(.evidence){display:none}figure.frame{break-inside:avoid;width:200px}
 .shot{width:184px;height:409px}li.verdict{break-inside:avoid}
 .badge{color:#000 !important;border:1px solid #000}a{color:inherit;text-decoration:none}
}
"#;

const SCRIPT: &str = r#"
(function(){
  var frames = Array.prototype.slice.call(document.querySelectorAll('figure.frame'));
  function visible(el){ return el.offsetParent !== null; }
  function focusFrame(el){ if(!el) return; el.focus({preventScroll:true}); el.scrollIntoView({block:'center'}); el.classList.add('flash'); setTimeout(function(){el.classList.remove('flash');}, 1200); }
  function step(d){
    var shown = frames.filter(visible);
    var i = shown.indexOf(document.activeElement);
    if(i < 0){ i = d > 0 ? -1 : shown.length; }
    focusFrame(shown[Math.max(0, Math.min(shown.length - 1, i + d))]);
  }
  var filter = document.getElementById('only-fail');
  function applyFilter(){ document.body.classList.toggle('only-fail', filter.checked); }
  filter.addEventListener('change', applyFilter);
  applyFilter();
  document.addEventListener('keydown', function(e){
    if(e.target && e.target.tagName === 'INPUT') return;
    if(e.key === 'j' || e.key === 'ArrowRight'){ step(1); e.preventDefault(); }
    else if(e.key === 'k' || e.key === 'ArrowLeft'){ step(-1); e.preventDefault(); }
    else if(e.key === 'f'){ filter.checked = !filter.checked; applyFilter(); }
    else if(e.key === 'Enter' && document.activeElement && document.activeElement.classList.contains('frame')){
      var a = document.activeElement.querySelector('a.shot'); if(a) window.open(a.href, '_blank');
    }
  });
  document.addEventListener('click', function(e){
    var a = e.target.closest && e.target.closest('a[data-frame]');
    if(!a) return;
    e.preventDefault();
    var el = document.getElementById(a.getAttribute('data-frame'));
    if(el){ history.replaceState(null, '', '#' + el.id); focusFrame(el); }
  });
  if(location.hash){ var t = document.getElementById(location.hash.slice(1)); if(t && t.classList.contains('frame')) focusFrame(t); }
})();
"#;

/// Renders the page; a frame links to its annotated copy where one was written.
pub fn render(report: &Report, out_dir: &Path) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let [pass, fail, inconclusive, manual] = report.counts();
    let devices: BTreeSet<&str> = report.runs.iter().map(|r| r.device.as_str()).collect();
    // The sections judged: Section 7 always, Section 6 when a run checked it.
    let sections = if report.runs.iter().any(|r| {
        r.verdicts
            .iter()
            .any(|v| v.rule.rule().section == crate::rules::Section::Six)
    }) {
        crate::t!("html-sections-7-6")
    } else {
        crate::t!("html-section-7")
    };
    let rules: Vec<RuleId> = {
        let mut seen = Vec::new();
        for r in &report.runs {
            for v in &r.verdicts {
                if !seen.contains(&v.rule) {
                    seen.push(v.rule);
                }
            }
        }
        seen
    };
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title><style>{STYLE}{}</style>{}</head><body>",
        crate::i18n::current().tag(),
        esc(&crate::t!("html-title")),
        super::views::STYLE,
        super::rights_view::STYLE
    );
    let _ = write!(
        h,
        "<header><h1>{}</h1><span class=\"meta\">T/NIFA 33-2025 {sections} · {} · devices: {} · {} {}{}</span></header><main>",
        esc(&crate::t!("html-title")),
        esc(&report.started.format("%Y-%m-%d %H:%M UTC").to_string()),
        esc(&devices.iter().copied().collect::<Vec<_>>().join(", ")),
        esc(&report.tool.name),
        esc(&report.tool.version),
        if report.complete { "" } else { " · <span class=\"error\">incomplete run</span>" }
    );
    cover(&mut h, report, &devices);
    let _ = write!(
        h,
        "<p class=\"counts\"><span>{}</span><span class=\"status-fail\">{fail} {}</span><span class=\"status-inconclusive\">{inconclusive} {}</span><span class=\"status-manual\">{manual} {}</span><span class=\"status-pass\">{pass} {}</span></p>",
        esc(&crate::t!("html-scenarios", count = report.runs.len())),
        esc(&Status::Fail.word()),
        esc(&Status::Inconclusive.word()),
        esc(&Status::Manual.word()),
        esc(&Status::Pass.word()),
    );
    for d in report.devices.iter().filter(|d| d.put_aside.is_some()) {
        let _ = write!(
            h,
            "<p class=\"error\">device {} was put aside: {}</p>",
            esc(&d.serial),
            esc(d.put_aside.as_deref().unwrap_or(""))
        );
    }
    h.push_str("<div class=\"controls\"><label><input type=\"checkbox\" id=\"only-fail\"> only failing rules</label><span class=\"legend\"><span><i style=\"border-color:#1a7f37\"></i>agree</span><span><i style=\"border-color:#cf222e\"></i>refuse</span><span><i style=\"border-color:#e36209\"></i>vague</span><span><i style=\"border-color:#0969da\"></i>policy</span><span><i style=\"border-color:#54aeff\"></i>other agreement</span><span><i style=\"border-color:#8250df\"></i>checkbox</span><span><i style=\"border-color:#ff00d4\"></i>evidence</span></span><span><kbd>j</kbd>/<kbd>k</kbd> next/previous frame · <kbd>f</kbd> filter · <kbd>Enter</kbd> open</span></div>");

    // Summary: scenarios × rules, failing scenarios first.
    let mut order: Vec<usize> = (0..report.runs.len()).collect();
    order.sort_by_key(|&i| {
        let r = &report.runs[i];
        (
            r.verdicts
                .iter()
                .map(|v| v.status)
                .min()
                .unwrap_or(Status::Pass),
            i,
        )
    });
    h.push_str("<div class=\"summary-wrap\">");
    if report.runs.len() <= FEW_RUNS {
        summary_by_rule(&mut h, report, &rules, &order);
    } else {
        summary_matrix(&mut h, report, &rules, &order);
    }
    h.push_str("</div>");

    for &i in &order {
        run_section(&mut h, i, &report.runs[i], out_dir);
    }
    let _ = write!(h, "</main><script>{SCRIPT}</script></body></html>");
    h
}

/// Up to this many runs the summary lists rules as rows (a report on one
/// app reads like an inspection report); more make a compact matrix.
const FEW_RUNS: usize = 6;

/// The summary with a row per rule, grouped by section, and a column per
/// run, each cell the verdict's word.
fn summary_by_rule(h: &mut String, report: &Report, rules: &[RuleId], order: &[usize]) {
    let _ = write!(
        h,
        "<table class=\"summary rules\"><thead><tr><th></th><th></th>"
    );
    for &i in order {
        let _ = write!(
            h,
            "<th><a href=\"#r{i}\">{}</a></th>",
            esc(&report.runs[i].name)
        );
    }
    h.push_str("</tr></thead><tbody>");
    for section in [crate::rules::Section::Seven, crate::rules::Section::Six] {
        let of: Vec<&RuleId> = rules
            .iter()
            .filter(|r| r.rule().section == section)
            .collect();
        if of.is_empty() {
            continue;
        }
        let _ = write!(
            h,
            "<tr class=\"section\"><th colspan=\"{}\">T/NIFA 33-2025 {}</th></tr>",
            order.len() + 2,
            section.number()
        );
        for r in of {
            let fails = order.iter().any(|&i| {
                report.runs[i]
                    .verdicts
                    .iter()
                    .any(|v| v.rule == *r && v.status == Status::Fail)
            });
            let _ = write!(
                h,
                "<tr class=\"{}\"><td class=\"rname\">{} <small>{}</small></td><td>{}</td>",
                if fails { "has-fail" } else { "no-fail" },
                esc(&r.name()),
                esc(r.id()),
                esc(r.clause())
            );
            for &i in order {
                match report.runs[i].verdicts.iter().find(|v| v.rule == *r) {
                    Some(v) => {
                        let _ = write!(
                            h,
                            "<td class=\"cell status-{s}\"><a class=\"badge status-{s}\" href=\"#{}\" title=\"{}\">{}</a></td>",
                            verdict_id(i, *r),
                            esc(&v.message),
                            esc(&v.status.word()),
                            s = v.status.as_str()
                        );
                    }
                    None => h.push_str("<td></td>"),
                }
            }
            h.push_str("</tr>");
        }
    }
    h.push_str("</tbody></table>");
}

/// The summary as a compact matrix: a row per run, a narrow column per
/// rule (its name written upwards), each cell a coloured mark; headers
/// stay in view while it scrolls.
fn summary_matrix(h: &mut String, report: &Report, rules: &[RuleId], order: &[usize]) {
    let _ = write!(
        h,
        "<table class=\"summary matrix\"><thead><tr><th>{}</th>",
        esc(&crate::t!("html-scenario"))
    );
    for r in rules {
        let _ = write!(
            h,
            "<th class=\"rule\" title=\"{} · {} · T/NIFA 33-2025 {}\"><span>{}</span><small>{}</small></th>",
            esc(&r.name()),
            esc(r.id()),
            esc(r.clause()),
            esc(&r.name()),
            esc(r.clause())
        );
    }
    h.push_str("</tr></thead><tbody>");
    for &i in order {
        let run = &report.runs[i];
        let any_fail = run.verdicts.iter().any(|v| v.status == Status::Fail);
        let _ = write!(
            h,
            "<tr class=\"{}\"><td class=\"name\" title=\"{} · {}\"><a href=\"#r{i}\">{}</a>{}</td>",
            if any_fail { "has-fail" } else { "no-fail" },
            esc(&run.scenario),
            esc(&run.device),
            esc(&run.name),
            run.error
                .as_ref()
                .map_or(String::new(), |_| " <span class=\"error\">(stopped)</span>"
                    .into()),
        );
        for r in rules {
            match run.verdicts.iter().find(|v| v.rule == *r) {
                Some(v) => {
                    let mark = match v.status {
                        Status::Pass => "✓",
                        Status::Fail => "✗",
                        Status::Inconclusive => "?",
                        Status::Manual => "◐",
                    };
                    let _ = write!(
                        h,
                        "<td class=\"cell status-{s}\"><a class=\"dot status-{s}\" href=\"#{}\" title=\"{}: {}\">{mark}</a></td>",
                        verdict_id(i, *r),
                        esc(&v.status.word()),
                        esc(&v.message),
                        s = v.status.as_str()
                    );
                }
                None => h.push_str("<td></td>"),
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
}

/// The cover of the printed report: the apps, versions, devices, date and
/// tool, and the verdicts' counts. Hidden on screen.
fn cover(h: &mut String, report: &Report, devices: &BTreeSet<&str>) {
    let apps: BTreeSet<String> = report.runs.iter().map(|r| r.app.describe()).collect();
    let models: BTreeSet<String> = report
        .runs
        .iter()
        .filter(|r| !r.device.is_empty())
        .map(|r| {
            let d = &r.device_info;
            let screen = if d.screen.is_empty() {
                String::new()
            } else {
                format!(", {}", d.screen)
            };
            format!("{} ({} Android {}{screen})", r.device, d.model, d.android)
        })
        .collect();
    let [pass, fail, inconclusive, manual] = report.counts();
    let row = |k: &str, v: String| format!("<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&v));
    let _ = write!(
        h,
        "<section class=\"cover\"><h1>{}</h1><table>{}{}{}{}{}</table></section>",
        esc(&crate::t!("html-cover-title")),
        row(
            &crate::t!("html-cover-app"),
            apps.into_iter().collect::<Vec<_>>().join("; ")
        ),
        row(
            &crate::t!("html-cover-device"),
            if models.is_empty() {
                devices.iter().copied().collect::<Vec<_>>().join(", ")
            } else {
                models.into_iter().collect::<Vec<_>>().join("; ")
            }
        ),
        row(
            &crate::t!("html-cover-date"),
            report.started.format("%Y-%m-%d %H:%M UTC").to_string()
        ),
        row(
            &crate::t!("html-cover-tool"),
            format!("{} {}", report.tool.name, report.tool.version)
        ),
        row(
            &crate::t!("html-cover-verdicts"),
            format!(
                "{} {pass} · {} {fail} · {} {inconclusive} · {} {manual}",
                Status::Pass.word(),
                Status::Fail.word(),
                Status::Inconclusive.word(),
                Status::Manual.word()
            )
        ),
    );
}

fn run_section(h: &mut String, i: usize, run: &Run, out_dir: &Path) {
    let any_fail = run.verdicts.iter().any(|v| v.status == Status::Fail);
    let _ = write!(
        h,
        "<section class=\"run{}\" id=\"r{i}\"><h2>{}</h2><div class=\"sub\">{}{} · {} {}{} · {} {} ({} Android {}{}) · {}</div>",
        if any_fail { " has-fail" } else { "" },
        esc(&run.name),
        esc(&run.scenario),
        if run.scenario_sha256.is_empty() {
            String::new()
        } else {
            format!(
                " <span class=\"sha\" title=\"sha256 {}\">sha256 {}…</span>",
                esc(&run.scenario_sha256),
                esc(run.scenario_sha256.get(..12).unwrap_or(&run.scenario_sha256))
            )
        },
        esc(&crate::t!("html-sub-app")),
        esc(&run.app.describe()),
        run.app
            .deeplink
            .as_ref()
            .map_or(String::new(), |d| esc(&crate::t!("html-sub-via", link = d.as_str()))),
        esc(&crate::t!("html-sub-device")),
        esc(&run.device),
        esc(&run.device_info.model),
        esc(&run.device_info.android),
        if run.device_info.screen.is_empty() {
            String::new()
        } else {
            format!(", {}", esc(&run.device_info.screen))
        },
        esc(&crate::t!("html-sub-frames", count = run.frames.len()))
    );
    if run.attempt > 1 {
        let earlier: Vec<String> = run
            .failed_attempts
            .iter()
            .map(|a| {
                format!(
                    "attempt {} on {}: {}",
                    a.attempt,
                    esc(&a.device),
                    esc(a.error.as_deref().unwrap_or(a.status_word()))
                )
            })
            .collect();
        let _ = write!(h, "<p class=\"retry\">verdicts from attempt {} on {}; earlier, cut short by the device: {}</p>", run.attempt, esc(&run.device), earlier.join("; "));
    }
    if let Some(e) = &run.error {
        let _ = write!(h, "<p class=\"error\">{}</p>", esc(e));
    }
    // An audit: its phases with their frames, and what each met.
    let mut phases: Vec<(&str, usize)> = Vec::new();
    for f in &run.frames {
        if let Some(p) = f.phase.as_deref() {
            match phases.last_mut() {
                Some((q, n)) if *q == p => *n += 1,
                _ => phases.push((p, 1)),
            }
        }
    }
    if !phases.is_empty() || !run.notes.is_empty() {
        let _ = write!(
            h,
            "<details class=\"audit\" open><summary>audit: {}</summary><ul>",
            phases
                .iter()
                .map(|(p, n)| format!("{} ({n} frame{})", esc(p), if *n == 1 { "" } else { "s" }))
                .collect::<Vec<_>>()
                .join(" › ")
        );
        for n in &run.notes {
            let _ = write!(h, "<li>{}</li>", esc(n));
        }
        h.push_str("</ul></details>");
    }
    h.push_str("<ul class=\"verdicts\">");
    let mut verdicts: Vec<_> = run.verdicts.iter().collect();
    verdicts.sort_by_key(|v| v.status);
    for v in verdicts {
        let _ = write!(
            h,
            "<li class=\"verdict status-{s}\" id=\"{}\"><span class=\"badge status-{s}\">{}</span><span class=\"rule\" title=\"{}\">{}</span><span class=\"clause\">T/NIFA 33-2025 {}</span><div class=\"why\">{}</div><div class=\"words\">{}: {}</div><div>",
            verdict_id(i, v.rule),
            esc(&v.status.word()),
            esc(&v.rule.name()),
            esc(v.rule.id()),
            esc(&v.clause),
            esc(&v.message),
            esc(&crate::t!("html-clause-words")),
            esc(&v.rule.clause_words()),
            s = v.status.as_str()
        );
        for e in &v.evidence {
            let _ = write!(
                h,
                "<a class=\"ev\" href=\"#{id}\" data-frame=\"{id}\">{}</a>",
                esc(&crate::t!("evidence-frame", index = *e)),
                id = frame_id(i, *e)
            );
        }
        h.push_str("</div>");
        super::rights_view::view(h, i, run, v);
        h.push_str("</li>");
    }
    h.push_str("</ul>");
    super::views::render(h, i, run);
    h.push_str("<ol class=\"timeline\">");
    let evidence: BTreeSet<usize> = run
        .verdicts
        .iter()
        .flat_map(|v| v.evidence.iter().copied())
        .collect();
    // One device runs a scenario, so its frames share one screen size: read
    // it from the first screenshot, not from every frame on every rewrite.
    let (w, hgt) = run
        .frames
        .first()
        .and_then(|f| png_size(&out_dir.join(&f.screenshot)))
        .unwrap_or((1080, 2400));
    for f in &run.frames {
        let annotated = super::annotate::annotated_path(&f.screenshot);
        let full = if out_dir.join(&annotated).is_file() {
            &annotated
        } else {
            &f.screenshot
        };
        let _ = write!(
            h,
            "<li><figure class=\"frame{}\" id=\"{}\" tabindex=\"-1\"><a class=\"shot\" href=\"{}\" target=\"_blank\"><img loading=\"lazy\" src=\"{}\" alt=\"frame {}\" width=\"220\" height=\"489\"><svg viewBox=\"0 0 {w} {hgt}\" preserveAspectRatio=\"none\">",
            if evidence.contains(&f.index) { " evidence" } else { "" },
            frame_id(i, f.index),
            esc(full),
            esc(&f.screenshot),
            f.index
        );
        for t in &f.texts {
            let _ = write!(
                h,
                "<rect class=\"role-{}\" {}><title>{}</title></rect>",
                t.role.as_str(),
                rect_attrs(t.bounds),
                esc(&t.text)
            );
        }
        for v in &run.verdicts {
            for hl in v.highlights.iter().filter(|hl| hl.frame == f.index) {
                let _ = write!(
                    h,
                    "<rect class=\"hl\" {}><title>{}: {}</title></rect>",
                    rect_attrs(hl.bounds),
                    esc(v.rule.id()),
                    esc(&hl.label)
                );
            }
        }
        if let Some(tap) = &f.tap {
            let _ = write!(
                h,
                "<circle class=\"tap\" cx=\"{}\" cy=\"{}\" r=\"40\"><title>tap {}</title></circle>",
                tap.x,
                tap.y,
                esc(tap.label.as_deref().unwrap_or(""))
            );
        }
        let fg = f.foreground.as_ref().map_or("—".to_string(), |g| {
            format!("{}/{}", g.package, g.activity)
        });
        let _ = write!(
            h,
            "</svg></a><figcaption><div><b>#{}</b> {}<span class=\"step\">{}</span> <span>+{:.1}s</span></div>{}<div class=\"fg\">{}{}</div>",
            f.index,
            f.phase
                .as_deref()
                .map_or(String::new(), |p| format!("<span class=\"phase\">[{}]</span> ", esc(p))),
            esc(&f.step),
            f.elapsed_ms as f64 / 1000.0,
            f.tap.as_ref().and_then(|t| t.label.as_ref()).map_or(String::new(), |l| format!("<div>tap 「{}」</div>", esc(l))),
            esc(&fg),
            f.pid.map_or(" · not running".into(), |p| format!(" · pid {p}"))
        );
        let _ = write!(
            h,
            "<details><summary>{} texts</summary><ol class=\"texts\">",
            f.texts.len()
        );
        for t in &f.texts {
            let _ = write!(
                h,
                "<li class=\"role-{}\"><span class=\"text\">{}</span> <small>{} {:.0}{}</small></li>",
                t.role.as_str(),
                esc(&t.text),
                match t.source {
                    crate::perception::Source::Ocr => "ocr",
                    crate::perception::Source::Hierarchy => "view",
                },
                t.confidence,
                if t.role == crate::perception::Role::Other { String::new() } else { format!(" · {}", t.role.as_str()) }
            );
        }
        h.push_str("</ol></details></figcaption></figure></li>");
    }
    h.push_str("</ol></section>");
}

fn rect_attrs(r: Rect) -> String {
    format!(
        "x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
        r.x,
        r.y,
        r.w.max(1),
        r.h.max(1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<script>alert(1)</script> & \"x\" 'y'"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#39;y&#39;"
        );
    }
}
