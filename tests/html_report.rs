//! The HTML report in a real browser (Debian's Chromium, headless), the
//! annotated frames, and junit.xml against the JUnit schema.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use headless_chrome::{Browser, LaunchOptions};

/// The demo's output, made once for every test in this file.
fn demo_out() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let o = common::consentry(&["demo", "--out", out.to_str().unwrap(), "-q"]);
        common::assert_exit(&o, 1);
        (dir, out)
    })
    .1
}

/// Every verdict the demo gives: (scenario, rule, status).
fn expected() -> Vec<(String, String, String)> {
    common::demo_expected(&common::all_rules())
}

fn browser() -> Browser {
    browser_at(1400)
}

/// Opens the report; returns the tab and everything the page reported:
/// console errors, uncaught exceptions and JavaScript dialogs.
fn open(browser: &Browser) -> (Arc<headless_chrome::Tab>, Arc<Mutex<Vec<String>>>) {
    let tab = browser.new_tab().unwrap();
    let problems = Arc::new(Mutex::new(Vec::new()));
    let p = problems.clone();
    tab.enable_runtime().unwrap();
    tab.enable_log().unwrap();
    tab.add_event_listener(Arc::new(
        move |e: &headless_chrome::protocol::cdp::types::Event| {
            let s = format!("{e:?}");
            let bad = s.contains("ExceptionThrown")
                || s.contains("JavascriptDialogOpening")
                || (s.contains("ConsoleAPICalled") && s.contains("Error"))
                || (s.contains("LogEntryAdded") && s.contains("level: Error"));
            if bad {
                p.lock().unwrap().push(s);
            }
        },
    ))
    .unwrap();
    let url = format!("file://{}", demo_out().join("index.html").display());
    tab.navigate_to(&url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    (tab, problems)
}

/// Evaluates an expression in the page and returns its value as JSON.
fn eval(tab: &headless_chrome::Tab, js: &str) -> serde_json::Value {
    let v = tab
        .evaluate(&format!("JSON.stringify({js})"), false)
        .unwrap()
        .value;
    match v {
        Some(serde_json::Value::String(s)) => serde_json::from_str(&s).unwrap(),
        _ => serde_json::Value::Null,
    }
}

#[test]
fn page_loads_without_errors_and_evidence_links_scroll_to_frames() {
    let browser = browser();
    let (tab, problems) = open(&browser);
    // A few images load lazily as the page is scrolled; let them.
    std::thread::sleep(Duration::from_millis(500));
    let scenarios: std::collections::BTreeSet<String> =
        expected().into_iter().map(|e| e.0).collect();
    assert_eq!(
        eval(&tab, "document.querySelectorAll('section.run').length"),
        scenarios.len()
    );

    // From the top of the page, click the failing verdict's evidence link
    // whose frame lies farthest down (out of view).
    eval(&tab, "window.scrollTo(0, 0) || 0");
    let sel = "li.verdict.status-fail a.ev";
    let pick = eval(&tab, &format!("(function(){{var l=document.querySelectorAll('{sel}'),best=0,top=-1;for(var i=0;i<l.length;i++){{var t=document.getElementById(l[i].getAttribute('data-frame')).getBoundingClientRect().top;if(t>top){{top=t;best=i;}}}}return [best, l[best].getAttribute('data-frame'), top];}})()"));
    let (index, target, before) = (
        pick[0].as_u64().unwrap() as usize,
        pick[1].as_str().unwrap().to_string(),
        pick[2].as_f64().unwrap(),
    );
    assert!(before > 1000.0, "the frame starts out of view: {before}");
    tab.find_elements(sel).unwrap()[index].click().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let rect = eval(&tab, &format!("(function(){{var r=document.getElementById('{target}').getBoundingClientRect(); return [r.top, r.bottom, innerHeight];}})()"));
    let (top, bottom, h) = (
        rect[0].as_f64().unwrap(),
        rect[1].as_f64().unwrap(),
        rect[2].as_f64().unwrap(),
    );
    assert!(
        top >= 0.0 && bottom <= h,
        "evidence frame {target} in view after the click: {rect}"
    );
    assert_eq!(eval(&tab, "document.activeElement.id"), target.as_str());

    // Keyboard: j moves to the next frame.
    tab.press_key("j").unwrap();
    let next = eval(&tab, "document.activeElement.id");
    assert_ne!(next.as_str().unwrap(), target, "j moved the focus");
    assert!(next.as_str().unwrap().starts_with('r'));

    assert!(
        problems.lock().unwrap().is_empty(),
        "console errors: {:?}",
        problems.lock().unwrap()
    );
}

#[test]
fn data_and_permission_rules_show_their_timelines() {
    let browser = browser();
    let (tab, problems) = open(&browser);
    let section = |name: &str| {
        format!("(function(){{var s=Array.prototype.find.call(document.querySelectorAll('section.run'),function(s){{return s.querySelector('.sub').textContent.indexOf('{name}')>=0;}});")
    };
    // Data read before consent: the timeline marks the early reads red, left
    // of the consent line, and each dot leads to the frame that showed it.
    let ops = eval(&tab, &format!("{}var svg=s.querySelector('svg.ops'),c=svg.querySelector('line.consent');return [svg.querySelectorAll('circle.bad').length, svg.querySelectorAll('circle.ok').length, Array.prototype.every.call(svg.querySelectorAll('circle.bad'),function(d){{return +d.getAttribute('cx') < +c.getAttribute('x1');}}), s.querySelector('details.view summary').textContent];}})()", section("collect-before-consent.yaml")));
    assert!(ops[0].as_u64().unwrap() >= 2, "{ops}");
    assert_eq!(ops[2], true, "early reads lie before consent: {ops}");
    assert!(ops[3].as_str().unwrap().starts_with("Data access"), "{ops}");
    let dot = eval(&tab, &format!("{}var a=s.querySelector('svg.ops circle.bad').parentNode;a.dispatchEvent(new MouseEvent('click',{{bubbles:true}}));return a.getAttribute('data-frame');}})()", section("collect-before-consent.yaml")));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(eval(&tab, "document.activeElement.id"), dot);
    // Reads in the background fall in the shaded stretch.
    let bg = eval(&tab, &format!("{}var r=s.querySelector('svg.ops rect.bg'),x=+r.getAttribute('x'),w=+r.getAttribute('width');return [Array.prototype.filter.call(s.querySelectorAll('svg.ops circle.bad'),function(d){{var c=+d.getAttribute('cx');return c>=x&&c<=x+w;}}).length];}})()", section("background-location.yaml")));
    assert!(bg[0].as_u64().unwrap() >= 1, "{bg}");
    // Permissions in one go: the dialogs in order, with what each asked and
    // what the user answered.
    let rows = eval(&tab, &format!("{}return Array.prototype.map.call(s.querySelectorAll('table.dialogs tr'),function(r){{return Array.prototype.map.call(r.cells,function(c){{return c.textContent.trim();}});}}).slice(1);}})()", section("bundled-permissions.yaml")));
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    let asked: Vec<&str> = rows.iter().map(|r| r[3].as_str().unwrap()).collect();
    assert_eq!(asked, ["location", "contacts", "phone"]);
    assert!(
        rows.iter().all(|r| r[5].as_str().unwrap().contains("拒绝")),
        "{rows:?}"
    );
    assert!(
        rows[1][6].as_str().unwrap().contains("right after"),
        "{rows:?}"
    );
    // The consent examples check no such rule and get no such panel.
    let none = eval(
        &tab,
        &format!(
            "{}return s.querySelectorAll('details.view').length;}})()",
            section("popup-loop.yaml")
        ),
    );
    assert_eq!(none, 0);
    assert!(
        problems.lock().unwrap().is_empty(),
        "{:?}",
        problems.lock().unwrap()
    );
}

#[test]
fn filter_hides_passing_rules() {
    let browser = browser();
    let (tab, problems) = open(&browser);
    let visible = |sel: &str| {
        eval(&tab, &format!("Array.prototype.filter.call(document.querySelectorAll('{sel}'), function(e){{return e.offsetParent !== null;}}).length")).as_u64().unwrap()
    };
    let want = expected();
    let count = |s: &str| want.iter().filter(|e| e.2 == s).count() as u64;
    let failing: std::collections::BTreeSet<&str> = want
        .iter()
        .filter(|e| e.2 == "fail")
        .map(|e| e.0.as_str())
        .collect();
    assert_eq!(visible("li.verdict.status-pass"), count("pass"));
    assert_eq!(visible("li.verdict.status-fail"), count("fail"));
    tab.find_element("#only-fail").unwrap().click().unwrap();
    assert_eq!(visible("li.verdict.status-pass"), 0, "passing rules hidden");
    assert_eq!(visible("li.verdict.status-inconclusive"), 0);
    assert_eq!(
        visible("li.verdict.status-fail"),
        count("fail"),
        "failing rules stay"
    );
    // Scenarios with no failing rule disappear from the summary table too.
    assert_eq!(visible("table.summary tbody tr"), failing.len() as u64);
    tab.find_element("#only-fail").unwrap().click().unwrap();
    assert_eq!(visible("li.verdict.status-pass"), count("pass"));
    assert!(
        problems.lock().unwrap().is_empty(),
        "{:?}",
        problems.lock().unwrap()
    );
}

#[test]
fn markup_from_an_app_is_shown_as_text_and_never_run() {
    let browser = browser();
    let (tab, problems) = open(&browser);
    // Open every text list so the hostile app's text is rendered.
    eval(
        &tab,
        "document.querySelectorAll('details').forEach(function(d){d.open=true;}) || 0",
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        eval(&tab, "document.scripts.length"),
        1,
        "only the report's own script"
    );
    assert_eq!(
        eval(&tab, "document.querySelectorAll('img[onerror]').length"),
        0
    );
    let shown = eval(&tab, "Array.prototype.some.call(document.querySelectorAll('ol.texts .text'), function(e){ return e.offsetParent !== null && e.textContent === '<script>alert(1)</script> & <img src=x onerror=alert(2)>'; })");
    assert_eq!(shown, true, "the markup is visible as text");
    assert!(
        problems.lock().unwrap().is_empty(),
        "a dialog opened or an error happened: {:?}",
        problems.lock().unwrap()
    );
}

#[test]
fn evidence_frames_have_annotated_copies() {
    let out = demo_out();
    let r = common::report(out);
    let run = r["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["scenario"].as_str().unwrap().contains("no-refuse"))
        .unwrap();
    let v = run["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "explicit-consent")
        .unwrap();
    let frame = &run["frames"][v["evidence"][0].as_u64().unwrap() as usize];
    let shot = frame["screenshot"].as_str().unwrap();
    let annotated = out.join(shot.replacen("frames/", "frames/annotated/", 1));
    let a = image::open(&annotated)
        .expect("annotated PNG written")
        .to_rgba8();
    let plain = image::open(out.join(shot)).unwrap().to_rgba8();
    assert_eq!(a.dimensions(), plain.dimensions());
    // The agree control the verdict relied on is outlined in the evidence colour.
    let hl = &v["highlights"][0]["bounds"];
    let (x1, y1) = (
        hl[0].as_i64().unwrap() as u32,
        hl[1].as_i64().unwrap() as u32,
    );
    let px = a.get_pixel(x1.saturating_sub(4), y1 + 10).0;
    assert_eq!(
        &px[..3],
        &[255, 0, 212],
        "evidence outline drawn at the agree control"
    );
    assert_ne!(
        &plain.get_pixel(x1.saturating_sub(4), y1 + 10).0[..3],
        &[255, 0, 212]
    );
}

#[test]
fn junit_validates_against_the_schema() {
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/junit.xsd");
    let xml = demo_out().join("junit.xml");
    let o = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&xml)
        .output()
        .expect("xmllint (apt-get install libxml2-utils)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&xml).unwrap();
    let want = expected();
    let totals = format!(
        "tests=\"{}\" failures=\"{}\"",
        want.len(),
        want.iter().filter(|e| e.2 == "fail").count()
    );
    assert!(text.contains(&totals), "{totals}\n{}", &text[..300]);
    assert!(text.contains(
        "<failure message=\"T/NIFA 33-2025 7.1(c): the consent prompt offers no way to refuse"
    ));
    // The schema does reject what CI tools would not read.
    let bad = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(bad.path(), "<testsuites><testsuite name=\"x\" tests=\"1\"><testcase classname=\"c\"/></testsuite></testsuites>").unwrap();
    let o = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(bad.path())
        .output()
        .unwrap();
    assert!(
        !o.status.success(),
        "a testcase without a name must not validate"
    );
}

/// A browser whose window is `width` pixels wide.
fn browser_at(width: u32) -> Browser {
    let args = [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ];
    let opts = LaunchOptions::default_builder()
        .path(Some(PathBuf::from("/usr/bin/chromium")))
        .headless(true)
        .sandbox(false)
        .window_size(Some((width, 1000)))
        .idle_browser_timeout(Duration::from_secs(120))
        .args(args.iter().map(std::ffi::OsStr::new).collect())
        .build()
        .unwrap();
    Browser::new(opts).expect("Chromium starts (apt-get install chromium)")
}

#[test]
fn the_summary_fits_a_laptop_screen_and_the_report_prints_as_an_a4_inspection_report() {
    // The demo: 31 scenarios and every rule of both sections.
    for width in [1280, 1920] {
        let browser = browser_at(width);
        let (tab, problems) = open(&browser);
        let fits = eval(
            &tab,
            "(function(){var w=document.querySelector('.summary-wrap'),t=w.querySelector('table.summary');return [document.documentElement.scrollWidth <= window.innerWidth, w.scrollWidth <= w.clientWidth + 1, t.getBoundingClientRect().right <= window.innerWidth, t.querySelectorAll('thead th.rule').length];})()",
        );
        assert_eq!(
            fits[0], true,
            "{width} px: the page scrolls sideways: {fits}"
        );
        assert_eq!(
            fits[1], true,
            "{width} px: the summary scrolls sideways: {fits}"
        );
        assert_eq!(
            fits[2], true,
            "{width} px: the summary runs off the right: {fits}"
        );
        assert!(fits[3].as_u64().unwrap() >= 20, "{fits}");
        assert!(problems.lock().unwrap().is_empty());
    }
    // Printed: a cover, then the scenarios with their evidence frames.
    let browser = browser_at(1280);
    let (tab, _) = open(&browser);
    let pdf = tab
        .print_to_pdf(Some(headless_chrome::types::PrintToPdfOptions {
            prefer_css_page_size: Some(true),
            print_background: Some(true),
            ..Default::default()
        }))
        .expect("prints to PDF");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = |page: u32| {
        let o = Command::new("pdftotext")
            .args(["-f", &page.to_string(), "-l", &page.to_string(), "-layout"])
            .arg(&file)
            .arg("-")
            .output()
            .expect("pdftotext runs (apt-get install poppler-utils)");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let cover = text(1);
    assert!(cover.contains("Inspection report"), "{cover}");
    assert!(cover.contains("consentry-sim Android 13"), "{cover}");
    assert!(
        cover.contains("com.example.compliantbank 1.0.0 (1)"),
        "{cover}"
    );
    let page2 = text(2);
    assert!(page2.contains("The standard says"), "{page2}");
    let o = Command::new("pdftoppm")
        .args(["-r", "30", "-png", "-f", "1", "-l", "3"])
        .arg(&file)
        .arg(dir.path().join("page"))
        .output()
        .expect("pdftoppm runs (apt-get install poppler-utils)");
    assert!(o.status.success(), "{o:?}");
    let pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("page"))
        .collect();
    assert_eq!(pages.len(), 3, "three pages rendered to PNG");
    let mm = |pt: f64| pt / 72.0 * 25.4;
    let info = Command::new("pdfinfo").arg(&file).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let size = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap_or_default()
        .to_string();
    let nums: Vec<f64> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(
        (mm(nums[0]) - 210.0).abs() < 2.0 && (mm(nums[1]) - 297.0).abs() < 2.0,
        "A4: {size}"
    );
}
