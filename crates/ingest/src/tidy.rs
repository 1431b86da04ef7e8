//! Small pure rules the readers share: times, statuses, datelines,
//! bylines, the text of HTML, and the agency lines at the top of a body
//! that repeat what the item already says.

use crate::Status;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// Reads a NewsML-G2 or ninjs time: RFC 3339, the same without seconds'
/// fraction or offset (read as UTC, which agencies mean), or a date alone
/// (midnight UTC). Anything else is `None`.
pub fn parse_time(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    let local = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    if let Ok(t) = PrimitiveDateTime::parse(text, local) {
        return Some(t.assume_utc());
    }
    let date = format_description!("[year]-[month]-[day]");
    Date::parse(text, date)
        .ok()
        .map(|d| d.midnight().assume_utc())
}

/// Reads a publishing status by its code, with or without a scheme
/// (`stat:usable`, `usable`). "cancelled" is accepted: ninjs forbids it,
/// but producers write it.
pub fn parse_status(code: &str) -> Option<Status> {
    match local_code(code).to_ascii_lowercase().as_str() {
        "usable" => Some(Status::Usable),
        "canceled" | "cancelled" => Some(Status::Canceled),
        "withheld" => Some(Status::Withheld),
        _ => None,
    }
}

/// A code without its scheme: `hlrole:main` is `main`, `rnd:highRes`
/// is `highRes`.
pub(crate) fn local_code(code: &str) -> &str {
    code.rsplit(':').next().unwrap_or(code).trim()
}

/// Whether a dateline text is a timestamp rather than a place: Reuters
/// writes "2014-07-17 00:24:11 GMT+00:00" where others write "BEIRUT".
pub fn is_timestamp(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let clock = chars.windows(4).any(|w| {
        w[0].is_ascii_digit() && w[1] == ':' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
    });
    let iso_date = chars.windows(5).any(|w| {
        w[0].is_ascii_digit()
            && w[1].is_ascii_digit()
            && w[2] == '-'
            && w[3].is_ascii_digit()
            && w[4].is_ascii_digit()
    });
    let digits = chars.iter().filter(|c| c.is_numeric()).count();
    let letters = chars.iter().filter(|c| c.is_alphabetic()).count();
    clock || iso_date || digits > letters || parse_time(text).is_some()
}

/// The place of a dateline, or `None` when it is empty or a timestamp;
/// without the dash agencies end it with ("London (dpa) - ").
pub fn dateline_place(text: &str) -> Option<String> {
    let text = collapse_spaces(text);
    let place = text
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | ',' | ':'));
    (!place.is_empty() && !is_timestamp(place)).then(|| place.to_owned())
}

/// A byline without the "By" the page template adds itself.
pub fn byline(text: &str) -> Option<String> {
    let text = collapse_spaces(text);
    let name = match text.get(..3) {
        Some(by) if by.eq_ignore_ascii_case("by ") => &text[3..],
        _ if text.eq_ignore_ascii_case("by") => "",
        _ => &text,
    };
    (!name.is_empty()).then(|| name.to_owned())
}

/// The values in their first order, each once.
pub fn unique(values: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
}

/// Runs of whitespace as one space, trimmed.
pub fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Some` of the collapsed text, `None` when nothing is left.
pub fn non_empty(text: &str) -> Option<String> {
    let text = collapse_spaces(text);
    (!text.is_empty()).then_some(text)
}

/// The text of an HTML fragment: tags and comments dropped, character
/// references read (every HTML5 named one, decimal and hexadecimal),
/// whitespace collapsed. A `<` that cannot open a tag (`3 < 4`) is text,
/// as in HTML. For comparisons and plain-text fields, not for display of
/// untrusted HTML.
pub fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' if !in_tag
                && chars
                    .peek()
                    .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                in_tag = true;
            }
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    collapse_spaces(&decode_entities(&text))
}

/// Reads the character references in HTML text: every HTML5 named one
/// (`&rsquo;`, `&hellip;`), decimal and hexadecimal ones (`&#8217;`,
/// `&#x2019;`). One that is unknown, unterminated or names no character
/// (`&#0;`, `&#xD800;`) stays as it is written, and so does a bare `&`.
/// Decoded text is never decoded again: `&amp;lt;` is `&lt;`.
pub fn decode_entities(text: &str) -> String {
    // The longest HTML5 name, `&CounterClockwiseContourIntegral;`, is 33
    // bytes with its `&` and `;`.
    const LONGEST: usize = 33;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest
            .bytes()
            .take(LONGEST)
            .position(|b| b == b';')
            .and_then(|semi| Some((character_reference(&rest[1..semi])?, semi)));
        match decoded {
            Some((value, semi)) => {
                out.push_str(&value);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What the reference named `name` (between `&` and `;`) stands for.
fn character_reference(name: &str) -> Option<String> {
    let Some(number) = name.strip_prefix('#') else {
        return quick_xml::escape::resolve_html5_entity(name).map(str::to_owned);
    };
    let code = match number.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => number.parse(),
    };
    code.ok()
        .filter(|&c| c != 0)
        .and_then(char::from_u32)
        .map(String::from)
}

/// Escapes text for HTML content or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Plain text as HTML paragraphs: a blank line, or failing any, a line
/// break, separates paragraphs (ninjs `body_text`).
pub fn text_paragraphs(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let blocks: Vec<&str> = if text.contains("\n\n") {
        text.split("\n\n").collect()
    } else {
        text.split('\n').collect()
    };
    blocks
        .iter()
        .filter_map(|b| non_empty(b))
        .map(|p| format!("<p>{}</p>", escape(&p)))
        .collect()
}

/// Drops the paragraphs at the top of a body that repeat the headline or
/// the slugline, or carry the embargo instruction ("EMBARGOED UNTIL
/// 1200 GMT"): agencies put them there for teleprinters, and on a page
/// they show twice or tell readers what only editors should read.
/// Compares text only, ignoring case, markup and spacing; stops at the
/// first paragraph that is copy.
pub fn strip_wire_preamble(body_html: &str, headline: &str, slugline: Option<&str>) -> String {
    let headline = html_text(headline).to_lowercase();
    let slugline = slugline.map(|s| html_text(s).to_lowercase());
    let mut rest = body_html.trim_start();
    while let Some((text, after)) = first_block(rest) {
        let text = text.to_lowercase();
        let repeated =
            !text.is_empty() && (text == headline || slugline.as_deref() == Some(text.as_str()));
        let embargo = is_embargo_line(&text);
        if !(text.is_empty() || repeated || embargo) {
            break;
        }
        rest = after.trim_start();
    }
    rest.to_owned()
}

/// An instruction line ("EMBARGOED UNTIL 1200 GMT", "Embargo: 6 Dec
/// 00:01"), not copy that starts with the word ("Embargoed goods were
/// seized at the border on Monday, officials said.").
fn is_embargo_line(text: &str) -> bool {
    const OPENINGS: [&str; 8] = [
        "embargoed until",
        "embargoed till",
        "embargoed to",
        "embargoed for",
        "embargoed:",
        "embargo until",
        "embargo:",
        "under embargo until",
    ];
    text.chars().count() <= 120 && OPENINGS.iter().any(|o| text.starts_with(o))
}

/// The text of the paragraph or heading `html` starts with and what
/// follows it; `None` when it starts with anything else.
fn first_block(html: &str) -> Option<(String, &str)> {
    let open = html.strip_prefix('<')?;
    let name_end = open.find(|c: char| !c.is_ascii_alphanumeric())?;
    let name = open[..name_end].to_ascii_lowercase();
    if !matches!(name.as_str(), "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
        return None;
    }
    let after_name = &open[name_end..];
    if !after_name.starts_with(['>', ' ', '\t', '\n', '\r', '/']) {
        return None;
    }
    if let Some(after) = after_name.strip_prefix("/>") {
        return Some((String::new(), after));
    }
    // The end tag in any case, found without copying the rest of the
    // body: this runs once per paragraph stripped.
    let close = format!("</{name}>");
    let end = after_name.match_indices("</").map(|(i, _)| i).find(|&i| {
        after_name
            .get(i..i + close.len())
            .is_some_and(|tag| tag.eq_ignore_ascii_case(&close))
    })?;
    let inner_start = after_name.find('>')? + 1;
    let inner = after_name.get(inner_start..end)?;
    Some((html_text(inner), &after_name[end + close.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn times_are_read_in_the_forms_agencies_write() {
        assert_eq!(
            parse_time("2026-12-05T09:30:00+02:00"),
            Some(datetime!(2026-12-05 09:30:00 +02:00))
        );
        assert_eq!(
            parse_time(" 2026-12-05T09:30:00.125Z "),
            Some(datetime!(2026-12-05 09:30:00.125 UTC))
        );
        assert_eq!(
            parse_time("2026-12-05T09:30:00"),
            Some(datetime!(2026-12-05 09:30:00 UTC))
        );
        assert_eq!(
            parse_time("2026-12-05"),
            Some(datetime!(2026-12-05 00:00:00 UTC))
        );
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(parse_time(""), None);
    }

    #[test]
    fn statuses_are_read_with_or_without_their_scheme() {
        assert_eq!(parse_status("stat:usable"), Some(Status::Usable));
        assert_eq!(parse_status("stat:canceled"), Some(Status::Canceled));
        assert_eq!(parse_status("cancelled"), Some(Status::Canceled));
        assert_eq!(parse_status("WITHHELD"), Some(Status::Withheld));
        assert_eq!(parse_status("stat:draft"), None);
    }

    #[test]
    fn a_dateline_is_a_place_and_never_a_timestamp() {
        assert_eq!(dateline_place("BEIRUT"), Some("BEIRUT".into()));
        assert_eq!(
            dateline_place("London (dpa) - "),
            Some("London (dpa)".into())
        );
        assert_eq!(
            dateline_place("MOSCOW, Monday (Reuters)"),
            Some("MOSCOW, Monday (Reuters)".into())
        );
        assert_eq!(dateline_place("بيروت"), Some("بيروت".into()));
        assert_eq!(dateline_place("2014-07-17 00:24:11 GMT+00:00"), None);
        assert_eq!(dateline_place("2026-12-05T09:30:00Z"), None);
        assert_eq!(dateline_place("17/07/2014"), None);
        assert_eq!(dateline_place("  "), None);
    }

    #[test]
    fn a_byline_loses_its_leading_by() {
        assert_eq!(byline("By  Marwan Makdisi"), Some("Marwan Makdisi".into()));
        assert_eq!(
            byline("Von Christian Hollmann, dpa"),
            Some("Von Christian Hollmann, dpa".into())
        );
        assert_eq!(byline("Bylund"), Some("Bylund".into()));
        assert_eq!(byline("By "), None);
    }

    #[test]
    fn html_text_reads_every_character_reference_once() {
        assert_eq!(
            html_text("<b>Trump&#8217;s</b> plan&hellip; &#x2014; AT&amp;T &amp;lt;b&amp;gt;"),
            "Trump\u{2019}s plan\u{2026} \u{2014} AT&T &lt;b&gt;"
        );
        assert_eq!(html_text("a&nbsp;b &zwnj; &rlm;"), "a b \u{200c} \u{200f}");
        assert_eq!(
            decode_entities("&nosuch; &#0; &#xD800; &#99999999999; & &amp"),
            "&nosuch; &#0; &#xD800; &#99999999999; & &amp"
        );
        assert_eq!(
            decode_entities("caf&eacute; &#233; &#xE9; ص&amp;ص"),
            "café é é ص&ص"
        );
    }

    #[test]
    fn a_less_than_sign_that_opens_no_tag_is_text() {
        assert_eq!(
            html_text("Profits < forecasts, <i>shares</i> fall"),
            "Profits < forecasts, shares fall"
        );
        assert_eq!(html_text("<p>One</p><!-- c --><p>Two</p>"), "One Two");
    }

    #[test]
    fn plain_text_becomes_escaped_paragraphs() {
        assert_eq!(
            text_paragraphs("One\nstill one.\n\nTwo & <three>"),
            "<p>One still one.</p><p>Two &amp; &lt;three&gt;</p>"
        );
        assert_eq!(text_paragraphs("A\nB"), "<p>A</p><p>B</p>");
    }

    #[test]
    fn the_preamble_agencies_put_on_top_is_dropped() {
        let body = "<p>EMBARGOED UNTIL 1200 GMT</p>\n<P>BEIRUT-PORT</P><h1>Port <b>reopens</b></h1><p>The port reopened.</p><p>Port reopens</p>";
        assert_eq!(
            strip_wire_preamble(body, "Port reopens", Some("beirut-port")),
            "<p>The port reopened.</p><p>Port reopens</p>"
        );
    }

    #[test]
    fn copy_that_starts_with_the_word_embargo_stays() {
        let body = "<p>Embargoed goods were seized at the border on Monday.</p>";
        assert_eq!(strip_wire_preamble(body, "Seizure", None), body);
        assert_eq!(
            strip_wire_preamble("<p>Embargo: 6 Dec 00:01 GMT</p><p>Copy</p>", "H", None),
            "<p>Copy</p>"
        );
    }

    #[test]
    fn a_body_without_preamble_is_left_as_it_is() {
        let body = "<p class=\"lead\">The port reopened.</p>";
        assert_eq!(strip_wire_preamble(body, "Port reopens", None), body);
        let list = "<ul><li>Port reopens</li></ul>";
        assert_eq!(strip_wire_preamble(list, "Port reopens", None), list);
        assert_eq!(
            strip_wire_preamble("<pre>x</pre>", "x", None),
            "<pre>x</pre>"
        );
    }

    #[test]
    fn many_empty_paragraphs_are_stripped_in_linear_time() {
        let body = format!("{}<p>Copy</p>", "<P> </P>".repeat(200_000));
        assert_eq!(strip_wire_preamble(&body, "H", None), "<p>Copy</p>");
    }

    #[test]
    fn empty_paragraphs_at_the_top_go_too() {
        assert_eq!(
            strip_wire_preamble("<p/> <p> </p><p>Copy</p>", "Headline", None),
            "<p>Copy</p>"
        );
    }
}
