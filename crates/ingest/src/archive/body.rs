//! A WordPress post body as a WXR export stores it (`content:encoded`)
//! made into HTML that Dateline's article sanitiser keeps.
//!
//! WordPress stores a body half-done and finishes it when it shows the
//! page: Gutenberg's block comments are markers, shortcodes
//! (`[caption]`, `[embed]`, `[gallery]`) are expanded, and classic-editor
//! text, which has no `<p>`, is cut into paragraphs at blank lines
//! (`wpautop`). Read as HTML, such a body would show `[caption …]` and run
//! its paragraphs together. This does what WordPress did at display time,
//! as far as Dateline can show it: captions become figures, embeds
//! become links (Dateline has no embeds), other shortcodes go, and every
//! such loss is named in a note for the editor. Pure: no IO; the caller
//! sanitises the result, so this sees to structure, not to safety.
//!
//! Each pass is one scan forward. Where a scan looks ahead for a closer
//! (`-->`, `]`, `[/name]`), the answer is remembered or indexed, so a
//! body full of openers without closers takes linear time, not
//! quadratic.

use crate::tidy::{decode_entities, escape};
use std::collections::{HashMap, HashSet};

/// A body ready for the sanitiser, and what an editor should check.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CleanedBody {
    /// Paragraphs, headings, lists, quotes, figures and links, one block
    /// a line.
    pub html: String,
    /// One line per thing dropped or changed that an editor should know
    /// about, e.g. "shortcode [gallery] removed", "embed
    /// https://youtu.be/x kept as a link"; each line once, in the order
    /// met.
    pub notes: Vec<String>,
}

/// Turns a WordPress post body into HTML for Dateline's sanitiser:
/// block comments and other comments removed, `<script>` and `<style>`
/// removed with their content, shortcodes expanded (captions into
/// figures, embeds and media into link paragraphs, the rest removed,
/// keeping what they enclose), text outside block elements cut into
/// paragraphs at blank lines with `<br>` at single line breaks, a URL
/// alone on its line made a link, `<h1>` made `<h2>` and `<h5>`, `<h6>`
/// made `<h4>`. Never fails: what it cannot read stays as text.
///
/// ```
/// use dateline_ingest::archive::clean_wordpress_body;
/// let body = clean_wordpress_body("First line\nsecond line\n\n[gallery ids=\"1,2\"]\n\nLast.");
/// assert_eq!(body.html, "<p>First line<br>\nsecond line</p>\n<p>Last.</p>");
/// assert_eq!(body.notes, ["shortcode [gallery] removed"]);
/// ```
pub fn clean_wordpress_body(content: &str) -> CleanedBody {
    let mut notes = Notes::default();
    let text = content.replace("\r\n", "\n").replace('\r', "\n");
    let text = strip_comments_and_scripts(&text, &mut notes);
    // Before shortcodes: an embed figure holding a shortcode is left
    // whole, and its shortcode becomes a link inside it.
    let text = replace_embed_figures(&text, &mut notes);
    let text = expand_shortcodes(&text, 0, &mut notes);
    let text = rename_headings(&text);
    let mut html = autop(&text, 0, &mut notes);
    // Removing one comment (or a shortcode) can join the text around it
    // into another (`<!<!-- x -->-- y -->`): again until none is left.
    // Each pass removes at least a `<!--`, so a few passes do (found by
    // fuzzing, `docs/fuzzing.md`).
    for _ in 0..MAX_COMMENT_PASSES {
        if !html.contains("<!--") {
            break;
        }
        html = strip_comments_and_scripts(&html, &mut notes);
    }
    if html.contains("<!--") {
        html = html.replace("<!--", "");
    }
    CleanedBody {
        html: html.trim().to_owned(),
        notes: notes.lines,
    }
}

/// Passes of comment removal over the cleaned body before any `<!--`
/// left is dropped outright.
const MAX_COMMENT_PASSES: usize = 4;

/// How deep captions' contents and container blocks are cleaned again
/// inside each other; deeper, they are kept as written. Real bodies nest
/// two or three deep; the bound keeps nested adversarial input linear.
const MAX_NESTING: usize = 4;

#[derive(Default)]
struct Notes {
    lines: Vec<String>,
    seen: HashSet<String>,
}

impl Notes {
    fn add(&mut self, line: String) {
        if self.seen.insert(line.clone()) {
            self.lines.push(line);
        }
    }

    fn removed_shortcode(&mut self, name: &str) {
        self.add(format!("shortcode [{name}] removed"));
    }

    fn kept_as_link(&mut self, kind: &str, url: &str) {
        self.add(format!("{kind} {url} kept as a link"));
    }
}

// ---------------------------------------------------------------------
// Comments, scripts and styles.

/// Removes HTML comments (Gutenberg's `<!-- wp:… -->` markers among
/// them) and `<script>`, `<style>` elements with their content.
fn strip_comments_and_scripts(text: &str, notes: &mut Notes) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut comment_end = Ahead::new(b"-->");
    let mut script_end = Ahead::new(b"</script");
    let mut style_end = Ahead::new(b"</style");
    let mut tag_end = Ahead::new(b">");
    let (mut copied, mut at) = (0, 0);
    while let Some(lt) = find_byte(bytes, at, b'<') {
        at = lt + 1;
        if starts_with_ci(bytes, lt, b"<!--") {
            out.push_str(&text[copied..lt]);
            copied = match comment_end.find(bytes, lt + 4) {
                Some(end) => end + 3,
                None => {
                    notes.add(
                        "an HTML comment was not closed: its `<!--` removed, the text after it kept"
                            .to_owned(),
                    );
                    lt + 4
                }
            };
            at = copied;
        } else if let Some(name) = raw_text_element(bytes, lt) {
            out.push_str(&text[copied..lt]);
            let closer = if name == "script" {
                &mut script_end
            } else {
                &mut style_end
            };
            copied = match closer.find(bytes, lt + 1) {
                Some(close) => tag_end.find(bytes, close).map_or(bytes.len(), |gt| gt + 1),
                // Unclosed, only the opening tag goes: what follows may
                // be the article.
                None => tag_end.find(bytes, lt).map_or(bytes.len(), |gt| gt + 1),
            };
            notes.add(format!("<{name}> removed"));
            at = copied;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// `script` or `style` when a tag of that name opens at `lt`.
fn raw_text_element(bytes: &[u8], lt: usize) -> Option<&'static str> {
    ["script", "style"].into_iter().find(|name| {
        starts_with_ci(bytes, lt + 1, name.as_bytes())
            && ends_tag_name(bytes.get(lt + 1 + name.len()))
    })
}

// ---------------------------------------------------------------------
// Gutenberg embed blocks.

/// Replaces a Gutenberg embed block's figure around a bare URL
/// (`<figure class="wp-block-embed …"><div class="wp-block-embed__wrapper">
/// URL</div></figure>`) by a link paragraph, and its caption, if any, by
/// a paragraph after it.
fn replace_embed_figures(text: &str, notes: &mut Notes) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut open_end = Ahead::new(b">");
    let mut figure_end = Ahead::new(b"</figure");
    let mut close_end = Ahead::new(b">");
    let (mut copied, mut at) = (0, 0);
    while let Some(lt) = find_ci(bytes, at, b"<figure") {
        at = lt + 1;
        if !ends_tag_name(bytes.get(lt + 7)) {
            continue;
        }
        let Some(gt) = open_end.find(bytes, lt) else {
            break;
        };
        // A `<` before the `>` means the tag was never ended; looking
        // for the class in it would rescan text the next tag scans too.
        let opening_tag = &bytes[lt..gt];
        if memchr::memchr(b'<', &opening_tag[1..]).is_some()
            || find_ci(opening_tag, 0, b"wp-block-embed").is_none()
        {
            continue;
        }
        let Some(close) = figure_end.find(bytes, gt) else {
            break;
        };
        if find_ci(&bytes[gt..close], 0, b"<figure").is_some() {
            continue;
        }
        let Some(close_gt) = close_end.find(bytes, close) else {
            break;
        };
        let (wrapper, caption) = split_figcaption(&text[gt + 1..close]);
        let url = decode_entities(text_outside_tags(wrapper).trim());
        if !is_bare_url(&url) {
            continue;
        }
        out.push_str(&text[copied..lt]);
        out.push_str(&link_paragraph(&url));
        if let Some(caption) = caption.map(str::trim).filter(|c| !is_blank(c)) {
            out.push_str("\n<p>");
            out.push_str(caption);
            out.push_str("</p>");
        }
        notes.kept_as_link("embed", &url);
        copied = close_gt + 1;
        at = copied;
    }
    out.push_str(&text[copied..]);
    out
}

/// A figure's content before its `<figcaption>`, and the caption's
/// content.
fn split_figcaption(inner: &str) -> (&str, Option<&str>) {
    let bytes = inner.as_bytes();
    let Some(start) = find_ci(bytes, 0, b"<figcaption") else {
        return (inner, None);
    };
    let Some(gt) = find_byte(bytes, start, b'>') else {
        return (inner, None);
    };
    let end = find_ci(bytes, gt, b"</figcaption").unwrap_or(bytes.len());
    (&inner[..start], Some(&inner[gt + 1..end]))
}

/// The text of an HTML fragment with its tags left out (entities kept).
fn text_outside_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

// ---------------------------------------------------------------------
// Shortcodes.

/// Shortcodes taken for ones whatever their form: WordPress's own, and
/// those of common plugins and page builders.
const KNOWN_SHORTCODES: &[&str] = &[
    "caption",
    "wp_caption",
    "embed",
    "video",
    "audio",
    "youtube",
    "vimeo",
    "tweet",
    "gallery",
    "playlist",
    "contact-form-7",
    "contact-form",
    "gravityform",
    "soundcloud",
    "googlemaps",
    "instagram",
    "facebook",
];

/// Prefixes of page builders' and plugins' families of shortcodes
/// (Visual Composer, Divi, Shortcodes Ultimate, Avada).
const KNOWN_SHORTCODE_PREFIXES: &[&str] = &["vc_", "et_pb_", "su_", "fusion_"];

/// Shortcodes whose subject is one URL, which Dateline keeps as a link.
const MEDIA_SHORTCODES: &[&str] = &[
    "video",
    "audio",
    "youtube",
    "vimeo",
    "tweet",
    "soundcloud",
    "instagram",
    "facebook",
];

/// Attributes naming a media shortcode's URL (`src`, or the file of one
/// format: `[video mp4="…"]`); positional values count too.
const MEDIA_URL_KEYS: &[&str] = &[
    "src", "url", "tweet", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "ogg", "wav", "m4a",
    "wma",
];

/// `[name attrs]` as read at its `[`.
struct Shortcode<'t> {
    name: &'t str,
    /// Between the name and `]`, without a self-closing `/`.
    attrs: &'t str,
    self_closing: bool,
    /// Just after its `]`.
    end: usize,
}

/// Expands the shortcodes of `text` (see [`render_shortcode`]); a
/// bracket that is not a shortcode (`[sic]`, `[1]`) stays as written.
///
/// One scan, not one per nesting level: a removed enclosing shortcode
/// keeps its content, so its opening and closing tags can go on their
/// own as the scan meets them. Only captions and embeds take their
/// content as a whole.
fn expand_shortcodes(text: &str, depth: usize, notes: &mut Notes) -> String {
    if depth > MAX_NESTING {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let closers = index_closers(text);
    let mut bracket_end = Ahead::new(b"]");
    let mut removed: HashSet<&str> = HashSet::new();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut at) = (0, 0);
    while let Some(open) = find_byte(bytes, at, b'[') {
        at = open + 1;
        match bytes.get(open + 1) {
            Some(b'[') => {
                // `[[name]]`, WordPress's escape: shown as `[name]`.
                let Some(tag) = read_shortcode(text, open + 1, &mut bracket_end) else {
                    continue;
                };
                if !is_shortcode(&tag, &closers) {
                    continue;
                }
                let literal_end = if bytes.get(tag.end) == Some(&b']') {
                    Some(tag.end)
                } else {
                    closer_after(&closers, tag.name, tag.end)
                        .map(|close| close + tag.name.len() + 3)
                        .filter(|&end| bytes.get(end) == Some(&b']'))
                };
                if let Some(end) = literal_end {
                    out.push_str(&text[copied..open]);
                    out.push_str(&text[open + 1..end]);
                    copied = end + 1;
                    at = copied;
                }
            }
            Some(b'/') => {
                let name = shortcode_name(text, open + 2);
                let end = open + 2 + name.len();
                if !name.is_empty()
                    && bytes.get(end) == Some(&b']')
                    && (is_known_shortcode(name) || removed.contains(name))
                {
                    out.push_str(&text[copied..open]);
                    copied = end + 1;
                    at = copied;
                }
            }
            _ => {
                let Some(tag) = read_shortcode(text, open, &mut bracket_end) else {
                    continue;
                };
                if !is_shortcode(&tag, &closers) {
                    continue;
                }
                out.push_str(&text[copied..open]);
                copied = render_shortcode(text, &tag, &closers, depth, &mut out, notes);
                if !matches!(tag.name, "caption" | "wp_caption" | "embed") {
                    removed.insert(tag.name);
                }
                at = copied;
            }
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Writes what a shortcode becomes to `out`; returns where the text
/// after it starts (after its closing tag when it took its content).
///
/// - `[caption]` (`[wp_caption]`): a figure of its image, captioned by
///   its `caption` attribute or else by the text after the image.
/// - `[embed]URL[/embed]`, and the media ones (`[video src=URL]`,
///   `[youtube URL]`, `[tweet URL]`…): a paragraph of a link to the URL.
/// - Any other: nothing; what it encloses stays, cleaned by the same
///   scan.
fn render_shortcode(
    text: &str,
    tag: &Shortcode<'_>,
    closers: &HashMap<&str, Vec<usize>>,
    depth: usize,
    out: &mut String,
    notes: &mut Notes,
) -> usize {
    let closer = if tag.self_closing {
        None
    } else {
        closer_after(closers, tag.name, tag.end)
    };
    let after_closer = |close: usize| close + tag.name.len() + 3;
    match tag.name {
        "caption" | "wp_caption" => match closer {
            Some(close) => {
                out.push_str(&caption_figure(tag, &text[tag.end..close], depth, notes));
                after_closer(close)
            }
            None => {
                notes.add(format!(
                    "shortcode [{}] not closed: removed, the text after it kept",
                    tag.name
                ));
                tag.end
            }
        },
        "embed" => match closer {
            Some(close) => {
                let inner = &text[tag.end..close];
                let url = decode_entities(text_outside_tags(inner).trim());
                if is_bare_url(&url) {
                    out.push_str(&link_paragraph(&url));
                    notes.kept_as_link("embed", &url);
                } else {
                    out.push_str(&expand_shortcodes(inner, depth + 1, notes));
                    notes.removed_shortcode("embed");
                }
                after_closer(close)
            }
            None => {
                notes.removed_shortcode("embed");
                tag.end
            }
        },
        name if MEDIA_SHORTCODES.contains(&name) => {
            // `[video src=…]` mostly stands alone; take a closing tag
            // only when nothing but its content comes between them (the
            // URL itself, or a fallback for players without video).
            let closer =
                closer.filter(|&close| find_byte(text.as_bytes(), tag.end, b'[') == Some(close));
            let attribute_url = media_url(tag.attrs);
            let content_url = closer
                .map(|close| decode_entities(text_outside_tags(&text[tag.end..close]).trim()))
                .filter(|url| is_bare_url(url));
            match attribute_url.or(content_url) {
                Some(url) => {
                    out.push_str(&link_paragraph(&url));
                    notes.kept_as_link(name, &url);
                    closer.map_or(tag.end, after_closer)
                }
                None => {
                    notes.removed_shortcode(name);
                    tag.end
                }
            }
        }
        name => {
            notes.removed_shortcode(name);
            tag.end
        }
    }
}

/// `<figure>` of a caption's image (with the link around it, as
/// WordPress shows it) and `<figcaption>`.
fn caption_figure(tag: &Shortcode<'_>, content: &str, depth: usize, notes: &mut Notes) -> String {
    let content = expand_shortcodes(content, depth + 1, notes);
    let caption_attribute = parse_attrs(tag.attrs)
        .into_iter()
        .find(|attr| {
            attr.key
                .is_some_and(|key| key.eq_ignore_ascii_case("caption"))
        })
        .map(|attr| attr.value.trim())
        .filter(|caption| !caption.is_empty());
    let Some((before, image, after)) = split_image(&content) else {
        notes.add(format!(
            "shortcode [{}] without an image: its text kept",
            tag.name
        ));
        let mut kept = content.clone();
        if let Some(caption) = caption_attribute {
            kept.push_str("\n\n");
            kept.push_str(caption);
            kept.push_str("\n\n");
        }
        return kept;
    };
    let after = after.trim();
    let mut figure = String::from("<figure>");
    figure.push_str(before.trim());
    figure.push_str(image);
    let caption = match caption_attribute {
        Some(caption) => {
            figure.push_str(after);
            caption
        }
        None => after,
    };
    if !is_blank(caption) {
        figure.push_str("<figcaption>");
        figure.push_str(caption);
        figure.push_str("</figcaption>");
    }
    figure.push_str("</figure>");
    figure
}

/// A caption's content around its first `<img>`: before it, the image
/// (with an `<a>` directly around it), after it.
fn split_image(content: &str) -> Option<(&str, &str, &str)> {
    let bytes = content.as_bytes();
    let mut from = 0;
    let img = loop {
        let at = find_ci(bytes, from, b"<img")?;
        if ends_tag_name(bytes.get(at + 4)) {
            break at;
        }
        from = at + 1;
    };
    let img_end = find_byte(bytes, img, b'>')? + 1;
    let mut start = img;
    let before = content[..img].trim_end();
    if before.ends_with('>')
        && let Some(lt) = before.rfind('<')
        && starts_with_ci(bytes, lt, b"<a")
        && ends_tag_name(bytes.get(lt + 2))
    {
        start = lt;
    }
    let mut end = img_end;
    if start < img {
        let after = &content[img_end..];
        let gap = after.len() - after.trim_start().len();
        if starts_with_ci(bytes, img_end + gap, b"</a>") {
            end = img_end + gap + 4;
        }
    }
    Some((&content[..start], &content[start..end], &content[end..]))
}

/// The URL a media shortcode's attributes name, entities read.
fn media_url(attrs: &str) -> Option<String> {
    // Jetpack writes `[youtube=URL]`.
    let attrs = attrs.trim_start().trim_start_matches('=');
    parse_attrs(attrs)
        .into_iter()
        .filter(|attr| {
            attr.key.is_none_or(|key| {
                MEDIA_URL_KEYS
                    .iter()
                    .any(|known| key.eq_ignore_ascii_case(known))
            })
        })
        .map(|attr| decode_entities(attr.value.trim()))
        .find(|url| is_bare_url(url))
}

/// Whether the tag read is taken for a shortcode rather than for a
/// bracket in prose: its name is known, it is closed later
/// (`[name]…[/name]`), or it has a quoted `key="value"` attribute.
fn is_shortcode(tag: &Shortcode<'_>, closers: &HashMap<&str, Vec<usize>>) -> bool {
    is_known_shortcode(tag.name)
        || (!tag.self_closing && closer_after(closers, tag.name, tag.end).is_some())
        || parse_attrs(tag.attrs).iter().any(|attr| {
            attr.quoted
                && attr
                    .key
                    .is_some_and(|key| !key.is_empty() && key.bytes().all(is_name_byte))
        })
}

fn is_known_shortcode(name: &str) -> bool {
    KNOWN_SHORTCODES.contains(&name)
        || KNOWN_SHORTCODE_PREFIXES
            .iter()
            .any(|prefix| name.starts_with(prefix))
}

/// Reads `[name attrs]` or `[name attrs /]` at `open`. `None` when the
/// name is empty or not followed by a space, `]`, `/` or `=`, or when
/// another `[` comes before the `]`.
fn read_shortcode<'t>(
    text: &'t str,
    open: usize,
    bracket_end: &mut Ahead,
) -> Option<Shortcode<'t>> {
    let bytes = text.as_bytes();
    let name = shortcode_name(text, open + 1);
    if name.is_empty() {
        return None;
    }
    let name_end = open + 1 + name.len();
    match bytes.get(name_end) {
        Some(b']' | b'/' | b'=') => {}
        Some(b) if b.is_ascii_whitespace() => {}
        _ => return None,
    }
    let close = bracket_end.find(bytes, name_end)?;
    if memchr::memchr(b'[', &bytes[name_end..close]).is_some() {
        return None;
    }
    let inside = &text[name_end..close];
    let (attrs, self_closing) = match inside.trim_end().strip_suffix('/') {
        Some(attrs) => (attrs, true),
        None => (inside, false),
    };
    Some(Shortcode {
        name,
        attrs,
        self_closing,
        end: close + 1,
    })
}

/// The run of name characters (`[A-Za-z0-9_-]`) at `at`, maybe empty.
fn shortcode_name(text: &str, at: usize) -> &str {
    let Some(rest) = text.get(at..) else {
        return "";
    };
    let len = rest.bytes().take_while(|&b| is_name_byte(b)).count();
    &rest[..len]
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-'
}

/// Where every closing tag `[/name]` of `text` starts, by name, in
/// order: whether and where a shortcode is closed is then a lookup.
fn index_closers(text: &str) -> HashMap<&str, Vec<usize>> {
    let bytes = text.as_bytes();
    let mut closers: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut at = 0;
    while let Some(open) = find_ci(bytes, at, b"[/") {
        let name = shortcode_name(text, open + 2);
        if !name.is_empty() && bytes.get(open + 2 + name.len()) == Some(&b']') {
            closers.entry(name).or_default().push(open);
        }
        at = open + 1;
    }
    closers
}

/// Where the first `[/name]` at or after `from` starts.
fn closer_after(closers: &HashMap<&str, Vec<usize>>, name: &str, from: usize) -> Option<usize> {
    let places = closers.get(name)?;
    places.get(places.partition_point(|&at| at < from)).copied()
}

/// One shortcode attribute: `key="value"`, `key='value'`, `key=value`,
/// or a positional `"value"` or `value`.
struct Attr<'t> {
    key: Option<&'t str>,
    value: &'t str,
    quoted: bool,
}

/// Reads shortcode attributes as WordPress's `shortcode_parse_atts` does.
fn parse_attrs(text: &str) -> Vec<Attr<'_>> {
    let bytes = text.as_bytes();
    let skip_spaces = |mut at: usize| {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        at
    };
    let mut attrs = Vec::new();
    let mut at = 0;
    loop {
        at = skip_spaces(at);
        let Some(&first) = bytes.get(at) else {
            break;
        };
        if matches!(first, b'"' | b'\'') {
            let (value, next) = quoted_value(text, at);
            attrs.push(Attr {
                key: None,
                value,
                quoted: true,
            });
            at = next;
            continue;
        }
        let token_end = at
            + bytes[at..]
                .iter()
                .take_while(|&&b| !b.is_ascii_whitespace() && b != b'=')
                .count();
        if token_end == at {
            // A lone `=`.
            at += 1;
            continue;
        }
        let after = skip_spaces(token_end);
        if bytes.get(after) != Some(&b'=') {
            attrs.push(Attr {
                key: None,
                value: &text[at..token_end],
                quoted: false,
            });
            at = token_end;
            continue;
        }
        let key = Some(&text[at..token_end]);
        let value_start = skip_spaces(after + 1);
        if matches!(bytes.get(value_start), Some(b'"' | b'\'')) {
            let (value, next) = quoted_value(text, value_start);
            attrs.push(Attr {
                key,
                value,
                quoted: true,
            });
            at = next;
        } else {
            let value_end = value_start
                + bytes[value_start.min(bytes.len())..]
                    .iter()
                    .take_while(|b| !b.is_ascii_whitespace())
                    .count();
            attrs.push(Attr {
                key,
                value: &text[value_start.min(text.len())..value_end.min(text.len())],
                quoted: false,
            });
            at = value_end;
        }
    }
    attrs
}

/// The value of the quoted string whose quote is at `open`, and where
/// the text after it starts; unterminated, it runs to the end.
fn quoted_value(text: &str, open: usize) -> (&str, usize) {
    let bytes = text.as_bytes();
    let quote = bytes[open];
    match find_byte(bytes, open + 1, quote) {
        Some(close) => (&text[open + 1..close], close + 1),
        None => (&text[open + 1..], text.len()),
    }
}

/// A paragraph holding a link to `url` (entities already read), shown as
/// itself.
fn link_paragraph(url: &str) -> String {
    let url = escape(url);
    format!("<p><a href=\"{url}\">{url}</a></p>")
}

/// Whether `text` is one http(s) URL and nothing else, as WordPress's
/// auto-embed wants it.
fn is_bare_url(text: &str) -> bool {
    let bytes = text.as_bytes();
    let scheme = if starts_with_ci(bytes, 0, b"https://") {
        8
    } else if starts_with_ci(bytes, 0, b"http://") {
        7
    } else {
        return false;
    };
    bytes.len() > scheme
        && !bytes
            .iter()
            .any(|&b| b.is_ascii_whitespace() || matches!(b, b'<' | b'>' | b'"'))
}

// ---------------------------------------------------------------------
// Headings.

/// `<h1>` as `<h2>`, the page's headline being its `<h1>`; `<h5>` and
/// `<h6>` as `<h4>`, the smallest heading Dateline keeps.
fn rename_headings(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut at) = (0, 0);
    while let Some(lt) = find_byte(bytes, at, b'<') {
        at = lt + 1;
        let h = if bytes.get(lt + 1) == Some(&b'/') {
            lt + 2
        } else {
            lt + 1
        };
        if !matches!(bytes.get(h), Some(b'h' | b'H')) || !ends_tag_name(bytes.get(h + 2)) {
            continue;
        }
        let level = match bytes.get(h + 1) {
            Some(b'1') => "2",
            Some(b'5' | b'6') => "4",
            _ => continue,
        };
        out.push_str(&text[copied..h]);
        out.push('h');
        out.push_str(level);
        copied = h + 2;
    }
    out.push_str(&text[copied..]);
    out
}

// ---------------------------------------------------------------------
// Paragraphs.

/// Tags of blocks that text does not run through: text around them
/// becomes paragraphs of its own.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "blockquote",
    "figure",
    "div",
    "table",
    "pre",
    "hr",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "details",
    "address",
    "form",
];

/// Blocks whose content is text and blocks, cut into paragraphs in turn
/// (`<blockquote>` of classic text, Gutenberg's group `<div>`).
const CONTAINER_TAGS: &[&str] = &[
    "blockquote",
    "div",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "details",
];

/// A block's tag as read at its `<`.
struct BlockTag {
    name: &'static str,
    closing: bool,
    start: usize,
    /// Just after its `>`.
    end: usize,
}

/// WordPress's `wpautop`, simplified: blocks stay as they are (their
/// content cut into paragraphs in turn when they hold blocks, as a
/// `<blockquote>` does); the text between them is cut into paragraphs at
/// blank lines, with `<br>` at single line breaks; a URL alone on its
/// line, or alone in a `<p>`, becomes a link; an empty `<p>` goes, and so
/// does a stray closing tag of a block.
fn autop(text: &str, depth: usize, notes: &mut Notes) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut tag_end = Ahead::new(b">");
    let (mut run_start, mut at) = (0, 0);
    while let Some(lt) = find_byte(bytes, at, b'<') {
        at = lt + 1;
        let Some(tag) = read_block_tag(text, lt, &mut tag_end) else {
            continue;
        };
        paragraphs(&text[run_start..lt], &mut out, notes);
        let end = if tag.closing {
            tag.end
        } else if tag.name == "hr" {
            out.push_str(&text[tag.start..tag.end]);
            out.push('\n');
            tag.end
        } else {
            let (inner_end, end) = block_end(text, &tag, &mut tag_end);
            write_block(text, &tag, inner_end, end, depth, &mut out, notes);
            end
        };
        run_start = end;
        at = end;
    }
    paragraphs(&text[run_start..], &mut out, notes);
    out
}

fn write_block(
    text: &str,
    open: &BlockTag,
    inner_end: usize,
    end: usize,
    depth: usize,
    out: &mut String,
    notes: &mut Notes,
) {
    let inner = &text[open.end..inner_end];
    match open.name {
        "p" => {
            let content = inner.trim();
            if is_blank(content) {
                return;
            }
            let url = decode_entities(content);
            if is_bare_url(&url) {
                out.push_str(&link_paragraph(&url));
                notes.kept_as_link("embed", &url);
            } else {
                out.push_str(&text[open.start..open.end]);
                out.push_str(inner);
                // Closed by the next block or the end, as HTML closes it.
                out.push_str("</p>");
            }
        }
        name if CONTAINER_TAGS.contains(&name) && depth < MAX_NESTING => {
            out.push_str(&text[open.start..open.end]);
            out.push('\n');
            out.push_str(autop(inner, depth + 1, notes).trim_end());
            out.push('\n');
            out.push_str(&text[inner_end..end]);
        }
        _ => out.push_str(&text[open.start..end]),
    }
    out.push('\n');
}

/// Where the block `open` starts ends: where its content ends, and
/// where the block does (after its closing tag). A `<p>` ends at its
/// `</p>`, or before the next block, which closes it in HTML; another
/// block at its matching closing tag, counting nested ones of its name.
/// Unclosed, it runs to the end of `text`.
fn block_end(text: &str, open: &BlockTag, tag_end: &mut Ahead) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut nested = 0usize;
    let mut at = open.end;
    while let Some(lt) = find_byte(bytes, at, b'<') {
        at = lt + 1;
        let Some(tag) = read_block_tag(text, lt, tag_end) else {
            continue;
        };
        if open.name == "p" {
            if tag.closing && tag.name == "p" {
                return (lt, tag.end);
            }
            if !tag.closing {
                return (lt, lt);
            }
            continue;
        }
        if tag.name != open.name {
            continue;
        }
        if !tag.closing {
            nested += 1;
        } else if nested == 0 {
            return (lt, tag.end);
        } else {
            nested -= 1;
        }
    }
    (text.len(), text.len())
}

/// Reads an opening or closing tag of a block at `lt`.
fn read_block_tag(text: &str, lt: usize, tag_end: &mut Ahead) -> Option<BlockTag> {
    let bytes = text.as_bytes();
    let closing = bytes.get(lt + 1) == Some(&b'/');
    let name_start = lt + 1 + usize::from(closing);
    let name = BLOCK_TAGS.iter().copied().find(|name| {
        starts_with_ci(bytes, name_start, name.as_bytes())
            && ends_tag_name(bytes.get(name_start + name.len()))
    })?;
    let gt = tag_end.find(bytes, name_start)?;
    Some(BlockTag {
        name,
        closing,
        start: lt,
        end: gt + 1,
    })
}

/// Text between blocks as paragraphs: cut at blank lines, `<br>` at
/// single line breaks (not where a line already ends with one), a URL
/// alone on its line as a link paragraph of its own.
fn paragraphs(run: &str, out: &mut String, notes: &mut Notes) {
    let mut lines: Vec<&str> = Vec::new();
    for line in lines_outside_tags(run) {
        let line = line.trim_matches(|c: char| c.is_ascii_whitespace());
        if is_blank(line) {
            write_paragraph(&mut lines, out);
            continue;
        }
        let url = decode_entities(line);
        if is_bare_url(&url) {
            write_paragraph(&mut lines, out);
            out.push_str(&link_paragraph(&url));
            out.push('\n');
            notes.kept_as_link("embed", &url);
        } else {
            lines.push(line);
        }
    }
    write_paragraph(&mut lines, out);
}

/// Writes the lines gathered as one paragraph, and forgets them.
fn write_paragraph(lines: &mut Vec<&str>, out: &mut String) {
    let mut previous: Option<&str> = None;
    for &line in lines.iter() {
        match previous {
            None => out.push_str("<p>"),
            Some(previous) => {
                if !ends_with_br(previous) {
                    out.push_str("<br>");
                }
                out.push('\n');
            }
        }
        out.push_str(line);
        previous = Some(line);
    }
    if previous.is_some() {
        out.push_str("</p>\n");
    }
    lines.clear();
}

/// The lines of `run`, cut at line breaks outside tags (a tag may be
/// written over several lines).
fn lines_outside_tags(run: &str) -> Vec<&str> {
    let bytes = run.as_bytes();
    let mut lines = Vec::new();
    let (mut start, mut in_tag) = (0, false);
    for (at, &byte) in bytes.iter().enumerate() {
        match byte {
            b'<' if !in_tag
                && bytes.get(at + 1).is_some_and(|&next| {
                    next.is_ascii_alphabetic() || matches!(next, b'/' | b'!')
                }) =>
            {
                in_tag = true;
            }
            b'>' => in_tag = false,
            b'\n' if !in_tag => {
                lines.push(&run[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    lines.push(&run[start..]);
    lines
}

fn ends_with_br(line: &str) -> bool {
    ["<br>", "<br/>", "<br />"].iter().any(|br| {
        line.len() >= br.len()
            && line.as_bytes()[line.len() - br.len()..].eq_ignore_ascii_case(br.as_bytes())
    })
}

/// Whether `text` shows nothing: whitespace and non-breaking spaces
/// (the `<p>&nbsp;</p>` classic editors leave as spacers).
fn is_blank(text: &str) -> bool {
    text.split("&nbsp;").all(|part| part.trim().is_empty())
}

// ---------------------------------------------------------------------
// Scanning.

/// Whether the byte after a tag's name ends it (`>`, `/`, a space).
fn ends_tag_name(byte: Option<&u8>) -> bool {
    byte.is_some_and(|&b| matches!(b, b'>' | b'/') || b.is_ascii_whitespace())
}

fn find_byte(bytes: &[u8], from: usize, byte: u8) -> Option<usize> {
    memchr::memchr(byte, bytes.get(from..)?).map(|at| from + at)
}

/// Whether `bytes` holds `lower` at `at`, ignoring ASCII case.
fn starts_with_ci(bytes: &[u8], at: usize, lower: &[u8]) -> bool {
    at.checked_add(lower.len())
        .and_then(|end| bytes.get(at..end))
        .is_some_and(|found| found.eq_ignore_ascii_case(lower))
}

/// Where `needle` (lower case) is first found at or after `from`,
/// ignoring ASCII case.
fn find_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let &first = needle.first()?;
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut at = from;
    loop {
        let found = at + memchr::memchr2(lower, upper, bytes.get(at..)?)?;
        if starts_with_ci(bytes, found, needle) {
            return Some(found);
        }
        at = found + 1;
    }
}

/// The next place of a marker ahead of a scan, remembered: asked again
/// from further on but not past the place found, it answers without
/// searching. A text of ten thousand `<!--` and no `-->` is so searched
/// once, not ten thousand times.
struct Ahead {
    needle: &'static [u8],
    searched_from: usize,
    /// `None` until asked; then the answer from `searched_from`.
    found: Option<Option<usize>>,
}

impl Ahead {
    fn new(needle: &'static [u8]) -> Self {
        Self {
            needle,
            searched_from: 0,
            found: None,
        }
    }

    fn find(&mut self, bytes: &[u8], from: usize) -> Option<usize> {
        if let Some(found) = self.found
            && from >= self.searched_from
            && found.is_none_or(|at| at >= from)
        {
            return found;
        }
        let found = find_ci(bytes, from, self.needle);
        self.searched_from = from;
        self.found = Some(found);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::{WxrEntry, WxrReader};

    fn clean(content: &str) -> CleanedBody {
        clean_wordpress_body(content)
    }

    fn html(content: &str) -> String {
        clean(content).html
    }

    #[test]
    fn gutenberg_blocks_lose_their_comments_and_keep_their_html() {
        let content = r#"<!-- wp:paragraph -->
<p>Cargo ships began unloading on Saturday.</p>
<!-- /wp:paragraph -->

<!-- wp:heading {"level":3} -->
<h3 class="wp-block-heading">After the closure</h3>
<!-- /wp:heading -->

<!-- wp:image {"id":130,"sizeSlug":"large","className":"a--b"} -->
<figure class="wp-block-image size-large"><img src="https://example.org/cranes.jpg" alt="Cranes" class="wp-image-130"/><figcaption class="wp-element-caption">Cranes at dawn</figcaption></figure>
<!-- /wp:image -->

<!-- wp:separator /-->

<!-- wp:list -->
<ul><li>One</li><li>Two</li></ul>
<!-- /wp:list -->"#;
        let body = clean(content);
        assert_eq!(
            body.html,
            "<p>Cargo ships began unloading on Saturday.</p>\n\
             <h3 class=\"wp-block-heading\">After the closure</h3>\n\
             <figure class=\"wp-block-image size-large\"><img src=\"https://example.org/cranes.jpg\" alt=\"Cranes\" class=\"wp-image-130\"/><figcaption class=\"wp-element-caption\">Cranes at dawn</figcaption></figure>\n\
             <ul><li>One</li><li>Two</li></ul>"
        );
        assert!(body.notes.is_empty(), "{:?}", body.notes);
    }

    #[test]
    fn a_block_comment_whose_json_holds_dashes_ends_at_its_own_end() {
        let content = "<!-- wp:paragraph {\"className\":\"x--y\",\"note\":\"a -- b\"} -->\n<p>Kept.</p>\n<!-- /wp:paragraph -->";
        assert_eq!(html(content), "<p>Kept.</p>");
    }

    #[test]
    fn a_comment_made_by_removing_another_is_removed_too() {
        // Found by fuzzing: `<!` and `-- …` join once the comment between
        // them is gone.
        let cleaned =
            clean_wordpress_body("<!<!-- wp:image {\"id\":1} -->-- wp:image {\"id\":2} -->Text");
        assert!(!cleaned.html.contains("<!--"), "{}", cleaned.html);
        assert!(cleaned.html.contains("Text"));
        let cleaned = clean_wordpress_body("<!<!<!---->---->--x");
        assert!(!cleaned.html.contains("<!--"), "{}", cleaned.html);
    }

    #[test]
    fn other_comments_scripts_and_styles_are_removed() {
        let body = clean(
            "Intro.<!--more-->\n\nMore.<!--nextpage-->\n\n<script>document.write(\"<p>x</p>\")</script><style>p { color: red }</style>End.",
        );
        assert_eq!(body.html, "<p>Intro.</p>\n<p>More.</p>\n<p>End.</p>");
        assert_eq!(body.notes, ["<script> removed", "<style> removed"]);
    }

    #[test]
    fn classic_text_becomes_paragraphs_with_line_breaks() {
        let content = "First paragraph, line one\nline two\n\n\nSecond <strong>bold</strong> paragraph.\n   \nThird, after a line of spaces<br />\nwith its own break.\n&nbsp;\n\nLast.";
        assert_eq!(
            html(content),
            "<p>First paragraph, line one<br>\nline two</p>\n\
             <p>Second <strong>bold</strong> paragraph.</p>\n\
             <p>Third, after a line of spaces<br />\nwith its own break.</p>\n\
             <p>Last.</p>"
        );
    }

    #[test]
    fn text_between_blocks_becomes_paragraphs_and_blocks_are_not_wrapped() {
        let content = "Intro line.\n<h2>Sub</h2>\nText after.\n\n<blockquote>Quoted line\n\nSecond quoted</blockquote>\n<ul>\n<li>a</li>\n</ul>\n<p></p><p>&nbsp;</p>";
        assert_eq!(
            html(content),
            "<p>Intro line.</p>\n\
             <h2>Sub</h2>\n\
             <p>Text after.</p>\n\
             <blockquote>\n<p>Quoted line</p>\n<p>Second quoted</p>\n</blockquote>\n\
             <ul>\n<li>a</li>\n</ul>"
        );
    }

    #[test]
    fn a_tag_written_over_lines_gets_no_break_inside() {
        assert_eq!(
            html("See <a\nhref=\"https://example.org/\">this</a>\nnow."),
            "<p>See <a\nhref=\"https://example.org/\">this</a><br>\nnow.</p>"
        );
    }

    #[test]
    fn caption_around_a_linked_image_becomes_a_figure() {
        let content = r#"Before.

[caption id="attachment_130" align="aligncenter" width="800"]<a href="https://example.org/cranes.jpg"><img class="size-large wp-image-130" src="https://example.org/cranes-1024.jpg" alt="Cranes" width="800" height="533" /></a> Cranes at <em>dawn</em>[/caption]

After."#;
        let body = clean(content);
        assert_eq!(
            body.html,
            "<p>Before.</p>\n\
             <figure><a href=\"https://example.org/cranes.jpg\"><img class=\"size-large wp-image-130\" src=\"https://example.org/cranes-1024.jpg\" alt=\"Cranes\" width=\"800\" height=\"533\" /></a><figcaption>Cranes at <em>dawn</em></figcaption></figure>\n\
             <p>After.</p>"
        );
        assert!(body.notes.is_empty(), "{:?}", body.notes);
    }

    #[test]
    fn caption_attribute_gives_the_figcaption() {
        let content = r#"[caption id="attachment_7" align="alignleft" width="300" caption="The old harbour, 1921"]<img src="https://example.org/harbour.jpg" alt="" width="300" height="200" />[/caption]"#;
        assert_eq!(
            html(content),
            "<figure><img src=\"https://example.org/harbour.jpg\" alt=\"\" width=\"300\" height=\"200\" /><figcaption>The old harbour, 1921</figcaption></figure>"
        );
        // The older name, and an image with no caption at all.
        assert_eq!(
            html("[wp_caption width=\"10\"]<img src=\"a.jpg\">[/wp_caption]"),
            "<figure><img src=\"a.jpg\"></figure>"
        );
    }

    #[test]
    fn caption_inside_a_paragraph_does_not_nest_paragraphs() {
        let content = "<p>[caption width=\"1\"]<img src=\"a.jpg\"> A[/caption]</p><p>Text [embed]https://youtu.be/x[/embed] more</p>";
        assert_eq!(
            html(content),
            "<figure><img src=\"a.jpg\"><figcaption>A</figcaption></figure>\n\
             <p>Text </p>\n\
             <p><a href=\"https://youtu.be/x\">https://youtu.be/x</a></p>\n\
             <p>more</p>"
        );
    }

    #[test]
    fn unclosed_caption_is_removed_and_its_text_kept() {
        let body = clean("[caption id=\"a\"]<img src=\"a.jpg\"> Lost caption\n\nNext.");
        assert_eq!(
            body.html,
            "<p><img src=\"a.jpg\"> Lost caption</p>\n<p>Next.</p>"
        );
        assert_eq!(
            body.notes,
            ["shortcode [caption] not closed: removed, the text after it kept"]
        );
    }

    #[test]
    fn embed_shortcode_becomes_a_link_paragraph() {
        let body = clean(
            "Watch:\n\n[embed width=\"640\"]https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=5[/embed]\n\nDone.",
        );
        assert_eq!(
            body.html,
            "<p>Watch:</p>\n\
             <p><a href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=5\">https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=5</a></p>\n\
             <p>Done.</p>"
        );
        assert_eq!(
            body.notes,
            ["embed https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5 kept as a link"]
        );
    }

    #[test]
    fn media_shortcodes_become_link_paragraphs() {
        let body = clean(
            "[video width=\"640\" mp4=\"https://example.org/v.mp4\"][/video]\n[audio src='https://example.org/a.mp3']\n[youtube=https://youtu.be/abc]\n[youtube https://youtu.be/def]\n[tweet https://twitter.com/x/status/1]\n[tweet 12345]",
        );
        let link = |url: &str| format!("<p><a href=\"{url}\">{url}</a></p>");
        assert_eq!(
            body.html,
            [
                link("https://example.org/v.mp4"),
                link("https://example.org/a.mp3"),
                link("https://youtu.be/abc"),
                link("https://youtu.be/def"),
                link("https://twitter.com/x/status/1"),
            ]
            .join("\n")
        );
        assert_eq!(
            body.notes,
            [
                "video https://example.org/v.mp4 kept as a link",
                "audio https://example.org/a.mp3 kept as a link",
                "youtube https://youtu.be/abc kept as a link",
                "youtube https://youtu.be/def kept as a link",
                "tweet https://twitter.com/x/status/1 kept as a link",
                "shortcode [tweet] removed",
            ]
        );
    }

    #[test]
    fn bare_url_line_becomes_a_link_paragraph() {
        let body = clean(
            "Read this:\nhttps://example.org/story?a=1&b=2\nand that.\n\n<p> https://youtu.be/x </p>",
        );
        assert_eq!(
            body.html,
            "<p>Read this:</p>\n\
             <p><a href=\"https://example.org/story?a=1&amp;b=2\">https://example.org/story?a=1&amp;b=2</a></p>\n\
             <p>and that.</p>\n\
             <p><a href=\"https://youtu.be/x\">https://youtu.be/x</a></p>"
        );
        assert_eq!(
            body.notes,
            [
                "embed https://example.org/story?a=1&b=2 kept as a link",
                "embed https://youtu.be/x kept as a link",
            ]
        );
        // A URL in a sentence is text, not an embed.
        assert_eq!(
            html("See https://example.org/ now."),
            "<p>See https://example.org/ now.</p>"
        );
    }

    #[test]
    fn gutenberg_embed_figure_becomes_a_link_paragraph() {
        let content = r#"<!-- wp:embed {"url":"https://youtu.be/x","type":"video","providerNameSlug":"youtube"} -->
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
https://youtu.be/x
</div><figcaption class="wp-element-caption">The launch</figcaption></figure>
<!-- /wp:embed -->"#;
        let body = clean(content);
        assert_eq!(
            body.html,
            "<p><a href=\"https://youtu.be/x\">https://youtu.be/x</a></p>\n<p>The launch</p>"
        );
        assert_eq!(body.notes, ["embed https://youtu.be/x kept as a link"]);
    }

    #[test]
    fn gallery_and_forms_are_removed_with_a_note_each() {
        let body = clean(
            "[gallery ids=\"130,131\" columns=\"2\"]\n\nText.\n\n[gallery ids=\"5\"][contact-form-7 id=\"42\" title=\"Tips\"][playlist ids=\"1\"/]",
        );
        assert_eq!(body.html, "<p>Text.</p>");
        assert_eq!(
            body.notes,
            [
                "shortcode [gallery] removed",
                "shortcode [contact-form-7] removed",
                "shortcode [playlist] removed",
            ]
        );
    }

    #[test]
    fn unknown_enclosing_shortcode_keeps_its_content() {
        let body = clean(
            "[vc_row][vc_column width=\"1/2\"][vc_column_text]<p>Inside a builder.</p>[/vc_column_text][/vc_column][/vc_row]\n[highlight]Marked text[/highlight] and [box color=\"red\"]boxed[/box].",
        );
        assert_eq!(
            body.html,
            "<p>Inside a builder.</p>\n<p>Marked text and boxed.</p>"
        );
        assert_eq!(
            body.notes,
            [
                "shortcode [vc_row] removed",
                "shortcode [vc_column] removed",
                "shortcode [vc_column_text] removed",
                "shortcode [highlight] removed",
                "shortcode [box] removed",
            ]
        );
    }

    #[test]
    fn brackets_in_prose_stay() {
        let content = "He said [sic] it twice [1]. [Editor's note: updated.] Cut […] here. [a b] and [x=1] and [/y] and [2].";
        let body = clean(content);
        assert_eq!(body.html, format!("<p>{content}</p>"));
        assert!(body.notes.is_empty(), "{:?}", body.notes);
    }

    #[test]
    fn escaped_shortcode_is_shown_literally() {
        let body = clean(
            "Write [[gallery]] or [[gallery ids=\"1\"]] or [[caption]text[/caption]]; [[1]] stays.",
        );
        assert_eq!(
            body.html,
            "<p>Write [gallery] or [gallery ids=\"1\"] or [caption]text[/caption]; [[1]] stays.</p>"
        );
        assert!(body.notes.is_empty(), "{:?}", body.notes);
    }

    #[test]
    fn arabic_and_emoji_pass_intact() {
        let arabic = "بدأت سفن الشحن تفريغ حمولاتها في الميناء يوم السبت بعد إغلاق دام أسبوعاً.";
        let content = format!(
            "<!-- wp:paragraph -->\n<p>{arabic}</p>\n<!-- /wp:paragraph -->\n\n«نص» 🚢🇱🇧 [ملاحظة] [caption caption=\"ميناء 🌅\"]<img src=\"م.jpg\">[/caption]\nسطر"
        );
        assert_eq!(
            html(&content),
            format!(
                "<p>{arabic}</p>\n<p>«نص» 🚢🇱🇧 [ملاحظة]</p>\n<figure><img src=\"م.jpg\"><figcaption>ميناء 🌅</figcaption></figure>\n<p>سطر</p>"
            )
        );
    }

    #[test]
    fn h1_becomes_h2_and_h5_h6_become_h4() {
        assert_eq!(
            html("<H1 class=\"t\">Top</H1><h5>Five</h5>\n<h6>Six</h6><h10>x</h10><hr/>"),
            "<h2 class=\"t\">Top</h2>\n<h4>Five</h4>\n<h4>Six</h4>\n<p><h10>x</h10></p>\n<hr/>"
        );
    }

    /// A small deterministic generator, so that the test needs no crate.
    struct Xorshift(u64);

    impl Xorshift {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    #[test]
    fn adversarial_inputs_do_not_panic_and_take_linear_time() {
        const SIZE: usize = 200_000;
        let repeated = |piece: &str| piece.repeat(SIZE / piece.len());
        let mut inputs = vec![
            repeated("["),
            repeated("[["),
            repeated("[a "),
            repeated("[a]"),
            repeated("[/a]"),
            repeated("[caption]"),
            repeated("[caption id=\"1\"]<img "),
            repeated("[embed]"),
            repeated("[video]x[/video]"),
            repeated("[x y=\""),
            repeated("<!--"),
            repeated("<!-- wp:x"),
            repeated("<"),
            repeated("<p"),
            repeated("<p>"),
            repeated("</p>"),
            repeated("<div>"),
            repeated("<blockquote>"),
            repeated("<figure class=\"wp-block-embed\">"),
            repeated("<figure"),
            repeated("<script"),
            repeated("<script>"),
            repeated("<h1"),
            repeated("\n"),
            repeated("ش\n\n"),
            repeated("😀["),
            format!(
                "{}{}",
                "<blockquote>".repeat(10_000),
                "</blockquote>".repeat(10_000)
            ),
            format!("{}{}", "[a]".repeat(20_000), "[/a]".repeat(20_000)),
            format!("<!--{}", "x".repeat(SIZE)),
            format!("[caption]{}", "<img ".repeat(SIZE / 5)),
        ];
        let pieces = [
            "[",
            "]",
            "[[",
            "]]",
            "[/",
            "[caption",
            "[/caption]",
            "[embed]",
            "[/embed]",
            "[gallery",
            " id=\"",
            "\"",
            "'",
            "=",
            "/",
            "<",
            ">",
            "<!--",
            "-->",
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<figure class=\"wp-block-embed\">",
            "</figure>",
            "<img src=x>",
            "<a>",
            "</a>",
            "<script>",
            "</script>",
            "<h1>",
            "\n",
            "\n\n",
            "é",
            "ش",
            "😀",
            "&nbsp;",
            "https://x.y/z",
            "[video src=\"",
            "[youtube=",
            "<figcaption>",
            "text ",
        ];
        let mut random = Xorshift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..300 {
            let len = 1 + random.below(400);
            inputs.push(
                (0..len)
                    .map(|_| pieces[random.below(pieces.len())])
                    .collect(),
            );
        }
        for _ in 0..4 {
            inputs.push(
                (0..SIZE / 4)
                    .map(|_| pieces[random.below(pieces.len())])
                    .collect(),
            );
        }
        for input in &inputs {
            let body = clean_wordpress_body(input);
            assert!(
                body.html.len() <= input.len() * 8 + 64,
                "{}",
                body.html.len()
            );
        }
    }

    #[test]
    fn courier_export_bodies_come_out_clean() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/import/wxr-1.2-courier.xml");
        let bytes = std::fs::read(&path).unwrap();
        let items: Vec<_> = WxrReader::new("wxr-1.2-courier.xml", bytes.as_slice())
            .filter_map(|entry| match entry.unwrap() {
                WxrEntry::Item(item) => Some(item),
                _ => None,
            })
            .collect();
        assert!(items.iter().any(|item| item.content.contains("[caption")));
        for item in &items {
            let body = clean_wordpress_body(&item.content);
            for leftover in [
                "[caption",
                "[/caption",
                "[embed",
                "[gallery",
                "<!--",
                "<script",
            ] {
                assert!(
                    !body.html.contains(leftover),
                    "{:?}: {leftover} in {}",
                    item.post_id,
                    body.html
                );
            }
        }
        let harbour_fees = items.iter().find(|item| item.post_id == Some(110)).unwrap();
        let body = clean_wordpress_body(&harbour_fees.content);
        assert_eq!(
            body.html,
            "<figure><img class=\"size-large wp-image-130\" src=\"https://courier.example.org/wp-content/uploads/2026/12/port-cranes-1024x683.jpg\" alt=\"Cranes\" width=\"800\" height=\"533\" /><figcaption>Cranes at dawn</figcaption></figure>\n\
             <p><a href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\">https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></p>\n\
             <p>In code: <code>if (a[b[0]]> 1)</code> and a stray control character.</p>"
        );
        assert_eq!(
            body.notes,
            [
                "<script> removed",
                "embed https://www.youtube.com/watch?v=dQw4w9WgXcQ kept as a link",
                "shortcode [contact-form-7] removed",
                "shortcode [gallery] removed",
            ]
        );
        let arabic = items.iter().find(|item| item.post_id == Some(109)).unwrap();
        assert_eq!(
            clean_wordpress_body(&arabic.content).html,
            "<p>بدأت سفن الشحن تفريغ حمولاتها في الميناء يوم السبت بعد إغلاق دام أسبوعاً.</p>"
        );
    }
}
