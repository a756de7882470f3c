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

/// The outcome of one search for the privacy policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exploration {
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

/// A screen the policy search reached that is not the privacy policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotPolicy {
    /// Its title.
    pub title: String,
    /// Why it does not count (`user agreement`, `only links to the policy`).
    pub why: String,
    /// Taps from the start screen.
    pub depth: u32,
    /// The frame showing it.
    pub frame: usize,
}

/// A policy screen reached by a search.
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
    /// The role words in force.
    pub words: Words,
}
