//! IPTC NewsML-G2 (<https://iptc.org/standards/newsml-g2/>): a `newsItem`,
//! or a `newsMessage` carrying several in its `itemSet`. Elements are
//! matched by namespace and local name, never by prefix: agencies write a
//! default namespace as well as `ns0:newsItem`.

use crate::tidy::{self, non_empty};
use crate::{IngestError, WireItem};
use roxmltree::{Node, NodeType};

/// The NewsML-G2 (NAR) namespace.
pub(crate) const NAR: &str = "http://iptc.org/std/nar/2006-10-01/";
const XML: &str = "http://www.w3.org/XML/1998/namespace";
/// HTML elements that have no end tag.
const VOID: [&str; 6] = ["br", "hr", "img", "wbr", "source", "col"];

/// Reads a document whose root is in the NewsML-G2 namespace.
pub(crate) fn read(
    file: &str,
    root: Node,
) -> Result<Vec<Result<WireItem, IngestError>>, IngestError> {
    let name = root.tag_name().name();
    match name {
        "newsItem" => Ok(vec![item(file, root)]),
        // Packages inside a message are passed over: their text items
        // come in the same message or on their own.
        "newsMessage" => Ok(children(root, "itemSet")
            .flat_map(|set| children(set, "newsItem"))
            .map(|news| item(file, news))
            .collect()),
        "packageItem" => Err(IngestError::Package {
            file: file.to_owned(),
        }),
        _ => Err(IngestError::WrongRoot {
            file: file.to_owned(),
            found: name.to_owned(),
        }),
    }
}

fn item(file: &str, news: Node) -> Result<WireItem, IngestError> {
    let source_guid =
        news.attribute("guid")
            .and_then(non_empty)
            .ok_or_else(|| IngestError::NoGuid {
                file: file.to_owned(),
            })?;
    let meta = child(news, "itemMeta");
    let content = child(news, "contentMeta");
    let in_meta = |name| meta.and_then(|m| child(m, name));
    let in_content = |name| content.and_then(|c| child(c, name));
    let text_in_content = |name| in_content(name).and_then(|n| non_empty(&text_of(n)));
    let status = crate::status(
        file,
        &source_guid,
        in_meta("pubStatus").and_then(|s| s.attribute("qcode")),
    )?;
    let embargo_text = in_meta("embargoed").map(text_of);
    let embargoed_until = crate::embargo(file, &source_guid, embargo_text.as_deref())?;
    let time_in_meta = |name| in_meta(name).and_then(|n| tidy::parse_time(&text_of(n)));
    let language = in_content("language")
        .and_then(|l| l.attribute("tag"))
        .or_else(|| news.attribute((XML, "lang")))
        .and_then(non_empty);
    let credit = text_in_content("creditline")
        .or_else(|| in_content("infoSource").and_then(|s| display_name(s, true)))
        .or_else(|| in_meta("provider").and_then(|p| display_name(p, true)));
    let dateline_place = text_in_content("dateline")
        .and_then(|d| tidy::dateline_place(&d))
        .or_else(|| in_content("located").and_then(|l| display_name(l, false)));
    let item = WireItem {
        version: news
            .attribute("version")
            .and_then(|v| v.trim().parse().ok()),
        status,
        embargoed_until,
        first_created: time_in_meta("firstCreated"),
        version_created: time_in_meta("versionCreated"),
        language,
        headline: content.and_then(headline).unwrap_or_default(),
        standfirst: content.and_then(standfirst),
        body_html: body_html(news),
        byline: text_in_content("by").and_then(|b| tidy::byline(&b)),
        keywords: texts(content, "keyword"),
        subjects: subjects(content),
        credit,
        dateline_place,
        editor_notes: editor_notes(news),
        slugline: text_in_content("slugline"),
        source_guid,
    };
    crate::finish(file, item)
}

/// The NAR child elements of `node` with this local name.
fn children<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |n| n.is_element() && n.has_tag_name((NAR, name)))
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> Option<Node<'a, 'i>> {
    children(node, name).next()
}

/// All the text inside an element, spaces collapsed.
fn text_of(node: Node) -> String {
    let text: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    tidy::collapse_spaces(&text)
}

fn texts(parent: Option<Node>, name: &'static str) -> Vec<String> {
    parent
        .into_iter()
        .flat_map(|p| children(p, name))
        .filter_map(|n| non_empty(&text_of(n)))
        .collect()
}

/// What to show for a provider, source or place: its `name`, else its
/// literal, else (where a code reads as a name, "nprov:AFP") its code
/// without the scheme.
fn display_name(node: Node, code_is_a_name: bool) -> Option<String> {
    child(node, "name")
        .and_then(|n| non_empty(&text_of(n)))
        .or_else(|| node.attribute("literal").and_then(non_empty))
        .or_else(|| {
            let code = node.attribute("qcode").filter(|_| code_is_a_name)?;
            non_empty(code.rsplit(':').next().unwrap_or(code))
        })
}

/// The main headline: one without a role or with the role "main" before
/// the others (sub-headlines, teasers), then the lowest rank.
fn headline(content: Node) -> Option<String> {
    children(content, "headline")
        .filter_map(|h| {
            let text = non_empty(&text_of(h))?;
            let role = h.attribute("role").map(local_code);
            let main = role.is_none_or(|r| r == "main");
            let rank = h
                .attribute("rank")
                .and_then(|r| r.trim().parse::<u32>().ok())
                .unwrap_or(u32::MAX);
            Some(((!main, rank), text))
        })
        .min_by_key(|(order, _)| *order)
        .map(|(_, text)| text)
}

/// The summary of the item; captions and other roles are not one.
fn standfirst(content: Node) -> Option<String> {
    children(content, "description")
        .find(|d| {
            d.attribute("role")
                .map(local_code)
                .is_none_or(|r| matches!(r, "summary" | "abstract" | "teaser"))
        })
        .and_then(|d| non_empty(&text_of(d)))
}

/// A code without its scheme: `hlrole:main` is `main`.
fn local_code(code: &str) -> &str {
    code.rsplit(':').next().unwrap_or(code).trim()
}

fn subjects(content: Option<Node>) -> Vec<String> {
    tidy::unique(
        content
            .into_iter()
            .flat_map(|c| children(c, "subject"))
            .filter_map(|s| s.attribute("qcode").and_then(non_empty)),
    )
}

/// Editor notes and instructions, wherever the item's metadata has them
/// (item, content or part metadata), but never from the content itself.
fn editor_notes(news: Node) -> Vec<String> {
    news.children()
        .filter(|n| !n.has_tag_name((NAR, "contentSet")))
        .flat_map(|n| n.descendants())
        .filter(|n| n.is_element() && n.tag_name().namespace() == Some(NAR))
        .filter_map(|n| match n.tag_name().name() {
            "edNote" => non_empty(&text_of(n)),
            "instruction" => display_name(n, true),
            _ => None,
        })
        .collect()
}

/// The body as HTML, told by the root element inside `inlineXML` (the
/// declared content type is often wrong): XHTML `html` or `body`, or
/// NITF's `body.content`. Empty when no inline content is found.
fn body_html(news: Node) -> String {
    let inline = child(news, "contentSet")
        .into_iter()
        .flat_map(|set| children(set, "inlineXML"));
    for xml in inline {
        let Some(root) = xml.children().find(|n| n.is_element()) else {
            continue;
        };
        let named =
            |name: &'static str| move |n: &Node| n.is_element() && n.tag_name().name() == name;
        let container = match root.tag_name().name() {
            "html" => root.descendants().find(named("body")),
            "body" => Some(root),
            "nitf" => root.descendants().find(named("body.content")),
            _ => None,
        };
        if let Some(container) = container {
            let mut html = String::new();
            write_children(container, &mut html);
            return html.trim().to_owned();
        }
    }
    String::new()
}

/// Writes what is inside `container` as HTML, elements by their local
/// name whatever their namespace or prefix; NITF's `hl2` becomes `h2` and
/// its `block` wrappers go. A loop rather than recursion: a body nested
/// many thousands deep must not overflow the stack.
fn write_children(container: Node, out: &mut String) {
    // Open elements, with the end tag each needs (none for void and
    // dropped elements).
    let mut open: Vec<(Node, Option<&str>)> = Vec::new();
    for node in container.descendants().skip(1) {
        while let Some((top, end)) = open.last()
            && Some(*top) != node.parent()
        {
            close(*end, out);
            open.pop();
        }
        match node.node_type() {
            NodeType::Text => out.push_str(&tidy::escape(node.text().unwrap_or_default())),
            NodeType::Element => {
                let name = match node.tag_name().name() {
                    "block" => {
                        open.push((node, None));
                        continue;
                    }
                    "hl2" => "h2",
                    name => name,
                };
                write_start_tag(node, name, out);
                let end = (!VOID.contains(&name)).then_some(name);
                open.push((node, end));
            }
            // Comments and processing instructions are not copy.
            _ => {}
        }
    }
    while let Some((_, end)) = open.pop() {
        close(end, out);
    }
}

fn write_start_tag(node: Node, name: &str, out: &mut String) {
    out.push('<');
    out.push_str(name);
    let has_lang = node
        .attributes()
        .any(|a| a.namespace().is_none() && a.name() == "lang");
    for attr in node.attributes() {
        let attr_name = match attr.namespace() {
            None => attr.name(),
            // xml:lang is HTML's lang, unless the element has both.
            Some(XML) if attr.name() == "lang" && !has_lang => "lang",
            Some(_) => continue,
        };
        out.push_str(&format!(" {attr_name}=\"{}\"", tidy::escape(attr.value())));
    }
    out.push('>');
}

fn close(end: Option<&str>, out: &mut String) {
    if let Some(name) = end {
        out.push_str(&format!("</{name}>"));
    }
}
