//! `report.xlsx`: the table of findings a reviewer filters, annotates and
//! hands on, beside report.json. One sheet of findings (a row per scenario
//! and rule: 序号, 应用, 版本, 设备, 场景, 检测项, 条款, 条款原文, 结果, 说明,
//! 证据截图 as links to the frames), one of the timeline (a row per frame),
//! one of what was tested (app, version, device, tool, the scenario file's
//! sha256). Headers frozen, filters on, results coloured. Written with
//! rust_xlsxwriter, in the report's language; `merge` writes it for the
//! merged report like the other files.

use rust_xlsxwriter::{Color, Format, FormatAlign, Url, Workbook, Worksheet, XlsxError};

use super::Report;
use crate::i18n::Lang;
use crate::rules::Status;

/// The most characters Excel keeps in a cell.
const CELL_MAX: usize = 32_767;

/// A text Excel takes: no control characters but line breaks and tabs, at
/// most [`CELL_MAX`] characters.
fn cell(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .map(|c| {
            if crate::report::junit::xml_char(c) {
                c
            } else {
                '\u{fffd}'
            }
        })
        .take(CELL_MAX)
        .collect()
}

fn colour(status: Status) -> Color {
    match status {
        Status::Pass => Color::RGB(0xDAFBE1),
        Status::Fail => Color::RGB(0xFFD7D5),
        Status::Inconclusive => Color::RGB(0xFFF1C2),
        Status::Manual => Color::RGB(0xDDF4FF),
    }
}

fn headers(ws: &mut Worksheet, cols: &[(String, f64)], bold: &Format) -> Result<(), XlsxError> {
    for (i, (name, width)) in cols.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, name, bold)?;
        ws.set_column_width(i as u16, *width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The workbook's bytes, in `lang`.
pub fn render(report: &Report, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let t = |id: &str| crate::i18n::message(lang, id, &[]);
    let mut wb = Workbook::new();
    let bold = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xEAEEF2));
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);

    // Findings.
    let ws = wb.add_worksheet();
    ws.set_name(t("xlsx-findings"))?;
    let cols = [
        (t("col-index"), 6.0),
        (t("col-app"), 24.0),
        (t("col-version"), 12.0),
        (t("col-device"), 22.0),
        (t("col-scenario"), 24.0),
        (t("col-rule"), 24.0),
        (t("col-rule-id"), 22.0),
        (t("col-clause"), 14.0),
        (t("col-clause-words"), 50.0),
        (t("col-result"), 10.0),
        (t("col-message"), 60.0),
        (t("col-evidence"), 30.0),
    ];
    headers(ws, &cols, &bold)?;
    let mut row = 0u32;
    for run in &report.runs {
        let version = run.app.version.as_ref().map_or(String::new(), |v| {
            if v.code.is_empty() {
                v.name.clone()
            } else {
                format!("{} ({})", v.name, v.code)
            }
        });
        let app = match &run.app.appid {
            Some(id) => format!("{id} @ {}", run.app.package),
            None => run.app.package.clone(),
        };
        let device = format!(
            "{} {} Android {}",
            run.device, run.device_info.model, run.device_info.android
        );
        for v in &run.verdicts {
            row += 1;
            let f = wrap.clone();
            ws.write_number_with_format(row, 0, row as f64, &f)?;
            ws.write_string_with_format(row, 1, cell(&app), &f)?;
            ws.write_string_with_format(row, 2, cell(&version), &f)?;
            ws.write_string_with_format(row, 3, cell(&device), &f)?;
            ws.write_string_with_format(row, 4, cell(&run.name), &f)?;
            ws.write_string_with_format(row, 5, v.rule.name_in(lang), &f)?;
            ws.write_string_with_format(row, 6, v.rule.id(), &f)?;
            ws.write_string_with_format(row, 7, cell(&v.clause), &f)?;
            ws.write_string_with_format(row, 8, cell(&v.rule.clause_words()), &f)?;
            ws.write_string_with_format(
                row,
                9,
                v.status.word_in(lang),
                &wrap
                    .clone()
                    .set_background_color(colour(v.status))
                    .set_bold(),
            )?;
            ws.write_string_with_format(row, 10, cell(&v.message), &f)?;
            // The first evidence frame as a link; the others named after it.
            let shots: Vec<(usize, &str)> = v
                .evidence
                .iter()
                .filter_map(|i| run.frames.get(*i).map(|f| (*i, f.screenshot.as_str())))
                .collect();
            match shots.first() {
                Some((i, shot)) => {
                    let mut text =
                        crate::i18n::message(lang, "evidence-frame", &[("index", (*i).into())]);
                    if shots.len() > 1 {
                        let more: Vec<String> =
                            shots[1..].iter().map(|(i, _)| i.to_string()).collect();
                        text.push_str(&format!(" (+{})", more.join(", ")));
                    }
                    let link = Url::new(format!("file:///{}", shot.trim_start_matches('/')))
                        .set_text(cell(&text));
                    // A path Excel will not take is written as text.
                    if ws.write_url(row, 11, link).is_err() {
                        ws.write_string(row, 11, cell(shot))?;
                    }
                }
                None => {
                    ws.write_string(row, 11, "")?;
                }
            }
        }
    }
    ws.autofilter(0, 0, row.max(1), (cols.len() - 1) as u16)?;

    // Timeline.
    let ws = wb.add_worksheet();
    ws.set_name(t("xlsx-timeline"))?;
    let cols = [
        (t("col-scenario"), 24.0),
        (t("col-frame"), 8.0),
        (t("col-time"), 22.0),
        (t("col-elapsed"), 12.0),
        (t("col-step"), 30.0),
        (t("col-foreground"), 40.0),
        (t("col-texts"), 80.0),
    ];
    headers(ws, &cols, &bold)?;
    let mut row = 0u32;
    for run in &report.runs {
        for f in &run.frames {
            row += 1;
            ws.write_string(row, 0, cell(&run.name))?;
            let link = Url::new(format!("file:///{}", f.screenshot.trim_start_matches('/')))
                .set_text(f.index.to_string());
            if ws.write_url(row, 1, link).is_err() {
                ws.write_number(row, 1, f.index as f64)?;
            }
            ws.write_string(row, 2, f.time.format("%Y-%m-%d %H:%M:%S%.3f").to_string())?;
            ws.write_number(row, 3, f.elapsed_ms as f64)?;
            ws.write_string(row, 4, cell(&f.step))?;
            ws.write_string(
                row,
                5,
                cell(
                    &f.foreground
                        .as_ref()
                        .map_or(String::new(), |g| format!("{}/{}", g.package, g.activity)),
                ),
            )?;
            let texts: Vec<&str> = f.texts.iter().map(|t| t.text.as_str()).collect();
            ws.write_string_with_format(row, 6, cell(&texts.join(" | ")), &wrap)?;
        }
    }
    ws.autofilter(0, 0, row.max(1), (cols.len() - 1) as u16)?;

    // What was tested.
    let ws = wb.add_worksheet();
    ws.set_name(t("xlsx-identity"))?;
    let cols = [
        (t("col-scenario"), 24.0),
        (t("col-app"), 30.0),
        (t("col-version"), 14.0),
        (t("col-device"), 22.0),
        (t("col-android"), 12.0),
        (t("col-screen"), 14.0),
        (t("col-sha256"), 66.0),
        (t("col-tool"), 18.0),
    ];
    headers(ws, &cols, &bold)?;
    for (i, run) in report.runs.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, cell(&run.name))?;
        ws.write_string(row, 1, cell(&run.app.describe()))?;
        ws.write_string(
            row,
            2,
            cell(
                &run.app
                    .version
                    .as_ref()
                    .map_or(String::new(), |v| v.name.clone()),
            ),
        )?;
        ws.write_string(
            row,
            3,
            cell(&format!("{} {}", run.device, run.device_info.model)),
        )?;
        ws.write_string(row, 4, cell(&run.device_info.android))?;
        ws.write_string(row, 5, cell(&run.device_info.screen))?;
        ws.write_string(row, 6, cell(&run.scenario_sha256))?;
        ws.write_string(
            row,
            7,
            cell(&format!("{} {}", report.tool.name, report.tool.version)),
        )?;
    }
    wb.save_to_buffer()
}
