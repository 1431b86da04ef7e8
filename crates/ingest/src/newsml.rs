//! IPTC NewsML-G2 (<https://iptc.org/standards/newsml-g2/>): a `newsItem`,
//! or a `newsMessage` carrying several in its `itemSet`, with the
//! packages that place its picture items beside its text items. Elements
//! are matched by namespace and local name, never by prefix: agencies
//! write a default namespace as well as `ns0:newsItem`.

use crate::picture::{self, Described, Descriptions, Rendition};
use crate::tidy::{self, local_code, non_empty};
use crate::{IngestError, Status, WireItem, WirePicture};
use roxmltree::{Node, NodeType};
use std::collections::{HashMap, HashSet};

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
        "newsItem" if is_picture(root) => Err(IngestError::PictureWithoutCopy {
            file: file.to_owned(),
        }),
        "newsItem" => Ok(vec![item(file, root)]),
        "newsMessage" => message(file, root),
        "packageItem" => Err(IngestError::Package {
            file: file.to_owned(),
        }),
        _ => Err(IngestError::WrongRoot {
            file: file.to_owned(),
            found: name.to_owned(),
        }),
    }
}

/// A message's text items, in order, each with the pictures the
/// message's packages place beside it. Picture items are not copy: they
/// give no outcome of their own, unless no package places them beside a
/// text item of the message (then they are refused alone), and a message
/// of pictures only is refused whole. Packages give no outcome either.
fn message(file: &str, root: Node) -> Result<Vec<Result<WireItem, IngestError>>, IngestError> {
    let items: Vec<Node> = children(root, "itemSet")
        .flat_map(|set| children(set, "newsItem"))
        .collect();
    let (picture_items, text_items): (Vec<Node>, Vec<Node>) =
        items.iter().partition(|news| is_picture(**news));
    if text_items.is_empty() && !picture_items.is_empty() {
        return Err(IngestError::PictureWithoutCopy {
            file: file.to_owned(),
        });
    }
    let texts: HashSet<String> = text_items.iter().filter_map(|n| guid(*n)).collect();
    let pictures: HashMap<String, Option<WirePicture>> = picture_items
        .iter()
        .filter_map(|news| Some((guid(*news)?, picture_item(*news))))
        .collect();
    let placements = placements(root, &texts, &pictures);
    let outcome = |news: Node| {
        let guid = guid(news);
        if !is_picture(news) {
            return Some(item(file, news).map(|mut item| {
                let beside = guid.and_then(|g| placements.beside.get(&g));
                for picture in beside.into_iter().flatten() {
                    if let Some(Some(picture)) = pictures.get(picture) {
                        picture::add(&mut item.pictures, picture.clone());
                    }
                }
                item
            }));
        }
        match guid {
            Some(guid) if placements.placed.contains(&guid) => None,
            Some(guid) => Some(Err(IngestError::PictureNotPlaced {
                file: file.to_owned(),
                guid,
            })),
            None => Some(Err(IngestError::NoGuid {
                file: file.to_owned(),
            })),
        }
    };
    Ok(items.into_iter().filter_map(outcome).collect())
}

/// Whether a news item is a picture (or a graphic) by its `itemClass`.
fn is_picture(news: Node) -> bool {
    child(news, "itemMeta")
        .and_then(|meta| child(meta, "itemClass"))
        .and_then(|class| class.attribute("qcode"))
        .is_some_and(picture::is_picture_class)
}

fn guid(news: Node) -> Option<String> {
    news.attribute("guid").and_then(non_empty)
}

/// How far up a package's groups a picture looks for its story.
const MAX_GROUP_DEPTH: usize = 32;

/// What the packages of a message say of its pictures.
struct Placements {
    /// The pictures to store beside each text item, by guid: in package
    /// order, each once, at most [`crate::MAX_PICTURES`], only those with
    /// an image to store.
    beside: HashMap<String, Vec<String>>,
    /// Every picture a package places beside a text item of the message.
    placed: HashSet<String>,
}

/// Reads the packages of a message. A picture's `itemRef` goes with the
/// text items of its own `group`; when that group has none (a group of
/// pictures), with those of the nearest group above it, the one whose
/// `groupRef` names it: in IPTC's hierarchical example the main group
/// holds a story and its picture, and a sidebar group its own story and
/// picture.
fn placements(
    root: Node,
    texts: &HashSet<String>,
    pictures: &HashMap<String, Option<WirePicture>>,
) -> Placements {
    let mut placements = Placements {
        beside: HashMap::new(),
        placed: HashSet::new(),
    };
    let group_sets = children(root, "itemSet")
        .flat_map(|set| children(set, "packageItem"))
        .flat_map(|package| children(package, "groupSet"));
    for group_set in group_sets {
        let groups: Vec<Node> = children(group_set, "group").collect();
        let mut index_of: HashMap<&str, usize> = HashMap::new();
        for (index, group) in groups.iter().enumerate() {
            if let Some(id) = group.attribute("id") {
                index_of.entry(id.trim()).or_insert(index);
            }
        }
        let mut parent: HashMap<usize, usize> = HashMap::new();
        for (index, group) in groups.iter().enumerate() {
            let named = children(*group, "groupRef").filter_map(|r| r.attribute("idref"));
            for child in named.filter_map(|id| index_of.get(id.trim())) {
                parent.entry(*child).or_insert(index);
            }
        }
        let has_text: Vec<bool> = groups
            .iter()
            .map(|g| residrefs(*g).any(|r| texts.contains(&r)))
            .collect();
        // The pictures each group with text gets, from itself and the
        // groups below it without text.
        let mut beside: Vec<Vec<String>> = vec![Vec::new(); groups.len()];
        for (index, group) in groups.iter().enumerate() {
            let mut holder = Some(index);
            for _ in 0..MAX_GROUP_DEPTH {
                match holder {
                    Some(h) if !has_text[h] => holder = parent.get(&h).copied(),
                    _ => break,
                }
            }
            let Some(holder) = holder.filter(|h| has_text[*h]) else {
                continue;
            };
            for guid in residrefs(*group) {
                let Some(picture) = pictures.get(&guid) else {
                    continue;
                };
                if picture.is_some() {
                    picture::add(&mut beside[holder], guid.clone());
                }
                placements.placed.insert(guid);
            }
        }
        for (group, pictures) in groups.iter().zip(&beside) {
            for text in residrefs(*group).filter(|r| texts.contains(r)) {
                let list = placements.beside.entry(text).or_default();
                for picture in pictures {
                    picture::add(list, picture.clone());
                }
            }
        }
    }
    placements
}

/// The guids a group's `itemRef`s name.
fn residrefs<'a, 'i>(group: Node<'a, 'i>) -> impl Iterator<Item = String> {
    children(group, "itemRef").filter_map(|r| r.attribute("residref").and_then(non_empty))
}

/// A picture item as the picture to store, or `None` when it has no
/// image to store or its status is not usable (a killed picture must not
/// be published).
fn picture_item(news: Node) -> Option<WirePicture> {
    let meta = child(news, "itemMeta");
    let status = meta
        .and_then(|m| child(m, "pubStatus"))
        .and_then(|s| s.attribute("qcode"));
    if let Some(code) = status
        && tidy::parse_status(code) != Some(Status::Usable)
    {
        return None;
    }
    let mut picture = picture::best(remote_content(news).map(rendition))?;
    let content = child(news, "contentMeta");
    let descriptions = Descriptions::new(
        content
            .into_iter()
            .flat_map(|c| children(c, "description"))
            .map(|d| (d.attribute("role"), text_of(d))),
    );
    let in_content = |name| content.and_then(|c| child(c, name));
    let photographer = || {
        in_content("by")
            .and_then(|b| tidy::byline(&text_of(b)))
            .or_else(|| in_content("creator").and_then(|c| display_name(c, false)))
    };
    picture.caption = descriptions
        .caption()
        .or_else(|| content.and_then(headline));
    picture.credit = in_content("creditline")
        .and_then(|c| non_empty(&text_of(c)))
        .or_else(photographer)
        .or_else(|| credit(meta, content));
    picture.alt = descriptions.get(Described::AltText);
    Some(picture)
}

/// An image the item itself carries beside its text (ANSA sends its
/// stories' picture as a `remoteContent` of the text item): only a
/// rendition declared as an image counts, the others are the text's.
fn own_pictures(news: Node) -> Vec<WirePicture> {
    let images =
        remote_content(news).filter(|r| r.attribute("contenttype").is_some_and(picture::is_image));
    picture::best(images.map(rendition)).into_iter().collect()
}

fn remote_content<'a, 'i>(news: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    child(news, "contentSet")
        .into_iter()
        .flat_map(|set| children(set, "remoteContent"))
}

fn rendition<'a>(remote: Node<'a, '_>) -> Rendition<'a> {
    let pixels = |name| remote.attribute(name).and_then(|v| v.trim().parse().ok());
    Rendition {
        name: remote.attribute("rendition"),
        href: remote.attribute("href"),
        content_type: remote.attribute("contenttype"),
        width: pixels("width"),
        height: pixels("height"),
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
        credit: credit(meta, content),
        dateline_place,
        editor_notes: editor_notes(news),
        slugline: text_in_content("slugline"),
        pictures: own_pictures(news),
        source_guid,
    };
    crate::finish(file, item)
}

/// Who to credit: the credit line, else the information source, else
/// the provider.
fn credit(meta: Option<Node>, content: Option<Node>) -> Option<String> {
    let in_content = |name| content.and_then(|c| child(c, name));
    in_content("creditline")
        .and_then(|c| non_empty(&text_of(c)))
        .or_else(|| in_content("infoSource").and_then(|s| display_name(s, true)))
        .or_else(|| {
            meta.and_then(|m| child(m, "provider"))
                .and_then(|p| display_name(p, true))
        })
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
