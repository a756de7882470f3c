//! The record of one scenario run: every frame captured, what was done
//! before it, and what the policy searches found. Rules read only this.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::device::{AppOp, Foreground, RuntimePermission};
use crate::geom::Rect;
use crate::perception::{Role, TextItem, Words};

/// The app under test: a package, or a mini program inside a host app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppTarget {
    /// The package (for a mini program: the host's, e.g. `com.tencent.mm`).
    pub package: String,
    /// The activity to launch; for a mini program the host activity it runs in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    /// For a mini program: the deep link that opens it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deeplink: Option<String>,
}

impl AppTarget {
    /// Whether this is a mini program inside a host app.
    pub fn is_mini_program(&self) -> bool {
        self.deeplink.is_some()
    }

    /// The activity, fully qualified.
    pub fn full_activity(&self) -> Option<String> {
        self.activity.as_ref().map(|a| match a.strip_prefix('.') {
            Some(rest) => format!("{}.{rest}", self.package),
            None => a.clone(),
        })
    }
}

/// A tap that led to a frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tap {
    /// Where it landed.
    pub x: i32,
    /// Where it landed.
    pub y: i32,
    /// The text of what was tapped, when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub label: Option<String>,
    /// The role of what was tapped.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub role: Option<Role>,
    /// The bounds of what was tapped.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub bounds: Option<Rect>,
}

/// What the runner did right before a frame was captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Started the app.
    Launch,
    /// Tapped.
    Tap,
    /// Pressed back.
    Back,
    /// Pressed home: the app went to the background.
    Home,
    /// Typed.
    Type,
    /// Stopped the app or cleared its data.
    Stop,
    /// Only waited or looked.
    Look,
    /// Swiped (scrolled): the screen moved but nothing was chosen.
    Swipe,
    /// Installed another build of the app over it (see [`Frame::install`]).
    Install,
}

/// One captured frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// Position in the run, from 0.
    pub index: usize,
    /// The step that led to it, as written (`refuse`, `tap "我的"`).
    pub step: String,
    /// Index of that step in the scenario, from 0.
    pub step_index: usize,
    /// Line of that step in the scenario file.
    pub line: usize,
    /// When it was captured.
    pub time: DateTime<Utc>,
    /// Milliseconds since the scenario started (device time).
    pub elapsed_ms: u64,
    /// The screenshot, relative to the report folder.
    pub screenshot: String,
    /// What was done just before it.
    pub action: ActionKind,
    /// The app in the foreground.
    pub foreground: Option<Foreground>,
    /// The app's process id (None: not running).
    pub pid: Option<u32>,
    /// Every text read from the screen.
    pub texts: Vec<TextItem>,
    /// The tap that led to it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tap: Option<Tap>,
    /// The app's app-op records at this moment.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub appops: Vec<AppOp>,
    /// The app's runtime permissions (`dumpsys package`) right after the
    /// action that led to this frame; read only when the scenario checks
    /// `auth-state-unchanged`, and only after actions (not while watching).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub permissions: Option<Vec<RuntimePermission>>,
    /// For a launch: the runtime permissions just before it (after any
    /// clearing of data), the state the app started from.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub permissions_before: Option<Vec<RuntimePermission>>,
    /// For an install: which build, and whether its rules changed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub install: Option<Installed>,
    /// For a screen a search looked at: what it knew beyond the texts (the
    /// title, the status bar, the switches), so the rules can ask again.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub page: Option<crate::screen::search::Page>,
    /// The text boxes on the screen as the device showed them, before any
    /// typed secret was hidden from the saved frame: whether each is a
    /// password box and what it shows (mask characters or clear ones),
    /// never what was typed.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub inputs: Vec<crate::screen::auth::InputBox>,
    /// Whether the focused window was a secure one (`FLAG_SECURE`), read on
    /// screens where a password or gesture is entered when the scenario
    /// checks `secure-auth-screens`; `None` when not read or not said.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub secure: Option<bool>,
    /// The screenshot came back black: what a secure window gives.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub blank: bool,
    /// Where a secret typed in this run showed in clear on the screen,
    /// before it was hidden from the saved frame.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub exposed: Vec<Rect>,
    /// For a `type` step of plain (not secret) text: what was typed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub typed: Option<String>,
    /// The audit phase it was captured in (`consentry audit`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub phase: Option<String>,
}

/// A build installed during the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Installed {
    /// The build (`version 2`, `app-v2.apk`).
    pub build: String,
    /// The scenario declared that its processing rules changed.
    pub policy_changed: bool,
}

impl Frame {
    /// The texts with a role.
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &TextItem> {
        self.texts.iter().filter(move |t| t.role == role)
    }

    /// Whether any text has this role.
    pub fn has_role(&self, role: Role) -> bool {
        self.with_role(role).next().is_some()
    }
}

/// What a bounded search from the current screen looks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// The privacy policy's text (`policy-reachable`, 7.1(d)).
    #[default]
    Policy,
    /// A screen where the user withdraws authorizations: a permission list
    /// with switches or states, or a 撤回同意 control (`revocation-reachable`, 7.2(d)).
    Revocation,
    /// The account deletion screen or notice, or deleting personal data
    /// (`account-deletion-reachable`, 7.5(a)).
    AccountDeletion,
}

impl Target {
    /// The name scenario files and reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Policy => "policy",
            Target::Revocation => "revocation",
            Target::AccountDeletion => "account-deletion",
        }
    }

    /// What it is, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Target::Policy => "the privacy policy",
            Target::Revocation => "a way to withdraw authorizations",
            Target::AccountDeletion => "a way to delete the account or personal data",
        }
    }

    /// Every target, in the order scenario files list them.
    pub const ALL: [Target; 3] = [Target::Policy, Target::Revocation, Target::AccountDeletion];
}

/// The outcome of one bounded search (for the privacy policy, a way to
/// withdraw authorizations, or account deletion).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exploration {
    /// What it looked for (reports written before searches had targets
    /// looked for the policy).
    #[serde(default)]
    pub target: Target,
    /// The frame the search started from.
    pub start_frame: usize,
    /// How many taps deep it searched.
    pub max_taps: u32,
    /// Taps made in all.
    pub taps: u32,
    /// Distinct screens seen.
    pub screens: u32,
    /// Where the policy was found, if it was.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub found: Option<Found>,
    /// Screens reached that are not the privacy policy although they look
    /// close (a user agreement, a page that only links to the policy), with
    /// their depth: what a reviewer should know was found instead.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub instead: Vec<NotPolicy>,
}

/// A screen a search reached that looks close to what it looked for but is
/// not it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotPolicy {
    /// Its title.
    pub title: String,
    /// Why it does not count (`user agreement`, `only links to the policy`).
    pub why: String,
    /// The same, language-free (absent from older reports).
    #[serde(default, skip_serializing_if = "crate::i18n::Reason::is_empty")]
    pub reason: crate::i18n::Reason,
    /// Taps from the start screen.
    pub depth: u32,
    /// The frame showing it.
    pub frame: usize,
}

/// The screen a search was looking for, reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Found {
    /// Taps from the start screen.
    pub depth: u32,
    /// The frame showing the policy.
    pub frame: usize,
    /// The labels tapped, in order.
    pub path: Vec<String>,
    /// The frames after each tap on the way.
    pub path_frames: Vec<usize>,
    /// What made the screen the one looked for (`titled 权限管理; 位置信息
    /// 已开启`), for revocation and account deletion searches.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub why: String,
}

/// One declared basic function the runner tried to open (`check_functions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionCheck {
    /// The function's label, as the scenario declares it.
    pub label: String,
    /// The last frame before the tap (where the label was looked for).
    pub before: usize,
    /// The text tapped, as the screen showed it; `None` when the label was
    /// never found on the screen (after scrolling).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tapped: Option<String>,
    /// The frames after the tap, in order (right after it, then a moment later).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub after: Vec<usize>,
}

/// The text of the processing rules as one screen showed it, scrolled to
/// its end (`read_policy`, or a policy search that found it when the
/// scenario checks `policy-content` or `minor-rules`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyText {
    /// The screen's title.
    pub title: String,
    /// The frames it was read from, top to bottom.
    pub frames: Vec<usize>,
    /// The text: each line once (lines seen again on overlapping scrolls are
    /// dropped), paragraphs separated by line breaks.
    pub text: String,
    /// Whether scrolling reached the end (false: the scroll limit stopped it).
    pub complete: bool,
}

/// Everything the rules see of one run.
#[derive(Debug, Clone)]
pub struct Trace {
    /// The app under test.
    pub app: AppTarget,
    /// The frames, in order.
    pub frames: Vec<Frame>,
    /// Policy searches.
    pub explorations: Vec<Exploration>,
    /// Declared basic functions the runner tried to open.
    pub functions: Vec<FunctionCheck>,
    /// Texts of the processing rules, read to their end.
    pub policies: Vec<PolicyText>,
    /// The role words in force.
    pub words: Words,
}
