//! What a frame shows: its kind (a consent prompt, a login page with a
//! consent box, a permission dialog and who drew it, a host's
//! authorization sheet, policy text, settings, face capture, a password
//! or gesture to enter …), its
//! controls told from its titles, a dialog's own texts, and when two frames
//! are the same screen. Between perception (which reads the pixels and
//! the hierarchy) and everything that asks about screens: `inspect`, the
//! runner, the rules and the report ask here, so they give one answer per
//! frame.

pub mod auth;
pub mod controls;
pub mod identifiers;
pub mod identity;
pub mod inspect;
pub mod kind;
pub mod permission;
pub mod purpose;
pub mod search;
pub mod texts;

use serde::Serialize;

pub use controls::Control;
pub use kind::{Kind, PromptKind};
pub use permission::Vendor;

use crate::device::{Foreground, HierarchyNode};
use crate::perception::{Observation, Perceiver, PerceptionError, TextItem, Words};
use crate::trace::{Frame, Trace};

/// What a question about a screen is asked of: its texts (with their
/// roles), the window in front, the words in force, and whether the app is
/// a mini program (whose host draws authorization sheets).
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// Every text, top to bottom.
    pub texts: &'a [TextItem],
    /// The window in front, when the device said.
    pub foreground: Option<&'a Foreground>,
    /// The words in force (the defaults and a scenario's own).
    pub words: &'a Words,
    /// The app under test is a mini program inside a host app.
    pub mini_program: bool,
    /// The app under test's package (for a mini program, its host's).
    pub app: Option<&'a str>,
    /// The text boxes, as the device showed them (see [`auth::InputBox`]).
    pub inputs: &'a [auth::InputBox],
}

impl<'a> View<'a> {
    /// A recorded frame of a run, with the run's own words.
    pub fn of(frame: &'a Frame, trace: &'a Trace) -> View<'a> {
        View {
            texts: &frame.texts,
            foreground: frame.foreground.as_ref(),
            words: &trace.words,
            mini_program: trace.app.is_mini_program(),
            app: Some(&trace.app.package),
            inputs: &frame.inputs,
        }
    }

    /// Texts alone (a picture: no foreground known).
    pub fn texts(texts: &'a [TextItem], words: &'a Words) -> View<'a> {
        View {
            texts,
            foreground: None,
            words,
            mini_program: false,
            app: None,
            inputs: &[],
        }
    }

    /// What kind of screen it is.
    pub fn kind(&self) -> Kind {
        kind::kind(self)
    }

    /// What kind of prompt it is, if it asks for consent or a permission.
    /// A permission dialog counts when the system (or a vendor) drew it,
    /// or when who drew it is not known; an app's own dialog before the
    /// system's (a rationale) is not the permission prompt itself.
    pub fn prompt(&self) -> Option<PromptKind> {
        match self.kind() {
            Kind::PermissionDialog if !self.system_dialog() => None,
            k => k.prompt(),
        }
    }

    /// Whether the window in front is drawn by the system or a vendor over
    /// the app (a permission controller, or any package other than the
    /// app's), or the foreground is not known.
    pub fn system_dialog(&self) -> bool {
        match (self.foreground, self.app) {
            (Some(fg), _) if permission::drawn_by(fg).is_some() => true,
            (Some(fg), Some(app)) => fg.package != app,
            _ => true,
        }
    }

    /// Whether this is a permission dialog the system or a vendor drew.
    pub fn is_system_permission_dialog(&self) -> bool {
        self.kind() == Kind::PermissionDialog && self.system_dialog()
    }

    /// Its controls.
    pub fn controls(&self) -> Vec<Control> {
        controls::controls(self.texts, self.words)
    }

    /// The texts that belong to the dialog in front: for a host sheet, from
    /// its request line down (what is above is the page dimmed behind it);
    /// otherwise all of them.
    pub fn dialog_texts(&self) -> Vec<&'a TextItem> {
        if self.kind() == Kind::HostAuthorization {
            if let Some(t) = permission::host_sheet_texts(self.texts) {
                return t;
            }
        }
        // A system dialog: the hierarchy holds only its window, so its
        // texts' box is the dialog; OCR also reads the page dimmed behind.
        if self.foreground.and_then(permission::drawn_by).is_some() {
            let own = self
                .texts
                .iter()
                .filter(|t| t.source == crate::perception::Source::Hierarchy)
                .map(|t| t.bounds)
                .reduce(|a, b| a.union(&b));
            if let Some(b) = own {
                return self
                    .texts
                    .iter()
                    .filter(|t| {
                        let (x, y) = t.bounds.center();
                        x >= b.x && x < b.right() && y >= b.y && y < b.bottom()
                    })
                    .collect();
            }
        }
        self.texts.iter().collect()
    }
}

/// Everything said about one screen, for `inspect` and the report.
#[derive(Debug, Clone, Serialize)]
pub struct Screen {
    /// What it is.
    pub kind: Kind,
    /// Who drew the permission dialog in front, when the window says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<Vendor>,
    /// The permission groups a permission dialog asks for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<&'static str>,
    /// Its controls, top to bottom.
    pub controls: Vec<Control>,
}

impl Screen {
    /// Reads a view.
    pub fn read(view: &View) -> Screen {
        let kind = view.kind();
        let permissions = if matches!(kind, Kind::PermissionDialog | Kind::HostAuthorization) {
            let mut g: Vec<&'static str> = Vec::new();
            for t in view.dialog_texts() {
                for p in permission::groups_in(&t.text) {
                    if !g.contains(&p) {
                        g.push(p);
                    }
                }
            }
            g
        } else {
            Vec::new()
        };
        Screen {
            kind,
            vendor: kind::vendor(view),
            permissions,
            controls: view.controls(),
        }
    }
}

/// Reads one frame: OCR of the screenshot merged with the hierarchy, each
/// text with its role as a control (see [`texts::merge_read`]).
pub fn observe(
    perceiver: &mut Perceiver,
    png: &[u8],
    nodes: &[HierarchyNode],
    words: &Words,
) -> Result<Observation, PerceptionError> {
    let (read, _) = perceiver.read_png(png)?;
    Ok(Observation {
        texts: texts::merge_read(&read, nodes, words),
    })
}
