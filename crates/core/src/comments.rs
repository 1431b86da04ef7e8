//! Reader comments: the form's rules, when comments are open, and the
//! screening that holds a comment for moderators before anyone sees it.
//!
//! Screening matches a site's banned terms after normalising both sides the
//! same way: Arabic marks, tatweel and letter variants folded
//! ([`crate::arabic`]), case, common look-alike digits and symbols
//! (`1d10t`, `$tupid`), letters spread out with separators (`s.t.u.p.i.d`),
//! and stretched letters (`stuuupid`, `غبيييي`). Arabic terms also match
//! with the attached prefixes (و ف ب ك ل ال) and common suffixes, written
//! without their hamza (`خاين`), and through the search analysis's deeper
//! rules: a broken plural (`أسلحة` for `سلاح`) or a pronoun after a plural
//! ending (`حشراتهم` for `حشرة`).

use crate::arabic;
use crate::editing::{FieldError, Problem};
use crate::{ArticleId, SiteId};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_TITLE_CHARS: usize = 150;
/// Links a comment may carry before it is held for review.
pub const MAX_LINKS: usize = 2;

/// Whether and how comments are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentMode {
    /// Held until a moderator approves.
    Pre,
    /// Published at once; moderators remove afterwards.
    Post,
    Closed,
}

impl CommentMode {
    pub const ALL: [CommentMode; 3] = [CommentMode::Pre, CommentMode::Post, CommentMode::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            CommentMode::Pre => "pre",
            CommentMode::Post => "post",
            CommentMode::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<CommentMode> {
        CommentMode::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

/// How the form asks for its security code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecurityMode {
    /// The image code, with the browser's proof of work offered to readers
    /// who cannot read it.
    Image,
    /// The browser's proof of work by itself; the image only without
    /// JavaScript.
    Pow,
}

impl SecurityMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityMode::Image => "image",
            SecurityMode::Pow => "pow",
        }
    }

    pub fn parse(text: &str) -> Option<SecurityMode> {
        [SecurityMode::Image, SecurityMode::Pow]
            .into_iter()
            .find(|m| m.as_str() == text)
    }

    /// Whether a comment passes, given which answers were right. Where the
    /// site chose the image, only the image will do: a proof of work is
    /// what a bot computes best. Where it chose the proof of work, the
    /// image is still the way in without JavaScript.
    pub fn accepts(self, image_right: bool, work_right: bool) -> bool {
        match self {
            SecurityMode::Image => image_right,
            SecurityMode::Pow => image_right || work_right,
        }
    }
}

/// Confirmation mails one address may be sent a day, over every site.
pub const MAX_MAIL_PER_RECIPIENT_PER_DAY: i64 = 3;
/// Mails one recipient domain may be sent an hour: a flood of made-up
/// addresses at one provider must not get the site's mail refused there.
pub const MAX_MAIL_PER_DOMAIN_PER_HOUR: i64 = 200;
/// Mails waiting to be sent, to anyone: past this no new one is queued.
pub const MAX_UNSENT_MAIL: i64 = 5_000;

/// Whether one more mail may be queued, given the mail to the recipient in
/// the last day, to its domain in the last hour, and all mail unsent. A
/// comment whose confirmation mail is not queued is still taken; its
/// writer is offered the mail again with their next comment.
pub fn may_queue_mail(to_recipient: i64, to_domain: i64, unsent: i64) -> bool {
    to_recipient < MAX_MAIL_PER_RECIPIENT_PER_DAY
        && to_domain < MAX_MAIL_PER_DOMAIN_PER_HOUR
        && unsent < MAX_UNSENT_MAIL
}

/// The domain of an address, in lower case as addresses are kept.
pub fn mail_domain(email: &str) -> &str {
    email.rsplit_once('@').map_or("", |(_, domain)| domain)
}

/// Whether a client address falls in a banned range: an exact address or
/// CIDR (`203.0.113.0/24`, `2001:db8::/32`).
/// Where a comment is in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentStatus {
    Pending,
    Approved,
    Rejected,
    Deleted,
}

impl CommentStatus {
    pub const ALL: [CommentStatus; 4] = [
        CommentStatus::Pending,
        CommentStatus::Approved,
        CommentStatus::Rejected,
        CommentStatus::Deleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Pending => "pending",
            CommentStatus::Approved => "approved",
            CommentStatus::Rejected => "rejected",
            CommentStatus::Deleted => "deleted",
        }
    }

    pub fn parse(text: &str) -> Option<CommentStatus> {
        CommentStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A comment to store, checked and screened.
#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    pub site: SiteId,
    pub article: ArticleId,
    pub name: &'a str,
    pub email: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub status: CommentStatus,
    /// Why screening held it, one per line.
    pub hold_reasons: &'a str,
    pub client_ip: &'a str,
    pub user_agent: &'a str,
    pub terms_version: &'a str,
    /// The classifier's estimate, when it was ready.
    pub score: Option<f64>,
}

/// Shortest prefixes a ban may have: a range wider than this would ban a
/// whole provider's readers, or everyone.
pub const MIN_BAN_PREFIX_V4: u32 = 16;
pub const MIN_BAN_PREFIX_V6: u32 = 32;

/// A range as typed (`203.0.113.0/24`, an address alone is the address),
/// with IPv4 written inside IPv6 (`::ffff:203.0.113.7`) read as IPv4, so a
/// range offered for one reader can never cover every IPv4 reader.
fn parse_range(range: &str) -> Option<(std::net::IpAddr, u32)> {
    let range = range.trim();
    let (base, bits) = match range.split_once('/') {
        Some((base, bits)) => (base, Some(bits.parse::<u32>().ok()?)),
        None => (range, None),
    };
    let base = base.parse::<std::net::IpAddr>().ok()?;
    let mapped = matches!(base, std::net::IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some());
    let canonical = base.to_canonical();
    let bits = match (canonical, bits) {
        (std::net::IpAddr::V4(_), None) => 32,
        (std::net::IpAddr::V6(_), None) => 128,
        // A mapped prefix counts its IPv4 bits after the 96 of the map.
        (std::net::IpAddr::V4(_), Some(bits)) if mapped => bits.checked_sub(96)?,
        (std::net::IpAddr::V4(_), Some(bits)) => bits,
        (std::net::IpAddr::V6(_), Some(bits)) => bits,
    };
    let max = if canonical.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some((canonical, bits))
}

/// The range a ban by address offers for one reader: their neighbourhood,
/// a /24 of IPv4 (also when the address came as IPv4 inside IPv6) or a /48
/// of IPv6.
pub fn ban_range_of(ip: &str) -> String {
    match ip
        .trim()
        .parse::<std::net::IpAddr>()
        .map(|ip| ip.to_canonical())
    {
        Ok(std::net::IpAddr::V4(v4)) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
        Err(_) => ip.to_owned(),
    }
}

/// What a ban names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BanKind {
    /// An e-mail address, lower-cased.
    Email,
    /// A client address or a CIDR range (`192.0.2.0/24`).
    Ip,
}

impl BanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BanKind::Email => "email",
            BanKind::Ip => "ip",
        }
    }

    pub fn parse(text: &str) -> Option<BanKind> {
        [BanKind::Email, BanKind::Ip]
            .into_iter()
            .find(|k| k.as_str() == text)
    }

    /// The value as stored, when it is one this kind can name: a valid
    /// address (lower-cased), or a range that contains its own base
    /// address.
    pub fn normalise(self, value: &str) -> Option<String> {
        let value = value.trim();
        match self {
            BanKind::Email => crate::accounts::Email::parse(value)
                .ok()
                .map(|_| value.to_lowercase()),
            BanKind::Ip => {
                let (base, bits) = parse_range(value)?;
                let narrow = if base.is_ipv4() {
                    bits >= MIN_BAN_PREFIX_V4
                } else {
                    bits >= MIN_BAN_PREFIX_V6
                };
                narrow.then(|| format!("{base}/{bits}"))
            }
        }
    }
}

/// A ban of an e-mail address or a client address range on one site.
#[derive(Debug, Clone, Serialize)]
pub struct Ban {
    pub id: i64,
    pub kind: BanKind,
    pub value: String,
    pub reason: String,
}

impl Ban {
    /// True when a commenter with this address, writing from this client
    /// address, falls under the ban.
    pub fn covers(&self, email: &str, client_ip: &str) -> bool {
        match self.kind {
            BanKind::Email => self.value == email,
            BanKind::Ip => ip_in_range(client_ip, &self.value),
        }
    }
}

/// True when any of the bans covers the commenter.
pub fn is_banned(bans: &[Ban], email: &str, client_ip: &str) -> bool {
    bans.iter().any(|b| b.covers(email, client_ip))
}

pub fn ip_in_range(ip: &str, range: &str) -> bool {
    let Ok(ip) = ip.trim().parse::<std::net::IpAddr>() else {
        return false;
    };
    let Some((base, bits)) = parse_range(range) else {
        return false;
    };
    let (ip, bits) = (ip.to_canonical(), Some(bits));
    match (ip, base) {
        (std::net::IpAddr::V4(a), std::net::IpAddr::V4(b)) => {
            let bits = bits.unwrap_or(32).min(32);
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(a) & mask == u32::from(b) & mask
        }
        (std::net::IpAddr::V6(a), std::net::IpAddr::V6(b)) => {
            let bits = bits.unwrap_or(128).min(128);
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

/// A site's comment settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentPolicy {
    pub mode: CommentMode,
    /// Longest comment, in characters.
    pub max_chars: usize,
    /// Comments close this many days after publication (0: never).
    pub close_after_days: u32,
}

/// The mode for one article: the article's own setting, else its
/// section's, else the site's; closed once the article is older than the
/// site allows.
pub fn effective_mode(
    policy: &CommentPolicy,
    section: Option<CommentMode>,
    article: Option<CommentMode>,
    published_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> CommentMode {
    let mode = article.or(section).unwrap_or(policy.mode);
    let expired = policy.close_after_days > 0
        && published_at
            .is_some_and(|p| now - p > Duration::days(i64::from(policy.close_after_days)));
    if expired { CommentMode::Closed } else { mode }
}

/// The comment form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommentInput {
    pub name: String,
    pub email: String,
    pub title: String,
    pub body: String,
    pub agree: String,
    /// The code read from the image.
    pub code: String,
    /// The browser's answer to the proof-of-work challenge.
    pub proof: String,
    /// A field people never see; bots fill it.
    pub website: String,
}

/// A comment ready to screen and store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedComment {
    pub name: String,
    pub email: crate::accounts::Email,
    pub title: String,
    pub body: String,
}

impl CommentInput {
    /// Checks the reader's fields (not the security code, which needs
    /// storage). Every problem is reported at once.
    pub fn check(&self, max_chars: usize) -> Result<CheckedComment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut text = |field: &'static str, value: &str, max: usize| {
            let value = value.trim();
            if value.is_empty() {
                errors.push(FieldError {
                    field,
                    problem: Problem::Required,
                });
            } else if value.chars().count() > max {
                errors.push(FieldError {
                    field,
                    problem: Problem::TooLong(max),
                });
            }
            value.to_owned()
        };
        let name = text("name", &self.name, MAX_NAME_CHARS);
        let email_text = text("email", &self.email, 254);
        let title = text("title", &self.title, MAX_TITLE_CHARS);
        let body = text("body", &normalize_newlines(&self.body), max_chars);
        let email = crate::accounts::Email::parse(&email_text).ok();
        if email.is_none() && !email_text.is_empty() {
            errors.push(FieldError {
                field: "email",
                problem: Problem::InvalidEmail,
            });
        }
        if self.agree.is_empty() {
            errors.push(FieldError {
                field: "agree",
                problem: Problem::MustAgree,
            });
        }
        match email {
            Some(email) if errors.is_empty() => Ok(CheckedComment {
                name,
                email,
                title,
                body,
            }),
            _ => Err(errors),
        }
    }

    /// True when the hidden field was filled: a bot, not a reader.
    pub fn is_bot(&self) -> bool {
        !self.website.trim().is_empty()
    }
}

/// Counts characters as the form's counter does (newlines as one).
pub fn char_count(text: &str) -> usize {
    normalize_newlines(text).chars().count()
}

fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// When a verified commenter is trusted to skip pre-moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReputationPolicy {
    /// Approved comments needed first.
    pub trust_after_approved: u32,
    /// Trust ends when this share (percent) of the recent decisions on
    /// their comments were rejections.
    pub distrust_rejection_percent: u32,
}

/// Decisions that count as "recent" for the rejection rate.
pub const RECENT_DECISIONS: usize = 10;

/// A commenter's record on a site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// They confirmed the address through the mailed link.
    pub verified: bool,
    pub approved: u32,
    /// Of the latest [`RECENT_DECISIONS`] decisions on their comments: how
    /// many there were, and how many rejected or deleted one.
    pub recent_decisions: u32,
    pub recent_rejections: u32,
}

/// True when the commenter's comments may skip pre-moderation.
pub fn is_trusted(record: &Record, policy: &ReputationPolicy) -> bool {
    if !record.verified || record.approved < policy.trust_after_approved {
        return false;
    }
    if record.recent_decisions == 0 {
        return true;
    }
    u64::from(record.recent_rejections) * 100
        < u64::from(record.recent_decisions) * u64::from(policy.distrust_rejection_percent)
}

/// Why a reader reports a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    /// It breaks the publishing terms (insults, incitement).
    Offensive,
    Spam,
    OffTopic,
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 4] = [
        ReportReason::Offensive,
        ReportReason::Spam,
        ReportReason::OffTopic,
        ReportReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Offensive => "offensive",
            ReportReason::Spam => "spam",
            ReportReason::OffTopic => "off_topic",
            ReportReason::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<ReportReason> {
        ReportReason::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// Why a comment was held for a moderator; shown in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum HoldReason {
    /// The site's mode holds every comment.
    PreModeration,
    /// A banned term matched (the term as the site lists it).
    BannedTerm(String),
    TooManyLinks(usize),
    /// The same text was sent again by the same person.
    Duplicate,
    /// The site's classifier expects a rejection (percent).
    Classifier(u32),
}

impl HoldReason {
    /// Stored and shown form: `banned_term: idiot`.
    pub fn describe(&self) -> String {
        match self {
            HoldReason::PreModeration => "pre_moderation".into(),
            HoldReason::BannedTerm(term) => format!("banned_term: {term}"),
            HoldReason::TooManyLinks(n) => format!("links: {n}"),
            HoldReason::Duplicate => "duplicate".into(),
            HoldReason::Classifier(percent) => format!("classifier: {percent}%"),
        }
    }
}

/// What screening knows about the comment's sender and site.
pub struct ScreenContext<'a> {
    pub mode: CommentMode,
    pub banned_terms: &'a [String],
    /// The same title and text came from this e-mail address or client
    /// address lately.
    pub duplicate: bool,
    /// A verified commenter with a good record skips pre-moderation.
    pub trusted: bool,
    /// The classifier's score (0..1), if it is ready, and the share at
    /// which it holds a comment.
    pub score: Option<f64>,
    pub hold_at: f64,
}

/// Reasons to hold a comment; none means it may go out (in post-moderation).
pub fn screen(comment: &CheckedComment, cx: &ScreenContext<'_>) -> Vec<HoldReason> {
    let mut reasons = Vec::new();
    if cx.mode == CommentMode::Pre && !cx.trusted {
        reasons.push(HoldReason::PreModeration);
    }
    let text = format!("{}\n{}\n{}", comment.name, comment.title, comment.body);
    if let Some(term) = find_banned(&text, cx.banned_terms) {
        reasons.push(HoldReason::BannedTerm(term.to_owned()));
    }
    let links = count_links(&comment.body) + count_links(&comment.title);
    if links > MAX_LINKS {
        reasons.push(HoldReason::TooManyLinks(links));
    }
    if cx.duplicate {
        reasons.push(HoldReason::Duplicate);
    }
    if let Some(score) = cx.score
        && score >= cx.hold_at
    {
        reasons.push(HoldReason::Classifier((score * 100.0).round() as u32));
    }
    reasons
}

/// Web addresses in a text (`http://`, `https://`, `www.`).
pub fn count_links(text: &str) -> usize {
    let lower = text.to_lowercase();
    lower.matches("http://").count() + lower.matches("https://").count() + {
        lower
            .split(|c: char| c.is_whitespace() || c == '(' || c == '"')
            .filter(|w| w.starts_with("www."))
            .count()
    }
}

/// The first banned term found in `text`, as the site wrote it.
pub fn find_banned<'t>(text: &str, terms: &'t [String]) -> Option<&'t str> {
    let tokens = screening_tokens(text);
    // Letters spread out with separators (`s.t.u.p.i.d`) join up again.
    let mut joined = Vec::new();
    let mut run = String::new();
    for token in &tokens {
        if token.chars().count() == 1 {
            run.push_str(token);
        } else {
            if run.chars().count() > 2 {
                joined.push(std::mem::take(&mut run));
            }
            run.clear();
        }
    }
    if run.chars().count() > 2 {
        joined.push(run);
    }
    let words: Vec<&str> = tokens
        .iter()
        .chain(joined.iter())
        .map(String::as_str)
        .collect();
    let stems: Vec<arabic::Stem> = arabic_words(text).filter_map(arabic::stem).collect();
    terms.iter().map(String::as_str).find(|term| {
        let wanted = screening_tokens(term);
        match wanted.as_slice() {
            [] => false,
            [single] => {
                let spellings = arabic::spellings_without_hamza(single);
                std::iter::once(single)
                    .chain(&spellings)
                    .any(|s| words.iter().any(|w| word_matches(w, s)))
                    || same_word_by_deeper_rules(term, &stems)
            }
            many => tokens
                .windows(many.len())
                .any(|window| window.iter().zip(many).all(|(w, t)| word_matches(w, t))),
        }
    })
}

/// Arabic prefixes written attached to a word, longest first.
const ARABIC_PREFIXES: [&str; 12] = [
    "وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ك", "ل", "س",
];
/// Arabic suffixes (pronouns, plurals), after letter folding.
const ARABIC_SUFFIXES: [&str; 10] = ["هما", "كم", "هم", "ها", "ين", "ون", "ات", "ان", "ه", "ي"];

fn word_matches(word: &str, term: &str) -> bool {
    if word == term {
        return true;
    }
    if !term.chars().any(arabic::is_arabic_letter) || !word.ends_with(term) && !word.contains(term)
    {
        return false;
    }
    // Peel one attached prefix and one suffix at most.
    let stems = ARABIC_PREFIXES
        .iter()
        .filter_map(|p| word.strip_prefix(p))
        .chain(std::iter::once(word));
    for stem in stems {
        if stem == term {
            return true;
        }
        if ARABIC_SUFFIXES
            .iter()
            .any(|s| stem.strip_suffix(s) == Some(term))
        {
            return true;
        }
    }
    false
}

/// The Arabic words of a text as written, for [`arabic::stem`].
fn arabic_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || arabic::is_tashkeel(c) || c == arabic::TATWEEL))
        .filter(|w| w.chars().any(arabic::is_arabic_letter))
}

/// True when a one-word Arabic term and a word of the text have the same
/// stem and a broken plural or a pronoun after a plural ending took one of
/// them there. Light stemming alone is not enough: it would let `زبالة`
/// (garbage, an insult) catch `زبالين` (garbage collectors), which the
/// peeling of [`word_matches`] rightly keeps apart.
fn same_word_by_deeper_rules(term: &str, stems: &[arabic::Stem]) -> bool {
    if term.split_whitespace().count() != 1 || !term.chars().any(arabic::is_arabic_letter) {
        return false;
    }
    let Some(wanted) = arabic::stem(term) else {
        return false;
    };
    stems.iter().any(|found| {
        found.key == wanted.key
            && (found.rule != arabic::StemRule::Light || wanted.rule != arabic::StemRule::Light)
    })
}

/// Words of a text as screening and the classifier compare them.
pub fn screening_words(text: &str) -> Vec<String> {
    screening_tokens(text)
}

/// Words of a text in the form screening compares: normalised, look-alikes
/// folded, stretched letters collapsed.
fn screening_tokens(text: &str) -> Vec<String> {
    let normalized = arabic::normalize_for_matching(text);
    let mut tokens = Vec::new();
    let mut current = String::new();
    for c in normalized.chars() {
        let c = match c {
            '@' => 'a',
            '$' => 's',
            _ => c,
        };
        if c.is_alphanumeric() {
            current.push(c);
        } else if !current.is_empty() {
            tokens.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
        .into_iter()
        .map(|t| collapse_repeats(&fold_look_alikes(&t)))
        .collect()
}

/// Digits standing for letters inside a word of letters (`1d10t`).
fn fold_look_alikes(token: &str) -> String {
    if !token.chars().any(char::is_alphabetic) {
        return token.to_owned();
    }
    token
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' => 'i',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '7' => 't',
            _ => c,
        })
        .collect()
}

/// `stuuupid` and `stupid` compare equal; so do `kill` and `kil`, which is
/// harmless for matching a curated list.
fn collapse_repeats(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    let mut last = None;
    for c in token.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

/// A short, stable label for a version of the terms of use, recorded with
/// each comment's consent (FNV-1a, 64 bits: a label, not a secret).
pub fn terms_version(terms: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in terms.trim().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn comment(body: &str) -> CheckedComment {
        CheckedComment {
            name: "Reader".into(),
            email: crate::accounts::Email::parse("reader@example.com").unwrap(),
            title: "A view".into(),
            body: body.into(),
        }
    }

    fn terms(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn banned_terms_match_through_common_disguises() {
        let list = terms(&["stupid", "idiot", "غبي", "حمار", "go to hell"]);
        for text in [
            "What a STUPID idea",
            "s.t.u.p.i.d writer",
            "stuuuupid",
            "you 1d10t",
            "$tupid",
            "كاتب غبيّ",
            "يا غبـــي",
            "والغبي يكتب",
            "أنت حمارة",
            "just go   to hell",
        ] {
            assert!(find_banned(text, &list).is_some(), "{text}");
        }
        for text in [
            "A stupendous result",
            "Idiomatic Arabic",
            "الغبار يملأ الجو",
            "hello there",
        ] {
            assert_eq!(find_banned(text, &list), None, "{text}");
        }
    }

    #[test]
    fn banned_arabic_terms_are_caught_as_broken_plurals_and_with_stacked_suffixes() {
        let list = terms(&["سلاح", "خائن", "حشرة", "عميل"]);
        for (text, term) in [
            ("جمعوا الأسلحة في المخزن", "سلاح"),
            ("تركوا أسلحتهم وهربوا", "سلاح"),
            ("وأسلحته معه", "سلاح"),
            ("كلهم خونة", "خائن"),
            ("يا خاين", "خائن"),
            ("هؤلاء حشراتهم في كل مكان", "حشرة"),
            ("العملاء باعوا البلد", "عميل"),
        ] {
            assert_eq!(find_banned(text, &list), Some(term), "{text}");
        }
        // A banned plural catches the singular too.
        assert_eq!(find_banned("سلاح قديم", &terms(&["أسلحة"])), Some("أسلحة"));
    }

    #[test]
    fn the_deeper_arabic_rules_do_not_catch_look_alikes() {
        let list = terms(&["سلاح", "خائن", "كلب", "عميل", "زبالة", "حرامي"]);
        for text in [
            "صلاحيات واسعة للمجلس",
            "مسلحون في الشارع",
            "خزائن الدولة فارغة",
            "الخان القديم في السوق",
            "كلية الطب تفتح أبوابها",
            "عمال المصنع وأعمال الصيانة",
            "الزبالين يضربون عن العمل",
            "هذا حرام",
        ] {
            assert_eq!(find_banned(text, &list), None, "{text}");
        }
    }

    #[test]
    fn screening_names_every_reason() {
        let cx = ScreenContext {
            mode: CommentMode::Post,
            banned_terms: &terms(&["idiot"]),
            duplicate: true,
            trusted: false,
            score: Some(0.95),
            hold_at: 0.9,
        };
        let reasons = screen(
            &comment("idiot https://a.test https://b.test www.c.test"),
            &cx,
        );
        assert_eq!(
            reasons,
            vec![
                HoldReason::BannedTerm("idiot".into()),
                HoldReason::TooManyLinks(3),
                HoldReason::Duplicate,
                HoldReason::Classifier(95),
            ]
        );
        let clean = screen(
            &comment("A fair point, well argued."),
            &ScreenContext {
                duplicate: false,
                score: Some(0.2),
                ..cx
            },
        );
        assert!(clean.is_empty());
        let trusted = screen(
            &comment("Fine."),
            &ScreenContext {
                mode: CommentMode::Pre,
                trusted: true,
                duplicate: false,
                score: None,
                ..cx
            },
        );
        assert!(trusted.is_empty(), "trusted commenters skip pre-moderation");
    }

    #[test]
    fn the_form_needs_every_field_and_the_consent() {
        let errors = CommentInput {
            name: " ".into(),
            email: "nope".into(),
            title: "Title".into(),
            body: "x".repeat(11),
            ..CommentInput::default()
        }
        .check(10)
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.problem)).collect();
        assert_eq!(
            fields,
            vec![
                ("name", Problem::Required),
                ("body", Problem::TooLong(10)),
                ("email", Problem::InvalidEmail),
                ("agree", Problem::MustAgree),
            ]
        );
        // Windows line ends count as one character, like the counter.
        assert_eq!(char_count("a\r\nb"), 3);
    }

    #[test]
    fn comments_close_after_the_sites_days_and_articles_override_sections() {
        let policy = CommentPolicy {
            mode: CommentMode::Pre,
            max_chars: 1000,
            close_after_days: 30,
        };
        let now = datetime!(2026-11-30 10:00 UTC);
        let fresh = Some(now - Duration::days(2));
        assert_eq!(
            effective_mode(&policy, None, None, fresh, now),
            CommentMode::Pre
        );
        assert_eq!(
            effective_mode(
                &policy,
                Some(CommentMode::Closed),
                Some(CommentMode::Post),
                fresh,
                now
            ),
            CommentMode::Post
        );
        assert_eq!(
            effective_mode(
                &policy,
                Some(CommentMode::Post),
                None,
                Some(now - Duration::days(31)),
                now
            ),
            CommentMode::Closed
        );
    }

    #[test]
    fn the_image_mode_takes_only_the_image_and_the_work_mode_takes_either() {
        assert!(SecurityMode::Image.accepts(true, false));
        assert!(!SecurityMode::Image.accepts(false, true));
        assert!(SecurityMode::Pow.accepts(false, true));
        assert!(SecurityMode::Pow.accepts(true, false));
        assert!(!SecurityMode::Pow.accepts(false, false));
    }

    #[test]
    fn mail_is_bounded_per_recipient_per_domain_and_in_all() {
        assert!(may_queue_mail(0, 0, 0));
        assert!(!may_queue_mail(MAX_MAIL_PER_RECIPIENT_PER_DAY, 0, 0));
        assert!(!may_queue_mail(0, MAX_MAIL_PER_DOMAIN_PER_HOUR, 0));
        assert!(!may_queue_mail(0, 0, MAX_UNSENT_MAIL));
        assert_eq!(mail_domain("layla@example.com"), "example.com");
        assert_eq!(mail_domain("no-at-sign"), "");
    }

    #[test]
    fn trust_comes_with_approvals_and_goes_with_rejections() {
        let policy = ReputationPolicy {
            trust_after_approved: 3,
            distrust_rejection_percent: 30,
        };
        let mut record = Record {
            verified: true,
            approved: 3,
            recent_decisions: 3,
            recent_rejections: 0,
        };
        assert!(is_trusted(&record, &policy));
        record.verified = false;
        assert!(!is_trusted(&record, &policy), "only confirmed addresses");
        record.verified = true;
        record.approved = 2;
        assert!(!is_trusted(&record, &policy));
        record.approved = 5;
        record.recent_decisions = 6;
        record.recent_rejections = 3;
        assert!(!is_trusted(&record, &policy), "half rejected lately");
    }

    #[test]
    fn bans_cover_addresses_and_ranges() {
        assert!(ip_in_range("203.0.113.7", "203.0.113.0/24"));
        assert!(ip_in_range("203.0.113.7", "203.0.113.7"));
        assert!(!ip_in_range("203.0.114.7", "203.0.113.0/24"));
        assert!(ip_in_range("2001:db8::1", "2001:db8::/32"));
        assert!(!ip_in_range("127.0.0.1", "::1"));
        assert!(!ip_in_range("not an ip", "0.0.0.0/0"));
    }

    #[test]
    fn terms_versions_change_with_the_text() {
        assert_eq!(terms_version("Be civil."), terms_version(" Be civil.\n"));
        assert_ne!(terms_version("Be civil."), terms_version("Be kind."));
    }

    #[test]
    fn a_ban_offered_for_one_reader_never_covers_every_reader() {
        // A reader reaching a dual-stack listener over IPv4.
        let offered = ban_range_of("::ffff:203.0.113.7");
        assert_eq!(offered, "203.0.113.0/24");
        let stored = BanKind::Ip.normalise(&offered).unwrap();
        assert!(ip_in_range("203.0.113.9", &stored));
        assert!(ip_in_range("::ffff:203.0.113.9", &stored));
        assert!(!ip_in_range("198.51.100.1", &stored));
        assert!(!ip_in_range("::ffff:198.51.100.1", &stored));
        // A mapped range typed by hand means its IPv4 part.
        assert_eq!(
            BanKind::Ip.normalise("::ffff:203.0.113.0/120").as_deref(),
            Some("203.0.113.0/24")
        );
        // Ranges that would ban a provider or everyone are refused.
        for too_wide in [
            "0.0.0.0/0",
            "10.0.0.0/8",
            "::/0",
            "2001:db8::/16",
            "::ffff:0.0.0.0/96",
        ] {
            assert_eq!(BanKind::Ip.normalise(too_wide), None, "{too_wide}");
        }
        assert_eq!(ban_range_of("2001:db8:1:2::7"), "2001:db8:1::/48");
    }
}
