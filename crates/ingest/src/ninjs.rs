//! IPTC ninjs (<https://iptc.org/standards/ninjs/>) in its three
//! families, which differ in names rather than meaning: 1.x (`headline`,
//! `body_html`/`body_text`, `pubstatus`, `embargoed`), 2.x (`headlines`,
//! `bodies`, `descriptions`, `by`) and 3.x (camelCase: `pubStatus`,
//! `embargoedUntil`, `versionCreated`, `contentType`). Each field is read
//! under each of its names, so a producer mixing families is read too.
//! The pictures among an item's `associations` go with it.

use crate::picture::{self, Described, Descriptions, Rendition};
use crate::tidy::{self, non_empty};
use crate::{IngestError, Status, WireItem, WirePicture};
use serde_json::{Map, Value};

/// Names only ninjs documents have; JSON with none of them is refused as
/// not ninjs rather than as an item without a headline.
const NINJS_KEYS: [&str; 12] = [
    "uri",
    "guid",
    "headline",
    "headlines",
    "body_text",
    "body_html",
    "bodies",
    "pubstatus",
    "pubStatus",
    "versioncreated",
    "versionCreated",
    "$standard",
];

/// A ninjs document is one item: the document is refused as a whole when
/// it is not ninjs, the item alone when it lacks what an item needs.
pub(crate) fn read(
    file: &str,
    text: &str,
) -> Result<Vec<Result<WireItem, IngestError>>, IngestError> {
    let value: Value = serde_json::from_str(text).map_err(|e| IngestError::MalformedJson {
        file: file.to_owned(),
        line: e.line(),
        column: e.column(),
        reason: e.to_string(),
    })?;
    let not_ninjs = |reason: &str| IngestError::NotNinjs {
        file: file.to_owned(),
        reason: reason.to_owned(),
    };
    let Value::Object(doc) = value else {
        return Err(not_ninjs("the document is not a JSON object"));
    };
    if !NINJS_KEYS.iter().any(|k| doc.contains_key(*k)) {
        return Err(not_ninjs("none of uri, headline(s), body or pubstatus"));
    }
    if string(&doc, &["type"]).is_some_and(|t| picture::is_picture_class(&t)) {
        return Err(IngestError::PictureWithoutCopy {
            file: file.to_owned(),
        });
    }
    Ok(vec![item(file, &doc)])
}

fn item(file: &str, doc: &Map<String, Value>) -> Result<WireItem, IngestError> {
    let source_guid = string(doc, &["uri", "guid"]).ok_or_else(|| IngestError::NoGuid {
        file: file.to_owned(),
    })?;
    let status = crate::status(
        file,
        &source_guid,
        string(doc, &["pubStatus", "pubstatus"]).as_deref(),
    )?;
    let embargo = string(doc, &["embargoedUntil", "embargoed"]);
    let embargoed_until = crate::embargo(file, &source_guid, embargo.as_deref())?;
    let time = |names: &[&str]| string(doc, names).and_then(|t| tidy::parse_time(&t));
    let item = WireItem {
        version: doc.get("version").and_then(number),
        status,
        embargoed_until,
        first_created: time(&["firstCreated", "firstcreated"]),
        version_created: time(&["versionCreated", "versioncreated"]),
        language: string(doc, &["language"]),
        headline: headline(doc).unwrap_or_default(),
        standfirst: standfirst(doc),
        body_html: body_html(doc),
        byline: string(doc, &["by", "byline"]).and_then(|b| tidy::byline(&b)),
        keywords: strings(doc, "keywords"),
        subjects: subjects(doc),
        credit: credit(doc),
        dateline_place: string(doc, &["located"]).and_then(|l| tidy::dateline_place(&l)),
        editor_notes: ["edNote", "ednote"]
            .iter()
            .filter_map(|k| doc.get(*k).and_then(Value::as_str).and_then(non_empty))
            .collect(),
        slugline: string(doc, &["slugline"]),
        pictures: pictures(doc),
        source_guid,
    };
    crate::finish(file, item)
}

/// The first of these names holding a non-empty string.
fn string(doc: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| doc.get(*n).and_then(Value::as_str).and_then(non_empty))
}

fn strings(doc: &Map<String, Value>, name: &str) -> Vec<String> {
    array(doc, name)
        .filter_map(|v| v.as_str().and_then(non_empty))
        .collect()
}

fn array<'a>(doc: &'a Map<String, Value>, name: &str) -> impl Iterator<Item = &'a Value> {
    doc.get(name)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// A version written as a string (1.x) or a number.
fn number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A `{role, value}` entry of `headlines`, `bodies` or `descriptions`.
fn role(entry: &Value) -> Option<&str> {
    entry.get("role").and_then(Value::as_str)
}

fn value(entry: &Value) -> Option<String> {
    entry
        .get("value")
        .and_then(Value::as_str)
        .and_then(non_empty)
}

/// 1.x `headline`, else the 2.x/3.x headline whose role is main (or
/// unset), else the first.
fn headline(doc: &Map<String, Value>) -> Option<String> {
    string(doc, &["headline"]).or_else(|| {
        let headlines: Vec<&Value> = array(doc, "headlines").collect();
        headlines
            .iter()
            .find(|h| role(h).is_none_or(|r| r == "main"))
            .or(headlines.first())
            .and_then(|h| value(h))
    })
}

fn standfirst(doc: &Map<String, Value>) -> Option<String> {
    let described = array(doc, "descriptions")
        .find(|d| role(d).is_none_or(|r| matches!(r, "summary" | "abstract" | "teaser")))
        .and_then(value);
    described
        .or_else(|| string(doc, &["description_text"]))
        .or_else(|| string(doc, &["description_html"]))
        .map(|d| tidy::html_text(&d))
        .filter(|d| !d.is_empty())
}

/// HTML when the item has it, else its plain text as paragraphs: 1.x
/// `body_html`/`body_xhtml`/`body_text`, or the 2.x/3.x `bodies` entry
/// with an HTML content type (main role first), else a plain-text one.
fn body_html(doc: &Map<String, Value>) -> String {
    if let Some(html) = string(doc, &["body_html", "body_xhtml"]) {
        return html;
    }
    if let Some(text) = doc.get("body_text").and_then(Value::as_str) {
        return tidy::text_paragraphs(text);
    }
    let bodies: Vec<&Value> = array(doc, "bodies").collect();
    let content_type = |b: &Value| {
        ["contentType", "contenttype"]
            .iter()
            .find_map(|k| b.get(*k).and_then(Value::as_str))
            .unwrap_or("text/plain")
            .to_ascii_lowercase()
    };
    let is_html = |b: &&&Value| content_type(b).contains("html");
    let main = |b: &&&Value| role(b).is_none_or(|r| r == "main" || r == "html");
    let html = bodies
        .iter()
        .filter(is_html)
        .find(main)
        .or_else(|| bodies.iter().find(is_html));
    if let Some(html) = html.and_then(|b| value(b)) {
        return html;
    }
    bodies
        .iter()
        .find(|b| content_type(b) == "text/plain")
        .and_then(|b| value(b))
        .map(|text| tidy::text_paragraphs(&text))
        .unwrap_or_default()
}

/// Subject codes as NewsML-G2 qcodes: a code that has its scheme, else
/// one built from an IPTC vocabulary URI (`…/newscodes/mediatopic/…` is
/// `medtop:`, `…/subjectcode/…` is `subj:`).
fn subjects(doc: &Map<String, Value>) -> Vec<String> {
    let codes = array(doc, "subjects")
        .chain(array(doc, "subject"))
        .filter_map(|subject| {
            let field = |k: &str| subject.get(k).and_then(Value::as_str).and_then(non_empty);
            field("code")
                .filter(|c| c.contains(':'))
                .or_else(|| field("uri").and_then(|u| qcode_of_uri(&u)))
                .or_else(|| {
                    let code = field("code")?;
                    let scheme = field("scheme").and_then(|s| scheme_alias(&s))?;
                    Some(format!("{scheme}:{code}"))
                })
        });
    tidy::unique(codes)
}

fn qcode_of_uri(uri: &str) -> Option<String> {
    let (scheme, code) = uri.trim_end_matches('/').rsplit_once('/')?;
    Some(format!("{}:{code}", scheme_alias(scheme)?))
}

/// The NewsML-G2 alias of an IPTC vocabulary, by its URI or alias.
fn scheme_alias(scheme: &str) -> Option<&'static str> {
    let scheme = scheme.trim_end_matches('/');
    if scheme.ends_with("mediatopic") || scheme == "medtop" {
        Some("medtop")
    } else if scheme.ends_with("subjectcode") || scheme == "subj" {
        Some("subj")
    } else {
        None
    }
}

/// The first information source's name (3.x `infoSources`, 2.x
/// `infosources`, 1.x `infosource`), else the copyright holder.
fn credit(doc: &Map<String, Value>) -> Option<String> {
    let named = |v: &Value| {
        v.as_str()
            .and_then(non_empty)
            .or_else(|| v.get("name").and_then(Value::as_str).and_then(non_empty))
            .or_else(|| v.get("literal").and_then(Value::as_str).and_then(non_empty))
    };
    array(doc, "infoSources")
        .chain(array(doc, "infosources"))
        .find_map(named)
        .or_else(|| doc.get("infosource").and_then(named))
        .or_else(|| {
            ["copyrightHolder", "copyrightholder"]
                .iter()
                .find_map(|k| doc.get(*k).and_then(named))
        })
}

/// The pictures among the item's `associations`: an object keyed by
/// name (1.x, read in the order of the names) or an array (2.x, 3.x),
/// either shape whatever the family. Other associations (text, video)
/// are passed over, and so is a picture without an image rendition or
/// whose status is not usable.
fn pictures(doc: &Map<String, Value>) -> Vec<WirePicture> {
    let mut pictures = Vec::new();
    let associations = named(doc.get("associations"))
        .into_iter()
        .map(|(_, association)| association)
        .filter(|a| string(a, &["type"]).is_some_and(|t| picture::is_picture_class(&t)));
    for picture in associations.filter_map(picture_of) {
        picture::add(&mut pictures, picture);
    }
    pictures
}

/// The entries of a ninjs object keyed by name (1.x) or of an array of
/// objects with a `name` (2.x, 3.x), with their names.
fn named(value: Option<&Value>) -> Vec<(Option<&str>, &Map<String, Value>)> {
    match value {
        Some(Value::Object(map)) => {
            let mut entries: Vec<_> = map
                .iter()
                .filter_map(|(name, v)| Some((Some(name.as_str()), v.as_object()?)))
                .collect();
            entries.sort_by_key(|(name, _)| *name);
            entries
        }
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_object)
            .map(|v| (v.get("name").and_then(Value::as_str), v))
            .collect(),
        _ => Vec::new(),
    }
}

/// One picture association. Caption: a description of role caption,
/// else the first that is neither alt text nor a credit line (the
/// IPTC examples give role `text`, TT none), else 1.x
/// `description_text`/`description_html`, else the headline. Credit: a
/// description of role `creditline` (AP), else `by`/`byline`, else the
/// information source or copyright holder. Alt text: a description of
/// role alt text, else `alt_text`, else 1.x `body_text`, where Superdesk
/// writes a picture's alt text.
fn picture_of(association: &Map<String, Value>) -> Option<WirePicture> {
    if let Some(code) = string(association, &["pubStatus", "pubstatus"])
        && tidy::parse_status(&code) != Some(Status::Usable)
    {
        return None;
    }
    let renditions = named(association.get("renditions"))
        .into_iter()
        .map(|(name, r)| Rendition {
            name,
            href: r.get("href").and_then(Value::as_str),
            content_type: ["contentType", "contenttype", "mimetype"]
                .iter()
                .find_map(|k| r.get(*k).and_then(Value::as_str)),
            width: r.get("width").and_then(pixels),
            height: r.get("height").and_then(pixels),
        });
    let mut picture = picture::best(renditions)?;
    let descriptions = Descriptions::new(
        array(association, "descriptions")
            .filter_map(|d| Some((role(d), tidy::html_text(&value(d)?)))),
    );
    let plain = |names: &[&str]| {
        string(association, names)
            .map(|t| tidy::html_text(&t))
            .filter(|t| !t.is_empty())
    };
    picture.caption = descriptions
        .caption()
        .or_else(|| plain(&["description_text", "description_html"]))
        .or_else(|| headline(association));
    picture.credit = descriptions
        .get(Described::CreditLine)
        .or_else(|| string(association, &["by", "byline"]).and_then(|b| tidy::byline(&b)))
        .or_else(|| credit(association));
    picture.alt = descriptions
        .get(Described::AltText)
        .or_else(|| plain(&["alt_text", "body_text"]));
    Some(picture)
}

/// Pixels written as a whole number (1.x allows any JSON number).
fn pixels(value: &Value) -> Option<u32> {
    let whole = value.as_u64().or_else(|| {
        let n = value.as_f64().filter(|n| n.is_finite() && *n >= 0.0)?;
        // `as` saturates at u64::MAX; u32::try_from refuses what is larger.
        Some(n.round() as u64)
    })?;
    u32::try_from(whole).ok()
}
