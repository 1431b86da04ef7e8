//! WordPress and Disqus exports as they come, read entry by entry: what
//! an importer would take from them, and the files it must refuse.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dateline_ingest::archive::{
    DisqusEntry, DisqusPost, DisqusReader, DisqusThread, ImportError, Meta, WxrEntry, WxrItem,
    WxrItemTerm, WxrReader, normalize_url,
};
use std::io::Read;
use std::path::PathBuf;
use time::macros::datetime;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/import")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

type Wxr = Vec<Result<WxrEntry, ImportError>>;

fn read_wxr(name: &str, bytes: &[u8]) -> Wxr {
    WxrReader::new(name, bytes).collect()
}

/// The entries of a file read to its end without an error.
fn entries(name: &str) -> Vec<WxrEntry> {
    read_wxr(name, &fixture(name))
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn items_of(entries: &[WxrEntry]) -> Vec<&WxrItem> {
    entries
        .iter()
        .filter_map(|e| match e {
            WxrEntry::Item(item) => Some(&**item),
            _ => None,
        })
        .collect()
}

fn courier() -> Vec<WxrEntry> {
    entries("wxr-1.2-courier.xml")
}

fn item(entries: &[WxrEntry], post_id: u64) -> WxrItem {
    items_of(entries)
        .into_iter()
        .find(|i| i.post_id == Some(post_id))
        .unwrap_or_else(|| panic!("no item {post_id}"))
        .clone()
}

/// The one error a reading ended with, and the entries before it.
fn split(read: Wxr) -> (Vec<WxrEntry>, ImportError) {
    let mut entries = Vec::new();
    for outcome in read {
        match outcome {
            Ok(entry) => entries.push(entry),
            Err(error) => return (entries, error),
        }
    }
    panic!("no error after {} entries", entries.len());
}

fn refused(name: &str, bytes: &[u8]) -> ImportError {
    let (entries, error) = split(read_wxr(name, bytes));
    assert!(entries.is_empty(), "{entries:?}");
    error
}

fn meta(key: &str, value: &str) -> Meta {
    Meta {
        key: key.to_owned(),
        value: value.to_owned(),
    }
}

/// A WXR 1.2 file around the channel's entries, in the export's shape.
fn wxr(channel: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Inline</title>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://inline.example.org</wp:base_site_url>
{channel}
</channel>
</rss>
"#
    )
}

fn inline_items(channel: &str) -> Vec<WxrItem> {
    let read = read_wxr("inline.xml", wxr(channel).as_bytes());
    let entries: Vec<WxrEntry> = read.into_iter().collect::<Result<_, _>>().unwrap();
    items_of(&entries).into_iter().cloned().collect()
}

fn inline_item(body: &str) -> WxrItem {
    let mut items = inline_items(&format!("<item>{body}</item>"));
    assert_eq!(items.len(), 1);
    items.remove(0)
}

// The site, authors and terms

#[test]
fn an_export_gives_the_site_first_then_authors_terms_and_items_in_document_order() {
    let kinds: Vec<&str> = courier()
        .iter()
        .map(|e| match e {
            WxrEntry::Site(_) => "site",
            WxrEntry::Author(_) => "author",
            WxrEntry::Category(_) => "category",
            WxrEntry::Tag(_) => "tag",
            WxrEntry::Term(_) => "term",
            WxrEntry::Item(_) => "item",
        })
        .collect();
    let mut expected = vec![
        "site", "author", "author", "category", "category", "category",
    ];
    expected.extend(["tag", "tag", "term", "term", "term", "term"]);
    expected.extend(["item"; 11]);
    assert_eq!(kinds, expected);
}

#[test]
fn the_site_is_read_from_the_channel_and_not_from_its_image() {
    let WxrEntry::Site(site) = &courier()[0] else {
        panic!("the site comes first")
    };
    assert_eq!(site.title, "The Courier");
    assert_eq!(site.link, "https://courier.example.org");
    assert_eq!(site.description, "News from the port city & beyond");
    assert_eq!(site.language, "en-US");
    assert_eq!(site.wxr_version.as_deref(), Some("1.2"));
    assert_eq!(site.base_site_url, "https://courier.example.org");
    assert_eq!(site.base_blog_url, "https://courier.example.org");
}

#[test]
fn authors_are_read_field_by_field_in_any_script() {
    let authors: Vec<_> = courier()
        .into_iter()
        .filter_map(|e| match e {
            WxrEntry::Author(a) => Some(a),
            _ => None,
        })
        .collect();
    assert_eq!(authors[0].id, Some(2));
    assert_eq!(authors[0].login, "rana");
    assert_eq!(authors[0].email, "rana@courier.example.org");
    assert_eq!(authors[0].display_name, "Rana Example");
    assert_eq!(
        (
            authors[0].first_name.as_str(),
            authors[0].last_name.as_str()
        ),
        ("Rana", "Example")
    );
    assert_eq!(authors[1].login, "karim.h");
    assert_eq!(authors[1].display_name, "كريم حداد");
    assert_eq!(authors[1].last_name, "حداد");
}

#[test]
fn categories_tags_and_terms_keep_their_parents_meta_and_plugin_descriptions() {
    let all = courier();
    let categories: Vec<_> = all
        .iter()
        .filter_map(|e| match e {
            WxrEntry::Category(c) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(categories[0].term_id, Some(2));
    assert_eq!(categories[0].nicename, "news");
    assert_eq!(categories[0].parent, "");
    assert_eq!(categories[0].description, "What happened today");
    assert_eq!(categories[1].nicename, "%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1");
    assert_eq!(categories[1].name, "أخبار");
    assert_eq!(
        categories[1].meta,
        [meta("_pll_strings_translations", "a:0:{}")]
    );
    assert_eq!(categories[2].parent, "news", "the parent is a slug");
    assert_eq!(
        categories[2].name, "Port &amp; Shipping",
        "CDATA is not decoded"
    );

    let tags: Vec<_> = all
        .iter()
        .filter_map(|e| match e {
            WxrEntry::Tag(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(
        (tags[1].slug.as_str(), tags[1].name.as_str()),
        ("elections-2026", "Elections 2026")
    );
    assert_eq!(tags[1].description, "Coverage of the municipal vote");

    let terms: Vec<_> = all
        .iter()
        .filter_map(|e| match e {
            WxrEntry::Term(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(terms[1].taxonomy, "language");
    assert_eq!(terms[1].slug, "ar");
    assert_eq!(terms[1].name, "العربية");
    assert!(terms[1].description.contains(r#"s:6:"locale";s:2:"ar""#));
    assert_eq!(terms[2].taxonomy, "post_translations");
    assert_eq!(
        terms[2].description,
        r#"a:2:{s:2:"en";i:101;s:2:"ar";i:109;}"#
    );
    assert_eq!(
        (terms[3].taxonomy.as_str(), terms[3].slug.as_str()),
        ("nav_menu", "main-menu")
    );
}

// Items

#[test]
fn a_published_post_is_read_field_by_field() {
    let post = item(&courier(), 101);
    assert_eq!(post.title, "Port reopens to cargo ships");
    assert_eq!(
        post.link,
        "https://courier.example.org/2026/12/port-reopens/"
    );
    assert_eq!(post.guid, "https://courier.example.org/?p=101");
    assert!(!post.guid_is_permalink);
    assert_eq!(post.creator, "rana");
    assert!(
        post.content
            .starts_with("<!-- wp:paragraph -->\n<p>Cargo ships")
    );
    assert_eq!(post.excerpt, "Traffic resumed after a week.");
    assert_eq!(post.post_date.written, "2026-12-01 09:30:00");
    assert_eq!(post.post_date.value, Some(datetime!(2026-12-01 09:30:00)));
    assert_eq!(post.post_date_gmt.written, "2026-12-01 07:30:00");
    assert_eq!(
        post.post_date_gmt.value,
        Some(datetime!(2026-12-01 07:30:00 UTC))
    );
    assert_eq!(
        post.post_modified.value,
        Some(datetime!(2026-12-02 11:05:12))
    );
    assert_eq!(
        post.post_modified_gmt.value,
        Some(datetime!(2026-12-02 09:05:12 UTC))
    );
    assert_eq!(post.comment_status, "open");
    assert_eq!(post.ping_status, "open");
    assert_eq!(post.post_name, "port-reopens");
    assert_eq!(post.status, "publish");
    assert_eq!(post.post_parent, None);
    assert_eq!(post.menu_order, 0);
    assert_eq!(post.post_type, "post");
    assert_eq!(post.post_password, "");
    assert!(post.is_sticky);
    assert_eq!(post.attachment_url, "");
    assert_eq!(post.meta("_edit_last").collect::<Vec<_>>(), ["2"]);
}

#[test]
fn every_post_status_is_kept_as_written() {
    let all = courier();
    let statuses: Vec<(u64, &str, &str)> = items_of(&all)
        .iter()
        .map(|i| (i.post_id.unwrap(), i.status.as_str(), i.post_type.as_str()))
        .collect();
    assert_eq!(
        statuses,
        [
            (101, "publish", "post"),
            (102, "draft", "post"),
            (103, "pending", "post"),
            (104, "future", "post"),
            (105, "private", "post"),
            (106, "trash", "post"),
            (120, "publish", "page"),
            (130, "inherit", "attachment"),
            (109, "publish", "post"),
            (110, "publish", "post"),
            (140, "publish", "nav_menu_item"),
        ]
    );
}

#[test]
fn a_draft_never_published_has_its_local_date_and_no_gmt_date() {
    let draft = item(&courier(), 102);
    assert_eq!(draft.post_name, "");
    assert_eq!(draft.post_date.value, Some(datetime!(2026-12-03 16:20:00)));
    assert_eq!(draft.post_date_gmt.written, "0000-00-00 00:00:00");
    assert_eq!(draft.post_date_gmt.value, None);
}

#[test]
fn a_scheduled_post_a_private_one_and_a_trashed_one_keep_what_the_importer_needs() {
    let all = courier();
    let future = item(&all, 104);
    assert_eq!(
        future.post_date_gmt.value,
        Some(datetime!(2026-12-20 18:00:00 UTC))
    );
    let private = item(&all, 105);
    assert_eq!(private.post_password, "harbour");
    let trashed = item(&all, 106);
    assert_eq!(
        trashed.meta("_wp_desired_post_slug").collect::<Vec<_>>(),
        ["wrong-photo-caption"]
    );
    assert_eq!(
        trashed.meta("_wp_trash_meta_status").collect::<Vec<_>>(),
        ["publish"]
    );
}

#[test]
fn a_page_and_an_attachment_are_items_of_their_own_type() {
    let all = courier();
    let page = item(&all, 120);
    assert_eq!(page.post_type, "page");
    assert_eq!(page.menu_order, 2);
    assert_eq!(page.link, "https://courier.example.org/about/");
    let attachment = item(&all, 130);
    assert_eq!(attachment.post_type, "attachment");
    assert_eq!(attachment.post_parent, Some(101));
    assert_eq!(
        attachment.attachment_url,
        "https://courier.example.org/wp-content/uploads/2026/12/port-cranes.jpg"
    );
    assert_eq!(
        attachment.meta("_wp_attached_file").collect::<Vec<_>>(),
        ["2026/12/port-cranes.jpg"]
    );
    assert_eq!(
        attachment
            .meta("_wp_attachment_image_alt")
            .collect::<Vec<_>>(),
        ["Cranes unloading containers at dawn"]
    );
}

#[test]
fn the_featured_image_is_a_thumbnail_id_naming_an_attachment_of_the_file() {
    let all = courier();
    let post = item(&all, 101);
    let thumbnail: u64 = post.meta("_thumbnail_id").next().unwrap().parse().unwrap();
    assert_eq!(item(&all, thumbnail).post_type, "attachment");
}

#[test]
fn arabic_posts_carry_their_polylang_language_and_translation_group() {
    let all = courier();
    let arabic = item(&all, 109);
    assert_eq!(arabic.title, "الميناء يعيد فتح أبوابه أمام سفن الشحن");
    assert!(arabic.content.contains("بدأت سفن الشحن تفريغ حمولاتها"));
    assert!(arabic.post_name.starts_with("%d8%a7%d9%84%d9%85"));
    let term = |post: &WxrItem, domain: &str| -> Vec<String> {
        post.categories
            .iter()
            .filter(|t| t.domain == domain)
            .map(|t| t.nicename.clone())
            .collect()
    };
    assert_eq!(term(&arabic, "language"), ["ar"]);
    assert_eq!(term(&item(&all, 101), "language"), ["en"]);
    assert_eq!(
        term(&arabic, "post_translations"),
        term(&item(&all, 101), "post_translations")
    );
    assert_eq!(
        term(&arabic, "category"),
        ["%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1"]
    );
}

#[test]
fn an_items_terms_keep_their_domain_slug_and_name() {
    let post = item(&courier(), 101);
    let term = |domain: &str, nicename: &str, name: &str| WxrItemTerm {
        domain: domain.to_owned(),
        nicename: nicename.to_owned(),
        name: name.to_owned(),
    };
    assert_eq!(
        post.categories,
        [
            term("category", "news", "News"),
            term("category", "port", "Port &amp; Shipping"),
            term("language", "en", "English"),
            term("post_tag", "shipping", "shipping"),
            term(
                "post_translations",
                "pll_6751a2c3e4f5b",
                "pll_6751a2c3e4f5b"
            ),
        ]
    );
    let other = item(&courier(), 110);
    assert_eq!(other.categories[1].domain, "post_format");
}

#[test]
fn comments_of_every_status_are_kept_with_their_replies_and_meta() {
    let all = courier();
    let post = item(&all, 101);
    let shape: Vec<(u64, &str, Option<u64>, &str)> = post
        .comments
        .iter()
        .map(|c| {
            (
                c.id.unwrap(),
                c.approved.as_str(),
                c.parent,
                c.comment_type.as_str(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            (501, "1", None, "comment"),
            (502, "1", Some(501), "comment"),
            (503, "0", Some(501), "comment"),
            (504, "spam", None, "comment"),
            (505, "trash", Some(502), "comment"),
            (506, "1", None, "pingback"),
        ]
    );
    let first = &post.comments[0];
    assert_eq!(first.author, "Maya");
    assert_eq!(first.author_email, "maya@example.net");
    assert_eq!(first.author_url, "https://maya.example.net");
    assert_eq!(first.author_ip, "203.0.113.7");
    assert_eq!(first.date.value, Some(datetime!(2026-12-01 10:02:11)));
    assert_eq!(
        first.date_gmt.value,
        Some(datetime!(2026-12-01 08:02:11 UTC))
    );
    assert_eq!(
        first.content,
        "Finally! The queue of trucks was <em>kilometres</em> long."
    );
    assert_eq!(first.user_id, None);
    assert_eq!(first.meta, [meta("akismet_result", "false")]);
    assert_eq!(post.comments[1].user_id, Some(2));
    assert_eq!(post.comments[4].meta.len(), 2);
    assert_eq!(
        post.comments[5].content, "[&#8230;] the Courier reported the reopening [&#8230;]",
        "CDATA keeps references as written"
    );

    let arabic = item(&all, 109);
    let replies: Vec<_> = arabic
        .comments
        .iter()
        .map(|c| (c.author.as_str(), c.parent, c.approved.as_str()))
        .collect();
    assert_eq!(
        replies,
        [
            ("ليلى", None, "1"),
            ("كريم حداد", Some(601), "1"),
            ("زائر", None, "post-trashed"),
        ]
    );
}

#[test]
fn old_slugs_repeat_and_are_all_kept_in_order() {
    let post = item(&courier(), 110);
    assert_eq!(
        post.meta("_wp_old_slug").collect::<Vec<_>>(),
        ["harbour-fees", "new-harbour-fees-2026"]
    );
}

#[test]
fn shortcodes_blocks_and_scripts_reach_the_body_as_written() {
    let post = item(&courier(), 110);
    for part in [
        "<!-- wp:image {\"id\":130,\"sizeSlug\":\"large\"} -->",
        "[caption id=\"attachment_130\" align=\"aligncenter\" width=\"800\"]<img",
        " Cranes at dawn[/caption]",
        "[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]",
        "[contact-form-7 id=\"42\" title=\"Tips\"]",
        "<script>document.write(\"tracking\")</script>",
        "[gallery ids=\"130,131\" columns=\"2\"]",
    ] {
        assert!(post.content.contains(part), "{part}");
    }
}

#[test]
fn cdata_split_around_a_closing_sequence_is_joined_again() {
    let post = item(&courier(), 110);
    assert!(post.content.contains("<code>if (a[b[0]]> 1)</code>"));
    assert_eq!(
        post.meta("_unknown_plugin_data").collect::<Vec<_>>(),
        [r#"a:1:{s:3:"]]>";s:1:"x";}"#]
    );
}

#[test]
fn stray_control_characters_are_removed_and_tabs_and_newlines_kept() {
    let post = item(&courier(), 110);
    assert!(
        post.content
            .contains("</code> and a stray control character.</p>\n")
    );
    assert!(!post.content.contains(|c: char| c < ' ' && c != '\n'));

    let inline = inline_item(
        "<title>A\u{8} title\twith\u{1b} tab</title><wp:post_id>1</wp:post_id>\
         <content:encoded><![CDATA[line\u{0}\r\nnext\u{c}]]></content:encoded>",
    );
    assert_eq!(inline.title, "A title\twith tab");
    assert_eq!(inline.content, "line\nnext", "CR LF is a newline in XML");
}

#[test]
fn references_outside_cdata_are_decoded_and_unknown_ones_kept_as_written() {
    let post = item(&courier(), 110);
    assert_eq!(
        post.title,
        "Harbour fees: what’s changing & why <explained>"
    );

    let inline = inline_item(
        "<title>&#x41;&#66; &amp;&quot;&apos;&lt;&gt; caf&eacute;&nbsp;&hellip; &madeup; Tom & Jerry</title>",
    );
    assert_eq!(inline.title, "AB &\"'<> café\u{a0}… &madeup; Tom & Jerry");
}

#[test]
fn text_and_several_cdata_sections_are_joined_in_order() {
    let item = inline_item(
        "<content:encoded>\n  <![CDATA[one]]><![CDATA[ two]]>\n  \
         <![CDATA[ three]]> &amp; four<![CDATA[]]></content:encoded>",
    );
    assert_eq!(item.content, "one two three & four");
    let item = inline_item("<title>  spaced  </title>");
    assert_eq!(item.title, "  spaced  ", "text without CDATA is kept whole");
}

#[test]
fn unknown_elements_and_attributes_are_passed_over() {
    let item = inline_item(
        r#"<wp:post_id>5</wp:post_id>
        <media:content xmlns:media="http://search.yahoo.com/mrss/" url="x"><media:title>t</media:title></media:content>
        <wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value>v</wp:meta_value><wp:extra><deep><deeper>x</deeper></deep></wp:extra></wp:postmeta>
        <title data-x="1">Kept</title>"#,
    );
    assert_eq!(item.post_id, Some(5));
    assert_eq!(item.title, "Kept");
    assert_eq!(item.postmeta, [meta("k", "v")]);
}

#[test]
fn deep_nesting_inside_an_item_is_read_past() {
    let depth = 20_000;
    let item = inline_item(&format!(
        "<wp:post_id>9</wp:post_id><x>{}deep{}</x><title>After</title>",
        "<x>".repeat(depth),
        "</x>".repeat(depth)
    ));
    assert_eq!(item.post_id, Some(9));
    assert_eq!(item.title, "After");
}

#[test]
fn elements_are_matched_by_namespace_uri_not_by_prefix() {
    let items = inline_items(
        r#"<item xmlns:wordpress="http://wordpress.org/export/1.2/" xmlns:body="http://purl.org/rss/1.0/modules/content/">
            <wordpress:post_id>7</wordpress:post_id>
            <body:encoded><![CDATA[<p>Prefixed otherwise</p>]]></body:encoded>
        </item>
        <item xmlns:wp="http://example.com/not-wordpress/">
            <wp:post_id>8</wp:post_id>
        </item>"#,
    );
    assert_eq!(items[0].post_id, Some(7));
    assert_eq!(items[0].content, "<p>Prefixed otherwise</p>");
    assert_eq!(
        items[1].post_id, None,
        "wp: bound elsewhere is not WordPress's"
    );
}

#[test]
fn every_version_of_the_export_namespace_is_read() {
    for version in ["1.0", "1.1", "1.2"] {
        let file = wxr("").replace("/1.2/", &format!("/{version}/")) + "";
        let file = file.replace(
            "</channel>",
            "<item><wp:post_id>3</wp:post_id><excerpt:encoded>E</excerpt:encoded></item></channel>",
        );
        let entries: Vec<WxrEntry> = WxrReader::new("v.xml", file.as_bytes())
            .collect::<Result<_, _>>()
            .unwrap();
        let items = items_of(&entries);
        assert_eq!(items[0].post_id, Some(3), "{version}");
        assert_eq!(items[0].excerpt, "E", "{version}");
    }
}

#[test]
fn a_wxr_1_0_export_is_read_with_its_rss_copies_of_terms_passed_over() {
    let all = entries("wxr-1.0-gazette.xml");
    let WxrEntry::Site(site) = &all[0] else {
        panic!()
    };
    assert_eq!(site.wxr_version.as_deref(), Some("1.0"));
    let WxrEntry::Category(schools) = &all[2] else {
        panic!("{:?}", all[2])
    };
    assert_eq!(schools.term_id, None, "WXR 1.0 has no term ids");
    assert_eq!(schools.parent, "local");
    let post = item(&all, 7);
    let terms: Vec<(&str, &str)> = post
        .categories
        .iter()
        .map(|t| (t.domain.as_str(), t.nicename.as_str()))
        .collect();
    assert_eq!(terms, [("category", "local"), ("post_tag", "library")]);
    assert_eq!(
        post.post_date_gmt.value,
        Some(datetime!(2010-03-01 10:00 UTC))
    );
    assert_eq!(
        post.post_modified.value, None,
        "WXR 1.0 has no modified time"
    );
    assert_eq!(post.comments[0].content, "About time &amp; thank you.");
    assert_eq!(post.comments[0].comment_type, "");
    assert_eq!(item(&all, 2).post_type, "page");
}

// Offsets and resuming

#[test]
fn each_item_carries_the_offset_of_its_start_tag_and_offsets_increase() {
    let bytes = fixture("wxr-1.2-courier.xml");
    let all = courier();
    let offsets: Vec<u64> = items_of(&all).iter().map(|i| i.offset).collect();
    assert!(offsets.windows(2).all(|w| w[0] < w[1]), "{offsets:?}");
    for offset in offsets {
        assert!(bytes[offset as usize..].starts_with(b"<item>"), "{offset}");
    }
}

#[test]
fn a_byte_order_mark_is_read_past_and_counted_in_offsets() {
    let plain = wxr("<item><wp:post_id>1</wp:post_id></item>");
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), plain.as_bytes()].concat();
    let offset = |bytes: &[u8]| {
        let entries: Vec<WxrEntry> = WxrReader::new("bom.xml", bytes)
            .collect::<Result<_, _>>()
            .unwrap();
        items_of(&entries)[0].offset
    };
    assert_eq!(offset(&with_bom), offset(plain.as_bytes()) + 3);
}

#[test]
fn resuming_at_an_item_gives_the_head_again_then_that_item_and_those_after() {
    let bytes = fixture("wxr-1.2-courier.xml");
    let all = courier();
    let first_item = all
        .iter()
        .position(|e| matches!(e, WxrEntry::Item(_)))
        .unwrap();
    for (n, item) in items_of(&all).iter().enumerate() {
        let resumed: Vec<WxrEntry> = WxrReader::resume("courier.xml", &bytes[..], item.offset)
            .collect::<Result<_, _>>()
            .unwrap();
        let mut expected = all[..first_item].to_vec();
        expected.extend_from_slice(&all[first_item + n..]);
        assert_eq!(resumed, expected, "from item {:?}", item.post_id);
    }
}

#[test]
fn resuming_at_an_offset_before_the_first_item_reads_the_whole_file() {
    let bytes = fixture("wxr-1.2-courier.xml");
    let resumed: Vec<WxrEntry> = WxrReader::resume("courier.xml", &bytes[..], 0)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(resumed, courier());
}

#[test]
fn resuming_at_an_offset_where_no_item_starts_is_refused_after_the_head() {
    let bytes = fixture("wxr-1.2-courier.xml");
    let all = courier();
    let second = items_of(&all)[1].offset;
    for offset in [second + 1, second - 1, bytes.len() as u64 + 10] {
        let (head, error) = split(WxrReader::resume("courier.xml", &bytes[..], offset).collect());
        assert_eq!(head.len(), 12, "site, authors and terms");
        assert_eq!(
            error,
            ImportError::ResumeOffset {
                file: "courier.xml".into(),
                offset,
                item: "item"
            }
        );
        assert!(
            error
                .to_string()
                .starts_with("courier.xml: no <item> starts at byte")
        );
    }
}

#[test]
fn lines_in_errors_after_a_resume_are_the_lines_of_the_whole_file() {
    let mut file = wxr(
        "<item><wp:post_id>1</wp:post_id></item>\n<item><wp:post_id>2</wp:post_id></item>\n\n<item><oops></item>",
    );
    file.push('\n');
    let (whole, error) = split(read_wxr("bad.xml", file.as_bytes()));
    let second = items_of(&whole)[1].offset;
    let (_, resumed_error) = split(WxrReader::resume("bad.xml", file.as_bytes(), second).collect());
    assert_eq!(resumed_error, error);
    assert!(
        matches!(
            error,
            ImportError::Malformed {
                line: 15,
                column: 13,
                ..
            }
        ),
        "{error}"
    );
}

// Cut short, malformed, refused

#[test]
fn a_truncated_export_gives_its_whole_items_then_says_where_it_stops() {
    let bytes = fixture("wxr-1.2-truncated.xml");
    let (entries, error) = split(read_wxr("export.xml", &bytes));
    let ids: Vec<u64> = items_of(&entries)
        .iter()
        .map(|i| i.post_id.unwrap())
        .collect();
    assert_eq!(ids, [101, 102, 103, 104, 105, 106, 120, 130]);
    assert_eq!(
        entries[..],
        courier()[..entries.len()],
        "whole items are read as in the whole file"
    );
    assert_eq!(
        error,
        ImportError::Truncated {
            file: "export.xml".into(),
            line: 461,
            offset: bytes.len() as u64,
            inside: "the item \"الميناء يعيد فتح أبوابه أمام سفن الشحن\" (from line 453)".into(),
        }
    );
    assert_eq!(
        error.to_string(),
        format!(
            "export.xml: the file stops at line 461 (byte {}) inside the item \
             \"الميناء يعيد فتح أبوابه أمام سفن الشحن\" (from line 453): \
             it was cut short; the entries before were read",
            bytes.len()
        )
    );
}

#[test]
fn every_cut_of_an_export_gives_a_prefix_of_its_entries_then_one_error() {
    let bytes = fixture("wxr-1.2-courier.xml");
    let whole = courier();
    for cut in (0..bytes.len()).step_by(97) {
        let read = read_wxr("cut.xml", &bytes[..cut]);
        let (entries, error) = split(read);
        assert_eq!(entries[..], whole[..entries.len()], "cut at {cut}");
        assert!(
            matches!(
                error,
                ImportError::Empty { .. }
                    | ImportError::NotXml { .. }
                    | ImportError::Truncated { .. }
            ),
            "cut at {cut}: {error}"
        );
        if let ImportError::Truncated { offset, .. } = error {
            assert_eq!(offset, cut as u64);
        }
        // Every item that ends before the cut is read.
        let complete = items_of(&whole)
            .iter()
            .filter(|i| ends_before(&bytes, i.offset, cut))
            .count();
        assert_eq!(items_of(&entries).len(), complete, "cut at {cut}");
    }
}

/// Whether the item starting at `offset` has its end tag before `cut`.
fn ends_before(bytes: &[u8], offset: u64, cut: usize) -> bool {
    let from = offset as usize;
    bytes[from..]
        .windows(7)
        .position(|w| w == b"</item>")
        .is_some_and(|end| from + end + 7 <= cut)
}

#[test]
fn malformed_xml_mid_file_gives_the_items_before_it_then_its_line_and_column() {
    let file = wxr("<item><wp:post_id>1</wp:post_id></item>\n\
         <item><wp:post_id>2</wp:post_id></item>\n\
         <item><wp:post_id>3</wp:post_id><title>x</item>\n\
         <item><wp:post_id>4</wp:post_id></item>");
    let (entries, error) = split(read_wxr("broken.xml", file.as_bytes()));
    let ids: Vec<_> = items_of(&entries).iter().map(|i| i.post_id).collect();
    assert_eq!(ids, [Some(1), Some(2)]);
    assert_eq!(
        error.to_string(),
        format!(
            "broken.xml: malformed XML at line 14, column 41 (byte {}): expected </title>, found </item>",
            file.find("</item>\n<item><wp:post_id>4").unwrap()
        )
    );
}

#[test]
fn a_file_that_is_not_xml_is_refused_naming_the_file() {
    assert_eq!(
        refused("export.xml", b""),
        ImportError::Empty {
            file: "export.xml".into()
        }
    );
    assert_eq!(
        refused("export.xml", b" \n\t\n"),
        ImportError::Empty {
            file: "export.xml".into()
        }
    );
    assert_eq!(
        refused("export.json", b"{\"posts\": []}").to_string(),
        "export.json: not XML (line 1: text before the first element)"
    );
    assert!(matches!(
        refused("export.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe<"),
        ImportError::NotXml { .. } | ImportError::NotUtf8 { .. }
    ));
}

#[test]
fn a_plain_rss_feed_is_not_a_wordpress_export() {
    let error = refused("feed.xml", &fixture("rss-plain-feed.xml"));
    assert_eq!(
        error,
        ImportError::NotWordPress {
            file: "feed.xml".into()
        }
    );
    assert!(error.to_string().contains("not a WordPress export"));
}

#[test]
fn another_root_is_refused_with_its_name_and_line() {
    let error = refused("comments.xml", &fixture("disqus-courier.xml"));
    assert_eq!(
        error.to_string(),
        "comments.xml: the root element is <disqus> (line 2), not <rss> (a WordPress export)"
    );
    let gazette = fixture("wxr-1.0-gazette.xml");
    let error = DisqusReader::new("export.xml", &gazette[..])
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "export.xml: the root element is <rss> (line 8), not <disqus> (a Disqus export)"
    );
}

#[test]
fn a_doctype_is_refused_and_no_entity_is_ever_expanded() {
    let error = refused("laughs.xml", &fixture("wxr-billion-laughs.xml"));
    assert_eq!(
        error,
        ImportError::Dtd {
            file: "laughs.xml".into(),
            line: 2
        }
    );
    assert!(error.to_string().contains("DTD"));

    // The same entities without their declarations are text as written:
    // quick-xml expands nothing but what is decoded here.
    let laughs = fixture("wxr-billion-laughs.xml");
    let text = String::from_utf8(laughs).unwrap();
    let without_dtd =
        text[..text.find("<!DOCTYPE").unwrap()].to_owned() + &text[text.find("]>").unwrap() + 2..];
    let entries: Vec<WxrEntry> = read_wxr("laughs.xml", without_dtd.as_bytes())
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    let item = items_of(&entries)[0];
    assert_eq!(item.title, "&lol9;");
    assert_eq!(item.content, "&passwd;");

    // A DTD after entries were read stops the reading there.
    let late = wxr("<item><wp:post_id>1</wp:post_id></item><!DOCTYPE x [<!ENTITY a \"b\">]>");
    let (entries, error) = split(read_wxr("late.xml", late.as_bytes()));
    assert_eq!(items_of(&entries).len(), 1);
    assert!(
        matches!(error, ImportError::Dtd { line: 12, .. }),
        "{error}"
    );
}

#[test]
fn an_encoding_other_than_utf8_is_refused_and_bad_bytes_are_named_by_line() {
    let latin1 = wxr("").replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
    assert_eq!(
        refused("latin.xml", latin1.as_bytes()).to_string(),
        "latin.xml: declares the encoding \"ISO-8859-1\"; only UTF-8 is read \
         (convert it first, e.g. iconv -f ISO-8859-1 -t UTF-8)"
    );
    let file =
        wxr("<item><wp:post_id>1</wp:post_id></item>\n<item><title>caf\u{e9}</title></item>");
    let bytes = file.replace('é', "\u{1}").into_bytes();
    let at = bytes.iter().position(|&b| b == 1).unwrap();
    let mut bytes = bytes;
    bytes[at] = 0xE9;
    let (entries, error) = split(read_wxr("mixed.xml", &bytes));
    assert_eq!(items_of(&entries).len(), 1);
    assert_eq!(
        error,
        ImportError::NotUtf8 {
            file: "mixed.xml".into(),
            line: 13,
            offset: at as u64
        }
    );
}

/// A stream that fails after its first bytes.
struct Failing<'a>(&'a [u8]);

impl Read for Failing<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() {
            return Err(std::io::Error::other("disk on fire"));
        }
        let n = self.0.len().min(out.len());
        out[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn a_read_error_ends_the_reading_after_the_entries_read() {
    let bytes = fixture("wxr-1.2-courier.xml");
    let cut = items_of(&courier())[3].offset as usize;
    let read: Wxr = WxrReader::new("export.xml", Failing(&bytes[..cut])).collect();
    let (entries, error) = split(read);
    assert_eq!(items_of(&entries).len(), 3);
    assert_eq!(
        error.to_string(),
        "export.xml: cannot be read: disk on fire"
    );
}

#[test]
fn the_reading_ends_after_an_error_and_stays_ended() {
    let feed = fixture("rss-plain-feed.xml");
    let mut reader = WxrReader::new("feed.xml", &feed[..]);
    assert!(matches!(reader.next(), Some(Err(_))));
    assert!(reader.next().is_none());
    assert!(reader.next().is_none());
}

#[test]
fn content_after_the_root_element_is_malformed_and_comments_are_not() {
    let fine = wxr("") + "<!-- exported by a plugin -->\n";
    assert_eq!(read_wxr("a.xml", fine.as_bytes()).len(), 1);
    let extra = wxr("") + "<rss/>";
    let (entries, error) = split(read_wxr("b.xml", extra.as_bytes()));
    assert_eq!(entries.len(), 1, "the site");
    assert!(
        error.to_string().contains("content after the root element"),
        "{error}"
    );
}

#[test]
fn an_export_without_items_gives_its_site() {
    let entries: Vec<WxrEntry> = read_wxr("empty-site.xml", wxr("").as_bytes())
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(matches!(&entries[..], [WxrEntry::Site(site)] if site.title == "Inline"));
}

// Disqus

fn disqus() -> Vec<DisqusEntry> {
    DisqusReader::new("disqus.xml", &fixture("disqus-courier.xml")[..])
        .collect::<Result<_, _>>()
        .unwrap()
}

fn threads(entries: &[DisqusEntry]) -> Vec<&DisqusThread> {
    entries
        .iter()
        .filter_map(|e| match e {
            DisqusEntry::Thread(t) => Some(&**t),
            _ => None,
        })
        .collect()
}

fn posts(entries: &[DisqusEntry]) -> Vec<&DisqusPost> {
    entries
        .iter()
        .filter_map(|e| match e {
            DisqusEntry::Post(p) => Some(&**p),
            _ => None,
        })
        .collect()
}

#[test]
fn a_disqus_export_gives_its_category_threads_and_posts_in_order() {
    let all = disqus();
    assert_eq!(all.len(), 1 + 5 + 8);
    let DisqusEntry::Category(category) = &all[0] else {
        panic!()
    };
    assert_eq!(category.dsq_id.as_deref(), Some("8812001"));
    assert_eq!(category.forum, "thecourier");
    assert_eq!(category.title, "General");
    assert!(category.is_default);
}

#[test]
fn a_thread_is_read_field_by_field() {
    let all = disqus();
    let thread = threads(&all)[0];
    assert_eq!(thread.dsq_id.as_deref(), Some("7301001"));
    assert_eq!(
        thread.id.as_deref(),
        Some("101 https://courier.example.org/?p=101")
    );
    assert_eq!(thread.forum, "thecourier");
    assert_eq!(thread.category.as_deref(), Some("8812001"));
    assert_eq!(
        thread.link,
        "http://www.courier.example.org/2026/12/port-reopens/"
    );
    assert_eq!(thread.title, "Port reopens to cargo ships | The Courier");
    assert_eq!(thread.message, "");
    assert_eq!(thread.created_at.written, "2026-12-01T07:41:09Z");
    assert_eq!(
        thread.created_at.value,
        Some(datetime!(2026-12-01 07:41:09 UTC))
    );
    assert_eq!(thread.author.name, "Rana Example");
    assert_eq!(thread.author.username, "rana_courier");
    assert!(!thread.author.is_anonymous);
    assert_eq!(thread.ip_address, "198.51.100.2");
    assert!(!thread.is_closed && !thread.is_deleted);
    assert!(threads(&all)[3].is_closed);
    assert!(threads(&all)[4].is_deleted);
}

#[test]
fn a_thread_with_an_empty_identifier_has_none() {
    let all = disqus();
    assert_eq!(threads(&all)[1].id, None);
    assert!(threads(&all)[1].author.is_anonymous);
}

#[test]
fn thread_links_written_many_ways_normalise_to_the_posts_link() {
    let all = disqus();
    let links: Vec<String> = threads(&all)
        .iter()
        .map(|t| normalize_url(&t.link))
        .collect();
    let wxr = courier();
    assert_eq!(links[0], normalize_url(&item(&wxr, 101).link));
    assert_eq!(links[1], normalize_url(&item(&wxr, 101).link));
    assert_eq!(links[2], normalize_url(&item(&wxr, 109).link));
    assert_eq!(links[3], "courier.example.org?p=110");
    let known: Vec<String> = items_of(&wxr)
        .iter()
        .map(|i| normalize_url(&i.link))
        .collect();
    assert!(
        !known.contains(&links[4]),
        "the orphan thread matches nothing"
    );
}

#[test]
fn a_post_is_read_field_by_field_with_its_message_as_html() {
    let all = disqus();
    let post = posts(&all)[1];
    assert_eq!(post.dsq_id.as_deref(), Some("9100002"));
    assert_eq!(post.id, None);
    assert!(
        post.message
            .starts_with("<p>Agreed. The queue of trucks was <b>kilometres</b>")
    );
    assert!(
        post.message.ends_with("</a></p>"),
        "blank text around CDATA dropped"
    );
    assert_eq!(
        post.created_at.value,
        Some(datetime!(2026-12-01 08:21:45 UTC))
    );
    assert_eq!(post.author.name, "Sam");
    assert_eq!(post.author.email, "sam@example.com");
    assert_eq!(post.author.username, "sam_p");
    assert_eq!(post.ip_address, "192.0.2.44");
    assert_eq!(post.thread_dsq_id.as_deref(), Some("7301001"));
    assert_eq!(post.parent_dsq_id.as_deref(), Some("9100001"));
    assert_eq!(posts(&all)[0].parent_dsq_id, None);
    assert_eq!(posts(&all)[6].id.as_deref(), Some("old-comment-88"));
}

#[test]
fn spam_deleted_and_unapproved_posts_are_kept_with_their_flags() {
    let all = disqus();
    let flags: Vec<(&str, bool, bool, Option<bool>)> = posts(&all)
        .iter()
        .map(|p| {
            (
                p.dsq_id.as_deref().unwrap(),
                p.is_spam,
                p.is_deleted,
                p.is_approved,
            )
        })
        .collect();
    assert_eq!(
        flags,
        [
            ("9100001", false, false, None),
            ("9100002", false, false, None),
            ("9100003", true, false, None),
            ("9100004", false, true, None),
            ("9100005", false, false, Some(true)),
            ("9100006", false, false, Some(false)),
            ("9100007", false, false, None),
            ("9100008", false, false, None),
        ]
    );
    assert_eq!(posts(&all)[4].author.name, "ليلى");
}

#[test]
fn an_orphan_post_names_a_thread_the_export_does_not_hold() {
    let all = disqus();
    let known: Vec<_> = threads(&all).iter().map(|t| t.dsq_id.clone()).collect();
    let orphans: Vec<_> = posts(&all)
        .into_iter()
        .filter(|p| !known.contains(&p.thread_dsq_id))
        .map(|p| p.dsq_id.clone().unwrap())
        .collect();
    assert_eq!(orphans, ["9100008"]);
}

fn read_disqus(bytes: &[u8]) -> Vec<Result<DisqusEntry, ImportError>> {
    DisqusReader::new("disqus.xml", bytes).collect()
}

#[test]
fn a_broken_disqus_export_is_read_as_far_as_it_can_be() {
    // Shapes from real exports: no namespace, a post without dsq:id, an
    // unquoted attribute, a bad date, a flag that is not a boolean.
    let file = r#"<disqus>
  <thread dsq:id="1"><id/><link>https://example.org/a</link></thread>
  <post><id>77</id><message>no dsq:id</message><thread dsq:id="1"/></post>
  <post dsq:id="2"><message>x</message><createdAt>2011-x09-30T22:48:43Z</createdAt><isSpam>123</isSpam><thread dsq:id=1/></post>
</disqus>"#;
    let all: Vec<DisqusEntry> = read_disqus(file.as_bytes())
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    let posts = posts(&all);
    assert_eq!(posts[0].dsq_id, None);
    assert_eq!(posts[0].id.as_deref(), Some("77"));
    assert_eq!(posts[1].created_at.written, "2011-x09-30T22:48:43Z");
    assert_eq!(posts[1].created_at.value, None);
    assert!(!posts[1].is_spam);
    assert_eq!(posts[1].thread_dsq_id.as_deref(), Some("1"));
}

#[test]
fn every_cut_of_a_disqus_export_gives_a_prefix_of_its_entries_then_one_error() {
    let bytes = fixture("disqus-courier.xml");
    let whole = disqus();
    for cut in (0..bytes.len()).step_by(13) {
        let mut entries = Vec::new();
        let mut error = None;
        for outcome in read_disqus(&bytes[..cut]) {
            match outcome {
                Ok(entry) => entries.push(entry),
                Err(e) => error = Some(e),
            }
        }
        assert_eq!(entries[..], whole[..entries.len()], "cut at {cut}");
        assert!(
            matches!(
                error,
                Some(
                    ImportError::Empty { .. }
                        | ImportError::NotXml { .. }
                        | ImportError::Truncated { .. }
                )
            ),
            "cut at {cut}: {error:?}"
        );
    }
    let cut = bytes.windows(9).position(|w| w == b"Where did").unwrap();
    let read = read_disqus(&bytes[..cut]);
    let Some(Err(error)) = read.last() else {
        panic!()
    };
    assert!(
        error
            .to_string()
            .contains("inside <post> dsq:id 9100008 (from line 222)"),
        "{error}"
    );
}

#[test]
fn resuming_a_disqus_export_gives_the_threads_again_then_the_post_and_those_after() {
    let bytes = fixture("disqus-courier.xml");
    let whole = disqus();
    let head = 6;
    for (n, post) in posts(&whole).iter().enumerate() {
        assert!(bytes[post.offset as usize..].starts_with(b"<post "));
        let resumed: Vec<DisqusEntry> = DisqusReader::resume("d.xml", &bytes[..], post.offset)
            .collect::<Result<_, _>>()
            .unwrap();
        let mut expected = whole[..head].to_vec();
        expected.extend_from_slice(&whole[head + n..]);
        assert_eq!(resumed, expected);
    }
    let wrong = posts(&whole)[2].offset + 3;
    let last = DisqusReader::resume("d.xml", &bytes[..], wrong).last();
    assert_eq!(
        last,
        Some(Err(ImportError::ResumeOffset {
            file: "d.xml".into(),
            offset: wrong,
            item: "post"
        }))
    );
}

#[test]
fn a_disqus_export_with_a_doctype_is_refused() {
    let file = r#"<?xml version="1.0"?><!DOCTYPE disqus [<!ENTITY x "y">]><disqus xmlns="http://disqus.com"/>"#;
    assert_eq!(
        read_disqus(file.as_bytes()),
        [Err(ImportError::Dtd {
            file: "disqus.xml".into(),
            line: 1
        })]
    );
}
