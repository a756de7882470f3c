//! Bank card numbers, mainland mobile numbers and resident ID numbers in
//! one line of screen text (read by OCR or from the view hierarchy), for
//! clause 6.6.7(d) of T/NIFA 33-2025: a screen must show them masked
//! (`6222 **** **** 1234`, `138****5678`, `110101********1234`).
//! [`unmasked`] finds the ones shown in full (a violation), [`masked`] the
//! ones shown masked (evidence that the screen masks them).
//!
//! A financial app's screen is full of numbers that are no identifier:
//! amounts, dates, order and serial numbers, timestamps, hotlines,
//! verification codes, versions. Calling one of those a card or phone
//! number is the worst mistake this module can make, so [`unmasked`] is
//! strict:
//!
//! * a candidate is a maximal run of ASCII (or full-width) digits grouped
//!   by single spaces or hyphens, and it must not touch another digit, a
//!   Latin letter, `_`, a mask character, a decimal point or colon that
//!   leads on to more digits (decimals, versions, IP addresses, times),
//!   `%`, `@` (an e-mail address), a currency sign before it or a unit
//!   (元, 万, 笔, 次 …) after it; nor lie inside a URL;
//! * it must have the exact shape of one kind, tried in this order: a
//!   resident ID (18 characters, real region, real birth date, right
//!   checksum; reported once, as an ID, even if it also passes Luhn), a
//!   bank card (13–19 digits, first digits 4, 5, 6, 3 but not 31–33, or
//!   2221–2720; Luhn; no grouping, groups of four, 6 + rest, 4-6-5 or
//!   other groups of 3–6 digits but 3-4-4) or a mobile number (11 digits,
//!   a real mainland prefix, grouped 3-4-4 or not at all, optionally
//!   after `+86` (joined or not), `86` or `0086`);
//! * an 18-digit number with an ID's region and birth date but a wrong
//!   check digit is a mistyped or made-up ID, and not taken for a card
//!   even when it passes Luhn;
//! * the nearest label in the same clause, within 12 characters before
//!   it, must not name it as something else (订单号, 流水号, 验证码,
//!   金额, 客服电话, 会员卡号, `Order No.`, `Ref` …). Labels that name the
//!   kind (卡号, 手机, 电话, 身份证 …) win over farther ones; 电话 rules
//!   out a card, never a phone.
//!
//! Landlines (`010-12345678`), 400/800 numbers and short service numbers
//! (95588) have none of these shapes and are never reported: the clause
//! asks only for the user's own identifiers to be masked. Numbers in URLs
//! and e-mail addresses are not reported either.
//!
//! When a whole run has no identifier's shape but is made of several
//! space-separated pieces (`13812345678 2024-12-05`), each piece is tried
//! on its own; pieces are never joined or cut in any other way, so a long
//! number is never read as a shorter identifier hidden inside it, and a
//! spaced card (`6222 0212 3456 7890 123`) counts only as a whole run.
//!
//! [`masked`] reads runs of digits and mask chars (`*`, `•` and their
//! look-alikes; `x`/`X` only two or more together, or an ID's final X):
//! some digits, one block of masks, some digits. It is less strict, since
//! a masked number on screen is what the clause asks for.
//!
//! Offsets ([`Found::start`], [`Found::end`]) count chars (not bytes) of
//! the line as given. A caller that has a box only for the whole OCR line
//! can place an identifier inside it proportionally by char count
//! (`x0 + width * start / chars`); weighting CJK and other full-width
//! chars 2 and the rest 1 comes closer on mixed lines, where digits are
//! half as wide as Chinese characters.
//!
//! Both scans are linear in the length of the line.

use std::fmt;

/// Which kind of identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdKind {
    /// A bank card number: 13–19 digits, Luhn-valid.
    BankCard,
    /// A mainland mobile phone number: 11 digits starting 1[3-9].
    Mobile,
    /// A resident ID number: 17 digits and a check digit or X.
    ResidentId,
}

impl IdKind {
    /// `bank card number`, `mobile number`, `resident ID number`.
    pub fn describe(self) -> &'static str {
        match self {
            IdKind::BankCard => "bank card number",
            IdKind::Mobile => "mobile number",
            IdKind::ResidentId => "resident ID number",
        }
    }

    /// Chinese: 银行卡号, 手机号, 身份证号.
    pub fn describe_zh(self) -> &'static str {
        match self {
            IdKind::BankCard => "银行卡号",
            IdKind::Mobile => "手机号",
            IdKind::ResidentId => "身份证号",
        }
    }

    /// This kind's bit in a label's mask of kinds it rules out.
    fn bit(self) -> u8 {
        match self {
            IdKind::BankCard => CARD,
            IdKind::Mobile => MOBILE,
            IdKind::ResidentId => ID,
        }
    }
}

impl fmt::Display for IdKind {
    /// The English description, as [`IdKind::describe`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// One identifier found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Which kind of identifier.
    pub kind: IdKind,
    /// Char (not byte) offset of the identifier's first char in the line.
    /// Covers a `+86` prefix when there is one.
    pub start: usize,
    /// Char offset just past the identifier's last char (exclusive); the
    /// span covers its separators.
    pub end: usize,
    /// Its digits (and final X for an ID), separators and any country
    /// code removed. For a [`masked`] identifier: only the visible digits.
    pub digits: String,
}

impl Found {
    /// The identifier masked as a reviewer may read it: a card keeps its
    /// first 4 and last 4 digits (`6222***********0123`), a mobile its
    /// first 3 and last 4 (`138****5678`), an ID its first 6 and last 4
    /// (`110101********123X`). The middle digits never appear. For an
    /// identifier from [`masked`], whose middle is unknown, the usual
    /// length is filled with `*`; when fewer digits are known than a mask
    /// would keep, only the last of them are shown.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.digits.chars().collect();
        // Digits kept at the head and the tail, the shortest full number,
        // and the length shown for a number known only in part.
        let (head, tail, shortest, nominal) = match self.kind {
            IdKind::BankCard => (4, 4, 13, 16),
            IdKind::Mobile => (3, 4, 11, 11),
            IdKind::ResidentId => (6, 4, 18, 18),
        };
        let n = chars.len();
        let mut out = String::with_capacity(nominal.max(n) + 4);
        if n >= head + tail {
            let stars = if n >= shortest {
                n - head - tail
            } else {
                nominal - head - tail
            };
            out.extend(chars.iter().take(head));
            out.extend(std::iter::repeat_n('*', stars));
            out.extend(chars.iter().skip(n - tail));
        } else {
            let keep = n.min(tail);
            out.extend(std::iter::repeat_n('*', nominal - keep));
            out.extend(chars.iter().skip(n - keep));
        }
        out
    }
}

/// Identifiers shown in full in a line of screen text, in order of
/// position. See the module documentation for what is and is not taken
/// for one.
pub fn unmasked(text: &str) -> Vec<Found> {
    let line = Line::new(text);
    let mut out = Vec::new();
    for_each_run(
        &line,
        |c| c.is_ascii_digit(),
        |run| {
            let all = run.groups.len();
            if let Some(found) = candidate(&line, run, 0, all) {
                out.push(found);
                return;
            }
            for (a, b) in space_segments(&run.seps, all) {
                if (a, b) == (0, all) {
                    continue;
                }
                if let Some(found) = candidate(&line, run, a, b) {
                    out.push(found);
                }
            }
        },
    );
    out.retain(|f| !is_placeholder(f));
    out
}

/// Whether a number is a placeholder an app shows in place of a person's
/// (18888888888, 13800000000, 6222 0000 0000 0000 …): the part that
/// tells people apart (a mobile's last eight digits, a card's account
/// digits between its six-digit issuer prefix and its check digit) uses
/// at most two different digits. Resident ID numbers are left alone:
/// their date and checksum already make them specific.
fn is_placeholder(f: &Found) -> bool {
    let d = f.digits.as_bytes();
    let part: &[u8] = match f.kind {
        IdKind::Mobile if d.len() >= 8 => &d[d.len() - 8..],
        IdKind::BankCard if d.len() > 7 => &d[6..d.len() - 1],
        _ => return false,
    };
    let mut seen = [false; 10];
    for b in part {
        if b.is_ascii_digit() {
            seen[(b - b'0') as usize] = true;
        }
    }
    seen.iter().filter(|s| **s).count() <= 2
}

/// Identifiers shown masked in a line, in order of position:
/// `6222 **** **** 1234`, `6222********1234`, `622202******1234`,
/// `**** 1234`, `138****5678`, `+86 138 **** 5678`, `110101********1234`,
/// `1****************4`, masks written with `*`, `•`, `●`, `·`, `x`/`X`
/// (two or more), full-width `＊`; `尾号1234` / `末四位1234` /
/// `ending in 1234` next to a card, phone or ID word, and `(1234)` right
/// after a card or bank name (`招商银行储蓄卡(1234)`).
///
/// The kind is guessed from the shape (11 chars → mobile, 18 → ID, 13–19
/// → card, masks then 4 digits → card) and from the nearest card, phone
/// or ID word before (or else after) it. `start`/`end` cover the masked
/// form (for `尾号1234` and `(1234)` only the digits); `digits` are the
/// visible digits.
pub fn masked(text: &str) -> Vec<Found> {
    let line = Line::new(text);
    let mut out = Vec::new();
    for_each_run(&line, is_mtok, |run| masked_run(&line, run, &mut out));
    tail_forms(&line, &mut out);
    out.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut kept: Vec<Found> = Vec::with_capacity(out.len());
    for found in out {
        if kept.last().is_none_or(|last| found.start >= last.end) {
            kept.push(found);
        }
    }
    kept
}

/// Luhn check over ASCII digits. False for an empty string or one with
/// anything but ASCII digits.
pub fn luhn(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum = bytes.iter().rev().enumerate().fold(0u32, |acc, (i, &d)| {
        let v = u32::from(d - b'0');
        let v = if i % 2 == 1 {
            if v * 2 > 9 {
                v * 2 - 9
            } else {
                v * 2
            }
        } else {
            v
        };
        (acc + v) % 10
    });
    sum == 0
}

/// Whether an 18-character string is a valid resident ID number: 17
/// digits and a digit or X/x, a real province code (11–15, 21–23, 31–37,
/// 41–46, 50–54, 61–65, 71, 81–83, 91), a real birth date (chars 7–14)
/// between 1900-01-01 and 2099-12-31, and the right ISO 7064 MOD 11-2
/// check character.
pub fn resident_id_valid(s: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = s.as_bytes();
    if b.len() != 18 || !b.iter().take(17).all(u8::is_ascii_digit) {
        return false;
    }
    let check = b[17].to_ascii_uppercase();
    if !(check.is_ascii_digit() || check == b'X') || !id_shaped(b) {
        return false;
    }
    let sum: u32 = b
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK.get((sum % 11) as usize) == Some(&check)
}

// ---------------------------------------------------------------------------
// The line

/// A line with each char normalised (full-width forms, spaces, hyphens and
/// mask glyphs folded to one form each), one normalised char per original
/// char so offsets carry over, and which chars lie inside a URL.
struct Line {
    c: Vec<char>,
    url: Vec<bool>,
}

impl Line {
    fn new(text: &str) -> Self {
        let c: Vec<char> = text.chars().map(normalize).collect();
        let url = url_chars(&c);
        Line { c, url }
    }

    /// The char at `i`, or NUL past the end.
    fn at(&self, i: usize) -> char {
        self.c.get(i).copied().unwrap_or('\0')
    }

    /// The char `k` places before `i`, or NUL before the start.
    fn before(&self, i: usize, k: usize) -> char {
        i.checked_sub(k).map_or('\0', |j| self.at(j))
    }

    /// Whether any char in `start..end` is part of a URL.
    fn in_url(&self, start: usize, end: usize) -> bool {
        self.url
            .get(start..end)
            .is_some_and(|s| s.iter().any(|&u| u))
    }
}

/// Folds full-width ASCII (０-９, Ｘ, ：, ＊ …) to ASCII, other spaces to
/// ' ', hyphen look-alikes to '-', star look-alikes to '*' and bullet
/// look-alikes to '•'.
fn normalize(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\t' => ' ',
        '\u{2010}' | '\u{2011}' | '\u{2212}' | '\u{FE63}' => '-',
        '\u{2217}' | '\u{204E}' | '\u{2731}' | '\u{2732}' | '\u{FE61}' | '\u{066D}' => '*',
        '\u{2022}' | '\u{25CF}' | '\u{00B7}' | '\u{30FB}' | '\u{FF65}' | '\u{2219}'
        | '\u{2027}' | '\u{22C5}' | '\u{25E6}' | '\u{26AB}' | '\u{2981}' | '\u{2E31}' => '•',
        _ => c,
    }
}

/// Marks the chars of URL-like tokens: maximal runs of printable ASCII
/// that hold `://`, start with `www.`, or hold a `/` and a dot followed by
/// a letter (`x.com/u/13812345678`).
fn url_chars(c: &[char]) -> Vec<bool> {
    let mut url = vec![false; c.len()];
    let mut i = 0;
    while i < c.len() {
        if !c[i].is_ascii_graphic() {
            i += 1;
            continue;
        }
        let s = i;
        while i < c.len() && c[i].is_ascii_graphic() {
            i += 1;
        }
        let tok = &c[s..i];
        let scheme = tok.windows(3).any(|w| w == [':', '/', '/']);
        let www = tok.len() > 4
            && tok
                .iter()
                .take(4)
                .map(char::to_ascii_lowercase)
                .eq("www.".chars());
        let domain_path = tok.contains(&'/')
            && tok
                .windows(2)
                .any(|w| w[0] == '.' && w[1].is_ascii_alphabetic());
        if scheme || www || domain_path {
            url[s..i].fill(true);
        }
    }
    url
}

/// A mask char: `*` or `•` after [`normalize`].
fn is_mask(c: char) -> bool {
    c == '*' || c == '•'
}

/// A mask char or an x/X that may stand for a masked digit.
fn is_maskish(c: char) -> bool {
    is_mask(c) || c == 'x' || c == 'X'
}

/// A char of a masked form: digit, mask char or x/X.
fn is_mtok(c: char) -> bool {
    c.is_ascii_digit() || is_maskish(c)
}

/// A char that makes a number part of a word: a Latin (Greek, Cyrillic …)
/// letter, another script's digit, `_`. CJK and other chars from U+2E80 on
/// are not: Chinese text runs right up to numbers without spaces.
fn is_wordish(c: char) -> bool {
    c == '_' || (c.is_alphanumeric() && !c.is_ascii_digit() && (c as u32) < 0x2E80)
}

/// A char that ends a clause: labels and hint words are not looked for
/// across it.
fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | '!' | '?' | '|' | '\n' | '\r' | '。' | '、' | '；' | '，'
    )
}

// ---------------------------------------------------------------------------
// Runs of digits (or of digits and masks)

/// A maximal run of token chars grouped by single spaces or hyphens.
struct Run {
    /// Each group's char range.
    groups: Vec<(usize, usize)>,
    /// The separator between group `i` and `i + 1`.
    seps: Vec<char>,
    /// An X or x right after the last group (an ID's check char, or a
    /// letter the run touches).
    x_after: bool,
}

/// Calls `f` on every maximal run of chars for which `tok` holds, joined by
/// single spaces or hyphens.
fn for_each_run(line: &Line, tok: impl Fn(char) -> bool, mut f: impl FnMut(&Run)) {
    let c = &line.c;
    let n = c.len();
    let mut i = 0;
    while i < n {
        if !tok(c[i]) {
            i += 1;
            continue;
        }
        let mut groups = Vec::new();
        let mut seps = Vec::new();
        let mut j = i;
        loop {
            let s = j;
            while j < n && tok(c[j]) {
                j += 1;
            }
            groups.push((s, j));
            if j + 1 < n && matches!(c[j], ' ' | '-') && tok(c[j + 1]) {
                seps.push(c[j]);
                j += 1;
            } else {
                break;
            }
        }
        let x_after = matches!(line.at(j), 'x' | 'X');
        f(&Run {
            groups,
            seps,
            x_after,
        });
        i = j.max(i + 1);
    }
}

/// The group ranges `a..b` of the pieces of a run between spaces.
fn space_segments(seps: &[char], groups: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut a = 0;
    for k in 0..groups {
        if k + 1 == groups || seps.get(k) == Some(&' ') {
            out.push((a, k + 1));
            a = k + 1;
        }
    }
    out
}

/// Lengths of a slice of groups.
fn group_lens(groups: &[(usize, usize)]) -> Vec<usize> {
    groups.iter().map(|&(s, e)| e - s).collect()
}

/// The chars of a slice of groups, separators left out.
fn group_chars(line: &Line, groups: &[(usize, usize)]) -> Vec<char> {
    groups
        .iter()
        .flat_map(|&(s, e)| line.c.get(s..e).unwrap_or(&[]).iter().copied())
        .collect()
}

// ---------------------------------------------------------------------------
// Unmasked identifiers

/// The identifier made of groups `g0..g1` of a digit run, if they are one.
fn candidate(line: &Line, run: &Run, g0: usize, g1: usize) -> Option<Found> {
    let groups = run.groups.get(g0..g1)?;
    let seps = run.seps.get(g0..g1.checked_sub(1)?)?;
    let start = groups.first()?.0;
    let end = groups.last()?.1;
    let lens = group_lens(groups);
    let total: usize = lens.iter().sum();
    if !(11..=23).contains(&total) {
        return None;
    }
    let digits: String = group_chars(line, groups).into_iter().collect();
    let one_sep = seps.windows(2).all(|w| w[0] == w[1]);

    if g1 == run.groups.len() && run.x_after {
        // Only an ID ends in X; anything else touches a letter.
        let mut id = digits;
        id.push('X');
        let mut lens = lens;
        if let Some(last) = lens.last_mut() {
            *last += 1;
        }
        let ok = total == 17
            && one_sep
            && id_grouping_ok(&lens)
            && resident_id_valid(&id)
            && context_ok(line, start, end + 1, IdKind::ResidentId);
        return ok.then_some(Found {
            kind: IdKind::ResidentId,
            start,
            end: end + 1,
            digits: id,
        });
    }

    if total == 18 && one_sep && id_grouping_ok(&lens) && resident_id_valid(&digits) {
        // A valid ID under another label is no card either.
        return context_ok(line, start, end, IdKind::ResidentId).then_some(Found {
            kind: IdKind::ResidentId,
            start,
            end,
            digits,
        });
    }

    if (13..=19).contains(&total)
        && one_sep
        && card_grouping_ok(&lens)
        && card_prefix_ok(&digits)
        && luhn(&digits)
        // An 18-digit number with an ID's region and birth date is a
        // mistyped or made-up ID, not a card.
        && !(total == 18 && id_shaped(digits.as_bytes()))
        && context_ok(line, start, end, IdKind::BankCard)
    {
        return Some(Found {
            kind: IdKind::BankCard,
            start,
            end,
            digits,
        });
    }

    mobile_candidate(line, start, end, &lens, seps, &digits)
}

/// A mobile number, bare, grouped 3-4-4, or after `86`/`0086` (separated)
/// or `+86` (separated or not).
fn mobile_candidate(
    line: &Line,
    start: usize,
    end: usize,
    lens: &[usize],
    seps: &[char],
    digits: &str,
) -> Option<Found> {
    const BARE: &[usize] = &[11];
    let plus = line.before(start, 1) == '+';
    let first = *lens.first()?;
    let (skip, body_lens, body_seps): (usize, &[usize], &[char]) = if lens.len() > 1
        && ((first == 2 && digits.starts_with("86")) || (first == 4 && digits.starts_with("0086")))
    {
        (first, lens.get(1..)?, seps.get(1..)?)
    } else if lens == [13] && plus && digits.starts_with("86") {
        (2, BARE, &[])
    } else if lens == [15] && digits.starts_with("0086") {
        (4, BARE, &[])
    } else {
        (0, lens, seps)
    };
    let body = digits.get(skip..)?;
    let shaped = body.len() == 11
        && matches!(body_lens, [11] | [3, 4, 4])
        && body_seps.windows(2).all(|w| w[0] == w[1])
        && mobile_prefix_ok(body);
    if !shaped {
        return None;
    }
    let start = if skip > 0 && plus {
        start.saturating_sub(1)
    } else {
        start
    };
    context_ok(line, start, end, IdKind::Mobile).then(|| Found {
        kind: IdKind::Mobile,
        start,
        end,
        digits: body.to_string(),
    })
}

/// How an ID may be grouped: not at all, 6-8-4 or 6-4-4-4 (the check char
/// counted in the last group).
fn id_grouping_ok(lens: &[usize]) -> bool {
    matches!(lens, [18] | [6, 8, 4] | [6, 4, 4, 4])
}

/// How a card may be grouped: not at all, in fours (last group 1–4), 6 and
/// the rest, 4-6-5 / 4-6-4, or any groups of 3–6 digits but the
/// phone-like 3-4-4.
fn card_grouping_ok(lens: &[usize]) -> bool {
    let Some((&last, init)) = lens.split_last() else {
        return false;
    };
    if init.is_empty() {
        return true;
    }
    let fours = init.iter().all(|&g| g == 4) && (1..=4).contains(&last);
    let six = init == [6];
    let amex = lens == [4, 6, 5] || lens == [4, 6, 4];
    let loose = lens.iter().all(|g| (3..=6).contains(g)) && lens != [3, 4, 4];
    fours || six || amex || loose
}

/// A card network's first digits: 4, 5, 6, 3 (not 31–33, which no network
/// issues), or the 2-series Mastercard range 2221–2720.
fn card_prefix_ok(d: &str) -> bool {
    let b = d.as_bytes();
    match (b.first(), b.get(1)) {
        (Some(b'4' | b'5' | b'6'), _) => true,
        (Some(b'3'), Some(c)) => c.is_ascii_digit() && !matches!(c, b'1'..=b'3'),
        (Some(b'2'), _) => d
            .get(..4)
            .and_then(|p| p.parse::<u32>().ok())
            .is_some_and(|p| (2221..=2720).contains(&p)),
        _ => false,
    }
}

/// A real mainland mobile prefix: 13x, 14[5-9], 15[0-35-9], 16[2567],
/// 17[0-8], 18x, 19[0-35-9].
fn mobile_prefix_ok(d: &str) -> bool {
    let b = d.as_bytes();
    let (Some(&b'1'), Some(&second), Some(&third)) = (b.first(), b.get(1), b.get(2)) else {
        return false;
    };
    if !third.is_ascii_digit() {
        return false;
    }
    match second {
        b'3' | b'8' => true,
        b'4' => (b'5'..=b'9').contains(&third),
        b'5' | b'9' => third != b'4',
        b'6' => matches!(third, b'2' | b'5' | b'6' | b'7'),
        b'7' => (b'0'..=b'8').contains(&third),
        _ => false,
    }
}

/// Region code and birth date (chars 7–14) of an ID-like digit string are
/// real.
fn id_shaped(b: &[u8]) -> bool {
    let Some(head) = b.get(..14) else {
        return false;
    };
    if !head.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        head.get(r)
            .unwrap_or(&[])
            .iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
    };
    province_ok(num(0..2)) && date_ok(num(6..10), num(10..12), num(12..14))
}

/// A real province-level code (first two digits of an ID).
fn province_ok(p: u32) -> bool {
    matches!(
        p,
        11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81..=83 | 91
    )
}

/// A real calendar date from 1900-01-01 to 2099-12-31.
fn date_ok(y: u32, m: u32, d: u32) -> bool {
    if !(1900..=2099).contains(&y) || !(1..=12).contains(&m) {
        return false;
    }
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&d)
}

/// Whether the surroundings of `start..end` let it be an identifier of
/// `kind`: what it touches, currency and units, URLs and labels.
fn context_ok(line: &Line, start: usize, end: usize, kind: IdKind) -> bool {
    if line.in_url(start, end) {
        return false;
    }
    let l = line.before(start, 1);
    let l2 = line.before(start, 2);
    if l.is_ascii_digit() || is_wordish(l) || is_mask(l) || matches!(l, '+' | '@' | '%') {
        return false;
    }
    // 0.13812345678, 13.8.12345678901, 10:13812345678
    if matches!(l, '.' | ':') && l2.is_ascii_digit() {
        return false;
    }
    // A sign: -6222…
    if l == '-' && matches!(l2, '\0' | ' ' | '(' | '[' | '=' | ':') {
        return false;
    }
    // Part of a masked form: **** 1234…
    if matches!(l, ' ' | '-') && is_mask(l2) && is_mask(line.before(start, 3)) {
        return false;
    }
    let r = line.at(end);
    let r2 = line.at(end + 1);
    if r.is_ascii_digit() || is_wordish(r) || is_mask(r) || matches!(r, '%' | '‰' | '@') {
        return false;
    }
    if matches!(r, '.' | ':') && r2.is_ascii_digit() {
        return false;
    }
    if matches!(r, ' ' | '-') && is_mask(r2) && is_mask(line.at(end + 2)) {
        return false;
    }
    if currency_before(line, start) || unit_after(line, end) {
        return false;
    }
    let window = window_before(line, start, LABEL_WINDOW);
    nearest(&window, LABELS, true).is_none_or(|ruled_out| ruled_out & kind.bit() == 0)
}

/// A currency sign right before `start` (a space between allowed).
fn currency_before(line: &Line, start: usize) -> bool {
    let k = if line.before(start, 1) == ' ' {
        start - 1
    } else {
        start
    };
    matches!(
        line.before(k, 1),
        '¥' | '￥' | '$' | '€' | '£' | '₩' | '₹' | '₽'
    )
}

/// Units that make the number before them a quantity, not an identifier.
const UNIT_CHARS: &[char] = &[
    '元', '块', '角', '分', '万', '亿', '千', '百', '笔', '次', '天', '个', '人', '份', '张', '件',
    '位', '名', '户', '股', '倍', '秒', '岁', '克', '斤', '毫', '期', '%', '‰', '℃',
];

/// Currency and unit words after a number (and a space).
const UNIT_WORDS: &[&str] = &[
    "rmb", "cny", "usd", "hkd", "eur", "jpy", "gbp", "yuan", "ms", "kb", "mb", "gb", "km", "pcs",
    "pts",
];

/// A unit char right after `end` (a space between allowed), or a unit or
/// currency word after a space.
fn unit_after(line: &Line, end: usize) -> bool {
    let k = if line.at(end) == ' ' { end + 1 } else { end };
    let q = line.at(k);
    if UNIT_CHARS.contains(&q) {
        return true;
    }
    if k > end && q.is_ascii_alphabetic() {
        let word: String = line
            .c
            .get(k..)
            .unwrap_or(&[])
            .iter()
            .take(6)
            .take_while(|c| c.is_ascii_alphabetic())
            .map(char::to_ascii_lowercase)
            .collect();
        return UNIT_WORDS.contains(&word.as_str());
    }
    false
}

// ---------------------------------------------------------------------------
// Labels and hint words

/// How far back (in chars) a label is looked for.
const LABEL_WINDOW: usize = 12;
/// How far back a hint word for a masked identifier is looked for.
const HINT_BEFORE: usize = 12;
/// How far after a masked identifier a hint word is looked for, when none
/// is before it.
const HINT_AFTER: usize = 10;

/// A label's bit for "not a bank card".
const CARD: u8 = 1;
/// A label's bit for "not a mobile number".
const MOBILE: u8 = 2;
/// A label's bit for "not a resident ID".
const ID: u8 = 4;
/// A label that rules out every kind (订单号, 金额 …).
const ANY: u8 = CARD | MOBILE | ID;

/// Labels (lower case) and the kinds a number right after them cannot be.
/// The nearest label decides (the longest one when several end at the
/// same place), so 卡号, 手机, 身份证 … shield a number from a farther
/// 订单 and `card no` wins over `no`.
const LABELS: &[(&str, u8)] = &[
    // Name the card (and so rule out the others).
    ("卡号", MOBILE | ID),
    ("银行卡", MOBILE | ID),
    ("储蓄卡", MOBILE | ID),
    ("信用卡", MOBILE | ID),
    ("借记卡", MOBILE | ID),
    ("银联卡", MOBILE | ID),
    ("card", MOBILE | ID),
    ("card no", MOBILE | ID),
    ("card number", MOBILE | ID),
    ("账号", ID),
    ("帐号", ID),
    ("账户", ID),
    ("帐户", ID),
    ("account", ID),
    ("account no", ID),
    ("account number", ID),
    ("acct", ID),
    // Name a phone.
    ("手机", CARD | ID),
    ("电话", CARD | ID),
    ("联系", CARD | ID),
    ("致电", CARD | ID),
    ("拨打", CARD | ID),
    ("phone", CARD | ID),
    ("phone no", CARD | ID),
    ("phone number", CARD | ID),
    ("mobile", CARD | ID),
    ("mobile no", CARD | ID),
    ("mobile number", CARD | ID),
    ("tel", CARD | ID),
    ("cell", CARD | ID),
    // Name an ID.
    ("身份证", CARD | MOBILE),
    ("证件", CARD | MOBILE),
    ("身份号码", CARD | MOBILE),
    ("id", CARD | MOBILE),
    ("id no", CARD | MOBILE),
    ("id number", CARD | MOBILE),
    ("id card", CARD | MOBILE),
    ("identity", CARD | MOBILE),
    // Service lines: not the user's own number.
    ("客服", ANY),
    ("热线", ANY),
    ("客服电话", ANY),
    ("服务电话", ANY),
    ("热线电话", ANY),
    ("咨询电话", ANY),
    ("投诉电话", ANY),
    ("官方电话", ANY),
    ("座机", ANY),
    ("固话", ANY),
    ("传真", ANY),
    ("hotline", ANY),
    ("service", ANY),
    ("support", ANY),
    ("fax", ANY),
    // Orders, transactions, vouchers.
    ("订单", ANY),
    ("订单号", ANY),
    ("订单编号", ANY),
    ("流水", ANY),
    ("流水号", ANY),
    ("交易", ANY),
    ("交易号", ANY),
    ("交易单号", ANY),
    ("交易编号", ANY),
    ("单号", ANY),
    ("编号", ANY),
    ("批次", ANY),
    ("凭证", ANY),
    ("商户", ANY),
    ("终端", ANY),
    ("参考号", ANY),
    ("检索", ANY),
    ("授权", ANY),
    ("账单", ANY),
    ("保单", ANY),
    ("合同", ANY),
    ("发票", ANY),
    ("票据", ANY),
    ("申请", ANY),
    ("受理", ANY),
    ("业务", ANY),
    ("工单", ANY),
    ("运单", ANY),
    ("快递", ANY),
    ("追踪", ANY),
    ("跟踪", ANY),
    ("记录", ANY),
    ("序号", ANY),
    ("序列号", ANY),
    ("税号", ANY),
    ("识别号", ANY),
    ("车架号", ANY),
    ("工号", ANY),
    ("学号", ANY),
    ("客户号", ANY),
    ("客户编号", ANY),
    ("用户号", ANY),
    ("会员", ANY),
    ("会员号", ANY),
    ("会员卡", ANY),
    ("会员卡号", ANY),
    ("积分卡", ANY),
    ("礼品卡", ANY),
    ("购物卡", ANY),
    ("加油卡", ANY),
    ("储值卡", ANY),
    ("公交卡", ANY),
    ("交通卡", ANY),
    ("微信号", ANY),
    ("qq", ANY),
    ("order", ANY),
    ("no", ANY),
    ("number", ANY),
    ("ref", ANY),
    ("reference", ANY),
    ("serial", ANY),
    ("sn", ANY),
    ("transaction", ANY),
    ("txn", ANY),
    ("trade", ANY),
    ("invoice", ANY),
    ("batch", ANY),
    ("voucher", ANY),
    ("merchant", ANY),
    ("mid", ANY),
    ("tid", ANY),
    ("terminal", ANY),
    ("tracking", ANY),
    ("ticket", ANY),
    ("uid", ANY),
    ("uuid", ANY),
    ("user id", ANY),
    ("用户id", ANY),
    // Codes.
    ("验证码", ANY),
    ("校验码", ANY),
    ("动态码", ANY),
    ("授权码", ANY),
    ("条码", ANY),
    ("二维码", ANY),
    ("券码", ANY),
    ("兑换码", ANY),
    ("邀请码", ANY),
    ("推荐码", ANY),
    ("激活码", ANY),
    ("识别码", ANY),
    ("代码", ANY),
    ("密码", ANY),
    ("口令", ANY),
    ("code", ANY),
    ("otp", ANY),
    ("pin", ANY),
    ("auth", ANY),
    // Money.
    ("金额", ANY),
    ("余额", ANY),
    ("总额", ANY),
    ("合计", ANY),
    ("总计", ANY),
    ("应付", ANY),
    ("实付", ANY),
    ("价格", ANY),
    ("单价", ANY),
    ("费用", ANY),
    ("手续费", ANY),
    ("利息", ANY),
    ("收益", ANY),
    ("本金", ANY),
    ("额度", ANY),
    ("限额", ANY),
    ("积分", ANY),
    ("amount", ANY),
    ("amt", ANY),
    ("balance", ANY),
    ("total", ANY),
    ("price", ANY),
    ("rmb", ANY),
    ("cny", ANY),
    ("usd", ANY),
    ("hkd", ANY),
    // Devices, software, time.
    ("设备", ANY),
    ("版本", ANY),
    ("时间", ANY),
    ("日期", ANY),
    ("邮编", ANY),
    ("邮政编码", ANY),
    ("version", ANY),
    ("ver", ANY),
    ("build", ANY),
    ("imei", ANY),
    ("meid", ANY),
    ("imsi", ANY),
    ("iccid", ANY),
    ("ip", ANY),
    ("port", ANY),
    ("time", ANY),
    ("date", ANY),
];

/// Words that tell which kind a masked identifier is.
const HINTS: &[(&str, IdKind)] = &[
    ("银行卡", IdKind::BankCard),
    ("卡号", IdKind::BankCard),
    ("储蓄卡", IdKind::BankCard),
    ("信用卡", IdKind::BankCard),
    ("借记卡", IdKind::BankCard),
    ("银行", IdKind::BankCard),
    ("银联", IdKind::BankCard),
    ("卡", IdKind::BankCard),
    ("账号", IdKind::BankCard),
    ("帐号", IdKind::BankCard),
    ("账户", IdKind::BankCard),
    ("帐户", IdKind::BankCard),
    ("card", IdKind::BankCard),
    ("bank", IdKind::BankCard),
    ("visa", IdKind::BankCard),
    ("mastercard", IdKind::BankCard),
    ("unionpay", IdKind::BankCard),
    ("account", IdKind::BankCard),
    ("acct", IdKind::BankCard),
    ("手机", IdKind::Mobile),
    ("手机卡", IdKind::Mobile),
    ("电话", IdKind::Mobile),
    ("联系方式", IdKind::Mobile),
    ("短信", IdKind::Mobile),
    ("致电", IdKind::Mobile),
    ("来电", IdKind::Mobile),
    ("phone", IdKind::Mobile),
    ("mobile", IdKind::Mobile),
    ("tel", IdKind::Mobile),
    ("cell", IdKind::Mobile),
    ("sms", IdKind::Mobile),
    ("身份证", IdKind::ResidentId),
    ("证件", IdKind::ResidentId),
    ("身份", IdKind::ResidentId),
    ("id card", IdKind::ResidentId),
    ("id no", IdKind::ResidentId),
    ("idcard", IdKind::ResidentId),
    ("identity", IdKind::ResidentId),
];

/// Up to `len` chars (ASCII lower-cased) right before `pos`, stopping at a
/// clause break.
fn window_before(line: &Line, pos: usize, len: usize) -> String {
    let mut buf = Vec::with_capacity(len);
    let mut k = pos.min(line.c.len());
    while k > 0 && buf.len() < len {
        let ch = line.at(k - 1);
        if is_clause_break(ch) {
            break;
        }
        buf.push(ch.to_ascii_lowercase());
        k -= 1;
    }
    buf.iter().rev().collect()
}

/// Up to `len` chars (ASCII lower-cased) from `pos` on, stopping at a
/// clause break.
fn window_after(line: &Line, pos: usize, len: usize) -> String {
    line.c
        .get(pos..)
        .unwrap_or(&[])
        .iter()
        .take(len)
        .take_while(|&&c| !is_clause_break(c))
        .map(char::to_ascii_lowercase)
        .collect()
}

/// The value of the word from `table` found in `w` nearest its end
/// (`from_end`) or its start; on a tie the longest word. ASCII words must
/// stand alone (no ASCII letter on either side).
fn nearest<T: Copy>(w: &str, table: &[(&str, T)], from_end: bool) -> Option<T> {
    let mut best: Option<(usize, usize, T)> = None;
    for &(word, value) in table {
        let ascii = word.starts_with(|c: char| c.is_ascii_alphabetic());
        for (pos, _) in w.match_indices(word) {
            let end = pos + word.len();
            if ascii {
                let alpha_before = w
                    .get(..pos)
                    .and_then(|s| s.chars().next_back())
                    .is_some_and(|c| c.is_ascii_alphabetic());
                let alpha_after = w
                    .get(end..)
                    .and_then(|s| s.chars().next())
                    .is_some_and(|c| c.is_ascii_alphabetic());
                if alpha_before || alpha_after {
                    continue;
                }
            }
            let better = match best {
                None => true,
                Some((at, len, _)) if from_end => (end, word.len()) > (at, len),
                Some((at, len, _)) => pos < at || (pos == at && word.len() > len),
            };
            if better {
                best = Some((if from_end { end } else { pos }, word.len(), value));
            }
        }
    }
    best.map(|(_, _, value)| value)
}

/// The kind named by the nearest hint word before `start`, or else after
/// `end`.
fn hint_near(line: &Line, start: usize, end: usize) -> Option<IdKind> {
    nearest(&window_before(line, start, HINT_BEFORE), HINTS, true)
        .or_else(|| nearest(&window_after(line, end, HINT_AFTER), HINTS, false))
}

// ---------------------------------------------------------------------------
// Masked identifiers

/// The longest masked form considered, in digits and masks (a `0086`
/// prefix and a 19-digit card with room to spare).
const MAX_MASKED: usize = 26;

/// Masked identifiers in one run of digits, masks and x/X: the whole run,
/// or else (greedily, longest first) pieces of it between spaces.
fn masked_run(line: &Line, run: &Run, out: &mut Vec<Found>) {
    let has_mask = run.groups.iter().any(|&(s, e)| {
        let g = line.c.get(s..e).unwrap_or(&[]);
        g.iter().any(|&c| is_mask(c)) || g.windows(2).any(|w| is_maskish(w[0]) && is_maskish(w[1]))
    });
    if !has_mask {
        return;
    }
    let all = run.groups.len();
    if let Some(found) = masked_candidate(line, run, 0, all) {
        out.push(found);
        return;
    }
    let segs = space_segments(&run.seps, all);
    if segs.len() < 2 {
        return;
    }
    let lens: Vec<usize> = segs
        .iter()
        .map(|&(a, b)| group_lens(run.groups.get(a..b).unwrap_or(&[])).iter().sum())
        .collect();
    let classes: Vec<Piece> = segs
        .iter()
        .map(|&(a, b)| {
            let chars = group_chars(line, run.groups.get(a..b).unwrap_or(&[]));
            match (
                chars.iter().any(char::is_ascii_digit),
                chars.iter().any(|&c| is_maskish(c)),
            ) {
                (true, true) => Piece::Mixed,
                (true, false) => Piece::Digits(chars.len()),
                _ => Piece::Masks,
            }
        })
        .collect();
    // Prefix sums of mask chars per piece: a form needs two or more.
    let mut masks_upto = vec![0usize; segs.len() + 1];
    for (i, &(a, b)) in segs.iter().enumerate() {
        let n = group_chars(line, run.groups.get(a..b).unwrap_or(&[]))
            .iter()
            .filter(|&&c| is_maskish(c))
            .count();
        masks_upto[i + 1] = masks_upto[i] + n;
    }
    let mut s = 0;
    while s < segs.len() {
        // The longest window from `s` that fits and changes between digit
        // and mask pieces at most twice.
        let mut e = s;
        let mut total = 0;
        let mut changes = 0;
        while e < segs.len() && total + lens[e] <= MAX_MASKED {
            if e > s && (classes[e] == Piece::Masks) != (classes[e - 1] == Piece::Masks) {
                changes += 1;
                if changes > 2 {
                    break;
                }
            }
            total += lens[e];
            e += 1;
        }
        let mut next = s + 1;
        for stop in (s + 1..=e).rev() {
            if (s == 0 && stop == segs.len())
                || masks_upto[stop] - masks_upto[s] < 2
                || !pieces_plausible(&classes[s..stop])
            {
                continue;
            }
            if let Some(found) = masked_candidate(line, run, segs[s].0, segs[stop - 1].1) {
                out.push(found);
                next = stop;
                break;
            }
        }
        s = next;
    }
}

/// What a space-separated piece of a masked run is made of.
#[derive(Clone, Copy, PartialEq)]
enum Piece {
    /// Only digits, this many.
    Digits(usize),
    /// Only masks.
    Masks,
    /// Digits and masks.
    Mixed,
}

/// Whether pieces may form one masked identifier: one mixed piece (after
/// perhaps a 2- or 4-digit country code), or digit pieces, mask pieces,
/// digit pieces. A cheap filter before [`masked_candidate`].
fn pieces_plausible(pieces: &[Piece]) -> bool {
    match pieces {
        [_] | [Piece::Digits(2 | 4), Piece::Mixed] => true,
        _ if pieces.contains(&Piece::Mixed) => false,
        _ => {
            let first = pieces.iter().position(|&p| p == Piece::Masks);
            let last = pieces.iter().rposition(|&p| p == Piece::Masks);
            match (first, last) {
                (Some(f), Some(l)) => pieces
                    .get(f..=l)
                    .is_some_and(|b| b.iter().all(|&p| p == Piece::Masks)),
                _ => false,
            }
        }
    }
}

/// The masked identifier made of groups `a0..a1` of a run, if they are
/// one: digits, one block of masks, digits (either digit part may be
/// empty), perhaps after `+86`, perhaps ending in an ID's X.
fn masked_candidate(line: &Line, run: &Run, a0: usize, a1: usize) -> Option<Found> {
    let groups = run.groups.get(a0..a1)?;
    let start0 = groups.first()?.0;
    let end = groups.last()?.1;
    let total: usize = group_lens(groups).iter().sum();
    if !(4..=MAX_MASKED).contains(&total) {
        return None;
    }
    let seq = group_chars(line, groups);
    let plus = line.before(start0, 1) == '+';
    let first: String = group_chars(line, groups.get(..1)?).into_iter().collect();
    let cc = if groups.len() > 1 && (first == "86" || first == "0086") {
        first.len()
    } else if plus && seq.starts_with(&['8', '6']) {
        2
    } else {
        0
    };
    // In a form of several space-separated pieces each piece is all digits
    // or all masks (6222 **** **** 1234); a piece that mixes them
    // (138****5678) stands alone, so two forms side by side are not read
    // as one.
    let seps = run.seps.get(a0..a1.checked_sub(1)?)?;
    let pieces = space_segments(seps, groups.len());
    let skip = usize::from(cc > 0);
    if pieces.len() > skip + 1 {
        let mixed = pieces.iter().skip(skip).any(|&(a, b)| {
            let chars = group_chars(line, groups.get(a..b).unwrap_or(&[]));
            chars.iter().any(char::is_ascii_digit) && chars.iter().any(|&c| is_maskish(c))
        });
        if mixed {
            return None;
        }
    }
    let body = seq.get(cc..)?;
    let l = body.len();
    let final_x = l == 18
        && matches!(body.get(17), Some('x' | 'X'))
        && body.get(16).is_some_and(char::is_ascii_digit)
        && body.iter().take(17).any(|&c| is_maskish(c));
    let core = body.get(..if final_x { 17 } else { l })?;
    let a = core.iter().take_while(|c| c.is_ascii_digit()).count();
    let m = core.iter().skip(a).take_while(|&&c| is_maskish(c)).count();
    let b = core
        .iter()
        .skip(a + m)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if a + m + b != core.len() || m < 2 || a + b == 0 {
        return None;
    }
    let start = if cc > 0 && plus { start0 - 1 } else { start0 };
    let hint = hint_near(line, start, end);
    let lead = core.get(..a)?;
    let kind = classify(a, m, b + usize::from(final_x), lead, final_x, cc > 0, hint)?;
    if !masked_context_ok(line, start, end, cc > 0) {
        return None;
    }
    let mut digits: String = lead.iter().chain(core.iter().skip(a + m)).collect();
    if final_x {
        digits.push('X');
    }
    Some(Found {
        kind,
        start,
        end,
        digits,
    })
}

/// The kind of a masked form with `a` leading digits `lead`, `m` masks and
/// `b` trailing digits (an ID's X counted), from its shape and a hint word.
fn classify(
    a: usize,
    m: usize,
    b: usize,
    lead: &[char],
    final_x: bool,
    country_code: bool,
    hint: Option<IdKind>,
) -> Option<IdKind> {
    use IdKind::{BankCard, Mobile, ResidentId};
    let l = a + m + b;
    let lead: String = lead.iter().collect();
    let lb = lead.as_bytes();
    let mobile_lead = match a {
        0 => true,
        1 => lb == b"1",
        2 => lb.first() == Some(&b'1') && lb.get(1).is_some_and(|c| (b'3'..=b'9').contains(c)),
        3 => mobile_prefix_ok(&lead),
        _ => false,
    };
    let mobile_shape =
        mobile_lead && b <= 4 && (l == 11 || (a == 3 && b == 4 && (3..=6).contains(&m)));
    if country_code {
        return mobile_shape.then_some(Mobile);
    }
    if final_x {
        return (l == 18).then_some(ResidentId);
    }
    if mobile_shape && (a == 3 || !matches!(hint, Some(BankCard | ResidentId))) {
        return Some(Mobile);
    }
    if l == 18 {
        return Some(if hint == Some(BankCard) {
            BankCard
        } else {
            ResidentId
        });
    }
    if (13..=19).contains(&l) {
        return Some(if hint == Some(ResidentId) && l == 15 {
            ResidentId
        } else {
            BankCard
        });
    }
    if a == 0 && (3..=4).contains(&b) && (m >= 4 || hint.is_some()) {
        return Some(match hint {
            Some(Mobile) => Mobile,
            Some(ResidentId) => ResidentId,
            _ => BankCard,
        });
    }
    if a == 4 && b == 4 {
        return Some(if hint == Some(Mobile) {
            Mobile
        } else {
            BankCard
        });
    }
    None
}

/// What a masked form may touch: not a letter or digit, not a decimal
/// point or colon leading on to digits, not a `+` unless it is `+86`'s;
/// and it may not lie in a URL.
fn masked_context_ok(line: &Line, start: usize, end: usize, country_code: bool) -> bool {
    if line.in_url(start, end) {
        return false;
    }
    let l = line.before(start, 1);
    let r = line.at(end);
    !(l.is_ascii_digit()
        || is_wordish(l)
        || (l == '+' && !country_code)
        || (matches!(l, '.' | ':') && line.before(start, 2).is_ascii_digit())
        || r.is_ascii_digit()
        || is_wordish(r)
        || (matches!(r, '.' | ':') && line.at(end + 1).is_ascii_digit()))
}

/// Words before the last digits of a card or phone (尾号1234).
const TAIL_WORDS: &[&str] = &[
    "尾号",
    "末四位",
    "后四位",
    "尾数",
    "末尾",
    "ending in",
    "ending with",
    "ends in",
    "ends with",
];

/// Words that end a card or bank name right before `(1234)`.
const CARD_NAME_ENDS: &[&str] = &[
    "卡",
    "银行",
    "银联",
    "账户",
    "card",
    "visa",
    "mastercard",
    "unionpay",
];

/// `尾号1234` with a card, phone or ID word near it, and `(1234)` right
/// after a card or bank name.
fn tail_forms(line: &Line, out: &mut Vec<Found>) {
    let words: Vec<Vec<char>> = TAIL_WORDS.iter().map(|w| w.chars().collect()).collect();
    for i in 0..line.c.len() {
        let c0 = line.at(i).to_ascii_lowercase();
        if c0 == '(' {
            paren_form(line, i, out);
            continue;
        }
        for word in &words {
            if word.first() != Some(&c0) {
                continue;
            }
            let Some(here) = line.c.get(i..i + word.len()) else {
                continue;
            };
            if !here
                .iter()
                .zip(word)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
            {
                continue;
            }
            let mut k = i + word.len();
            let mut skipped = 0;
            while skipped < 3 && matches!(line.at(k), ' ' | ':' | '是' | '为' | '(') {
                k += 1;
                skipped += 1;
            }
            let d = line
                .c
                .get(k..)
                .unwrap_or(&[])
                .iter()
                .take(5)
                .take_while(|c| c.is_ascii_digit())
                .count();
            let e = k + d;
            let r = line.at(e);
            if !(3..=4).contains(&d)
                || r.is_ascii_digit()
                || is_wordish(r)
                || is_maskish(r)
                || (matches!(r, '.' | ':') && line.at(e + 1).is_ascii_digit())
            {
                continue;
            }
            let hint = nearest(&window_before(line, i, HINT_BEFORE), HINTS, true)
                .or_else(|| nearest(&window_after(line, e, HINT_AFTER), HINTS, false));
            if let Some(kind) = hint {
                out.push(Found {
                    kind,
                    start: k,
                    end: e,
                    digits: line.c.get(k..e).unwrap_or(&[]).iter().collect(),
                });
            }
        }
    }
}

/// `(1234)` at `open` right after a card or bank name (a space between
/// allowed): 招商银行储蓄卡(1234), Visa (1234).
fn paren_form(line: &Line, open: usize, out: &mut Vec<Found>) {
    let digits: String = line
        .c
        .get(open + 1..)
        .unwrap_or(&[])
        .iter()
        .take(5)
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if digits.len() != 4 || line.at(open + 5) != ')' {
        return;
    }
    let k = if line.before(open, 1) == ' ' {
        open - 1
    } else {
        open
    };
    let name = window_before(line, k, HINT_BEFORE);
    if CARD_NAME_ENDS.iter().any(|w| name.ends_with(w)) && !name.ends_with("手机卡") {
        out.push(Found {
            kind: IdKind::BankCard,
            start: open + 1,
            end: open + 5,
            digits,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `prefix` completed with its Luhn check digit.
    fn card(prefix: &str) -> String {
        (0..10)
            .map(|d| format!("{prefix}{d}"))
            .find(|s| luhn(s))
            .unwrap_or_default()
    }

    /// 17 digits completed with the ID check char.
    fn id(first17: &str) -> String {
        "0123456789X"
            .chars()
            .map(|c| format!("{first17}{c}"))
            .find(|s| resident_id_valid(s))
            .unwrap_or_default()
    }

    /// `digits` grouped by `sep` into groups of the given sizes.
    fn group(digits: &str, sizes: &[usize], sep: &str) -> String {
        let mut out = Vec::new();
        let mut at = 0;
        for &n in sizes {
            out.push(&digits[at..at + n]);
            at += n;
        }
        out.join(sep)
    }

    fn kinds(found: &[Found]) -> Vec<IdKind> {
        found.iter().map(|f| f.kind).collect()
    }

    /// Exactly one unmasked identifier, of `kind`, with `digits`.
    fn one(text: &str, kind: IdKind, digits: &str) -> Found {
        let found = unmasked(text);
        assert_eq!(found.len(), 1, "{text:?} → {found:?}");
        assert_eq!(found[0].kind, kind, "{text:?}");
        assert_eq!(found[0].digits, digits, "{text:?}");
        found[0].clone()
    }

    /// The text covered by a found identifier.
    fn span(text: &str, f: &Found) -> String {
        text.chars().skip(f.start).take(f.end - f.start).collect()
    }

    #[test]
    fn helpers_make_valid_numbers() {
        assert!(luhn("4111111111111111"));
        assert!(luhn("5555555555554444"));
        assert!(luhn("378282246310005"));
        assert!(!luhn("4111111111111112"));
        assert!(!luhn(""));
        assert!(!luhn("4111 1111"));
        assert!(resident_id_valid("11010519491231002X"));
        assert!(resident_id_valid("11010519491231002x"));
        assert!(!resident_id_valid("110105194912310021"));
        let v = id("11010119900307123");
        assert_eq!(v.len(), 18);
        assert!(resident_id_valid(&v));
        assert_eq!(card("622202123456789012").len(), 19);
    }

    #[test]
    fn resident_id_rules() {
        let ok = id("11010119900307123");
        assert!(resident_id_valid(&ok));
        // Wrong length, letters, full-width digits.
        assert!(!resident_id_valid(&ok[..17]));
        assert!(!resident_id_valid(&format!("{ok}1")));
        assert!(!resident_id_valid("11010119900307123A"));
        assert!(!resident_id_valid("１１０１０１１９９００３０７１２３４"));
        // Region 99 and 10 are no provinces.
        assert!(!resident_id_valid(&id("99010119900307123")));
        assert!(id("99010119900307123").is_empty());
        assert!(id("10010119900307123").is_empty());
        // 30 February, month 13, 1899, 2100.
        assert!(id("11010119900230123").is_empty());
        assert!(id("11010119901301123").is_empty());
        assert!(id("11010118991231123").is_empty());
        assert!(id("11010121000101123").is_empty());
        // 29 February in a leap year is a date; 2000 was leap, 1900 not.
        assert!(!id("11010120000229123").is_empty());
        assert!(id("11010119000229123").is_empty());
        // Every region in the list works.
        for p in [
            11, 15, 21, 23, 31, 37, 41, 46, 50, 54, 61, 65, 71, 81, 83, 91,
        ] {
            assert!(!id(&format!("{p}010119900307123")).is_empty(), "{p}");
        }
    }

    #[test]
    fn cards_in_sentences() {
        let up19 = card("622202123456789012");
        let f = one(
            &format!("您的银行卡号{up19}已绑定"),
            IdKind::BankCard,
            &up19,
        );
        assert_eq!((f.start, f.end), (6, 25));
        one(
            &format!("储蓄卡 {} 已添加", group(&up19, &[4, 4, 4, 4, 3], " ")),
            IdKind::BankCard,
            &up19,
        );
        one(
            &format!("卡号：{}", group(&up19, &[6, 13], " ")),
            IdKind::BankCard,
            &up19,
        );
        let up16 = card("621226123456789");
        one(
            &format!("工商银行 {}", group(&up16, &[4, 4, 4, 4], "-")),
            IdKind::BankCard,
            &up16,
        );
        one(
            "Visa 4532 0151 1283 0366",
            IdKind::BankCard,
            "4532015112830366",
        );
        one(
            "信用卡5425233430109903。",
            IdKind::BankCard,
            "5425233430109903",
        );
        one(
            "Card No.: 5425-2334-3010-9903",
            IdKind::BankCard,
            "5425233430109903",
        );
        one("2221 0048 1234 5677", IdKind::BankCard, "2221004812345677");
        one(
            "Amex 3782 822463 10005",
            IdKind::BankCard,
            "378282246310005",
        );
        one("JCB 3530111333300000", IdKind::BankCard, "3530111333300000");
        // A card touching an amount after a space is still a card.
        one(&format!("{up16} 100.00"), IdKind::BankCard, &up16);
        // Full-width digits and spaces: offsets count original chars.
        let fw: String = up16
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c))
            .collect();
        let text = format!("卡号：{fw}");
        let f = one(&text, IdKind::BankCard, &up16);
        assert_eq!((f.start, f.end), (3, 19));
        assert_eq!(span(&text, &f), fw);
        let text = format!("卡号\u{3000}{}", group(&up16, &[4, 4, 4, 4], "\u{3000}"));
        let f = one(&text, IdKind::BankCard, &up16);
        assert_eq!((f.start, f.end), (3, 22));
    }

    #[test]
    fn mobiles_in_sentences() {
        let f = one("手机号：13812345678", IdKind::Mobile, "13812345678");
        assert_eq!((f.start, f.end), (4, 15));
        one("联系电话 138-1234-5678", IdKind::Mobile, "13812345678");
        one("138 1234 5678", IdKind::Mobile, "13812345678");
        one("请拨打13912345678联系我们", IdKind::Mobile, "13912345678");
        one("Tel: 17012345678", IdKind::Mobile, "17012345678");
        one("账号 19912345678", IdKind::Mobile, "19912345678");
        let text = "+86 138 1234 5678";
        let f = one(text, IdKind::Mobile, "13812345678");
        assert_eq!(span(text, &f), text);
        let f = one("手机+8613812345678", IdKind::Mobile, "13812345678");
        assert_eq!((f.start, f.end), (2, 16));
        one("0086 13812345678", IdKind::Mobile, "13812345678");
        one("86-138-1234-5678", IdKind::Mobile, "13812345678");
        one("（+86）15012345678", IdKind::Mobile, "15012345678");
        one(
            "手机号：１３８１２３４５６７８",
            IdKind::Mobile,
            "13812345678",
        );
        // Two numbers, and a number next to a date.
        let found = unmasked("电话13812345678,13912345678");
        assert_eq!(kinds(&found), [IdKind::Mobile, IdKind::Mobile]);
        assert_eq!(found[1].digits, "13912345678");
        one("2024-12-05 13812345678", IdKind::Mobile, "13812345678");
        one("13812345678 2024", IdKind::Mobile, "13812345678");
        // A farther order label is shielded by a nearer 手机.
        one("订单123 手机13812345678", IdKind::Mobile, "13812345678");
        // Every prefix family.
        for p in ["130", "145", "150", "162", "170", "188", "190", "195"] {
            one(
                &format!("{p}12345678"),
                IdKind::Mobile,
                &format!("{p}12345678"),
            );
        }
    }

    #[test]
    fn ids_in_sentences() {
        let plain = id("11010119900307123");
        one(&format!("身份证 {plain}"), IdKind::ResidentId, &plain);
        one(
            &format!("证件号码{plain}已认证"),
            IdKind::ResidentId,
            &plain,
        );
        let x = id("11010519491231002");
        assert!(x.ends_with('X'));
        let text = format!("身份证号：{}", x.to_lowercase());
        let f = one(&text, IdKind::ResidentId, &x);
        assert_eq!(span(&text, &f), x.to_lowercase());
        one(
            &format!("ID: {}", group(&x, &[6, 8, 4], " ")),
            IdKind::ResidentId,
            &x,
        );
        let fw = x.replace('X', "Ｘ");
        one(&format!("身份证{fw}"), IdKind::ResidentId, &x);
        // An ID from a card-issuing region that also passes Luhn is an ID.
        let both = (0..1000)
            .map(|n| id(&format!("44010619900307{n:03}")))
            .find(|s| luhn(s))
            .unwrap_or_default();
        assert!(!both.is_empty());
        one(&format!("身份证{both}"), IdKind::ResidentId, &both);
        one(&both, IdKind::ResidentId, &both);
    }

    #[test]
    fn not_identifiers() {
        let c16 = card("622202123456789");
        let c19 = card("622202123456789012");
        let c15 = card("44444444444444");
        let good_id = id("11010119900307123");
        let bad_check = {
            let last = good_id.chars().last().unwrap_or('0');
            let other = if last == '1' { '2' } else { '1' };
            format!("{}{other}", &good_id[..17])
        };
        // An ID-shaped 18-digit number from a card-issuing region with a
        // wrong ID checksum that happens to pass Luhn.
        let id_like_luhn = (0..10_000)
            .map(|n| format!("44010619900307{n:04}"))
            .find(|s| luhn(s) && !resident_id_valid(s))
            .unwrap_or_default();
        assert!(!id_like_luhn.is_empty());
        let cases: Vec<String> = vec![
            // Amounts.
            "¥12,345.67".into(),
            "转账金额 100000.00 元".into(),
            "余额 6222021234567.89".into(),
            format!("¥{c16}"),
            format!("￥ {c16}"),
            format!("$13812345678"),
            format!("金额：{c16}"),
            format!("{c16}元"),
            format!("{c16} 元"),
            format!("RMB {c16}"),
            format!("{c16} CNY"),
            format!("收益 {c16}%"),
            format!("共{c16}笔"),
            format!("+{c16}"),
            format!("-{c16}"),
            format!("{c16}.50"),
            // Dates and times.
            "2024-12-05 10:23:45".into(),
            "20241205102345".into(),
            "20241205102345123".into(),
            "2024年12月05日 10:23".into(),
            "2024/12/05".into(),
            // Order, serial and other numbers under their labels, some of
            // them Luhn-valid.
            format!("订单号：{c19}"),
            "交易流水号 4111111111111111".into(),
            format!("订单编号{c16}"),
            format!("商户号 {c15}"),
            format!("终端号：{c16}"),
            format!("参考号 {c16}"),
            format!("凭证号:{c16}"),
            format!("批次号{c16}"),
            format!("Order No. {c16}"),
            format!("Ref: {c16}"),
            "Transaction ID: 4111111111111111".into(),
            "Serial 13812345678".into(),
            "单号 13812345678".into(),
            "验证码 13812345678".into(),
            "客服电话 13812345678".into(),
            format!("电话 {c16}"),
            format!("会员卡号 {c16}"),
            "用户ID 13812345678".into(),
            "Build 13812345678".into(),
            // Timestamps.
            "1733356800000".into(),
            "1733356800".into(),
            "时间戳 1733356800123".into(),
            // Hotlines and landlines.
            "95588".into(),
            "客服热线：95566".into(),
            "4008208820".into(),
            "400-820-8820".into(),
            "800-820-8820".into(),
            "010-12345678".into(),
            "0755-83198888".into(),
            "(010) 12345678".into(),
            "01012345678".into(),
            // Codes, postcodes.
            "您的验证码是 836152".into(),
            "验证码123456".into(),
            "邮编 100000".into(),
            // Versions and addresses.
            "v13.8.12345678901".into(),
            "13.8.12345678901".into(),
            "192.168.13.138".into(),
            "0.13812345678".into(),
            "13812345678.5".into(),
            "10:13812345678".into(),
            // Already masked.
            "6222 **** **** 1234".into(),
            "6222********1234".into(),
            "尾号1234".into(),
            "138****5678".into(),
            "138 **** 5678".into(),
            "110101********1234".into(),
            "1****************4".into(),
            "**** **** **** 6222021234567".into(),
            "**** 13812345678".into(),
            "13812345678****".into(),
            format!("{}****", &c16[..12]),
            // 11 digits without a mobile prefix.
            "12345678901".into(),
            "10086123456".into(),
            "11012345678".into(),
            "14012345678".into(),
            "15412345678".into(),
            "16012345678".into(),
            "17912345678".into(),
            "19412345678".into(),
            // Not mobile-grouped.
            "1381234 5678".into(),
            "138 12345678".into(),
            "1 3 8 1 2 3 4 5 6 7 8".into(),
            // 18-digit non-IDs.
            bad_check,
            "990101199003071234".into(),
            "110101199002301234".into(),
            id_like_luhn,
            // Touching letters.
            "ABC13812345678".into(),
            "13812345678abc".into(),
            "ID13812345678".into(),
            "a4111111111111111".into(),
            "_13812345678".into(),
            "13812345678X".into(),
            // Too long.
            "62220212345678901234".into(),
            "1381234567813812345678".into(),
            format!("{c19}0"),
            // In URLs and e-mail addresses.
            "https://x.com/p/13812345678901234".into(),
            "https://x.com/u/13812345678".into(),
            "www.example.com/13812345678".into(),
            "x.com/user/13812345678".into(),
            "13812345678@163.com".into(),
            // Units after a space.
            "耗时 13812345678 ms".into(),
            "13812345678 次".into(),
            // Prices in a row; no card prefix (32…) and odd groups.
            "3250 3300 3275 3290".into(),
            "4111 1111 1111 11111".into(),
            "41111 1111 1111 111 1".into(),
            // A +1 number is not mainland.
            "+13812345678".into(),
        ];
        assert!(cases.len() >= 60);
        for text in &cases {
            assert_eq!(unmasked(text), [], "{text:?}");
        }
    }

    #[test]
    fn masked_forms() {
        let cases: &[(&str, IdKind, &str)] = &[
            ("6222 **** **** 1234", IdKind::BankCard, "62221234"),
            ("6222********1234", IdKind::BankCard, "62221234"),
            ("622202******1234", IdKind::BankCard, "6222021234"),
            ("6222****1234", IdKind::BankCard, "62221234"),
            ("**** **** **** 1234", IdKind::BankCard, "1234"),
            ("•••• •••• •••• 1234", IdKind::BankCard, "1234"),
            ("●●●● 1234", IdKind::BankCard, "1234"),
            ("**** 1234", IdKind::BankCard, "1234"),
            ("6222 xxxx xxxx 1234", IdKind::BankCard, "62221234"),
            ("138****5678", IdKind::Mobile, "1385678"),
            ("138 **** 5678", IdKind::Mobile, "1385678"),
            ("138-****-5678", IdKind::Mobile, "1385678"),
            ("138xxxx5678", IdKind::Mobile, "1385678"),
            ("138·····5678", IdKind::Mobile, "1385678"),
            ("１３８＊＊＊＊５６７８", IdKind::Mobile, "1385678"),
            ("*******5678", IdKind::Mobile, "5678"),
            ("110101********1234", IdKind::ResidentId, "1101011234"),
            ("110101********123X", IdKind::ResidentId, "110101123X"),
            ("110101********123x", IdKind::ResidentId, "110101123X"),
            ("1****************4", IdKind::ResidentId, "14"),
            ("110101 ******** 1234", IdKind::ResidentId, "1101011234"),
        ];
        for &(form, kind, digits) in cases {
            for text in [form.to_string(), format!("您的号码{form}。")] {
                let found = masked(&text);
                assert_eq!(found.len(), 1, "{text:?} → {found:?}");
                assert_eq!(found[0].kind, kind, "{text:?}");
                assert_eq!(found[0].digits, digits, "{text:?}");
                assert_eq!(span(&text, &found[0]), form, "{text:?}");
                assert_eq!(unmasked(&text), [], "{text:?}");
            }
        }
        // Words decide the ambiguous shapes.
        assert_eq!(kinds(&masked("手机 **** 5678")), [IdKind::Mobile]);
        assert_eq!(kinds(&masked("身份证 **** 1234")), [IdKind::ResidentId]);
        assert_eq!(kinds(&masked("卡号 *******5678")), [IdKind::BankCard]);
        assert_eq!(
            kinds(&masked("信用卡 1101**********1234")),
            [IdKind::BankCard]
        );
        assert_eq!(kinds(&masked("银行卡 138****5678")), [IdKind::Mobile]);
        // Country code.
        let text = "+86 138****5678";
        let found = masked(text);
        assert_eq!(kinds(&found), [IdKind::Mobile]);
        assert_eq!(span(text, &found[0]), text);
        assert_eq!(found[0].digits, "1385678");
        // Last digits after 尾号 or in brackets after a card name.
        let found = masked("招商银行储蓄卡 尾号1234");
        assert_eq!(kinds(&found), [IdKind::BankCard]);
        assert_eq!(found[0].digits, "1234");
        assert_eq!((found[0].start, found[0].end), (10, 14));
        assert_eq!(kinds(&masked("尾号为1234的信用卡")), [IdKind::BankCard]);
        assert_eq!(kinds(&masked("手机尾号5678")), [IdKind::Mobile]);
        assert_eq!(kinds(&masked("Visa ending in 4242")), [IdKind::BankCard]);
        let found = masked("工商银行储蓄卡(1234)");
        assert_eq!(kinds(&found), [IdKind::BankCard]);
        assert_eq!((found[0].start, found[0].end), (8, 12));
        assert_eq!(kinds(&masked("中国银行（8888）")), [IdKind::BankCard]);
        // Several in one line.
        let found = masked("手机138****5678 卡号6222 **** **** 1234 身份证110101********1234");
        assert_eq!(
            kinds(&found),
            [IdKind::Mobile, IdKind::BankCard, IdKind::ResidentId]
        );
        let found = masked("138****5678 6222 **** **** 1234");
        assert_eq!(kinds(&found), [IdKind::Mobile, IdKind::BankCard]);
        // Not masked identifiers.
        for text in [
            "******",
            "••••••",
            "2*3",
            "1920x1080",
            "2**10",
            "尾号1234",
            "订单(1234)",
            "(1234)",
            "box 1234",
            "0x1234abcd",
            "***123",
            "2024-**-05",
            "3·15",
            "https://x.com/138****5678",
            "abc138****5678",
            "138****5678abc",
            "1.5*3",
            "138****5678.9",
            "13812345678",
        ] {
            assert_eq!(masked(text), [], "{text:?}");
        }
    }

    #[test]
    fn found_masked_hides_the_middle() {
        let up19 = card("622202123456789012");
        let x = id("11010519491231002");
        let text = format!("卡号{up19} 手机13812345678 身份证{x} Visa 4532015112830366");
        let found = unmasked(&text);
        assert_eq!(
            kinds(&found),
            [
                IdKind::BankCard,
                IdKind::Mobile,
                IdKind::ResidentId,
                IdKind::BankCard
            ]
        );
        let shown: Vec<String> = found.iter().map(Found::masked).collect();
        assert_eq!(shown[0], format!("6222***********{}", &up19[15..]));
        assert_eq!(shown[1], "138****5678");
        assert_eq!(shown[2], "110105********002X");
        assert_eq!(shown[3], "4532********0366");
        for (f, s) in found.iter().zip(&shown) {
            let (head, tail) = match f.kind {
                IdKind::BankCard => (4, 4),
                IdKind::Mobile => (3, 4),
                IdKind::ResidentId => (6, 4),
            };
            let middle = &f.digits[head..f.digits.len() - tail];
            assert_eq!(s.len(), f.digits.len());
            assert!(s[head..s.len() - tail].chars().all(|c| c == '*'), "{s}");
            assert!(!s.contains(middle), "{s} shows {middle}");
        }
        // Masked finds: the usual length, never more digits than seen.
        let m = masked("138****5678");
        assert_eq!(m[0].masked(), "138****5678");
        let m = masked("**** 1234");
        assert_eq!(m[0].masked(), "************1234");
        let m = masked("110101********1234");
        assert_eq!(m[0].masked(), "110101********1234");
        let m = masked("1****************4");
        assert_eq!(m[0].masked(), "****************14");
        let m = masked("622202******1234");
        assert_eq!(m[0].masked(), "6222********1234");
        assert_eq!(IdKind::Mobile.to_string(), "mobile number");
        assert_eq!(IdKind::ResidentId.describe_zh(), "身份证号");
    }

    /// A small linear congruential generator, so the test needs no crate.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn check_bounds(text: &str, found: &[Found]) {
        let n = text.chars().count();
        for f in found {
            assert!(f.start < f.end && f.end <= n, "{text:?} → {f:?}");
            assert!(!f.digits.is_empty(), "{text:?} → {f:?}");
            let _ = f.masked();
        }
    }

    #[test]
    fn fuzz_no_panic_and_offsets_in_bounds() {
        let alphabet: Vec<char> = "0123456789012345678901234567890123456789    ---***•·xX１３８＊　－＋+.:%(（)）¥元号卡银行尾手机身份证订单ab😀é\u{0}\n"
            .chars()
            .collect();
        let mut rng = Lcg(0x5eed);
        for round in 0..4000 {
            let len = rng.below(80);
            let mut text: String = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            if round % 3 == 0 {
                // Plant a plausible identifier among the noise.
                let planted = match rng.below(4) {
                    0 => card(&format!("62220{:013}", rng.next() % 10_000_000_000_000)),
                    1 => format!("1{}{:09}", 3 + rng.below(7), rng.next() % 1_000_000_000),
                    2 => id(&format!("110101199003{:05}", rng.next() % 100_000)),
                    _ => "138****5678".to_string(),
                };
                let at = rng.below(text.chars().count() + 1);
                let head: String = text.chars().take(at).collect();
                let tail: String = text.chars().skip(at).collect();
                text = format!("{head}{planted}{tail}");
            }
            let un = unmasked(&text);
            check_bounds(&text, &un);
            for f in &un {
                let want = match f.kind {
                    IdKind::BankCard => 13..=19,
                    IdKind::Mobile => 11..=11,
                    IdKind::ResidentId => 18..=18,
                };
                assert!(want.contains(&f.digits.len()), "{text:?} → {f:?}");
                // The digits are the span's digits (after a country code).
                let spanned: String = span(&text, f)
                    .chars()
                    .map(normalize)
                    .filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x')
                    .map(|c| c.to_ascii_uppercase())
                    .collect();
                assert!(spanned.ends_with(&f.digits), "{text:?} → {f:?}");
                // Masked for the report: same length, middle all stars.
                let shown: Vec<char> = f.masked().chars().collect();
                let (head, tail) = match f.kind {
                    IdKind::BankCard => (4, 4),
                    IdKind::Mobile => (3, 4),
                    IdKind::ResidentId => (6, 4),
                };
                assert_eq!(shown.len(), f.digits.len(), "{f:?}");
                assert!(shown[head..shown.len() - tail].iter().all(|&c| c == '*'));
            }
            check_bounds(&text, &masked(&text));
            // Hand-made finds of any length mask without panicking.
            let kind = [IdKind::BankCard, IdKind::Mobile, IdKind::ResidentId][round % 3];
            let digits: String = (0..rng.below(30))
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            let _ = Found {
                kind,
                start: 0,
                end: 1,
                digits,
            }
            .masked();
        }
    }

    #[test]
    fn long_lines_are_fast() {
        let up16 = card("621226123456789");
        let lines = [
            "1 ".repeat(50_000),
            "13812345678 ".repeat(8_000),
            format!("{up16} ").repeat(6_000),
            "*".repeat(100_000),
            "* 1 ".repeat(25_000),
            "1** ".repeat(25_000),
            "尾号".repeat(50_000),
            "(1234)".repeat(16_000),
            "6".repeat(100_000),
            "订单号".repeat(33_000) + "13812345678",
            "1-".repeat(50_000),
        ];
        let started = std::time::Instant::now();
        for line in &lines {
            let _ = unmasked(line);
            let _ = masked(line);
        }
        assert_eq!(unmasked(&lines[1]).len(), 8_000);
        assert_eq!(unmasked(&lines[2]).len(), 6_000);
        // Generous for an unoptimised build; quadratic would take minutes.
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    #[test]
    fn placeholders_are_no_ones_numbers() {
        for p in [
            "18888888888",
            "13800000000",
            "手机号 13900000001",
            "13811111111",
        ] {
            assert!(unmasked(p).is_empty(), "{p}");
        }
        // A real-looking number with repeated digits is still one.
        assert_eq!(unmasked("13812345678").len(), 1);
        assert_eq!(
            unmasked("13988886667").len(),
            1,
            "three digits after the prefix are no placeholder"
        );
        // The networks' test cards are placeholders too.
        assert!(unmasked("4111 1111 1111 1111").is_empty());
        assert!(unmasked("5555555555554444").is_empty());
    }
}
