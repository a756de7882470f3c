//! What `consentry audit` does on an app it does not know: open the
//! functions a screen offers (`check_functions` without a list), answer
//! permission dialogs, and a bounded crawl of the app's functions that
//! tries first the entries likely to ask for a permission or a face.

use std::collections::HashSet;

use super::explore::{destructive, in_title_bar, signature, status_bottom, title};
use super::{Ctx, Event, Runner, StepError};
use crate::perception::words::normalize;
use crate::perception::{Role, TextItem};
use crate::screen::{permission, Kind, View};
use crate::trace::{ActionKind, Frame};

/// Most entries a crawl opens on a screen below the start screen.
const PER_SCREEN: usize = 6;

/// The normalized labels of the start screen: not opened again below it.
fn home_keys(home: &std::collections::BTreeSet<String>) -> HashSet<String> {
    home.iter().cloned().collect()
}

/// The view of a frame of this run.
fn view<'a>(cx: &'a Ctx, f: &'a Frame) -> View<'a> {
    View {
        texts: &f.texts,
        foreground: f.foreground.as_ref(),
        words: &cx.sc.words,
        mini_program: cx.sc.app.is_mini_program(),
        app: Some(&cx.sc.app.package),
        inputs: &f.inputs,
    }
}

/// The entries a screen offers: short texts below the status bar, not in
/// the title bar, no answer to a prompt, no link to a document, nothing
/// that logs out or erases; each once, top to bottom.
pub(super) fn entries(cx: &Ctx) -> Vec<TextItem> {
    if super::explore::is_prompt(cx) {
        // A prompt's words are no functions.
        return Vec::new();
    }
    let top = status_bottom(cx);
    let title = title(cx);
    let words = &cx.sc.words;
    let mut seen = HashSet::new();
    cx.obs
        .texts
        .iter()
        .filter(|t| !in_title_bar(t, title.as_ref()) && t.bounds.center().1 >= top)
        .filter(|t| t.role == Role::Other)
        .filter(|t| {
            let n = normalize(&t.text);
            let len = n.chars().count();
            let short = if t.text.is_ascii() { 24 } else { 8 };
            // A line of a sentence (解相关条款。) is no entry.
            let sentence = t
                .text
                .trim_end()
                .ends_with(['。', '，', '；', '：', '.', ',', ';', ':', '、']);
            (2..=short).contains(&len)
                && !sentence
                && n.chars().any(char::is_alphabetic)
                && !words.is_processing_rules(&t.text)
                && !destructive(&t.text)
        })
        .filter(|t| seen.insert(normalize(&t.text)))
        .cloned()
        .collect()
}

/// How likely an entry asks for a permission or a face: 0 most likely
/// (the words in force: `likely`).
fn likeliness(words: &crate::perception::Words, label: &str) -> usize {
    let l = label.to_lowercase();
    words
        .likely
        .iter()
        .position(|w| l.contains(&w.to_lowercase()))
        .unwrap_or(words.likely.len())
}

/// What a crawl met.
#[derive(Debug, Default)]
pub(super) struct Crawled {
    /// Entries tapped.
    pub taps: u32,
    /// Distinct screens seen.
    pub screens: HashSet<std::collections::BTreeSet<String>>,
    /// Permission dialogs refused.
    pub dialogs: u32,
    /// Face capture screens reached.
    pub faces: u32,
    /// Screens that asked for a login.
    pub logins: u32,
    /// Whether the last entry opened reached a screen not seen before.
    pub first_seen: bool,
}

impl Runner<'_> {
    /// Opens up to `max` of the functions the current screen offers, one
    /// after the other, as `check_functions` does with a list.
    pub(super) fn discover_functions(
        &mut self,
        cx: &mut Ctx,
        max: usize,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        self.ensure_frame(cx, on_event)?;
        let labels: Vec<String> = entries(cx)
            .into_iter()
            .map(|t| t.text.trim().to_string())
            .take(max)
            .collect();
        if labels.is_empty() {
            return Err(StepError::Failed(
                "the screen offers no function to open (no entry, tab or button read)".into(),
            ));
        }
        self.check_functions(cx, &labels, on_event)
    }

    /// On a consent prompt: opens the privacy policy it links to, reads it
    /// to its end (for `policy-content` and `minor-rules`), and comes back
    /// to the prompt. Not a search: `policy-reachable` asks for the policy
    /// inside the app.
    pub(super) fn read_prompt_policy(
        &mut self,
        cx: &mut Ctx,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        self.ensure_frame(cx, on_event)?;
        self.prompt_shown(cx)?;
        let Some(link) = cx
            .obs
            .texts
            .iter()
            .filter(|t| t.role == Role::Policy)
            .min_by_key(|t| t.source != crate::perception::Source::Hierarchy)
            .cloned()
        else {
            return Err(StepError::Failed(
                "the consent prompt links to no privacy policy".into(),
            ));
        };
        self.tap_named(
            cx,
            &link,
            format!("read the policy › 「{}」", link.text),
            on_event,
        )?;
        let page = super::explore::page(cx);
        let found = matches!(
            crate::screen::search::classify(
                &crate::screen::search::SearchView {
                    texts: &cx.obs.texts,
                    words: &cx.sc.words,
                    page: &page,
                },
                crate::trace::Target::Policy,
                Some(&link.text),
            ),
            crate::screen::search::Match::Target(_)
        );
        if found {
            let p = self.read_policy(cx, on_event)?;
            cx.policies.push(p);
        }
        if !super::explore::is_prompt(cx) {
            self.press_back(cx, on_event)?;
        }
        if found {
            Ok(())
        } else {
            Err(StepError::Failed(format!(
                "the prompt's link 「{}」 did not open the policy's text",
                link.text
            )))
        }
    }

    /// While the screen shows a splash screen's or an ad's skip control
    /// (跳过 3, 5s 跳过, Skip), waits a second at a time (at most eight) for
    /// it to give way: a tap on it would be the user using the app.
    pub(super) fn wait_out_splash(
        &mut self,
        cx: &mut Ctx,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        self.ensure_frame(cx, on_event)?;
        for _ in 0..8 {
            // The top window's own skip control: where the hierarchy lists
            // texts, a skip OCR reads behind a dialog (the ad under the
            // consent dialog) is not it; nor on a screen asking a choice.
            let tree = cx
                .obs
                .texts
                .iter()
                .any(|t| t.source == crate::perception::Source::Hierarchy);
            let skip = cx.obs.texts.iter().any(|t| {
                let n = normalize(&t.text);
                (!tree || t.source == crate::perception::Source::Hierarchy)
                    && n.chars().count() <= 8
                    && (n.contains("跳过") || n.starts_with("skip"))
            });
            if !skip || super::explore::is_prompt(cx) || self.cancelled() {
                break;
            }
            self.sleep(cx, std::time::Duration::from_secs(1))?;
            self.capture(cx, ActionKind::Look, None, on_event)?;
        }
        Ok(())
    }

    /// Opens the login page, where many apps ask consent a second time
    /// (a box to tick): an entry 登录 / 注册 on this screen, or on one a tap
    /// away (我的 › 登录/注册); looks at it and comes back.
    pub(super) fn open_login(
        &mut self,
        cx: &mut Ctx,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        self.ensure_frame(cx, on_event)?;
        let start = signature(cx);
        let login_entry = |cx: &Ctx| {
            entries(cx)
                .into_iter()
                .find(|t| crate::screen::kind::is_login_action(&t.text))
        };
        if login_entry(cx).is_none() {
            // One level down: the entries most likely to hold it first.
            let mut todo = entries(cx);
            todo.sort_by_key(|t| {
                (
                    [
                        "我的", "账户", "账号", "个人", "用户", "mine", "me", "account", "profile",
                    ]
                    .iter()
                    .position(|w| t.text.to_lowercase().contains(w))
                    .unwrap_or(99),
                    t.bounds.y,
                )
            });
            for e in todo.into_iter().take(4) {
                self.tap_named(
                    cx,
                    &e,
                    format!("open the login page › 「{}」", e.text),
                    on_event,
                )?;
                if login_entry(cx).is_some() {
                    break;
                }
                self.back_to(cx, &start, on_event)?;
            }
        }
        let Some(t) = login_entry(cx) else {
            return Err(StepError::Failed(
                "no login page found (no 登录 / 注册 entry on the screen or a tap away)".into(),
            ));
        };
        self.tap_named(
            cx,
            &t,
            format!("open the login page › 「{}」", t.text),
            on_event,
        )?;
        self.sleep(cx, super::SETTLE)?;
        self.capture(cx, ActionKind::Look, None, on_event)?;
        self.back_to(cx, &start, on_event)
    }

    /// Back (at most three times) until the screen is `here` again.
    fn back_to(
        &mut self,
        cx: &mut Ctx,
        here: &std::collections::BTreeSet<String>,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        for _ in 0..3 {
            if &signature(cx) == here {
                break;
            }
            let in_app = cx
                .frames
                .last()
                .and_then(|f| f.foreground.as_ref())
                .is_some_and(|f| f.package == cx.sc.app.package);
            if !in_app {
                break;
            }
            self.press_back(cx, on_event)?;
        }
        Ok(())
    }

    /// While a permission dialog is in front, refuses it (at most six in a row).
    pub(super) fn deny_permissions(
        &mut self,
        cx: &mut Ctx,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<u32, StepError> {
        self.ensure_frame(cx, on_event)?;
        let mut n = 0;
        for _ in 0..6 {
            let Some(f) = cx.frames.last() else { break };
            let v = view(cx, f);
            let asks = v.is_system_permission_dialog() || v.kind() == Kind::HostAuthorization;
            if !asks {
                break;
            }
            let Some(t) = f
                .texts
                .iter()
                .filter(|t| t.role == Role::Refuse)
                .chain(f.texts.iter().filter(|t| t.role == Role::WeakRefuse))
                .next()
                .cloned()
            else {
                break;
            };
            self.tap_named(
                cx,
                &t,
                format!("deny_permissions › 「{}」", t.text),
                on_event,
            )?;
            n += 1;
        }
        Ok(n)
    }

    /// After a tap: goes through what the app shows before a function
    /// (its own notice before a permission dialog, a face notice), refuses
    /// each permission dialog, stops at a face capture screen.
    fn follow(
        &mut self,
        cx: &mut Ctx,
        got: &mut Crawled,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        for _ in 0..4 {
            let Some(f) = cx.frames.last() else { break };
            let v = view(cx, f);
            let kind = v.kind();
            if v.is_system_permission_dialog() || kind == Kind::HostAuthorization {
                got.dialogs += self.deny_permissions(cx, on_event)?;
                continue;
            }
            if kind == Kind::FaceCapture {
                got.faces += 1;
                break;
            }
            if matches!(kind, Kind::LoginConsent | Kind::Authentication) {
                got.logins += 1;
                break;
            }
            // An app's own notice with a way on: a face or data notice to
            // agree to, or the screen before a permission dialog.
            let agree = f.texts.iter().find(|t| t.role == Role::Agree).cloned();
            let about_permission = f
                .texts
                .iter()
                .any(|t| !permission::groups_in(&t.text).is_empty() || permission::asks(&t.text));
            let go_on = about_permission
                .then(|| {
                    f.texts
                        .iter()
                        .find(|t| {
                            let n = normalize(&t.text);
                            cx.sc.words.go_on.iter().any(|g| normalize(g) == n)
                        })
                        .cloned()
                })
                .flatten();
            let Some(t) = agree.or(go_on) else { break };
            self.tap_named(cx, &t, format!("crawl › 「{}」", t.text), on_event)?;
        }
        Ok(())
    }

    /// Opens an entry of the crawl, found again on the current screen by
    /// its text, and goes through what follows; false when the screen no
    /// longer shows it. Counts the tap and the screen reached.
    fn open_entry(
        &mut self,
        cx: &mut Ctx,
        e: &TextItem,
        got: &mut Crawled,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<bool, StepError> {
        let key = normalize(&e.text);
        let Some(t) = cx
            .obs
            .texts
            .iter()
            .find(|t| normalize(&t.text) == key)
            .cloned()
        else {
            return Ok(false);
        };
        self.tap_named(cx, &t, format!("crawl › 「{}」", t.text), on_event)?;
        self.follow(cx, got, on_event)?;
        got.taps += 1;
        got.first_seen = got.screens.insert(signature(cx));
        Ok(true)
    }

    /// Back to the screen the crawl started from: back up to four times,
    /// else a relaunch.
    fn back_home(
        &mut self,
        cx: &mut Ctx,
        home: &std::collections::BTreeSet<String>,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), StepError> {
        for _ in 0..4 {
            if &signature(cx) == home {
                return Ok(());
            }
            let in_app = cx
                .frames
                .last()
                .and_then(|f| f.foreground.as_ref())
                .is_some_and(|f| f.package == cx.sc.app.package);
            if !in_app {
                break;
            }
            self.press_back(cx, on_event)?;
        }
        if &signature(cx) != home {
            self.relaunch(cx, on_event)?;
        }
        Ok(())
    }

    fn relaunch(&mut self, cx: &mut Ctx, on_event: &mut dyn FnMut(Event)) -> Result<(), StepError> {
        let pkg = cx.sc.app.package.clone();
        self.device.force_stop(&pkg)?;
        self.capture(cx, ActionKind::Stop, None, on_event)?;
        self.launch_app(cx, on_event)?;
        self.wait_out_splash(cx, on_event)
    }

    /// The entries of a screen one level below the start screen, each
    /// opened and come back from; whether a permission dialog was refused.
    fn crawl_below(
        &mut self,
        cx: &mut Ctx,
        here: &std::collections::BTreeSet<String>,
        home: &HashSet<String>,
        max_taps: u32,
        got: &mut Crawled,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<bool, StepError> {
        let mut asked = false;
        let mut todo: Vec<TextItem> = entries(cx)
            .into_iter()
            .filter(|t| !home.contains(&normalize(&t.text)))
            .collect();
        todo.sort_by_key(|t| (likeliness(&cx.sc.words, &t.text), t.bounds.y));
        todo.truncate(PER_SCREEN);
        for e in todo {
            if got.taps >= max_taps || self.cancelled() || &signature(cx) != here {
                break;
            }
            let before = got.dialogs;
            if !self.open_entry(cx, &e, got, on_event)? {
                continue;
            }
            asked |= got.dialogs > before;
            self.back_to(cx, here, on_event)?;
        }
        Ok(asked)
    }

    /// The crawl: taps each entry of the start screen (the likely ones
    /// first) within `max_taps`, goes through what follows, comes back;
    /// then, when a permission was refused, relaunches and opens an
    /// unrelated entry to see whether it is asked again.
    pub(super) fn crawl(
        &mut self,
        cx: &mut Ctx,
        max_taps: u32,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Crawled, StepError> {
        self.ensure_frame(cx, on_event)?;
        let mut got = Crawled::default();
        let home = signature(cx);
        got.screens.insert(home.clone());
        let mut todo = entries(cx);
        todo.sort_by_key(|t| (likeliness(&cx.sc.words, &t.text), t.bounds.y));
        let mut quiet: Vec<String> = Vec::new();
        let mut asked = false;
        for e in todo {
            if got.taps >= max_taps || self.cancelled() {
                break;
            }
            let before_dialogs = got.dialogs;
            if !self.open_entry(cx, &e, &mut got, on_event)? {
                continue;
            }
            let here = signature(cx);
            let new = got.first_seen;
            if got.dialogs > before_dialogs {
                asked = true;
            } else if here != home {
                quiet.push(e.text.clone());
                // A screen of its own (a menu: 我的 › 我的银行卡): one level
                // deeper, the likely entries first.
                let in_app = cx
                    .frames
                    .last()
                    .and_then(|f| f.foreground.as_ref())
                    .is_some_and(|f| f.package == cx.sc.app.package);
                if new && in_app {
                    asked |= self.crawl_below(
                        cx,
                        &here,
                        &home_keys(&home),
                        max_taps,
                        &mut got,
                        on_event,
                    )?;
                }
            }
            self.back_home(cx, &home, on_event)?;
        }
        if asked {
            // Asked again? On a relaunch, and after an unrelated entry.
            self.relaunch(cx, on_event)?;
            for _ in 0..2 {
                self.sleep(cx, super::SETTLE)?;
                self.capture(cx, ActionKind::Look, None, on_event)?;
            }
            got.dialogs += self.deny_permissions(cx, on_event)?;
            if let Some(label) = quiet.first() {
                let key = normalize(label);
                if let Some(t) = cx
                    .obs
                    .texts
                    .iter()
                    .find(|t| normalize(&t.text) == key)
                    .cloned()
                {
                    self.tap_named(cx, &t, format!("crawl › 「{}」 again", t.text), on_event)?;
                    got.dialogs += self.deny_permissions(cx, on_event)?;
                    self.back_home(cx, &home, on_event)?;
                }
            }
        }
        Ok(got)
    }
}
