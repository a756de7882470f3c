//! `no-inducement`, 7.3(d): consent or authorization is not bought with
//! rewards. Whether a reward is offered *for* the authorization, and
//! whether the function it unlocks needs the data, is a matter of reading:
//! a person judges. This rule gathers the evidence: every authorization
//! prompt (consent prompt, login consent box, permission dialog, host
//! authorization sheet) and the reward wording (红包, 积分, 优惠券, 返现 …,
//! "reward", "coupon" …) on it or on the screen right before it, quoted
//! and boxed.
//!
//! The verdict is `manual` whenever a prompt was seen, with or without
//! reward wording (a reward drawn only as a picture has no text to read),
//! and `inconclusive` when no prompt appeared.

use super::consent_flow::prompt_kind;
use super::evidence::{is_permission_prompt, quote};
use super::{Highlight, Outcome, Rule, Section, Status};
use crate::trace::{ActionKind, Frame, Trace};

/// The registry entry.
pub(super) const RULE: Rule = Rule {
    id: "no-inducement",
    clause: "7.3(d)",
    default_on: false,
    fails_when:
        "a reward is offered next to an authorization prompt (manual: the frames are gathered)",
    by_a_person: true,
    section: Section::Seven,
    level2: false,
    check: Some(check),
};

/// Words that offer a reward, in Chinese apps' and English wording.
const REWARDS: &[&str] = &[
    "红包",
    "积分",
    "优惠券",
    "优惠",
    "代金券",
    "抵用券",
    "奖励",
    "领取",
    "返现",
    "立减",
    "现金",
    "奖金",
    "福利",
    "礼包",
    "礼品",
    "抽奖",
    "金币",
    "体验金",
    "加息券",
    "满减",
    "免单",
    "赠送",
    "免费领",
    "bonus",
    "reward",
    "cashback",
    "cash back",
    "coupon",
    "voucher",
    "points",
    "gift",
    "prize",
];

/// Whether a frame shows an authorization prompt.
fn is_prompt(f: &Frame, trace: &Trace) -> bool {
    is_permission_prompt(f, trace) || prompt_kind(f, trace).is_some()
}

/// The reward texts of a frame: (text item index, the word).
fn rewards(f: &Frame) -> Vec<(usize, &'static str)> {
    f.texts
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let l = t.text.to_lowercase();
            REWARDS.iter().find(|w| l.contains(*w)).map(|w| (i, *w))
        })
        .collect()
}

fn check(trace: &Trace) -> Outcome {
    let frames = &trace.frames;
    // The first frame of each prompt shown.
    let prompts: Vec<usize> = (0..frames.len())
        .filter(|&i| is_prompt(&frames[i], trace))
        .filter(|&i| {
            i == 0
                || !is_prompt(&frames[i - 1], trace)
                || !matches!(frames[i].action, ActionKind::Look | ActionKind::Swipe)
        })
        .collect();
    if prompts.is_empty() {
        return Outcome::plain(
            Status::Inconclusive,
            Vec::new(),
            crate::said!("no-inducement-no-prompt"),
        );
    }
    let mut evidence = Vec::new();
    let mut highlights = Vec::new();
    let mut quotes: Vec<crate::i18n::Said> = Vec::new();
    let mut with_reward = 0;
    for &p in &prompts {
        // The prompt itself (its texts include the page it dims) and, unless
        // it came with a launch, the screen right before it.
        let before = (p > 0 && frames[p].action != ActionKind::Launch).then(|| p - 1);
        let mut found = false;
        for k in before.into_iter().chain(std::iter::once(p)) {
            let f = &frames[k];
            for (i, word) in rewards(f) {
                let t = &f.texts[i];
                found = true;
                highlights.push(Highlight {
                    frame: f.index,
                    bounds: t.bounds,
                    label: "reward".into(),
                });
                // Each reward text once, at the first frame showing it.
                let q = quote(&t.text, 20);
                if !quotes.iter().any(|x| x.text.contains(&q)) && quotes.len() < 4 {
                    quotes.push(crate::said!(
                        "no-inducement-quote",
                        frame = f.index,
                        quote = q.as_str(),
                        word = word
                    ));
                }
                if !evidence.contains(&f.index) {
                    evidence.push(f.index);
                }
            }
        }
        if found {
            with_reward += 1;
            if !evidence.contains(&frames[p].index) {
                evidence.push(frames[p].index);
            }
        }
    }
    evidence.sort_unstable();
    if with_reward == 0 {
        return Outcome::plain(
            Status::Manual,
            prompts.iter().map(|&p| frames[p].index).collect(),
            crate::said!("no-inducement-none", n = prompts.len()),
        );
    }
    Outcome::new(
        Status::Manual,
        evidence,
        highlights,
        crate::said!(
            "no-inducement-manual",
            with_reward = with_reward,
            n = prompts.len(),
            quotes = crate::i18n::Listed::join(quotes.iter(), &crate::t!("evidence-list-sep"))
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::evidence::testing::*;
    use super::super::no_upfront_permission::tests::dialog;
    use super::*;
    use crate::perception::Role;

    #[test]
    fn rewards_next_to_a_prompt_are_quoted_for_a_person() {
        let banner = tapped(
            frame(
                ActionKind::Tap,
                3000,
                &[
                    ("开启定位，领取10元红包", Role::Other),
                    ("理财", Role::Other),
                ],
            ),
            "同意",
            Role::Agree,
        );
        let d = tapped(
            dialog(4000, "要允许“银行”获取此设备的位置信息吗？"),
            "开启定位，领取10元红包",
            Role::Other,
        );
        let o = check(&trace(vec![prompt(1000), banner, d]));
        assert_eq!(o.status, Status::Manual, "{}", o.message);
        assert!(
            o.message
                .starts_with("1 of 2 authorization prompt(s) shown next to reward wording: frame 1 「开启定位，领取10元红包」 (红包)"),
            "{}",
            o.message
        );
        assert_eq!(o.evidence, [1, 2]);
        assert_eq!(o.highlights.len(), 1);
    }

    #[test]
    fn prompts_without_rewards_are_counted_and_none_is_inconclusive() {
        let o = check(&trace(vec![prompt(1000)]));
        assert_eq!(o.status, Status::Manual, "{}", o.message);
        assert!(o
            .message
            .starts_with("1 authorization prompt(s) checked: no reward wording"));
        let home = frame(ActionKind::Look, 1000, &[("首页", Role::Other)]);
        assert_eq!(check(&trace(vec![home])).status, Status::Inconclusive);
    }
}
