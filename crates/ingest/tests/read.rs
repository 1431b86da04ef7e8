//! Agency files as they come, read into wire items: what an editor would
//! see on the wire desk, and the files a source must refuse.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dateline_ingest::{
    IngestError, Limits, MAX_PICTURES, Status, WireItem, WirePicture, read_file,
};
use std::path::PathBuf;
use time::macros::datetime;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/ingest")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What a file gave: refused whole (outer `Err`), or each item's outcome.
type Outcomes = Result<Vec<Result<WireItem, IngestError>>, IngestError>;

fn read(name: &str) -> Outcomes {
    read_file(name, &fixture(name), &Limits::default())
}

/// The items of a file none of whose items was refused.
fn items(name: &str) -> Vec<WireItem> {
    read(name)
        .unwrap()
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn one(name: &str) -> WireItem {
    let mut items = items(name);
    assert_eq!(items.len(), 1, "{name}");
    items.remove(0)
}

/// Why a file was refused as a whole.
fn refused(name: &str) -> IngestError {
    read(name).unwrap_err()
}

/// The outcome of the one item of a file that is not refused as a whole.
fn lone(outcomes: Outcomes) -> Result<WireItem, IngestError> {
    let mut outcomes = outcomes.expect("the file as a whole is read");
    assert_eq!(outcomes.len(), 1);
    outcomes.remove(0)
}

fn read_json(json: &str) -> Outcomes {
    read_file("inline.json", json.as_bytes(), &Limits::default())
}

fn json_item(json: &str) -> Result<WireItem, IngestError> {
    lone(read_json(json))
}

// NewsML-G2

#[test]
fn a_newsml_g2_item_with_inline_xhtml_is_read_field_by_field() {
    let item = one("g2-xhtml-default-ns.xml");
    assert_eq!(
        item.source_guid,
        "urn:newsml:example.org:20261205:port-reopens"
    );
    assert_eq!(item.version, Some(3));
    assert_eq!(item.status, Status::Usable);
    assert_eq!(item.embargoed_until, None);
    assert_eq!(item.version_created, Some(datetime!(2026-12-05 09:30 UTC)));
    assert_eq!(item.first_created, Some(datetime!(2026-12-05 08:00 +02:00)));
    assert_eq!(item.language.as_deref(), Some("en"));
    assert_eq!(item.headline, "Beirut port reopens to cargo ships");
    assert_eq!(
        item.standfirst.as_deref(),
        Some("Cargo traffic resumed on Saturday after a week-long closure.")
    );
    assert_eq!(item.byline.as_deref(), Some("Rana Example"));
    assert_eq!(item.keywords, ["port", "shipping"]);
    assert_eq!(item.subjects, ["medtop:04000000", "medtop:20000349"]);
    assert_eq!(item.credit.as_deref(), Some("Source: Example Wire"));
    assert_eq!(item.dateline_place.as_deref(), Some("BEIRUT"));
    assert_eq!(item.slugline.as_deref(), Some("LEBANON-PORT/"));
    assert_eq!(
        item.editor_notes,
        ["Eds: call the Beirut desk on +961 1 000000 with questions."]
    );
}

#[test]
fn the_xhtml_body_loses_its_namespace_comments_and_repeated_headline() {
    let item = one("g2-xhtml-default-ns.xml");
    assert_eq!(
        item.body_html
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        "<p>Cargo ships <em>began</em> unloading at the port of Beirut on Saturday &amp; \
         traffic was expected to return to normal within days.</p> <p>Officials said the \
         closure cost <a href=\"https://example.org/report\">millions</a>.<br>More to \
         follow.</p>"
    );
    assert!(!item.body_html.contains("xmlns"));
    assert!(!item.body_html.contains("layout desk"));
}

#[test]
fn editor_notes_never_reach_a_public_field() {
    for (name, note) in [
        ("g2-xhtml-default-ns.xml", "+961"),
        ("g2-embargoed.xml", "desk@example.org"),
    ] {
        let item = one(name);
        assert!(item.editor_notes.iter().any(|n| n.contains(note)), "{name}");
        let public = format!(
            "{} {:?} {} {:?} {:?} {:?} {:?}",
            item.headline,
            item.standfirst,
            item.body_html,
            item.byline,
            item.credit,
            item.dateline_place,
            item.slugline
        );
        assert!(!public.contains(note), "{name}: {public}");
    }
}

#[test]
fn elements_are_matched_by_namespace_not_by_prefix() {
    let item = one("g2-ns0-prefix.xml");
    assert_eq!(item.source_guid, "tag:example.org,2026:newsml_EX1NEW");
    assert_eq!(item.headline, "Oil prices climb on supply worries");
    assert_eq!(
        item.body_html,
        "<p>Oil prices rose for a third day.</p><p>Traders cited lower stocks.</p>"
    );
    assert_eq!(item.subjects, ["subj:04000000", "subj:04008000"]);
    assert_eq!(item.credit.as_deref(), Some("example.org"));
}

#[test]
fn a_dateline_that_is_a_timestamp_gives_way_to_the_located_place() {
    assert_eq!(
        one("g2-ns0-prefix.xml").dateline_place.as_deref(),
        Some("London")
    );
}

#[test]
fn a_dateline_that_is_a_place_wins_over_located() {
    assert_eq!(
        one("g2-nitf.xml").dateline_place.as_deref(),
        Some("FORT WASHINGTON, Pa.")
    );
}

#[test]
fn an_unreadable_time_is_none_not_a_refusal() {
    let item = one("g2-ns0-prefix.xml");
    assert_eq!(item.first_created, None);
    assert_eq!(
        item.version_created,
        Some(datetime!(2026-12-05 10:12:44 UTC))
    );
}

#[test]
fn a_nitf_body_is_read_from_body_content() {
    let item = one("g2-nitf.xml");
    assert_eq!(
        item.body_html
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        "<p>The city council approved the budget by seven votes to two.</p> \
         <h2>Schools</h2> <p>Schools get more.</p>"
    );
}

#[test]
fn headlines_are_chosen_by_role_then_rank() {
    assert_eq!(one("g2-nitf.xml").headline, "Council approves city budget");
    // The sub-headline comes first in the file but is not the main one.
    assert_eq!(
        one("g2-xhtml-default-ns.xml").headline,
        "Beirut port reopens to cargo ships"
    );
}

#[test]
fn credit_falls_back_to_the_information_source_then_the_provider() {
    let item = one("g2-nitf.xml");
    assert_eq!(item.credit.as_deref(), Some("Example Associated Wire"));
    assert_eq!(item.standfirst, None, "a caption is not a standfirst");
    assert_eq!(one("g2-embargoed.xml").credit.as_deref(), Some("EXW"));
}

#[test]
fn a_news_message_gives_each_of_its_news_items() {
    let items = items("g2-message-two-items.xml");
    let seen: Vec<(&str, Option<u64>, &str)> = items
        .iter()
        .map(|i| (i.source_guid.as_str(), i.version, i.body_html.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("urn:newsml:example.org:msg-1", Some(1), "<p>One.</p>"),
            ("urn:newsml:example.org:msg-2", Some(4), "<p>Two.</p>"),
        ]
    );
}

#[test]
fn one_bad_item_of_a_news_message_does_not_cost_the_others() {
    let outcomes = read("g2-message-one-bad-item.xml").unwrap();
    assert_eq!(outcomes.len(), 3);
    let guids: Vec<&str> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().ok())
        .map(|i| i.source_guid.as_str())
        .collect();
    assert_eq!(
        guids,
        [
            "urn:newsml:example.org:batch-1",
            "urn:newsml:example.org:batch-3"
        ]
    );
    assert_eq!(
        outcomes[1].as_ref().unwrap_err(),
        &IngestError::NoHeadline {
            file: "g2-message-one-bad-item.xml".into(),
            guid: "urn:newsml:example.org:batch-2".into()
        }
    );
}

#[test]
fn a_lone_bad_item_is_its_own_outcome_and_not_a_refused_file() {
    // Callers treat every item alike, whether the file held one or many.
    let no_headline = newsml_item("", "", "<p>B</p>");
    assert!(matches!(
        read_xml(&no_headline).as_deref(),
        Ok([Err(IngestError::NoHeadline { .. })])
    ));
    assert!(matches!(
        read_json(r#"{"uri": "u", "pubstatus": "draft"}"#).as_deref(),
        Ok([Err(IngestError::UnknownStatus { .. })])
    ));
}

#[test]
fn an_update_and_a_kill_of_the_same_guid_carry_larger_versions() {
    let first = one("g2-story-v1.xml");
    let update = one("g2-story-v2-update.xml");
    let kill = one("g2-story-kill.xml");
    assert_eq!(first.source_guid, update.source_guid);
    assert_eq!(first.source_guid, kill.source_guid);
    assert_eq!(first.version, Some(978_556_838));
    assert_eq!(update.version, Some(1_542_761_538));
    assert_eq!(kill.version, Some(1_900_000_001));
    assert!(first.version < update.version && update.version < kill.version);
    assert_eq!(
        update.body_html,
        "<p>Talks resumed on Saturday and ran into the night.</p>"
    );
    assert_eq!(update.status, Status::Usable);
    assert_eq!(kill.status, Status::Canceled);
    // A kill needs no copy; its reason is for editors.
    assert_eq!(kill.headline, "");
    assert_eq!(kill.body_html, "");
    assert_eq!(kill.editor_notes, ["Kill: legal advice. Do not use."]);
}

#[test]
fn an_embargoed_item_carries_its_time_and_loses_the_embargo_line() {
    let item = one("g2-embargoed.xml");
    assert_eq!(item.embargoed_until, Some(datetime!(2026-12-06 11:00 UTC)));
    assert_eq!(
        item.body_html,
        "<p>Hospital admissions fell by a tenth last year, a report said.</p>"
    );
}

#[test]
fn an_arabic_item_keeps_its_script_and_language() {
    let item = one("g2-arabic.xml");
    assert_eq!(item.language.as_deref(), Some("ar"), "from xml:lang");
    assert_eq!(item.headline, "استئناف الملاحة في مرفأ بيروت");
    assert_eq!(item.dateline_place.as_deref(), Some("بيروت"));
    assert_eq!(item.credit.as_deref(), Some("وكالة المثال"));
    assert_eq!(item.keywords, ["مرفأ"]);
    assert!(item.body_html.contains("مرفأ بيروت يوم السبت"));
}

fn newsml_item(item_meta: &str, content_meta: &str, body: &str) -> String {
    format!(
        r#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:1" version="1">
        <itemMeta>{item_meta}</itemMeta><contentMeta>{content_meta}</contentMeta>
        <contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html></inlineXML></contentSet>
        </newsItem>"#
    )
}

fn read_xml(xml: &str) -> Outcomes {
    read_file("inline.xml", xml.as_bytes(), &Limits::default())
}

fn xml_item(xml: &str) -> Result<WireItem, IngestError> {
    lone(read_xml(xml))
}

#[test]
fn a_withheld_item_is_read_as_withheld() {
    let xml = newsml_item(
        r#"<pubStatus qcode="stat:withheld"/>"#,
        "<headline>H</headline>",
        "",
    );
    assert_eq!(xml_item(&xml).unwrap().status, Status::Withheld);
}

#[test]
fn an_unknown_status_is_refused_rather_than_published() {
    let xml = newsml_item(
        r#"<pubStatus qcode="stat:maybe"/>"#,
        "<headline>H</headline>",
        "<p>B</p>",
    );
    assert_eq!(
        xml_item(&xml).unwrap_err().to_string(),
        "inline.xml: item urn:x:1 has an unknown publishing status \"stat:maybe\""
    );
}

#[test]
fn an_empty_embargo_is_none_and_an_unreadable_one_is_refused() {
    let empty = newsml_item(
        "<embargoed></embargoed>",
        "<headline>H</headline>",
        "<p>B</p>",
    );
    assert_eq!(xml_item(&empty).unwrap().embargoed_until, None);
    let garbled = newsml_item(
        "<embargoed>next Tuesday</embargoed>",
        "<headline>H</headline>",
        "<p>B</p>",
    );
    assert!(matches!(
        xml_item(&garbled),
        Err(IngestError::UnreadableEmbargo { value, .. }) if value == "next Tuesday"
    ));
}

#[test]
fn a_usable_item_without_headline_or_body_is_refused() {
    let no_headline = newsml_item("", "", "<p>B</p>");
    assert_eq!(
        xml_item(&no_headline).unwrap_err().to_string(),
        "inline.xml: item urn:x:1 has no headline"
    );
    let no_body = newsml_item("", "<headline>H</headline>", "<p> </p>");
    assert_eq!(
        xml_item(&no_body).unwrap_err().to_string(),
        "inline.xml: item urn:x:1 has no body"
    );
}

#[test]
fn an_item_without_a_guid_is_refused() {
    let xml = r#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" version="1"/>"#;
    assert_eq!(
        xml_item(xml).unwrap_err().to_string(),
        "inline.xml: an item without a guid (NewsML-G2 @guid, ninjs uri or guid; a feed entry without guid, id, link, date or title)"
    );
}

#[test]
fn a_version_that_is_not_a_number_is_none() {
    let xml = newsml_item("", "<headline>H</headline>", "<p>B</p>")
        .replace("version=\"1\"", "version=\"v2\"");
    assert_eq!(xml_item(&xml).unwrap().version, None);
}

#[test]
fn a_package_on_its_own_is_refused_with_its_reason() {
    assert_eq!(
        refused("g2-package.xml").to_string(),
        "g2-package.xml: a NewsML-G2 packageItem on its own is not read; the items it refers to \
         are ingested from their own files (send it in a newsMessage with its items to place \
         pictures beside their story)"
    );
}

#[test]
fn newsml_1_is_refused_with_its_reason() {
    assert_eq!(
        refused("newsml1.xml").to_string(),
        "newsml1.xml: NewsML 1.x (root <NewsML> without the G2 namespace) is not read; ask the source for NewsML-G2"
    );
}

// Pictures

#[test]
fn a_picture_in_a_package_goes_with_its_story_field_by_field() {
    let item = one("g2-package-with-picture.xml");
    assert_eq!(
        item.source_guid,
        "urn:newsml:example.org:20261206:harbour-cranes"
    );
    assert_eq!(item.headline, "New cranes arrive at Beirut port");
    assert_eq!(
        item.pictures,
        [WirePicture {
            caption: Some(
                "Two ship-to-shore cranes stand on the quay after being unloaded at the port of \
                 Beirut, Lebanon, on Saturday, Dec. 5, 2026."
                    .into()
            ),
            credit: Some("Example Wire/Lina Example".into()),
            alt: Some("Two tall blue cranes on a quay beside a moored cargo ship.".into()),
            ..picture("harbour-cranes.jpg", "image/jpeg", Some((3000, 2000)))
        }],
        "the high-resolution rendition, not the thumbnail listed first or the web one"
    );
    assert_eq!(
        item.standfirst.as_deref(),
        Some("Two cranes will double the container terminal's capacity.")
    );
}

#[test]
fn neither_the_picture_item_nor_the_package_is_copy() {
    let outcomes = read("g2-package-with-picture.xml").unwrap();
    assert_eq!(outcomes.len(), 1, "{outcomes:?}");
    let item = outcomes[0].as_ref().unwrap();
    // The picture's note to editors is the picture's: not a public word.
    let words = format!("{:?} {}", item.pictures, item.body_html);
    assert!(!words.contains("no sales"), "{words}");
}

#[test]
fn a_picture_in_a_group_without_text_goes_with_the_story_of_the_group_above() {
    let item = one("g2-package-with-picture-arabic.xml");
    assert_eq!(item.headline, "افتتاح معرض الكتاب في بيروت");
    assert_eq!(
        item.pictures,
        [WirePicture {
            caption: Some("زوار يتصفحون الكتب في اليوم الأول لمعرض الكتاب في بيروت.".into()),
            credit: Some("ليلى مثال".into()),
            alt: Some("رفوف كتب طويلة يقف أمامها زوار.".into()),
            ..picture("book-fair-2048.jpg", "image/jpeg", Some((2048, 1365)))
        }],
        "unnamed renditions: the largest; a description without role is the caption; \
         the photographer is the credit"
    );
}

/// The picture of this rendition, without words: a test adds its own.
fn picture(href: &str, content_type: &str, size: Option<(u32, u32)>) -> WirePicture {
    WirePicture {
        href: href.into(),
        caption: None,
        credit: None,
        alt: None,
        content_type: Some(content_type.into()),
        width: size.map(|s| s.0),
        height: size.map(|s| s.1),
    }
}

/// A text item of the message, with this guid.
fn story(guid: &str) -> String {
    format!(
        r#"<newsItem guid="{guid}" version="1"><itemMeta><itemClass qcode="ninat:text"/></itemMeta>
        <contentMeta><headline>Story {guid}</headline></contentMeta>
        <contentSet><inlineXML><body xmlns="http://www.w3.org/1999/xhtml"><p>Copy.</p></body></inlineXML></contentSet></newsItem>"#
    )
}

/// A picture item of the message, with these `itemMeta` children,
/// `contentMeta` children and renditions (`remoteContent`s).
fn photo(guid: &str, item_meta: &str, content_meta: &str, renditions: &str) -> String {
    format!(
        r#"<newsItem guid="{guid}" version="1">
        <itemMeta><itemClass qcode="icls:picture"/>{item_meta}</itemMeta>
        <contentMeta>{content_meta}</contentMeta><contentSet>{renditions}</contentSet></newsItem>"#
    )
}

/// A picture item with one rendition, `{guid}.jpg`.
fn simple_photo(guid: &str) -> String {
    photo(
        guid,
        "",
        "",
        &format!(r#"<remoteContent href="{guid}.jpg" contenttype="image/jpeg"/>"#),
    )
}

/// A message of these items and a package of these groups (none when
/// `groups` is empty).
fn message(items: &[String], groups: &str) -> Outcomes {
    let package = if groups.is_empty() {
        String::new()
    } else {
        format!(
            r#"<packageItem guid="pkg" version="1"><itemMeta><itemClass qcode="ninat:composite"/></itemMeta>
            <groupSet root="G1">{groups}</groupSet></packageItem>"#
        )
    };
    read_xml(&format!(
        r#"<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>{package}{}</itemSet></newsMessage>"#,
        items.concat()
    ))
}

fn item_ref(guid: &str) -> String {
    format!(r#"<itemRef residref="{guid}"/>"#)
}

fn hrefs(item: &WireItem) -> Vec<&str> {
    item.pictures.iter().map(|p| p.href.as_str()).collect()
}

#[test]
fn a_sidebar_picture_goes_with_the_sidebar_story() {
    // The shape of IPTC's hierarchical package (NewsML-G2 guidelines,
    // listing 7): a main group and a sidebar group, each with its story
    // and its picture.
    let groups = format!(
        r#"<group id="G1" role="group:main">{}{}<groupRef idref="G2"/></group>
           <group id="G2" role="group:sidebar">{}{}</group>"#,
        item_ref("main"),
        item_ref("main-pic"),
        item_ref("side"),
        item_ref("side-pic"),
    );
    let items = [
        story("main"),
        simple_photo("main-pic"),
        story("side"),
        simple_photo("side-pic"),
    ];
    let outcomes = message(&items, &groups).unwrap();
    let stories: Vec<(&str, Vec<&str>)> = outcomes
        .iter()
        .map(|o| o.as_ref().unwrap())
        .map(|item| (item.source_guid.as_str(), hrefs(item)))
        .collect();
    assert_eq!(
        stories,
        [
            ("main", vec!["main-pic.jpg"]),
            ("side", vec!["side-pic.jpg"])
        ]
    );
}

/// The story `s` with the picture `p` placed beside it.
fn story_with(picture: String) -> Result<WireItem, IngestError> {
    let groups = format!(
        r#"<group id="G1">{}{}</group>"#,
        item_ref("s"),
        item_ref("p")
    );
    lone(message(&[story("s"), picture], &groups))
}

#[test]
fn the_rendition_kept_is_high_resolution_by_name_else_the_largest() {
    let by_name = photo(
        "p",
        "",
        "",
        r#"<remoteContent rendition="rnd:web" href="web.jpg" contenttype="image/jpeg" width="800" height="533"/>
           <remoteContent rendition="rnd:highRes" href="print.jpg" contenttype="image/jpeg"/>"#,
    );
    let unnamed = photo(
        "p",
        "",
        "",
        r#"<remoteContent rendition="rnd:thumbnail" href="thumb.jpg" width="4000" height="4000"/>
           <remoteContent href="small.jpg" width="640" height="427"/>
           <remoteContent href="large.jpg" width="1920" height="1280"/>
           <remoteContent href="large-too.jpg" width="1920" height="1280"/>"#,
    );
    let graphic = photo(
        "p",
        "",
        "",
        r#"<remoteContent rendition="rnd:highRes" href="chart.ai" contenttype="application/illustrator"/>
           <remoteContent rendition="rnd:highRes" residref="no-href"/>
           <remoteContent rendition="rnd:web" href=" chart.png " contenttype="image/png" width="800" height="600"/>"#,
    );
    for (picture, kept) in [
        (by_name, "print.jpg"),
        (unnamed, "large.jpg"),
        (graphic, "chart.png"),
    ] {
        assert_eq!(hrefs(&story_with(picture).unwrap()), [kept]);
    }
    let no_image = photo(
        "p",
        "",
        "",
        r#"<remoteContent href="clip.mp4" contenttype="video/mp4"/>"#,
    );
    assert!(story_with(no_image).unwrap().pictures.is_empty());
}

#[test]
fn caption_credit_and_alt_text_fall_back_in_order() {
    let rendition = r#"<remoteContent href="p.jpg"/>"#;
    let provider = r#"<provider qcode="nprov:EXW"><name>Example Wire</name></provider>"#;
    let words = |item_meta: &str, content_meta: &str| {
        let picture = &story_with(photo("p", item_meta, content_meta, rendition))
            .unwrap()
            .pictures[0];
        (
            picture.caption.clone(),
            picture.credit.clone(),
            picture.alt.clone(),
        )
    };
    assert_eq!(
        words(provider, "<headline>Quay at dawn</headline>"),
        (
            Some("Quay at dawn".into()),
            Some("Example Wire".into()),
            None
        ),
        "the headline, the provider"
    );
    assert_eq!(
        words(
            provider,
            r#"<creator><name>Lina Example</name></creator><by>By Sam Example</by>
               <headline>Quay</headline><description role="drol:summary">Boats at the quay.</description>"#
        ),
        (
            Some("Boats at the quay.".into()),
            Some("Sam Example".into()),
            None
        ),
        "a description of another role before the headline; the byline before the creator"
    );
    assert_eq!(
        words(
            provider,
            r#"<infoSource><name>Harbour Photos</name></infoSource><creator qcode="pers:LE"/>
               <description role="drol:altText">Boats.</description>"#
        ),
        (None, Some("Harbour Photos".into()), Some("Boats.".into())),
        "alt text is never the caption; a creator known by a code alone is no name"
    );
}

#[test]
fn a_picture_no_package_places_is_refused_alone_and_the_story_is_taken() {
    let outcomes = message(&[story("s"), simple_photo("p")], "").unwrap();
    assert_eq!(outcomes.len(), 2);
    assert!(outcomes[0].as_ref().unwrap().pictures.is_empty());
    assert_eq!(
        outcomes[1].as_ref().unwrap_err().to_string(),
        "inline.xml: picture item p goes with no story: no packageItem of the message places \
         it beside a text item of the message"
    );
    // A package that places it beside a story of another file.
    let elsewhere = format!(
        r#"<group id="G1">{}{}</group>"#,
        item_ref("other"),
        item_ref("p")
    );
    let outcomes = message(&[story("s"), simple_photo("p")], &elsewhere).unwrap();
    assert!(matches!(
        outcomes[1],
        Err(IngestError::PictureNotPlaced { ref guid, .. }) if guid == "p"
    ));
}

#[test]
fn a_picture_without_copy_is_refused_whole() {
    let reason = "a picture item without copy; send it with its story in a newsMessage or \
                  beside the story in the drop folder";
    assert_eq!(
        refused("g2-picture-alone.xml").to_string(),
        format!("g2-picture-alone.xml: {reason}")
    );
    let pictures_only = message(&[simple_photo("p"), simple_photo("q")], "");
    assert_eq!(
        pictures_only.unwrap_err(),
        IngestError::PictureWithoutCopy {
            file: "inline.xml".into()
        }
    );
    let ninjs = read_json(
        r#"{"uri": "u", "type": "picture", "body_text": "Boats.",
            "renditions": {"original": {"href": "p.jpg"}}}"#,
    );
    assert_eq!(
        ninjs.unwrap_err().to_string(),
        format!("inline.json: {reason}")
    );
}

#[test]
fn a_killed_picture_is_not_placed_beside_its_story() {
    let killed = photo(
        "p",
        r#"<pubStatus qcode="stat:canceled"/>"#,
        "",
        r#"<remoteContent href="p.jpg"/>"#,
    );
    assert!(story_with(killed).unwrap().pictures.is_empty());
}

#[test]
fn an_image_the_story_carries_itself_is_its_picture() {
    // As ANSA sends it: the story's picture as a remoteContent of the
    // text item. Content of other types is the text's, not a picture.
    let xml = newsml_item("", "<headline>H</headline>", "<p>B</p>").replace(
        "<contentSet>",
        r#"<contentSet><remoteContent contenttype="image/jpeg" rendition="rnd:highRes" href="tag:example.org,2026:photo-1.jpg"/>
           <remoteContent contenttype="text/html" href="story.html"/><remoteContent href="untyped.bin"/>"#,
    );
    let item = xml_item(&xml).unwrap();
    assert_eq!(hrefs(&item), ["tag:example.org,2026:photo-1.jpg"]);
    assert_eq!(
        (
            item.pictures[0].caption.as_ref(),
            item.pictures[0].credit.as_ref()
        ),
        (None, None),
        "the story's words are not the picture's"
    );
}

#[test]
fn an_item_has_at_most_max_pictures_however_many_a_package_places() {
    let count = 3 * MAX_PICTURES;
    let mut items: Vec<String> = (0..count).map(|i| simple_photo(&format!("p{i}"))).collect();
    items.extend((0..count).map(|i| story(&format!("s{i}"))));
    let refs: String = (0..count)
        .map(|i| item_ref(&format!("p{i}")) + &item_ref(&format!("s{i}")))
        .collect();
    let outcomes = message(&items, &format!(r#"<group id="G1">{refs}</group>"#)).unwrap();
    assert_eq!(outcomes.len(), count, "only the stories");
    for outcome in &outcomes {
        let item = outcome.as_ref().unwrap();
        assert_eq!(item.pictures.len(), MAX_PICTURES);
        assert_eq!(item.pictures[0].href, "p0.jpg", "in the package's order");
    }
}

#[test]
fn items_without_pictures_have_none() {
    for name in [
        "g2-message-two-items.xml",
        "g2-xhtml-default-ns.xml",
        "ninjs-1.json",
        "ninjs-3.json",
        "feed-atom.xml",
    ] {
        assert!(items(name).iter().all(|i| i.pictures.is_empty()), "{name}");
    }
}

#[test]
fn ninjs_2_picture_associations_go_with_the_item() {
    let item = one("ninjs-2-picture.json");
    assert_eq!(item.headline, "Winter ferry timetable starts");
    assert_eq!(
        item.pictures,
        [WirePicture {
            caption: Some("The morning ferry leaves the quay at Tyre on Sunday.".into()),
            credit: Some("Sam Example".into()),
            alt: Some("A white ferry pulls away from a stone quay.".into()),
            ..picture(
                "https://media.example.org/ferry-large.jpg",
                "image/jpeg",
                Some((2400, 1600))
            )
        }],
        "the related text association is not a picture"
    );
}

#[test]
fn ninjs_1_associations_are_an_object_keyed_by_name() {
    // As Superdesk writes them: renditions keyed by name, the caption in
    // description_text, the alt text in body_text.
    let item = json_item(
        r#"{"uri": "u", "headline": "H", "body_html": "<p>B</p>",
            "associations": {
              "gallery--2": {"type": "picture", "byline": "By Lee Example", "headline": "Second",
                "renditions": {"original": {"href": "second.jpg", "mimetype": "image/jpeg", "width": 1200.0, "height": 800}}},
              "featuremedia": {"type": "picture", "description_text": "Boats at the quay.",
                "body_text": "Boats.", "copyrightholder": "Harbour Photos",
                "renditions": {
                  "thumbnail": {"href": "thumb.jpg", "mimetype": "image/jpeg", "width": 4000, "height": 4000},
                  "viewImage": {"href": "view.jpg", "mimetype": "image/jpeg", "width": 640, "height": 400},
                  "baseImage": {"href": "base.jpg", "mimetype": "image/jpeg", "width": 1400, "height": 900}}},
              "related": {"type": "text", "headline": "Other story"}
            }}"#,
    )
    .unwrap();
    assert_eq!(
        item.pictures,
        [
            WirePicture {
                caption: Some("Boats at the quay.".into()),
                credit: Some("Harbour Photos".into()),
                alt: Some("Boats.".into()),
                ..picture("base.jpg", "image/jpeg", Some((1400, 900)))
            },
            WirePicture {
                caption: Some("Second".into()),
                credit: Some("Lee Example".into()),
                ..picture("second.jpg", "image/jpeg", Some((1200, 800)))
            },
        ],
        "in the order of their names"
    );
}

#[test]
fn ninjs_3_associations_are_an_array_in_camel_case() {
    let item = json_item(
        r#"{"uri": "u", "headlines": [{"value": "H"}], "bodies": [{"contentType": "text/html", "value": "<p>B</p>"}],
            "associations": [
              {"name": "mainpic", "type": "picture", "pubStatus": "usable",
               "copyrightHolder": {"name": "Example Wire"},
               "descriptions": [
                 {"role": "creditline", "value": "ASSOCIATED EXAMPLE"},
                 {"role": "text", "contentType": "application/xhtml+xml", "value": "<p>The ship lies on its side.</p>"},
                 {"role": "altText", "value": "A ship on its side."}],
               "renditions": [
                 {"name": "small", "href": "small.jpg", "contentType": "image/jpg", "width": 179, "height": 117},
                 {"name": "main", "href": "main.jpg", "contentType": "image/jpg", "width": 429, "height": 281}]},
              {"name": "portrait", "type": "picture", "pubStatus": "withheld",
               "renditions": [{"name": "main", "href": "withheld.jpg"}]},
              {"name": "logo", "type": "graphic", "copyrightHolder": {"name": "Example Wire"},
               "renditions": [{"name": "main", "href": "logo.png", "contentType": "image/png"}]}
            ]}"#,
    )
    .unwrap();
    assert_eq!(
        item.pictures,
        [
            WirePicture {
                caption: Some("The ship lies on its side.".into()),
                credit: Some("ASSOCIATED EXAMPLE".into()),
                alt: Some("A ship on its side.".into()),
                ..picture("main.jpg", "image/jpg", Some((429, 281)))
            },
            WirePicture {
                credit: Some("Example Wire".into()),
                ..picture("logo.png", "image/png", None)
            },
        ],
        "a withheld picture is not kept"
    );
}

// Hostile and broken files

#[test]
fn a_billion_laughs_dtd_is_refused_before_any_expansion() {
    assert_eq!(
        refused("hostile-billion-laughs.xml").to_string(),
        "hostile-billion-laughs.xml: has a DTD (<!DOCTYPE>), refused: entity declarations are not allowed"
    );
}

#[test]
fn an_external_entity_is_refused() {
    assert!(matches!(
        refused("hostile-external-entity.xml"),
        IngestError::Dtd { .. }
    ));
}

#[test]
fn malformed_xml_is_refused_with_its_line_and_column() {
    let error = refused("hostile-malformed.xml");
    assert!(
        matches!(&error, IngestError::MalformedXml { line: 5, .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("hostile-malformed.xml: malformed XML at line 5, column ")
    );
}

#[test]
fn a_wrong_root_element_is_refused() {
    assert_eq!(
        refused("hostile-wrong-root.xml"),
        IngestError::WrongRoot {
            file: "hostile-wrong-root.xml".into(),
            found: "html".into()
        }
    );
    // The right names in no namespace are neither NewsML-G2 nor Atom.
    for xml in [
        "<newsItem guid=\"x\"/>",
        "<feed><entry><id>x</id></entry></feed>",
    ] {
        assert!(
            matches!(read_xml(xml), Err(IngestError::WrongRoot { .. })),
            "{xml}"
        );
    }
}

#[test]
fn a_file_over_the_limit_is_refused_unread() {
    let limits = Limits { max_bytes: 1024 };
    let bytes = fixture("g2-xhtml-default-ns.xml");
    let error = read_file("big.xml", &bytes, &limits).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "big.xml: {} bytes is larger than the limit of 1024 bytes",
            bytes.len()
        )
    );
    assert_eq!(Limits::default().max_bytes, 20 * 1024 * 1024);
    let huge = vec![b' '; Limits::default().max_bytes + 1];
    assert!(matches!(
        read_file("huge.xml", &huge, &Limits::default()),
        Err(IngestError::TooLarge { .. })
    ));
}

#[test]
fn empty_unknown_and_non_utf8_files_are_refused() {
    let limits = Limits::default();
    assert_eq!(
        read_file("empty.xml", b" \n", &limits)
            .unwrap_err()
            .to_string(),
        "empty.xml: the file is empty"
    );
    assert_eq!(
        read_file("note.txt", b"hello", &limits)
            .unwrap_err()
            .to_string(),
        "note.txt: neither XML nor JSON"
    );
    assert!(matches!(
        read_file("latin1.xml", b"<a>caf\xe9</a>", &limits),
        Err(IngestError::NotUtf8 { offset: 6, .. })
    ));
}

#[test]
fn a_byte_order_mark_is_not_an_error() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(fixture("g2-story-v1.xml"));
    assert_eq!(
        read_file("bom.xml", &bytes, &Limits::default())
            .unwrap()
            .len(),
        1
    );
}

// ninjs

#[test]
fn ninjs_1_is_read_field_by_field() {
    let item = one("ninjs-1.json");
    assert_eq!(
        item.source_guid,
        "http://wire.example.org/item/2026/12/05/ninjs-one"
    );
    assert_eq!(item.version, Some(5));
    assert_eq!(item.status, Status::Usable);
    assert_eq!(item.embargoed_until, Some(datetime!(2026-12-05 18:00 UTC)));
    assert_eq!(item.first_created, Some(datetime!(2026-12-05 08:00 UTC)));
    assert_eq!(item.version_created, Some(datetime!(2026-12-05 09:15 UTC)));
    assert_eq!(item.language.as_deref(), Some("en"));
    assert_eq!(item.headline, "Rain returns to the coast");
    assert_eq!(
        item.standfirst.as_deref(),
        Some("Forecasters expect heavy rain on Sunday.")
    );
    // The slugline repeated at the top of body_text is dropped.
    assert_eq!(
        item.body_html,
        "<p>Rain is expected along the coast from Sunday.</p>\
         <p>Farmers welcomed the news &amp; said wells were low.</p>"
    );
    assert_eq!(item.byline.as_deref(), Some("Sam Example"));
    assert_eq!(item.keywords, ["weather", "rain"]);
    assert_eq!(item.subjects, ["medtop:17000000", "medtop:20000446"]);
    assert_eq!(item.dateline_place.as_deref(), Some("Tyre"));
    assert_eq!(
        item.editor_notes,
        ["Eds: moves again at 1800 with new figures."]
    );
    assert_eq!(item.slugline.as_deref(), Some("WEATHER-COAST"));
}

#[test]
fn ninjs_2_is_read_from_its_arrays() {
    let item = one("ninjs-2.json");
    assert_eq!(item.version, Some(12));
    assert_eq!(item.headline, "Bahnstrecke wieder frei");
    assert_eq!(
        item.standfirst.as_deref(),
        Some("Nach dem Sturm fahren die Züge wieder.")
    );
    assert_eq!(
        item.body_html, "<p>Die Strecke zwischen Hamburg und Berlin ist wieder frei.</p>",
        "the HTML body, not the plain text one"
    );
    assert_eq!(item.byline.as_deref(), Some("Von Alex Beispiel, dpa"));
    assert_eq!(item.credit.as_deref(), Some("dpa"));
    assert_eq!(item.subjects, ["medtop:20000483", "subj:10000000"]);
    assert_eq!(item.language.as_deref(), Some("de"));
    assert_eq!(
        item.version_created,
        Some(datetime!(2026-12-05 10:00 +01:00))
    );
}

#[test]
fn ninjs_3_is_read_in_camel_case() {
    let item = one("ninjs-3.json");
    assert_eq!(item.version, Some(2_147_483_649));
    assert_eq!(item.embargoed_until, Some(datetime!(2026-12-07 00:00 UTC)));
    assert_eq!(item.first_created, Some(datetime!(2026-12-05 07:30 UTC)));
    assert_eq!(item.version_created, Some(datetime!(2026-12-05 09:45 UTC)));
    assert_eq!(item.language.as_deref(), Some("ar"));
    assert_eq!(item.headline, "افتتاح معرض الكتاب في بيروت");
    assert_eq!(
        item.body_html, "<p>افتتح معرض الكتاب أبوابه في بيروت يوم السبت.</p>",
        "the repeated headline is dropped"
    );
    assert_eq!(item.credit.as_deref(), Some("Example Wire"));
    assert_eq!(item.editor_notes, ["للمحررين فقط: الصور لاحقاً"]);
    assert_eq!(item.subjects, ["medtop:01000000"]);
    assert_eq!(item.dateline_place.as_deref(), Some("بيروت"));
}

#[test]
fn a_ninjs_guid_serves_where_there_is_no_uri() {
    let item = json_item(r#"{"guid": "g-1", "headline": "H", "body_html": "<p>B</p>"}"#).unwrap();
    assert_eq!(item.source_guid, "g-1");
    let missing = json_item(r#"{"headline": "H", "body_html": "<p>B</p>"}"#).unwrap_err();
    assert!(matches!(missing, IngestError::NoGuid { .. }));
}

#[test]
fn ninjs_statuses_kill_and_hold() {
    let killed = json_item(r#"{"uri": "u", "version": "3", "pubstatus": "canceled"}"#).unwrap();
    assert_eq!((killed.status, killed.version), (Status::Canceled, Some(3)));
    let cancelled = json_item(r#"{"uri": "u", "pubStatus": "cancelled"}"#).unwrap();
    assert_eq!(cancelled.status, Status::Canceled);
    let withheld = json_item(r#"{"uri": "u", "pubStatus": "withheld"}"#).unwrap();
    assert_eq!(withheld.status, Status::Withheld);
}

#[test]
fn a_usable_ninjs_item_needs_a_headline_and_a_body() {
    let no_headline = json_item(r#"{"uri": "u", "body_text": "B"}"#).unwrap_err();
    assert!(matches!(no_headline, IngestError::NoHeadline { .. }));
    let no_body = json_item(r#"{"uri": "u", "headlines": [{"value": "H"}]}"#).unwrap_err();
    assert!(matches!(no_body, IngestError::NoBody { .. }));
}

#[test]
fn json_that_is_not_ninjs_is_refused() {
    let error = refused("hostile-not-ninjs.json");
    assert!(matches!(error, IngestError::NotNinjs { .. }), "{error:?}");
    assert!(matches!(
        read_json("[1, 2]"),
        Err(IngestError::NotNinjs { .. })
    ));
}

#[test]
fn malformed_json_is_refused_with_its_line_and_column() {
    let error = refused("hostile-malformed.json");
    assert!(
        matches!(
            error,
            IngestError::MalformedJson {
                line: 4,
                column: 3,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn the_body_is_told_by_its_root_element_not_the_declared_type() {
    // NITF without its namespace, declared as plain text.
    let nitf = r#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:2">
        <contentMeta><headline>H</headline></contentMeta>
        <contentSet><inlineXML contenttype="text/plain"><nitf xmlns=""><body><body.content><p>From NITF.</p></body.content></body></nitf></inlineXML></contentSet>
        </newsItem>"#;
    assert_eq!(xml_item(nitf).unwrap().body_html, "<p>From NITF.</p>");
    // XHTML left in the NewsML-G2 default namespace, as some agencies send it.
    let nar_html = r#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:3">
        <contentMeta><headline>H</headline></contentMeta>
        <contentSet><inlineXML contenttype="xhtml/xml"><html><body><p xml:lang="ar">نص</p><p lang="ar" xml:lang="ar">ن</p></body></html></inlineXML></contentSet>
        </newsItem>"#;
    assert_eq!(
        xml_item(nar_html).unwrap().body_html,
        r#"<p lang="ar">نص</p><p lang="ar">ن</p>"#
    );
}

#[test]
fn a_deeply_nested_body_is_read_without_overflowing_the_stack() {
    let depth = 50_000;
    let body = format!(
        "{}<p>Deep.</p>{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let xml = newsml_item("", "<headline>H</headline>", &body);
    let item = &xml_item(&xml).unwrap();
    assert!(item.body_html.ends_with("</div>"));
    assert_eq!(item.body_html.matches("<div>").count(), depth);
}

// RSS 2.0 and Atom partner feeds

#[test]
fn an_rss_item_with_a_guid_is_read_field_by_field() {
    let items = items("feed-rss-guid.xml");
    assert_eq!(items.len(), 2);
    let item = &items[0];
    assert_eq!(item.source_guid, "partner-2026-1205-marina");
    assert_eq!(item.status, Status::Usable);
    assert_eq!(item.embargoed_until, None);
    assert_eq!(item.first_created, Some(datetime!(2026-12-05 08:00 UTC)));
    assert_eq!(item.version_created, Some(datetime!(2026-12-05 09:30 UTC)));
    assert_eq!(
        item.version,
        Some(datetime!(2026-12-05 09:30 UTC).unix_timestamp() as u64),
        "the time it was updated"
    );
    assert_eq!(item.language.as_deref(), Some("en-gb"));
    assert_eq!(
        item.headline, "Council backs the new marina & its harbour wall",
        "entities read once, as plain text"
    );
    assert_eq!(
        item.standfirst.as_deref(),
        Some("The council voted for the marina on Friday\u{2026}")
    );
    assert_eq!(
        item.body_html,
        "<p>The council voted eleven to four for the marina on Friday.</p>\n<p>Work starts in the spring.</p>"
    );
    assert_eq!(item.byline.as_deref(), Some("Sam Example"));
    assert_eq!(item.keywords, ["Local", "Harbour"]);
    assert_eq!(item.credit.as_deref(), Some("Harbour Gazette"));
    assert!(item.subjects.is_empty() && item.editor_notes.is_empty());
    assert_eq!(
        (item.slugline.as_ref(), item.dateline_place.as_ref()),
        (None, None)
    );
}

#[test]
fn a_description_is_the_body_when_there_is_no_content_and_an_email_is_no_byline() {
    let item = &items("feed-rss-guid.xml")[1];
    assert_eq!(
        item.source_guid,
        "https://partner.example.org/2026/12/04/ferry"
    );
    assert_eq!(
        item.body_html,
        "<p>Winter sailings start on Monday, with two fewer crossings a day.</p>"
    );
    assert_eq!(item.standfirst, None);
    assert_eq!(item.byline.as_deref(), Some("Lee Example"));
    // RSS has no updated time: the publication time is the version's.
    assert_eq!(item.version_created, Some(datetime!(2026-12-04 17:15 UTC)));
    assert_eq!(item.first_created, item.version_created);
}

#[test]
fn an_item_without_a_guid_is_known_by_its_link_else_its_date_and_title() {
    let items = items("feed-rss-link-only.xml");
    assert_eq!(items[0].source_guid, "link:7effb1fd86363360");
    assert_eq!(
        items[0].body_html,
        "<p>The mountain road was closed on Saturday after a landslide.</p>\
         <p>Engineers expect it to reopen within a week &amp; a half.</p>",
        "a plain description becomes escaped paragraphs"
    );
    assert_eq!(items[1].source_guid, "published-title:9df0dda4db6a9333");
    assert_eq!(
        items[1].body_html,
        "<p>The weekly market will be held on Sunday from next month.</p>"
    );
}

#[test]
fn the_same_feed_read_twice_gives_the_same_ids() {
    for name in [
        "feed-rss-guid.xml",
        "feed-rss-link-only.xml",
        "feed-atom.xml",
        "feed-rss-arabic.xml",
        "feed-rss-missing-title.xml",
    ] {
        assert_eq!(read(name), read(name), "{name}");
    }
}

#[test]
fn an_edited_title_keeps_the_id_of_an_item_known_by_its_link() {
    let edited = String::from_utf8(fixture("feed-rss-link-only.xml"))
        .unwrap()
        .replace(
            "Road closed after landslide",
            "Mountain road closed after a landslide",
        )
        .replace("Market day moves to Sunday", "Market day moves");
    let before = items("feed-rss-link-only.xml");
    let after: Vec<WireItem> = read_xml(&edited)
        .unwrap()
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(after[0].headline, "Mountain road closed after a landslide");
    assert_eq!(after[0].source_guid, before[0].source_guid);
    // Without a link, the title is all there is to know the item by.
    assert_ne!(after[1].source_guid, before[1].source_guid);
}

#[test]
fn an_entry_updated_later_is_a_newer_version_of_the_same_item() {
    let later = String::from_utf8(fixture("feed-atom.xml"))
        .unwrap()
        .replace("2026-12-05T10:20:00Z", "2026-12-05T12:45:00Z");
    let before = &items("feed-atom.xml")[0];
    let after = first_item(read_xml(&later));
    assert_eq!(after.source_guid, before.source_guid);
    assert!(
        after.version > before.version,
        "{:?} {:?}",
        after.version,
        before.version
    );
    assert_eq!(
        after.version,
        Some(datetime!(2026-12-05 12:45 UTC).unix_timestamp() as u64)
    );
}

fn first_item(outcomes: Outcomes) -> WireItem {
    outcomes.unwrap().remove(0).unwrap()
}

#[test]
fn an_atom_entry_is_read_field_by_field() {
    let items = items("feed-atom.xml");
    let item = &items[0];
    assert_eq!(item.source_guid, "tag:partner.example.com,2026:entry-storm");
    assert_eq!(item.headline, "Storm Ava closes schools & ports");
    assert_eq!(
        item.standfirst.as_deref(),
        Some("Schools and ports shut as the storm arrives.")
    );
    assert_eq!(
        item.body_html,
        "<p>Storm Ava closed schools and ports on Saturday.</p><p>More to follow.</p>"
    );
    assert_eq!(item.first_created, Some(datetime!(2026-12-05 05:00 UTC)));
    assert_eq!(item.version_created, Some(datetime!(2026-12-05 10:20 UTC)));
    assert_eq!(item.byline.as_deref(), Some("Rana Example, Lee Example"));
    assert_eq!(
        item.keywords,
        ["Weather", "storm"],
        "a label before its term"
    );
    assert_eq!(item.credit.as_deref(), Some("Example Partner Wire"));
    assert_eq!(item.language.as_deref(), Some("en"));
}

#[test]
fn an_atom_text_title_is_plain_text_and_xhtml_content_is_the_body() {
    let item = &items("feed-atom.xml")[1];
    assert_eq!(item.headline, "Talks resume in Geneva & Vienna");
    assert_eq!(item.body_html, "<p>Talks resumed on <b>Saturday</b>.</p>");
    assert_eq!((item.first_created, item.standfirst.as_ref()), (None, None));
    assert_eq!(
        item.version,
        Some(datetime!(2026-12-05 09:00 UTC).unix_timestamp() as u64)
    );
}

#[test]
fn an_arabic_feed_keeps_its_script_and_language() {
    let item = one("feed-rss-arabic.xml");
    assert_eq!(item.language.as_deref(), Some("ar"));
    assert_eq!(item.headline, "افتتاح معرض الكتاب في بيروت\u{2026}");
    assert_eq!(
        item.body_html,
        "<p dir=\"rtl\">افتتح معرض الكتاب أبوابه في بيروت يوم السبت.</p>"
    );
    assert_eq!(item.byline.as_deref(), Some("مراسل الشريك"));
    assert_eq!(item.keywords, ["ثقافة"]);
    assert_eq!(item.credit.as_deref(), Some("وكالة الشريك للأنباء"));
    assert_eq!(item.first_created, Some(datetime!(2026-12-05 06:00 UTC)));
}

#[test]
fn a_feed_is_read_as_utf8_whatever_encoding_its_declaration_names() {
    let mislabelled = String::from_utf8(fixture("feed-rss-arabic.xml"))
        .unwrap()
        .replace("encoding=\"UTF-8\"", "encoding=\"windows-1256\"");
    assert_eq!(
        first_item(read_xml(&mislabelled)).headline,
        one("feed-rss-arabic.xml").headline
    );
}

#[test]
fn a_feed_entry_without_a_title_is_refused_alone() {
    let outcomes = read("feed-rss-missing-title.xml").unwrap();
    assert_eq!(outcomes.len(), 3);
    assert_eq!(
        outcomes[0].as_ref().unwrap().headline,
        "Lighthouse repainted"
    );
    assert_eq!(
        outcomes[1].as_ref().unwrap_err().to_string(),
        "feed-rss-missing-title.xml: item partner-untitled has no headline"
    );
    assert_eq!(
        outcomes[2].as_ref().unwrap().headline,
        "Harbour master retires"
    );
}

#[test]
fn a_feed_entry_with_neither_id_link_date_nor_title_has_no_guid() {
    let rss = r#"<rss version="2.0"><channel><title>T</title>
        <item><description>Body only.</description></item></channel></rss>"#;
    assert!(matches!(xml_item(rss), Err(IngestError::NoGuid { .. })));
}

#[test]
fn a_feed_with_a_dtd_is_refused_before_feed_rs_reads_it() {
    assert_eq!(
        refused("hostile-rss-entities.xml"),
        IngestError::Dtd {
            file: "hostile-rss-entities.xml".into()
        }
    );
    let atom = r#"<?xml version="1.0"?>
        <!DOCTYPE feed [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
        <feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><title>&secret;</title></entry></feed>"#;
    assert!(matches!(read_xml(atom), Err(IngestError::Dtd { .. })));
}

#[test]
fn a_feed_that_feed_rs_cannot_read_is_refused_as_a_whole() {
    let no_version = "<rss><channel><item><title>T</title></item></channel></rss>";
    assert_eq!(
        read_xml(no_version).unwrap_err().to_string(),
        "inline.xml: an RSS or Atom feed that cannot be read: unable to parse feed: no root element"
    );
    // feed-rs 3.0.0 panics on this author; the file is refused, the caller
    // goes on.
    let author = "<rss version=\"2.0\"><channel><item><title>T</title><description>B</description>\
                  <author>Jane\u{a0}jdoe@example.com</author></item></channel></rss>";
    assert!(matches!(
        read_xml(author),
        Err(IngestError::MalformedFeed { reason, .. }) if reason.starts_with("feed-rs failed on it: ")
    ));
}
