//! Section 7 of T/NIFA 33-2025 as checks over a recorded trace. Each rule is
//! a pure function: trace in, verdict out; no device, no clock, no I/O.
//! Rule ids and clauses are those of `section7-rules.md`.

pub mod consent_flow;
mod explicit_consent;
mod no_forced_exit;
mod no_popup_loop;
mod policy_reachable;

use serde::{Deserialize, Serialize};

use crate::geom::Rect;
use crate::perception::{Role, TextItem};
use crate::trace::{Frame, Trace};

/// A rule of Section 7, by its stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleId {
    /// 7.1(c): a consent dialog with a real choice.
    ExplicitConsent,
    /// 7.2(f)(2): no prompt that returns again and again after a refusal.
    NoPopupLoop,
    /// 7.1(d): the privacy policy within 4 taps.
    PolicyReachable,
    /// 7.2(f)(1), 7.4(b): no exit because the user refused.
    NoForcedExit,
    /// 7.1(a).
    PolicyOnFirstLaunch,
    /// 7.2(a).
    PermissionPurpose,
    /// 7.2(b).
    NoUpfrontPermission,
    /// 7.2(b).
    NoBundledPermissions,
    /// 7.2(f)(3).
    NoFrequentReprompt,
    /// 7.2(e).
    AuthStateUnchanged,
    /// 7.2(d).
    RevocationReachable,
    /// 7.3(a).
    NoCollectionBeforeConsent,
    /// 7.3(c).
    NoBackgroundCollection,
    /// 7.4(a).
    RefusalKeepsFunctions,
    /// 7.1(f).
    BiometricNotice,
    /// 7.1(e).
    ReconsentOnChange,
    /// 7.5(a).
    AccountDeletionReachable,
    /// 7.1(b), 7.6.
    PolicyContent,
    /// 7.1(g).
    MinorRules,
    /// 7.3(d).
    NoInducement,
}

impl RuleId {
    /// The four rules every run checks unless its scenario says otherwise.
    pub const CORE: [RuleId; 4] = [
        RuleId::ExplicitConsent,
        RuleId::NoPopupLoop,
        RuleId::PolicyReachable,
        RuleId::NoForcedExit,
    ];

    /// Every rule id of section7-rules.md.
    pub const ALL: [RuleId; 20] = [
        RuleId::ExplicitConsent,
        RuleId::NoPopupLoop,
        RuleId::PolicyReachable,
        RuleId::NoForcedExit,
        RuleId::PolicyOnFirstLaunch,
        RuleId::PermissionPurpose,
        RuleId::NoUpfrontPermission,
        RuleId::NoBundledPermissions,
        RuleId::NoFrequentReprompt,
        RuleId::AuthStateUnchanged,
        RuleId::RevocationReachable,
        RuleId::NoCollectionBeforeConsent,
        RuleId::NoBackgroundCollection,
        RuleId::RefusalKeepsFunctions,
        RuleId::BiometricNotice,
        RuleId::ReconsentOnChange,
        RuleId::AccountDeletionReachable,
        RuleId::PolicyContent,
        RuleId::MinorRules,
        RuleId::NoInducement,
    ];

    /// The stable id.
    pub fn id(self) -> &'static str {
        match self {
            RuleId::ExplicitConsent => "explicit-consent",
            RuleId::NoPopupLoop => "no-popup-loop",
            RuleId::PolicyReachable => "policy-reachable",
            RuleId::NoForcedExit => "no-forced-exit",
            RuleId::PolicyOnFirstLaunch => "policy-on-first-launch",
            RuleId::PermissionPurpose => "permission-purpose",
            RuleId::NoUpfrontPermission => "no-upfront-permission",
            RuleId::NoBundledPermissions => "no-bundled-permissions",
            RuleId::NoFrequentReprompt => "no-frequent-reprompt",
            RuleId::AuthStateUnchanged => "auth-state-unchanged",
            RuleId::RevocationReachable => "revocation-reachable",
            RuleId::NoCollectionBeforeConsent => "no-collection-before-consent",
            RuleId::NoBackgroundCollection => "no-background-collection",
            RuleId::RefusalKeepsFunctions => "refusal-keeps-functions",
            RuleId::BiometricNotice => "biometric-notice",
            RuleId::ReconsentOnChange => "reconsent-on-change",
            RuleId::AccountDeletionReachable => "account-deletion-reachable",
            RuleId::PolicyContent => "policy-content",
            RuleId::MinorRules => "minor-rules",
            RuleId::NoInducement => "no-inducement",
        }
    }

    /// The clause of T/NIFA 33-2025 it checks.
    pub fn clause(self) -> &'static str {
        match self {
            RuleId::ExplicitConsent => "7.1(c)",
            RuleId::NoPopupLoop => "7.2(f)(2)",
            RuleId::PolicyReachable => "7.1(d)",
            RuleId::NoForcedExit => "7.2(f)(1), 7.4(b)",
            RuleId::PolicyOnFirstLaunch => "7.1(a)",
            RuleId::PermissionPurpose => "7.2(a)",
            RuleId::NoUpfrontPermission | RuleId::NoBundledPermissions => "7.2(b)",
            RuleId::NoFrequentReprompt => "7.2(f)(3)",
            RuleId::AuthStateUnchanged => "7.2(e)",
            RuleId::RevocationReachable => "7.2(d)",
            RuleId::NoCollectionBeforeConsent => "7.3(a)",
            RuleId::NoBackgroundCollection => "7.3(c)",
            RuleId::RefusalKeepsFunctions => "7.4(a)",
            RuleId::BiometricNotice => "7.1(f)",
            RuleId::ReconsentOnChange => "7.1(e)",
            RuleId::AccountDeletionReachable => "7.5(a)",
            RuleId::PolicyContent => "7.1(b), 7.6",
            RuleId::MinorRules => "7.1(g)",
            RuleId::NoInducement => "7.3(d)",
        }
    }

    /// Looks a rule up by id.
    pub fn from_id(id: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.id() == id)
    }

    /// Whether this version checks the rule.
    pub fn implemented(self) -> bool {
        RuleId::CORE.contains(&self)
    }

    /// Checks the rule over a trace.
    pub fn check(self, trace: &Trace) -> Verdict {
        let (status, evidence, highlights, message) = match self {
            RuleId::ExplicitConsent => explicit_consent::check(trace),
            RuleId::NoPopupLoop => no_popup_loop::check(trace),
            RuleId::PolicyReachable => policy_reachable::check(trace),
            RuleId::NoForcedExit => no_forced_exit::check(trace),
            _ => (
                Status::Manual,
                Vec::new(),
                Vec::new(),
                "this version gathers the frames but does not judge this rule: a reviewer must"
                    .into(),
            ),
        };
        Verdict {
            rule: self,
            clause: self.clause().into(),
            status,
            evidence,
            highlights,
            message,
        }
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        RuleId::from_id(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown rule `{s}`")))
    }
}

/// A verdict's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Exercised and broken.
    Fail,
    /// Could not be exercised: never silently a pass.
    Inconclusive,
    /// Evidence gathered; a person must judge.
    Manual,
    /// Exercised and held.
    Pass,
}

impl Status {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Inconclusive => "inconclusive",
            Status::Manual => "manual",
        }
    }
}

/// A box on a frame that a verdict relied on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Highlight {
    /// The frame.
    pub frame: usize,
    /// The box.
    pub bounds: Rect,
    /// What it is (`refuse`, `agree`, …).
    pub label: String,
}

/// The judgement of one rule over one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Rule id.
    pub rule: RuleId,
    /// Clause of T/NIFA 33-2025.
    pub clause: String,
    /// Outcome.
    pub status: Status,
    /// Frames that prove it.
    pub evidence: Vec<usize>,
    /// Boxes on those frames that it relied on.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub highlights: Vec<Highlight>,
    /// One sentence a reviewer understands.
    pub message: String,
}

type Outcome = (Status, Vec<usize>, Vec<Highlight>, String);

/// Checks every listed rule.
pub fn check_all(rules: &[RuleId], trace: &Trace) -> Vec<Verdict> {
    rules.iter().map(|r| r.check(trace)).collect()
}

fn highlight(frame: usize, t: &TextItem) -> Highlight {
    Highlight {
        frame,
        bounds: t.bounds,
        label: t.role.as_str().into(),
    }
}

/// Whether a frame shows a consent prompt: an agree-like control next to a
/// mention of the processing rules.
pub(crate) fn is_consent_prompt(f: &Frame, trace: &Trace) -> bool {
    let agree_like = f.has_role(Role::Agree) || f.has_role(Role::Vague);
    let mentions = f.texts.iter().any(|t| {
        t.role == Role::Policy || t.role == Role::Checkbox || trace.words.mentions_policy(&t.text)
    });
    agree_like && mentions
}
