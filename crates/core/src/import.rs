//! What a WordPress or Disqus export's values mean in Dateline (issue 15):
//! statuses, languages, Polylang's translation groups, identities and old
//! addresses. Pure functions; the importer (`newsdesk::import`) applies
//! them.

use crate::ArticleState;
use crate::comments::CommentStatus;
use crate::lang::Lang;

/// What becomes of a WordPress item of a given status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostFate {
    pub state: ArticleState,
    /// It was in WordPress's trash: kept, in Dateline's trash.
    pub trashed: bool,
}

/// The state a WordPress post status maps to, or why the item is not an
/// article. `trashed_from` is the status a trashed post had before
/// (`_wp_trash_meta_status`).
pub fn post_fate(status: &str, trashed_from: Option<&str>) -> Result<PostFate, String> {
    let state = |status: &str| match status {
        "publish" => Some(ArticleState::Published),
        "draft" => Some(ArticleState::Draft),
        "pending" => Some(ArticleState::InReview),
        "future" => Some(ArticleState::Scheduled),
        // Readers never saw it: kept, unpublished.
        "private" => Some(ArticleState::Unpublished),
        _ => None,
    };
    if status == "trash" {
        // A trashed story is not public, whatever it was before.
        let before = trashed_from
            .and_then(state)
            .filter(|s| !matches!(s, ArticleState::Published | ArticleState::Scheduled))
            .unwrap_or(ArticleState::Draft);
        return Ok(PostFate {
            state: before,
            trashed: true,
        });
    }
    match state(status) {
        Some(state) => Ok(PostFate {
            state,
            trashed: false,
        }),
        None if status == "auto-draft" => Err("an auto-draft (never saved by anyone)".into()),
        None if status == "inherit" => Err("a revision".into()),
        None => Err(format!("status {status:?} is not one Dateline knows")),
    }
}

/// A WordPress comment's `comment_approved` as a moderation state, and the
/// reason kept for one readers do not see.
pub fn wordpress_comment_status(approved: &str) -> Option<(CommentStatus, &'static str)> {
    match approved {
        "1" | "approve" | "approved" => Some((CommentStatus::Approved, "")),
        "0" | "hold" | "" => Some((CommentStatus::Pending, "")),
        "spam" => Some((CommentStatus::Rejected, "spam in WordPress")),
        "trash" | "post-trashed" => Some((CommentStatus::Deleted, "in WordPress's trash")),
        _ => None,
    }
}

/// A Disqus post's flags as a moderation state and the reason kept.
pub fn disqus_comment_status(
    deleted: bool,
    spam: bool,
    approved: Option<bool>,
) -> (CommentStatus, &'static str) {
    if spam {
        (CommentStatus::Rejected, "spam in Disqus")
    } else if deleted {
        (CommentStatus::Deleted, "deleted in Disqus")
    } else if approved == Some(false) {
        (CommentStatus::Pending, "")
    } else {
        (CommentStatus::Approved, "")
    }
}

/// The language of a text by its letters: Arabic when at least a third of
/// them are Arabic (English words and names are common in Arabic copy),
/// else English; `None` without letters.
pub fn text_language(text: &str) -> Option<Lang> {
    let (mut arabic, mut letters) = (0_usize, 0_usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
        {
            arabic += 1;
        }
    }
    match letters {
        0 => None,
        _ if arabic * 3 >= letters => Some(Lang::Ar),
        _ => Some(Lang::En),
    }
}

/// The language a Polylang language term or locale names (`ar`, `ar_SA`,
/// `en-GB`).
pub fn language_code(code: &str) -> Option<Lang> {
    code.split(['_', '-']).next()?.parse().ok()
}

/// The posts of a Polylang `post_translations` term, from its description
/// (PHP-serialised: `a:2:{s:2:"en";i:101;s:2:"ar";i:109;}`), as language
/// code and post id. Anything else reads as no pairs.
pub fn polylang_translations(description: &str) -> Vec<(String, i64)> {
    let mut pairs = Vec::new();
    let mut rest = description;
    // Each pair is a string key `s:N:"code";` then `i:ID;`.
    while let Some(at) = rest.find("s:") {
        rest = &rest[at + 2..];
        let Some((_, after_len)) = rest.split_once(":\"") else {
            break;
        };
        let Some((code, after_code)) = after_len.split_once("\";") else {
            break;
        };
        rest = after_code;
        if let Some(value) = rest.strip_prefix("i:")
            && let Some((number, after)) = value.split_once(';')
            && let Ok(id) = number.trim().parse::<i64>()
        {
            pairs.push((code.to_owned(), id));
            rest = after;
        }
    }
    pairs
}

/// The locale a Polylang `language` term's description holds
/// (`a:3:{s:6:"locale";s:5:"ar_SA";…}`).
pub fn polylang_locale(description: &str) -> Option<String> {
    let at = description.find("\"locale\";s:")?;
    let rest = &description[at + "\"locale\";s:".len()..];
    let (_, after) = rest.split_once(":\"")?;
    let (locale, _) = after.split_once('"')?;
    Some(locale.to_owned())
}

/// The source an export's site is known by: `wordpress:` and its host
/// (without `www.`), so an export of the same site made later, or over
/// `http`, is the same source.
pub fn wordpress_source(site_url: &str) -> Option<String> {
    let rest = site_url.trim().split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (!host.is_empty()).then(|| format!("wordpress:{host}"))
}

/// A post's slug as WordPress keeps it (percent-encoded for Arabic,
/// `__trashed` appended in the trash), as text; `None` when empty.
pub fn decoded_slug(post_name: &str) -> Option<String> {
    let name = post_name.trim();
    let name = name.strip_suffix("__trashed").unwrap_or(name);
    let decoded = crate::redirect::percent_decode(name);
    (!decoded.is_empty()).then_some(decoded)
}

/// A Disqus export's source: `disqus:` and its forum's short name.
pub fn disqus_source(forum: &str) -> String {
    format!("disqus:{}", forum.trim().to_ascii_lowercase())
}

/// A post's former address under an old slug: its permalink with the slug
/// it has now replaced by the old one, when the permalink ends in it.
pub fn old_slug_address(permalink: &str, slug: &str, old_slug: &str) -> Option<String> {
    if slug.is_empty() || old_slug.is_empty() || slug == old_slug {
        return None;
    }
    let trimmed = permalink.trim_end_matches('/');
    let base = trimmed.strip_suffix(slug)?;
    base.ends_with('/')
        .then(|| format!("{base}{old_slug}{}", &permalink[trimmed.len()..]))
}

/// The WordPress post id a Disqus thread names: its identifier is the
/// post id and the guid (`"123 https://…/?p=123"`), as the WordPress
/// plugin writes it, or the id alone.
pub fn thread_post_id(identifier: &str) -> Option<&str> {
    let first = identifier.split_whitespace().next()?;
    first.bytes().all(|b| b.is_ascii_digit()).then_some(first)
}

/// Text without markup, for an excerpt become a standfirst: tags dropped,
/// the commonest references decoded, spaces collapsed.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#8217;", "\u{2019}")
        .replace("&#8230;", "\u{2026}")
        .replace("[&hellip;]", "")
        .replace("&hellip;", "\u{2026}");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A comment's HTML (WordPress keeps a few tags, Disqus wraps paragraphs
/// in `<p>`) as the plain text Dateline keeps: tags dropped, paragraphs
/// and line breaks kept as blank lines and newlines.
pub fn comment_text(html: &str) -> String {
    let spaced = html
        .replace("</p>", "\n\n")
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    let mut text = String::with_capacity(spaced.len());
    let mut in_tag = false;
    for c in spaced.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#039;", "'")
        .replace("&amp;", "&");
    let mut paragraphs = Vec::new();
    for block in text.split("\n\n") {
        let lines: Vec<&str> = block
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if !lines.is_empty() {
            paragraphs.push(lines.join("\n"));
        }
    }
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_the_workflow() {
        let fate = |s, before| post_fate(s, before).map(|f| (f.state, f.trashed));
        assert_eq!(fate("publish", None), Ok((ArticleState::Published, false)));
        assert_eq!(fate("draft", None), Ok((ArticleState::Draft, false)));
        assert_eq!(fate("pending", None), Ok((ArticleState::InReview, false)));
        assert_eq!(fate("future", None), Ok((ArticleState::Scheduled, false)));
        assert_eq!(
            fate("private", None),
            Ok((ArticleState::Unpublished, false))
        );
        assert_eq!(
            fate("trash", Some("pending")),
            Ok((ArticleState::InReview, true))
        );
        // A published story in the trash is not public here either.
        assert_eq!(
            fate("trash", Some("publish")),
            Ok((ArticleState::Draft, true))
        );
        assert!(fate("auto-draft", None).unwrap_err().contains("auto-draft"));
        assert!(fate("wc-pending", None).unwrap_err().contains("wc-pending"));
    }

    #[test]
    fn comment_statuses_map_to_moderation() {
        assert_eq!(
            wordpress_comment_status("1").map(|s| s.0),
            Some(CommentStatus::Approved)
        );
        assert_eq!(
            wordpress_comment_status("0").map(|s| s.0),
            Some(CommentStatus::Pending)
        );
        assert_eq!(
            wordpress_comment_status("spam").map(|s| s.0),
            Some(CommentStatus::Rejected)
        );
        assert_eq!(
            wordpress_comment_status("post-trashed").map(|s| s.0),
            Some(CommentStatus::Deleted)
        );
        assert_eq!(wordpress_comment_status("weird"), None);
        assert_eq!(
            disqus_comment_status(false, true, Some(true)).0,
            CommentStatus::Rejected
        );
        assert_eq!(
            disqus_comment_status(true, false, None).0,
            CommentStatus::Deleted
        );
        assert_eq!(
            disqus_comment_status(false, false, Some(false)).0,
            CommentStatus::Pending
        );
        assert_eq!(
            disqus_comment_status(false, false, None).0,
            CommentStatus::Approved
        );
    }

    #[test]
    fn language_is_read_from_letters() {
        assert_eq!(text_language("مقتل 12 شخصا في غزة"), Some(Lang::Ar));
        assert_eq!(
            text_language("قال مسؤول في CNN إن الوضع خطير"),
            Some(Lang::Ar)
        );
        assert_eq!(
            text_language("Gaza: 12 killed, says المرصد"),
            Some(Lang::En)
        );
        assert_eq!(text_language("2026 — 12"), None);
        assert_eq!(language_code("ar_SA"), Some(Lang::Ar));
        assert_eq!(language_code("en-GB"), Some(Lang::En));
        assert_eq!(language_code("fr_FR"), None);
    }

    #[test]
    fn polylang_terms_are_read() {
        assert_eq!(
            polylang_translations(r#"a:2:{s:2:"en";i:101;s:2:"ar";i:109;}"#),
            vec![("en".to_owned(), 101), ("ar".to_owned(), 109)]
        );
        assert!(polylang_translations("not serialised").is_empty());
        assert!(polylang_translations(r#"a:1:{s:2:"en""#).is_empty());
        assert_eq!(
            polylang_locale(r#"a:3:{s:6:"locale";s:5:"ar_SA";s:3:"rtl";i:1;}"#).as_deref(),
            Some("ar_SA")
        );
    }

    #[test]
    fn sources_and_old_addresses() {
        assert_eq!(
            wordpress_source("https://www.Courier.example.org/news").as_deref(),
            Some("wordpress:courier.example.org")
        );
        assert_eq!(wordpress_source("courier"), None);
        assert_eq!(disqus_source(" Courier "), "disqus:courier");
        assert_eq!(
            old_slug_address(
                "https://c.example/2026/11/new-slug/",
                "new-slug",
                "old-slug"
            )
            .as_deref(),
            Some("https://c.example/2026/11/old-slug/")
        );
        assert_eq!(
            old_slug_address("https://c.example/?p=12", "new", "old"),
            None
        );
        assert_eq!(thread_post_id("123 https://c.example/?p=123"), Some("123"));
        assert_eq!(decoded_slug("%d8%ba%d8%b2%d8%a9").as_deref(), Some("غزة"));
        assert_eq!(
            decoded_slug("old-story__trashed").as_deref(),
            Some("old-story")
        );
        assert_eq!(decoded_slug(""), None);
        assert_eq!(thread_post_id("article-7"), None);
        assert_eq!(
            plain_text("<p>Port &amp; city&nbsp;reopen [&hellip;]</p>"),
            "Port & city reopen"
        );
    }

    #[test]
    fn comment_bodies_keep_their_paragraphs() {
        assert_eq!(
            comment_text("<p>First &amp; <b>bold</b></p><p>Second<br>line</p>"),
            "First & bold\n\nSecond\nline"
        );
        assert_eq!(comment_text("Plain\n\n\nwords\n"), "Plain\n\nwords");
    }
}
