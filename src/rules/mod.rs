//! Section 7 of T/NIFA 33-2025, and the parts of Section 6 that a screen
//! shows, as checks over a recorded trace. Each rule is a pure function:
//! trace in, verdict out; no device, no clock, no I/O. Section 7's rule ids
//! and clauses are those of `section7-rules.md`.

mod account_deletion_reachable;
mod auth_state_unchanged;
mod biometric_notice;
pub mod clauses;
mod collection_frequency;
pub mod consent_flow;
mod evidence;
mod explicit_consent;
mod masked_identifiers;
mod minor_rules;
mod no_background_collection;
mod no_bundled_permissions;
mod no_collection_before_consent;
mod no_forced_exit;
mod no_frequent_reprompt;
mod no_inducement;
mod no_popup_loop;
mod no_upfront_permission;
mod password_cleared_on_return;
mod password_masked;
mod permission_purpose;
pub(crate) mod policy_content;
mod policy_on_first_launch;
mod policy_reachable;
mod reconsent_on_change;
pub(crate) mod refusal_keeps_functions;
mod revocation_reachable;
mod search_found;
mod secure_auth_screens;
mod vague_auth_errors;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::geom::Rect;
use crate::i18n::{Reason, Said};
use crate::perception::TextItem;
use crate::trace::{Frame, Trace};

/// One rule as the registry knows it: adding a rule is its own file plus one
/// line in [`REGISTRY`].
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The stable id of `section7-rules.md` (`explicit-consent`, …).
    pub id: &'static str,
    /// The clause of T/NIFA 33-2025 it checks.
    pub clause: &'static str,
    /// Whether a scenario without a `rules:` list checks it.
    pub default_on: bool,
    /// What breaks it, in one line (section7-rules.md).
    pub fails_when: &'static str,
    /// Whether its verdict is `manual` by design: consentry gathers the
    /// evidence (the policy's text, the frames with rewards) and a person
    /// judges it, because what counts is a matter of reading, not of
    /// looking.
    pub by_a_person: bool,
    /// The section of the standard it belongs to.
    pub section: Section,
    /// Whether the standard counts the clause among the L2 (higher level)
    /// security requirements (its table A.1).
    pub level2: bool,
    /// The check; `None` for a rule this version gathers frames for but
    /// leaves to a reviewer.
    pub check: Option<fn(&Trace) -> Outcome>,
}

/// The section of T/NIFA 33-2025 a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    /// 6: security of the mini program (what a screen shows of it).
    Six,
    /// 7: collecting personal information.
    Seven,
}

impl Section {
    /// The group name scenario files use in `rules:` (`section6`).
    pub fn group(self) -> &'static str {
        match self {
            Section::Six => "section6",
            Section::Seven => "section7",
        }
    }

    /// Its number.
    pub fn number(self) -> u8 {
        match self {
            Section::Six => 6,
            Section::Seven => 7,
        }
    }
}

/// Every rule: Section 7's of section7-rules.md, then Section 6's, in
/// report order.
pub const REGISTRY: &[Rule] = &[
    explicit_consent::RULE,
    no_popup_loop::RULE,
    policy_reachable::RULE,
    no_forced_exit::RULE,
    policy_on_first_launch::RULE,
    permission_purpose::RULE,
    no_upfront_permission::RULE,
    no_bundled_permissions::RULE,
    no_frequent_reprompt::RULE,
    auth_state_unchanged::RULE,
    revocation_reachable::RULE,
    no_collection_before_consent::RULE,
    no_background_collection::RULE,
    collection_frequency::RULE,
    refusal_keeps_functions::RULE,
    biometric_notice::RULE,
    reconsent_on_change::RULE,
    account_deletion_reachable::RULE,
    policy_content::RULE,
    minor_rules::RULE,
    no_inducement::RULE,
    masked_identifiers::RULE,
    password_masked::RULE,
    secure_auth_screens::RULE,
    vague_auth_errors::RULE,
    password_cleared_on_return::RULE,
];

/// How a rule is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judged {
    /// By consentry: pass, fail or inconclusive with evidence.
    Automatic,
    /// By a person, on the evidence consentry gathers.
    Manual,
    /// Not by this version: only the frames are kept.
    NotJudged,
}

impl Judged {
    /// Lowercase name, as `consentry rules` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Judged::Automatic => "automatic",
            Judged::Manual => "manual",
            Judged::NotJudged => "not judged",
        }
    }
}

/// A rule of Section 7: a handle into [`REGISTRY`], ordered as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(u16);

impl RuleId {
    /// Every rule id of the registry.
    pub const ALL: [RuleId; REGISTRY.len()] = {
        let mut all = [RuleId(0); REGISTRY.len()];
        let mut i = 0;
        while i < all.len() {
            all[i] = RuleId(i as u16);
            i += 1;
        }
        all
    };

    /// The rules of a section this version checks (`rules: all` is
    /// Section 7's: Section 6's are checked when listed).
    pub fn of_section(section: Section) -> Vec<RuleId> {
        RuleId::ALL
            .into_iter()
            .filter(|r| r.rule().section == section && r.implemented())
            .collect()
    }

    /// The rules every run checks unless its scenario lists its own.
    pub fn defaults() -> Vec<RuleId> {
        RuleId::ALL
            .into_iter()
            .filter(|r| r.rule().default_on)
            .collect()
    }

    /// The rule's name for people, in `lang` (「明示同意」, "explicit consent").
    pub fn name_in(self, lang: crate::i18n::Lang) -> String {
        crate::i18n::message(lang, &format!("rule-{}", self.id()), &[])
    }

    /// The rule's name in the process's language.
    pub fn name(self) -> String {
        self.name_in(crate::i18n::current())
    }

    /// The words of the standard for the rule's clause (see [`clauses`]).
    pub fn clause_words(self) -> String {
        clauses::words(self.clause())
    }

    /// The registry entry.
    pub fn rule(self) -> &'static Rule {
        &REGISTRY[self.0 as usize]
    }

    /// The stable id.
    pub fn id(self) -> &'static str {
        self.rule().id
    }

    /// The clause of T/NIFA 33-2025 it checks.
    pub fn clause(self) -> &'static str {
        self.rule().clause
    }

    /// Looks a rule up by id.
    pub fn from_id(id: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.id() == id)
    }

    /// Whether this version checks the rule.
    pub fn implemented(self) -> bool {
        self.rule().check.is_some()
    }

    /// How the rule is judged.
    pub fn judged(self) -> Judged {
        if !self.implemented() {
            Judged::NotJudged
        } else if self.rule().by_a_person {
            Judged::Manual
        } else {
            Judged::Automatic
        }
    }

    /// What breaks the rule, in one line.
    pub fn fails_when(self) -> &'static str {
        self.rule().fails_when
    }

    /// Checks the rule over a trace.
    pub fn check(self, trace: &Trace) -> Verdict {
        let o = match self.rule().check {
            Some(check) => check(trace),
            None => Outcome {
                status: Status::Manual,
                evidence: Vec::new(),
                highlights: Vec::new(),
                message: crate::t!("rules-not-judged"),
                reason: crate::said!("rules-not-judged").reason,
            },
        };
        Verdict {
            rule: self,
            clause: self.clause().into(),
            status: o.status,
            evidence: o.evidence,
            highlights: o.highlights,
            message: o.message,
            reason: o.reason,
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

    /// The word for people, in `lang` (通过 / 不通过 / 无法判定 / 人工复核).
    pub fn word_in(self, lang: crate::i18n::Lang) -> String {
        match self {
            Status::Pass => crate::tl!(lang, "status-pass"),
            Status::Fail => crate::tl!(lang, "status-fail"),
            Status::Inconclusive => crate::tl!(lang, "status-inconclusive"),
            Status::Manual => crate::tl!(lang, "status-manual"),
        }
    }

    /// The word for people, in the process's language.
    pub fn word(self) -> String {
        self.word_in(crate::i18n::current())
    }

    /// The word of the terminal summary (PASS, FAIL …; 通过, 不通过 …).
    pub fn shout(self) -> String {
        match self {
            Status::Pass => crate::t!("term-pass"),
            Status::Fail => crate::t!("term-fail"),
            Status::Inconclusive => crate::t!("term-inconclusive"),
            Status::Manual => crate::t!("term-manual"),
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
    /// One sentence a reviewer understands, in the report's language.
    pub message: String,
    /// The message's id and arguments, in no language (absent from
    /// reports written before it existed).
    #[serde(default)]
    pub reason: Reason,
}

impl Verdict {
    /// Its message and reason together, to build a longer message on.
    pub fn said(&self) -> Said {
        Said {
            text: self.message.clone(),
            reason: self.reason.clone(),
        }
    }

    /// Sets its message and reason.
    pub fn set(&mut self, said: Said) {
        self.message = said.text;
        self.reason = said.reason;
    }
}

/// What a rule's check finds: a verdict without the rule's own identity.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Outcome.
    pub status: Status,
    /// Frames that prove it.
    pub evidence: Vec<usize>,
    /// Boxes on those frames that it relied on.
    pub highlights: Vec<Highlight>,
    /// One sentence a reviewer understands.
    pub message: String,
    /// The same sentence, language-free.
    pub reason: Reason,
}

impl Outcome {
    /// An outcome with the boxes it relied on.
    pub fn new(
        status: Status,
        evidence: Vec<usize>,
        highlights: Vec<Highlight>,
        message: Said,
    ) -> Outcome {
        Outcome {
            status,
            evidence,
            highlights,
            message: message.text,
            reason: message.reason,
        }
    }

    /// An outcome with no boxes to highlight.
    pub fn plain(status: Status, evidence: Vec<usize>, message: Said) -> Outcome {
        Outcome::new(status, evidence, Vec::new(), message)
    }
}

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

/// Whether a frame shows a consent prompt (the screen's own answer): an
/// agree-like control next to a mention of the processing rules.
pub(crate) fn is_consent_prompt(f: &Frame, trace: &Trace) -> bool {
    crate::screen::kind::is_consent_prompt(&crate::screen::View::of(f, trace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_says_what_fails_it() {
        for r in RuleId::ALL {
            assert!(!r.fails_when().is_empty(), "{}", r.id());
        }
    }

    #[test]
    fn registry_ids_are_unique_and_round_trip() {
        for r in RuleId::ALL {
            assert_eq!(RuleId::from_id(r.id()), Some(r));
        }
        let ids: std::collections::BTreeSet<_> = REGISTRY.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), REGISTRY.len());
    }

    #[test]
    fn the_four_core_rules_are_on_by_default_and_checked() {
        let d: Vec<&str> = RuleId::defaults().into_iter().map(|r| r.id()).collect();
        assert_eq!(
            d,
            [
                "explicit-consent",
                "no-popup-loop",
                "policy-reachable",
                "no-forced-exit"
            ]
        );
        assert!(RuleId::defaults().into_iter().all(|r| r.implemented()));
        let trace = Trace {
            app: crate::scenario::AppTarget {
                package: "com.example".into(),
                activity: None,
                deeplink: None,
            },
            frames: Vec::new(),
            explorations: Vec::new(),
            functions: Vec::new(),
            policies: Vec::new(),
            words: crate::perception::Words::default(),
        };
        // A rule this version does not judge (if any is left) is manual.
        if let Some(r) = RuleId::ALL.into_iter().find(|r| !r.implemented()) {
            assert_eq!(r.check(&trace).status, Status::Manual);
        }
    }
}
