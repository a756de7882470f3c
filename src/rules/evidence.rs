//! What several Section 7 rules read from a trace: app-op accesses on the
//! run's clock, the moment consent was given, the app in the foreground or
//! not, and the runtime-permission dialogs shown.

use crate::i18n::{Listed, Said};
use crate::perception::{Role, TextItem};
use crate::screen::{Kind, View};
use crate::trace::{ActionKind, Frame, Trace};

/// App-ops that read personal data, with what they reveal. Camera and
/// microphone are here too; ops that touch no personal data (WAKE_LOCK,
/// VIBRATE, POST_NOTIFICATION …) are not.
pub(crate) const PERSONAL_OPS: &[(&str, &str)] = &[
    ("COARSE_LOCATION", "location"),
    ("FINE_LOCATION", "location"),
    ("GPS", "location"),
    ("MONITOR_LOCATION", "location"),
    ("MONITOR_HIGH_POWER_LOCATION", "location"),
    ("WIFI_SCAN", "location (Wi-Fi scan)"),
    ("NEIGHBORING_CELLS", "location (cell towers)"),
    ("READ_CONTACTS", "contacts"),
    ("GET_ACCOUNTS", "accounts"),
    ("READ_CALL_LOG", "call log"),
    ("READ_CALENDAR", "calendar"),
    ("READ_PHONE_STATE", "phone state and device ids"),
    ("READ_PHONE_NUMBERS", "phone number"),
    ("READ_DEVICE_IDENTIFIERS", "device ids"),
    ("READ_CLIPBOARD", "clipboard"),
    ("CAMERA", "camera"),
    ("RECORD_AUDIO", "microphone"),
    ("READ_SMS", "SMS"),
    ("RECEIVE_SMS", "SMS"),
    ("READ_ICC_SMS", "SMS"),
    ("QUERY_ALL_PACKAGES", "installed apps"),
    ("GET_USAGE_STATS", "app usage"),
    ("READ_EXTERNAL_STORAGE", "files and photos"),
    ("READ_MEDIA_IMAGES", "photos"),
    ("READ_MEDIA_VIDEO", "videos"),
    ("READ_MEDIA_AUDIO", "audio files"),
    ("ACCESS_MEDIA_LOCATION", "photo locations"),
    ("BODY_SENSORS", "body sensors"),
    ("ACTIVITY_RECOGNITION", "physical activity"),
    ("USE_BIOMETRIC", "biometrics"),
    ("USE_FINGERPRINT", "fingerprint"),
];

/// What an app-op reveals, if it reads personal data.
pub(crate) fn personal(op: &str) -> Option<&'static str> {
    PERSONAL_OPS.iter().find(|(o, _)| *o == op).map(|(_, w)| *w)
}

/// Two access times of one op closer than this are the same access seen in
/// two frames (each frame computes it from "… ago" at a slightly different
/// moment).
const SAME_ACCESS_MS: i64 = 1000;

/// One access to a personal-data app-op, on the run's clock.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Access {
    /// The op.
    pub op: String,
    /// Milliseconds since the run started (negative: before it).
    pub at_ms: i64,
    /// The first frame whose records show it.
    pub seen_in: usize,
}

impl Access {
    /// `READ_PHONE_STATE (phone state and device ids)`.
    pub fn name(&self) -> Said {
        match personal(&self.op) {
            Some(w) => crate::said!(
                "evidence-op-name",
                op = self.op.as_str(),
                meaning = meaning(w)
            ),
            None => Said::verbatim(self.op.as_str()),
        }
    }
}

/// Every distinct access to a personal-data op that the frames' app-op
/// records show. Each record holds only the latest access, so this is a
/// lower bound on how many there were.
pub(crate) fn accesses(trace: &Trace) -> Vec<Access> {
    let mut out: Vec<Access> = Vec::new();
    for f in &trace.frames {
        for op in &f.appops {
            let Some(ago) = op.access_ms_ago else {
                continue;
            };
            if personal(&op.op).is_none() {
                continue;
            }
            let at = f.elapsed_ms as i64 - ago.min(i64::MAX as u64) as i64;
            let known = out
                .iter()
                .any(|a| a.op == op.op && (a.at_ms - at).abs() <= SAME_ACCESS_MS);
            if !known {
                out.push(Access {
                    op: op.op.clone(),
                    at_ms: at,
                    seen_in: f.index,
                });
            }
        }
    }
    out.sort_by_key(|a| a.at_ms);
    out
}

/// For a mini program, why app-op rules are not judged: the records are
/// the host's.
pub(crate) fn mini_program_note(trace: &Trace) -> Option<Said> {
    trace.app.is_mini_program().then(|| {
        crate::said!(
            "evidence-mini-program-note",
            package = trace.app.package.as_str()
        )
    })
}

/// The moment the user consented: the frame showing the consent prompt
/// that the user agreed on, and the frame after the tap.
pub(crate) fn consent_moment(trace: &Trace) -> Option<(usize, usize)> {
    let frames = &trace.frames;
    (1..frames.len()).find_map(|i| {
        let f = &frames[i];
        let agreed = f
            .tap
            .as_ref()
            .and_then(|t| t.role)
            .is_some_and(|r| matches!(r, Role::Agree | Role::Vague));
        (agreed && super::is_consent_prompt(&frames[i - 1], trace)).then_some((i - 1, i))
    })
}

/// Whether a system (or vendor) permission controller's window is in
/// front, by the one list of `screen::permission`.
pub(crate) fn is_permission_dialog(f: &Frame) -> bool {
    f.foreground
        .as_ref()
        .and_then(crate::screen::permission::drawn_by)
        .is_some()
}

/// Whether the app under test (or a dialog drawn over it) is what the user
/// sees.
pub(crate) fn app_visible(f: &Frame, trace: &Trace) -> bool {
    f.foreground.as_ref().is_some_and(|fg| {
        fg.package == trace.app.package
            || is_permission_dialog(f)
            || fg.package == "com.android.systemui"
    })
}

pub(crate) use crate::screen::permission::groups_in;

/// One runtime-permission dialog as the user met it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dialog {
    /// Its first frame.
    pub frame: usize,
    /// The permission groups its text names.
    pub groups: Vec<&'static str>,
    /// It says it is one of several (`第 1 项权限（共 2 项）`, `1 of 2`).
    pub one_of_several: bool,
    /// It came right after the user answered another dialog.
    pub after_dialog: bool,
    /// A host app's authorization sheet for a mini program, not the
    /// system's dialog.
    pub host: bool,
    /// Its last frame before it was answered or left.
    pub last: usize,
    /// How the user answered it, if the trace shows it.
    pub answer: Option<Answer>,
}

/// The user's answer to a permission dialog.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Answer {
    /// The frame after the answer.
    pub frame: usize,
    /// Refused (不允许, 拒绝, 禁止, Deny, or back), not allowed.
    pub refused: bool,
    /// The label tapped; `back` for the back key.
    pub label: String,
}

/// Whether a frame shows a host app's authorization sheet for a mini
/// program (the screen's own answer).
pub(crate) fn is_host_authorization(f: &Frame, trace: &Trace) -> bool {
    View::of(f, trace).kind() == Kind::HostAuthorization
}

/// Whether a frame shows a permission dialog of either kind: the
/// system's (or a vendor's) or a host app's authorization sheet.
pub(crate) fn is_permission_prompt(f: &Frame, trace: &Trace) -> bool {
    is_permission_dialog(f) || is_host_authorization(f, trace)
}

/// The texts of a frame that belong to the permission dialog on it (the
/// screen's own answer: a host sheet's from its request line down, a
/// system dialog's inside the dialog the hierarchy shows).
pub(crate) fn dialog_texts<'a>(f: &'a Frame, trace: &'a Trace) -> Vec<&'a TextItem> {
    View::of(f, trace).dialog_texts()
}

/// The permission dialogs of a run, in order: a new one starts when a
/// dialog frame follows a non-dialog frame, or follows a tap on a dialog.
pub(crate) fn permission_dialogs(trace: &Trace) -> Vec<Dialog> {
    let several = regex::Regex::new(r"共\s*\d+\s*项|\b\d+\s*(?:of|/)\s*\d+\b").ok();
    let frames = &trace.frames;
    let prompt: Vec<bool> = frames
        .iter()
        .map(|f| is_permission_prompt(f, trace))
        .collect();
    let mut out: Vec<Dialog> = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        if !prompt[i] {
            continue;
        }
        let prev_dialog = i > 0 && prompt[i - 1];
        let answered_prev = prev_dialog && f.action == ActionKind::Tap;
        if prev_dialog && !answered_prev {
            if let Some(d) = out.last_mut() {
                d.last = f.index;
            }
            continue;
        }
        let text: String = dialog_texts(f, trace)
            .iter()
            .map(|t| t.text.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(d) = out.last_mut().filter(|_| answered_prev) {
            d.answer = answer_in(&frames[i], &trace.words);
        }
        out.push(Dialog {
            frame: f.index,
            groups: groups_in(&text),
            one_of_several: several.as_ref().is_some_and(|re| re.is_match(&text)),
            after_dialog: answered_prev,
            host: !is_permission_dialog(f),
            last: f.index,
            answer: None,
        });
        // The frame after the dialog's last one tells the answer.
        let mut j = i + 1;
        while j < frames.len() && prompt[j] && frames[j].action != ActionKind::Tap {
            j += 1;
        }
        if j < frames.len() && !prompt[j] {
            if let Some(d) = out.last_mut() {
                d.answer = answer_in(&frames[j], &trace.words);
            }
        }
    }
    out
}

/// The answer a frame's action gave to the dialog before it.
fn answer_in(f: &Frame, words: &crate::perception::Words) -> Option<Answer> {
    match f.action {
        ActionKind::Back => Some(Answer {
            frame: f.index,
            refused: true,
            label: "back".into(),
        }),
        ActionKind::Tap => {
            let tap = f.tap.as_ref()?;
            let label = tap.label.clone().unwrap_or_default();
            let role = tap.role.unwrap_or_else(|| words.role(&label));
            let refused = matches!(role, Role::Refuse | Role::WeakRefuse);
            let allowed = matches!(role, Role::Agree | Role::Vague);
            (refused || allowed).then_some(Answer {
                frame: f.index,
                refused,
                label,
            })
        }
        _ => None,
    }
}

pub(crate) use crate::screen::purpose::{purpose_in, Purpose};

/// Shortens a quoted text for a message: at most `n` characters.
pub(crate) fn quote(text: &str, n: usize) -> String {
    let t: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        format!("「{t}…」")
    } else {
        format!("「{t}」")
    }
}

/// `location`, `location and camera`, `a permission`.
pub(crate) fn group_names(groups: &[&str]) -> String {
    match groups {
        [] => "a permission".into(),
        [one] => (*one).into(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// How a message names an input box, in the process's language: `the box
/// 「请输入密码」`, `the box at 40,300`; with `password`, `the password box …`
/// (as [`crate::screen::auth::InputBox::describe`] says it in English).
pub(crate) fn box_name(b: &crate::screen::auth::InputBox, password: bool) -> Said {
    let (x, y) = (b.bounds.x, b.bounds.y);
    match (b.label.is_empty(), password) {
        (true, false) => crate::said!("evidence-box-at", x = x, y = y),
        (false, false) => crate::said!("evidence-box-label", label = b.label.as_str()),
        (true, true) => crate::said!("evidence-password-box-at", x = x, y = y),
        (false, true) => crate::said!("evidence-password-box-label", label = b.label.as_str()),
    }
}

/// A build installed during the run, as the trace names it (`version 2`,
/// the simulated app's model; `app-v2.apk`), in the process's language.
pub(crate) fn build_name(build: &str) -> Said {
    match build
        .strip_prefix("version ")
        .and_then(|v| v.parse::<u32>().ok())
    {
        Some(v) => crate::said!("evidence-build-version", version = v),
        None => Said::verbatim(build),
    }
}

/// Seconds for messages: `4.0 s`.
pub(crate) fn secs(ms: i64) -> Said {
    crate::said!("evidence-secs", s = format!("{:.1}", ms as f64 / 1000.0))
}

/// What an app-op reveals ([`PERSONAL_OPS`]'s words), in the process's
/// language, for messages.
pub(crate) fn meaning(w: &str) -> Said {
    match w {
        "location" => crate::said!("evidence-op-location"),
        "location (Wi-Fi scan)" => crate::said!("evidence-op-wifi-scan"),
        "location (cell towers)" => crate::said!("evidence-op-cell-towers"),
        "contacts" => crate::said!("evidence-op-contacts"),
        "accounts" => crate::said!("evidence-op-accounts"),
        "call log" => crate::said!("evidence-op-call-log"),
        "calendar" => crate::said!("evidence-op-calendar"),
        "phone state and device ids" => crate::said!("evidence-op-phone-state"),
        "phone number" => crate::said!("evidence-op-phone-number"),
        "device ids" => crate::said!("evidence-op-device-ids"),
        "clipboard" => crate::said!("evidence-op-clipboard"),
        "camera" => crate::said!("evidence-op-camera"),
        "microphone" => crate::said!("evidence-op-microphone"),
        "SMS" => crate::said!("evidence-op-sms"),
        "installed apps" => crate::said!("evidence-op-installed-apps"),
        "app usage" => crate::said!("evidence-op-app-usage"),
        "files and photos" => crate::said!("evidence-op-files"),
        "photos" => crate::said!("evidence-op-photos"),
        "videos" => crate::said!("evidence-op-videos"),
        "audio files" => crate::said!("evidence-op-audio"),
        "photo locations" => crate::said!("evidence-op-photo-locations"),
        "body sensors" => crate::said!("evidence-op-body-sensors"),
        "physical activity" => crate::said!("evidence-op-activity"),
        "biometrics" => crate::said!("evidence-op-biometrics"),
        "fingerprint" => crate::said!("evidence-op-fingerprint"),
        other => Said::verbatim(other),
    }
}

/// A permission group's name (`screen::permission`'s words) in the
/// process's language, for messages.
pub(crate) fn group_name(g: &str) -> Said {
    match g {
        "location" => crate::said!("evidence-group-location"),
        "camera" => crate::said!("evidence-group-camera"),
        "contacts" => crate::said!("evidence-group-contacts"),
        "call log" => crate::said!("evidence-group-call-log"),
        "SMS" => crate::said!("evidence-group-sms"),
        "calendar" => crate::said!("evidence-group-calendar"),
        "phone number" => crate::said!("evidence-group-phone-number"),
        "body sensors" => crate::said!("evidence-group-body-sensors"),
        "notifications" => crate::said!("evidence-group-notifications"),
        "microphone" => crate::said!("evidence-group-microphone"),
        "storage" => crate::said!("evidence-group-storage"),
        "phone" => crate::said!("evidence-group-phone"),
        "profile" => crate::said!("evidence-group-profile"),
        other => Said::verbatim(other),
    }
}

/// [`group_names`] in the process's language, for messages: `location`,
/// `location and camera`, `a permission`.
pub(crate) fn group_list(groups: &[&str]) -> Said {
    match groups {
        [] => crate::said!("evidence-a-permission"),
        [one] => group_name(one),
        [rest @ .., last] => crate::said!(
            "evidence-list-and",
            rest = Listed::join(
                rest.iter().map(|g| group_name(g)),
                &crate::t!("evidence-list-sep")
            ),
            last = group_name(last)
        ),
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Recorded traces built by hand for the rules' unit tests.
    use crate::device::{AppOp, Foreground};
    use crate::geom::Rect;
    use crate::perception::{Role, Source, TextItem, Words};
    use crate::scenario::AppTarget;
    use crate::trace::{ActionKind, Frame, Tap, Trace};

    /// The app package of the test traces.
    pub const APP: &str = "com.example.bank";

    /// A trace of the given frames (indices are set here).
    pub fn trace(mut frames: Vec<Frame>) -> Trace {
        for (i, f) in frames.iter_mut().enumerate() {
            f.index = i;
        }
        Trace {
            app: AppTarget {
                package: APP.into(),
                activity: None,
                deeplink: None,
            },
            frames,
            explorations: Vec::new(),
            functions: Vec::new(),
            policies: Vec::new(),
            words: Words::default(),
        }
    }

    /// A frame of the app at a moment, showing texts with their roles.
    pub fn frame(action: ActionKind, at_ms: u64, texts: &[(&str, Role)]) -> Frame {
        Frame {
            index: 0,
            step: match action {
                ActionKind::Launch => "launch (clear data)".into(),
                _ => "look".into(),
            },
            step_index: 0,
            line: 1,
            time: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
            elapsed_ms: at_ms,
            screenshot: String::new(),
            action,
            foreground: Some(Foreground {
                package: APP.into(),
                activity: format!("{APP}.MainActivity"),
            }),
            pid: Some(1234),
            texts: texts
                .iter()
                .enumerate()
                .map(|(i, (t, r))| TextItem {
                    text: (*t).into(),
                    bounds: Rect::from_corners(10, 100 * i as i32, 300, 100 * i as i32 + 40),
                    source: Source::Hierarchy,
                    confidence: 100.0,
                    role: *r,
                    checked: None,
                    region: None,
                    contrast: None,
                })
                .collect(),
            tap: None,
            appops: Vec::new(),
            permissions: None,
            permissions_before: None,
            install: None,
            page: None,
            inputs: Vec::new(),
            secure: None,
            blank: false,
            exposed: Vec::new(),
            typed: None,
            phase: None,
        }
    }

    /// The consent prompt.
    pub fn prompt(at_ms: u64) -> Frame {
        frame(
            ActionKind::Launch,
            at_ms,
            &[
                ("请阅读《隐私政策》", Role::Policy),
                ("同意", Role::Agree),
                ("不同意", Role::Refuse),
            ],
        )
    }

    /// A frame after tapping a control with this role.
    pub fn tapped(mut f: Frame, label: &str, role: Role) -> Frame {
        f.action = ActionKind::Tap;
        f.tap = Some(Tap {
            x: 1,
            y: 1,
            label: Some(label.into()),
            role: Some(role),
            bounds: None,
        });
        f
    }

    /// The frame with app-op records: (op, ms ago).
    pub fn with_ops(mut f: Frame, ops: &[(&str, u64)]) -> Frame {
        f.appops = ops
            .iter()
            .map(|(op, ago)| AppOp {
                op: (*op).into(),
                mode: "allow".into(),
                access_ms_ago: Some(*ago),
                reject_ms_ago: None,
                running: false,
            })
            .collect();
        f
    }

    /// The frame with another package in the foreground.
    pub fn elsewhere(mut f: Frame, package: &str, activity: &str) -> Frame {
        f.foreground = Some(Foreground {
            package: package.into(),
            activity: activity.into(),
        });
        f
    }
}
