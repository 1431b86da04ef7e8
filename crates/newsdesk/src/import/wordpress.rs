//! A WordPress export (WXR 1.0–1.2) into articles, sections, tags,
//! bylines, media, comments and redirects. Each post (with its old
//! addresses) is one transaction, its comments another; both are keyed by
//! the post's and comments' ids on the exported site, so nothing is taken
//! twice.

use super::{
    CHECKPOINT_ITEMS, Edition, ImportFailure, ImportOptions, ImportReport, Progress, edition_of,
    edition_of_address,
};
use crate::articles::{ArticleError, Schedule};
use crate::sourced::Taken;
use crate::{Failure, Newsdesk, OnSite};
use dateline_core::editing::{
    ArticleInput, MAX_HEADLINE_CHARS, MAX_SHORT_FIELD_CHARS, MAX_STANDFIRST_CHARS, MAX_TAGS,
};
use dateline_core::import::{self as map, PostFate};
use dateline_core::redirect::{RedirectTarget, old_address};
use dateline_core::slug::Slug;
use dateline_core::terms::{TermInput, TermKind};
use dateline_core::wire::{clip, tags_field};
use dateline_core::workflow::{Action, Status};
use dateline_core::{ArticleState, SectionId, SiteId};
use dateline_ingest::archive::{
    LocalTime, UtcTime, WxrEntry, WxrItem, WxrReader, clean_wordpress_body,
};
use dateline_store::SourceStamp;
use dateline_store::imports::{ImportRun, ImportedArticle, ImportedComment, OldAddress};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use time::{OffsetDateTime, UtcOffset};

/// What the first pass learns of the export.
#[derive(Default)]
pub(super) struct Index {
    site_url: String,
    /// Display names by login.
    authors: HashMap<String, String>,
    /// Categories by slug: name and parent slug.
    categories: HashMap<String, (String, String)>,
    /// Category slugs by term id (Yoast's primary category names one).
    category_ids: HashMap<u64, String>,
    /// Polylang's language terms: slug to edition language.
    languages: HashMap<String, dateline_core::lang::Lang>,
    /// Polylang's translation groups: term slug to (language, post id).
    translations: HashMap<String, Vec<(String, i64)>>,
    pub attachments: HashMap<u64, Attachment>,
    /// Attachments by their file below `wp-content/uploads`.
    pub attachment_files: HashMap<String, u64>,
    items: u64,
    /// The exported site's offset from UTC, from a post that has both
    /// times: local times without a twin are read with it.
    zone: Option<UtcOffset>,
}

pub(super) struct Attachment {
    pub url: String,
    /// Below `wp-content/uploads`.
    pub file: String,
    pub alt: String,
    pub caption: String,
}

/// What one run keeps between items.
pub(super) struct Run<'a> {
    pub options: ImportOptions<'a>,
    editions: Vec<Edition>,
    pub index: Index,
    pub source: String,
    pub report: ImportReport,
    /// Sections by edition and category slug, once mapped.
    sections: HashMap<(SiteId, String), SectionId>,
    /// Old archive addresses already given a redirect this run.
    archives: HashSet<(SiteId, String)>,
    pub now: OffsetDateTime,
}

impl Newsdesk {
    /// Imports a WordPress export. `shown` names the file in messages;
    /// `progress` hears of every item.
    pub async fn import_wordpress(
        &self,
        path: &Path,
        shown: &str,
        options: ImportOptions<'_>,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<ImportReport, ImportFailure> {
        let editions = self.editions(options.site)?;
        if let Some(dir) = options.media_dir {
            std::fs::read_dir(dir).map_err(|source| ImportFailure::MediaDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let (total_bytes, index, stopped) = super::first_pass(path, shown, scan).await?;
        let source =
            map::wordpress_source(&index.site_url).ok_or_else(|| ImportFailure::NoSiteAddress {
                file: shown.to_owned(),
            })?;
        let file_key = super::run_key(path, total_bytes);
        let resume = self.resume_offset(&source, &file_key).await?;
        let total_items = index.items;
        let mut run = Run {
            options,
            editions,
            index,
            source,
            report: ImportReport::new(shown, options.dry_run),
            sections: HashMap::new(),
            archives: HashSet::new(),
            now: OffsetDateTime::now_utc(),
        };
        run.report.resumed_at = resume;
        if !options.dry_run {
            self.site_redirects(&mut run).await?;
        }
        let mut items = super::read_in_background(path, shown, move |file, shown| match resume {
            Some(offset) => WxrReader::resume(shown, file, offset),
            None => WxrReader::new(shown, file),
        });
        let mut done = 0_u64;
        while let Some(entry) = items.recv().await {
            let item = match entry {
                Ok(WxrEntry::Item(item)) => item,
                Ok(_) => continue,
                Err(error) => {
                    run.report.stopped = Some(error.to_string());
                    break;
                }
            };
            if !options.dry_run && done > 0 && done.is_multiple_of(CHECKPOINT_ITEMS) {
                let checkpoint = ImportRun {
                    resume_offset: item.offset,
                    finished: false,
                };
                self.db()
                    .save_import_run(&run.source, &file_key, checkpoint, run.now)
                    .await?;
            }
            self.take_post(&mut run, &item).await?;
            done += 1;
            progress(Progress {
                bytes: item.offset,
                total_bytes,
                items: done,
                total_items,
            });
        }
        // The first pass saw where the file stops; the second may have
        // been spared reading that far.
        if run.report.stopped.is_none() {
            run.report.stopped = stopped.map(|e| e.to_string());
        }
        if !options.dry_run {
            if run.report.stopped.is_none() {
                let finished = ImportRun {
                    resume_offset: 0,
                    finished: true,
                };
                self.db()
                    .save_import_run(&run.source, &file_key, finished, OffsetDateTime::now_utc())
                    .await?;
            }
            self.imported_into(&run.editions).await?;
        }
        Ok(run.report)
    }

    /// One item: a post or page becomes an article with its comments;
    /// attachments are used by the posts that name them; the rest is
    /// reported skipped.
    async fn take_post(&self, run: &mut Run<'_>, item: &WxrItem) -> Result<(), ImportFailure> {
        let kind = match item.post_type.as_str() {
            "post" => "post",
            "page" => "page",
            "attachment" => {
                run.report.count("attachment", "listed");
                return Ok(());
            }
            other => {
                let what = describe(item);
                run.report.skip(
                    "other",
                    format!("{what}: post type {other:?} is not imported"),
                );
                return Ok(());
            }
        };
        let Some(post_id) = item.post_id else {
            let what = describe(item);
            run.report
                .skip(kind, format!("{what}: no wp:post_id, which identifies it"));
            return Ok(());
        };
        let trashed_from = item.meta("_wp_trash_meta_status").next();
        let fate = match map::post_fate(&item.status, trashed_from) {
            Ok(fate) => fate,
            Err(why) => {
                run.report.skip(kind, format!("{}: {why}", describe(item)));
                return Ok(());
            }
        };
        let fate = if item.post_password.is_empty() || fate.trashed {
            fate
        } else {
            // Dateline has no passwords on stories: what readers could not
            // see there stays out of their sight here.
            *run.report
                .cleaning
                .entry("password-protected: imported unpublished".into())
                .or_default() += 1;
            PostFate {
                state: match fate.state {
                    ArticleState::Published | ArticleState::Scheduled => ArticleState::Unpublished,
                    state => state,
                },
                trashed: false,
            }
        };
        let edition = edition_of(&run.editions, language_of(&run.index, item)).clone();
        let guid = post_id.to_string();
        let version = version_of(item, run.index.zone);
        let source = run.source.clone();
        let stamp = SourceStamp {
            source: &source,
            guid: &guid,
            version,
            first_created: None,
        };
        let link = self.db().source_link(edition.site, &source, &guid).await?;
        if let Some(link) = &link
            && version <= link.version
        {
            run.report.count(kind, "unchanged");
            // A run cut short between the post and these is finished here.
            self.link_translations(run, item, edition.site, link.article)
                .await?;
            self.take_comments(run, item, edition.site, link.article)
                .await?;
            return Ok(());
        }
        let on = OnSite {
            site: edition.site,
            ..self.importer(edition.site).await?
        };
        let input = self.post_input(run, item, &edition, on).await?;
        if run.options.dry_run {
            let outcome = if link.is_some() { "updated" } else { "created" };
            match self.check_article(edition.site, &input).await? {
                Ok(_) => {
                    run.report.count(kind, outcome);
                    // Counted only: no article is written to hold them.
                    let nowhere = dateline_core::ArticleId(0);
                    self.take_comments(run, item, edition.site, nowhere).await?;
                }
                Err(fields) => run.report.skip(kind, refusal(item, &fields)),
            }
            return Ok(());
        }
        let article = match link {
            Some(_) => {
                // A later export of the same site, the post edited since:
                // the newer copy wins, with a revision kept.
                let taken = self
                    .take_from_source(on, stamp, &input, Action::Save, Schedule::At(None))
                    .await;
                match taken {
                    Ok(Taken::Updated(id) | Taken::Created(id)) => {
                        run.report.count(kind, "updated");
                        id
                    }
                    Ok(Taken::Unchanged { article, .. } | Taken::Killed(article)) => {
                        run.report.count(kind, "unchanged");
                        article
                    }
                    Err(error) => return refused(&mut run.report, kind, item, error),
                }
            }
            None => {
                let checked = match self.checked(edition.site, &input).await {
                    Ok(checked) => checked,
                    Err(error) => return refused(&mut run.report, kind, item, error),
                };
                let old_addresses = old_addresses(&run.editions, item, kind, post_id);
                let imported = ImportedArticle {
                    site: edition.site,
                    content: &checked.content,
                    status: status_of(item, fate, run.index.zone, run.now),
                    user: on.actor.user,
                    stamp,
                    old_addresses: &old_addresses,
                    trashed: fate.trashed,
                };
                let id = self
                    .db()
                    .create_imported_article(&imported, run.now)
                    .await?;
                run.report.count(kind, "created");
                id
            }
        };
        self.link_translations(run, item, edition.site, article)
            .await?;
        self.take_comments(run, item, edition.site, article).await
    }

    /// The article form, filled from a post as a reporter would.
    async fn post_input(
        &self,
        run: &mut Run<'_>,
        item: &WxrItem,
        edition: &Edition,
        on: OnSite,
    ) -> Result<ArticleInput, ImportFailure> {
        let cleaned = clean_wordpress_body(&item.content);
        for note in cleaned.notes {
            // Counted by kind: an address would make each post's note its own.
            let kind: Vec<&str> = note
                .split_whitespace()
                .filter(|word| !word.contains("://"))
                .collect();
            *run.report.cleaning.entry(kind.join(" ")).or_default() += 1;
        }
        let headline = match item.title.trim() {
            "" => first_words(&map::plain_text(&cleaned.html), 12),
            title => title.to_owned(),
        };
        let section = self.section_of(run, item, edition, on).await?;
        let mut tags: Vec<String> = item
            .categories
            .iter()
            .filter(|term| term.domain == "post_tag")
            .map(|term| term.name.clone())
            .collect();
        // Categories past the first are kept as tags: a section is one.
        tags.extend(
            item.categories
                .iter()
                .filter(|term| term.domain == "category" && term.nicename != "uncategorized")
                .skip(1)
                .map(|term| term.name.clone()),
        );
        for term in item.categories.iter().filter(|t| t.domain == "post_tag") {
            self.term_redirects(run, edition, "tag", &term.nicename, &term.name)
                .await?;
        }
        let mut authors = Vec::new();
        let name = run
            .index
            .authors
            .get(&item.creator)
            .cloned()
            .unwrap_or_else(|| item.creator.clone());
        if !name.trim().is_empty() && !run.options.dry_run {
            let name = clip(&name, MAX_SHORT_FIELD_CHARS);
            match self.db().author_named(edition.site, &name).await {
                Ok(author) => {
                    authors.push(author.to_string());
                    self.term_redirects(run, edition, "author", &item.creator, &name)
                        .await?;
                }
                Err(dateline_store::StoreError::Invalid(_)) => {}
                Err(error) => return Err(error.into()),
            }
        }
        let lead = self.featured_image(run, item, on).await?;
        let body = self.body_images(run, item, on, cleaned.html).await?;
        let slug = map::decoded_slug(&item.post_name)
            .and_then(|slug| Slug::from_headline(&slug).ok())
            .map(|slug| slug.to_string())
            .unwrap_or_default();
        Ok(ArticleInput {
            headline: clip(&headline, MAX_HEADLINE_CHARS),
            slug,
            standfirst: clip(&map::plain_text(&item.excerpt), MAX_STANDFIRST_CHARS),
            body_html: body,
            section: section.map(|s| s.to_string()).unwrap_or_default(),
            tags: tags_field(&tags, MAX_TAGS),
            authors,
            lead_media: lead
                .as_ref()
                .map(|l| l.media.0.to_string())
                .unwrap_or_default(),
            lead_caption: lead.as_ref().map(|l| l.caption.clone()).unwrap_or_default(),
            lead_alt: lead.map(|l| l.alt).unwrap_or_default(),
            comment_mode: if item.comment_status == "closed" {
                "closed".into()
            } else {
                String::new()
            },
            ..ArticleInput::default()
        })
    }

    /// The section of a post: its primary category (Yoast's, else its
    /// first but WordPress's default "uncategorized"), made a section of
    /// the edition on first use; the edition's first section without one.
    async fn section_of(
        &self,
        run: &mut Run<'_>,
        item: &WxrItem,
        edition: &Edition,
        on: OnSite,
    ) -> Result<Option<SectionId>, ImportFailure> {
        let network = self.network();
        let entry = network
            .entry(edition.site)
            .ok_or(Failure::UnknownSite(edition.site))?;
        let first = entry.sections.first().map(|s| s.id);
        let categories: Vec<_> = item
            .categories
            .iter()
            .filter(|term| term.domain == "category" && term.nicename != "uncategorized")
            .collect();
        let primary = item
            .meta("_yoast_wpseo_primary_category")
            .next()
            .and_then(|id| id.trim().parse::<u64>().ok())
            .and_then(|id| run.index.category_ids.get(&id))
            .and_then(|slug| categories.iter().find(|term| &term.nicename == slug));
        let Some(category) = primary.or(categories.first()) else {
            return Ok(first);
        };
        let key = (edition.site, category.nicename.clone());
        if let Some(section) = run.sections.get(&key) {
            return Ok(Some(*section));
        }
        let decoded = map::decoded_slug(&category.nicename).unwrap_or_default();
        let slug = Slug::from_headline(&decoded)
            .or_else(|_| Slug::from_headline(&category.name))
            .map(|s| s.to_string())
            .unwrap_or_default();
        let existing = entry
            .sections
            .iter()
            .find(|s| s.slug.as_str() == slug || s.name.eq_ignore_ascii_case(&category.name))
            .map(|s| s.id);
        let section = match existing {
            Some(id) => Some(id),
            None if run.options.dry_run => {
                run.report.count("section", "created");
                first
            }
            None => {
                let input = TermInput {
                    name: clip(&category.name, MAX_SHORT_FIELD_CHARS),
                    slug: slug.clone(),
                    ..TermInput::default()
                };
                match self.save_term(on, TermKind::Section, None, &input).await {
                    Ok(id) => {
                        run.report.count("section", "created");
                        Some(SectionId(id))
                    }
                    Err(crate::settings::SiteError::Failed(failure)) => {
                        return Err(failure.into());
                    }
                    Err(refused) => {
                        let note = format!(
                            "category {:?} could not become a section ({refused}); its posts went to the edition's first section",
                            category.name
                        );
                        *run.report.cleaning.entry(note).or_default() += 1;
                        first
                    }
                }
            }
        };
        if let Some(section) = section {
            run.sections.insert(key, section);
            let path = category_path(&run.index, &category.nicename);
            let target = self
                .network()
                .entry(edition.site)
                .and_then(|e| e.sections.iter().find(|s| s.id == section))
                .map(|s| s.slug.to_string());
            if let Some(target) = target {
                // WordPress answers a child category at its own slug too.
                let target = format!("/{target}");
                let mut redirects =
                    archive_and_feed(&format!("/category/{path}"), &target).to_vec();
                redirects.extend(archive_and_feed(
                    &format!("/category/{}", category.nicename),
                    &target,
                ));
                self.archive_redirects(run, edition, &redirects).await?;
            }
        }
        Ok(section)
    }

    /// A tag's or author's archive and feed (`/tag/{slug}`,
    /// `/author/{login}`) lead to the same archive here, named as Dateline
    /// names it.
    async fn term_redirects(
        &self,
        run: &mut Run<'_>,
        edition: &Edition,
        archive: &str,
        old_slug: &str,
        name: &str,
    ) -> Result<(), ImportFailure> {
        let (Ok(slug), false) = (Slug::from_headline(name), old_slug.is_empty()) else {
            return Ok(());
        };
        let redirects = archive_and_feed(
            &format!("/{archive}/{old_slug}"),
            &format!("/{archive}/{slug}"),
        );
        self.archive_redirects(run, edition, &redirects).await
    }

    /// The site's own feeds at WordPress's addresses.
    async fn site_redirects(&self, run: &mut Run<'_>) -> Result<(), ImportFailure> {
        let editions = run.editions.clone();
        for edition in &editions {
            let redirects = [
                ("/feed".to_owned(), "/feed.xml".to_owned()),
                ("/feed/rss2".to_owned(), "/feed.xml".to_owned()),
                ("/feed/atom".to_owned(), "/atom.xml".to_owned()),
                ("/feed/rss".to_owned(), "/feed.xml".to_owned()),
            ];
            self.archive_redirects(run, edition, &redirects).await?;
        }
        Ok(())
    }

    /// Redirects of archive addresses (categories, tags, authors, feeds),
    /// each written once a run; an address that is the same on both sides
    /// needs none.
    async fn archive_redirects(
        &self,
        run: &mut Run<'_>,
        edition: &Edition,
        redirects: &[(String, String)],
    ) -> Result<(), ImportFailure> {
        if run.options.dry_run {
            return Ok(());
        }
        let mut writes = Vec::new();
        for (old, new) in redirects {
            let Some(old) = old_address(old) else {
                continue;
            };
            if old == *new || !run.archives.insert((edition.site, old.clone())) {
                continue;
            }
            let address = OldAddress {
                site: edition.site,
                old,
            };
            writes.push((address, RedirectTarget::Path(new.clone())));
        }
        Ok(self.db().set_redirects(&writes, run.now).await?)
    }

    /// Links the article with the posts of its Polylang translation group
    /// already in other editions.
    async fn link_translations(
        &self,
        run: &Run<'_>,
        item: &WxrItem,
        site: SiteId,
        article: dateline_core::ArticleId,
    ) -> Result<(), ImportFailure> {
        let sites: Vec<SiteId> = run.editions.iter().map(|e| e.site).collect();
        for term in item
            .categories
            .iter()
            .filter(|t| t.domain == "post_translations")
        {
            let Some(group) = run.index.translations.get(&term.nicename) else {
                continue;
            };
            for (_, other) in group {
                if Some(*other) == item.post_id.and_then(|id| i64::try_from(id).ok()) {
                    continue;
                }
                if let Some((other_site, other_article)) =
                    self.db().imported_post(&sites, &other.to_string()).await?
                    && other_site != site
                {
                    self.db()
                        .link_translation(article, site, other_article)
                        .await?;
                }
            }
        }
        Ok(())
    }

    /// A post's comments, in one transaction, each once; replies keep
    /// their thread.
    async fn take_comments(
        &self,
        run: &mut Run<'_>,
        item: &WxrItem,
        site: SiteId,
        article: dateline_core::ArticleId,
    ) -> Result<(), ImportFailure> {
        let mut kept = Vec::new();
        let mut comments: Vec<_> = item.comments.iter().collect();
        // Replies after what they answer: ids grow with time.
        comments.sort_by_key(|c| c.id);
        for comment in comments {
            let what = format!("comment {} on {}", comment.id.unwrap_or(0), describe(item));
            let Some(id) = comment.id else {
                run.report
                    .skip("comment", format!("{what}: no id, which identifies it"));
                continue;
            };
            if matches!(comment.comment_type.as_str(), "pingback" | "trackback") {
                run.report.skip(
                    "comment",
                    format!(
                        "{what}: a {}, which Dateline does not keep",
                        comment.comment_type
                    ),
                );
                continue;
            }
            let Some((status, reason)) = map::wordpress_comment_status(&comment.approved) else {
                run.report.skip(
                    "comment",
                    format!(
                        "{what}: status {:?} is not one Dateline knows",
                        comment.approved
                    ),
                );
                continue;
            };
            let body = map::comment_text(&comment.content);
            if body.is_empty() {
                run.report.skip("comment", format!("{what}: empty"));
                continue;
            }
            let created =
                utc_or_local(&comment.date_gmt, &comment.date, run.index.zone).unwrap_or(run.now);
            kept.push((
                id.to_string(),
                comment.parent.map(|p| p.to_string()),
                status,
                reason,
                body,
                created,
                comment,
            ));
        }
        if run.options.dry_run {
            for _ in &kept {
                run.report.count("comment", "created");
            }
            return Ok(());
        }
        let rows: Vec<ImportedComment<'_>> = kept
            .iter()
            .map(
                |(key, parent, status, reason, body, created, comment)| ImportedComment {
                    key,
                    site,
                    article,
                    parent_key: parent.as_deref(),
                    name: comment.author.trim(),
                    email: comment.author_email.trim(),
                    body,
                    status: *status,
                    client_ip: comment.author_ip.trim(),
                    created_at: *created,
                    decision_reason: reason,
                },
            )
            .collect();
        for row in self
            .db()
            .import_comments(&run.source, &rows, run.now)
            .await?
        {
            run.report
                .count("comment", if row.new { "created" } else { "unchanged" });
        }
        Ok(())
    }
}

/// The first pass: what items refer to, and whether the file may be
/// imported at all. `Ok` carries where the file stops early, if it does.
fn scan(path: &Path, shown: &str) -> Result<super::Scanned<Index>, ImportFailure> {
    let file = super::open(path, shown)?;
    let mut index = Index::default();
    for entry in WxrReader::new(shown, file) {
        match entry {
            Ok(WxrEntry::Site(site)) => {
                index.site_url = [site.base_site_url, site.base_blog_url, site.link]
                    .into_iter()
                    .find(|url| map::wordpress_source(url).is_some())
                    .unwrap_or_default();
            }
            Ok(WxrEntry::Author(author)) => {
                let name = match author.display_name.trim() {
                    "" => author.login.clone(),
                    name => name.to_owned(),
                };
                index.authors.insert(author.login, name);
            }
            Ok(WxrEntry::Category(category)) => {
                if let Some(id) = category.term_id {
                    index.category_ids.insert(id, category.nicename.clone());
                }
                index
                    .categories
                    .insert(category.nicename, (category.name, category.parent));
            }
            Ok(WxrEntry::Term(term)) => match term.taxonomy.as_str() {
                "language" => {
                    let lang = map::polylang_locale(&term.description)
                        .and_then(|locale| map::language_code(&locale))
                        .or_else(|| map::language_code(&term.slug));
                    if let Some(lang) = lang {
                        index.languages.insert(term.slug, lang);
                    }
                }
                "post_translations" => {
                    let pairs = map::polylang_translations(&term.description);
                    index.translations.insert(term.slug, pairs);
                }
                _ => {}
            },
            Ok(WxrEntry::Tag(_)) => {}
            Ok(WxrEntry::Item(item)) => {
                index.items += 1;
                if index.zone.is_none()
                    && let (Some(local), Some(utc)) =
                        (item.post_date.value, item.post_date_gmt.value)
                {
                    let seconds = (local.assume_utc() - utc).whole_seconds();
                    index.zone = i32::try_from(seconds)
                        .ok()
                        .and_then(|s| UtcOffset::from_whole_seconds(s).ok());
                }
                if item.post_type == "attachment"
                    && let Some(id) = item.post_id
                {
                    let file = item
                        .meta("_wp_attached_file")
                        .next()
                        .map(str::to_owned)
                        .or_else(|| super::media::uploads_part(&item.attachment_url))
                        .unwrap_or_default();
                    let alt = item
                        .meta("_wp_attachment_image_alt")
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    index.attachment_files.insert(file.clone(), id);
                    index.attachments.insert(
                        id,
                        Attachment {
                            url: item.attachment_url.clone(),
                            file,
                            alt,
                            caption: item.excerpt.clone(),
                        },
                    );
                }
            }
            Err(error) => return super::ended(index, error),
        }
    }
    Ok((index, None))
}

/// An item as the report names it.
pub(super) fn describe(item: &WxrItem) -> String {
    let id = item
        .post_id
        .map_or_else(|| "?".to_owned(), |id| id.to_string());
    let title = first_words(&item.title, 8);
    format!("{} {id} \u{201c}{title}\u{201d}", item.post_type)
}

/// An item the article rules refused is reported skipped, with why;
/// storage failing ends the run.
fn refused(
    report: &mut ImportReport,
    kind: &'static str,
    item: &WxrItem,
    error: ArticleError,
) -> Result<(), ImportFailure> {
    match error {
        ArticleError::Invalid(fields) => report.skip(kind, refusal(item, &fields)),
        ArticleError::Failed(failure) => return Err(failure.into()),
        other => report.skip(kind, format!("{}: {other}", describe(item))),
    }
    Ok(())
}

fn refusal(item: &WxrItem, fields: &[dateline_core::editing::FieldError]) -> String {
    let why: Vec<String> = fields
        .iter()
        .map(|field| format!("{}: {}", field.field, field.english()))
        .collect();
    format!("{}: {}", describe(item), why.join("; "))
}

fn first_words(text: &str, words: usize) -> String {
    let mut out: Vec<&str> = text.split_whitespace().take(words + 1).collect();
    let more = out.len() > words;
    out.truncate(words);
    let mut line = out.join(" ");
    if more {
        line.push('\u{2026}');
    }
    line
}

/// The post's language: its Polylang term, else its letters.
fn language_of(index: &Index, item: &WxrItem) -> Option<dateline_core::lang::Lang> {
    item.categories
        .iter()
        .filter(|term| term.domain == "language")
        .find_map(|term| index.languages.get(&term.nicename).copied())
        .or_else(|| {
            let sample: String = item
                .title
                .chars()
                .chain(item.content.chars())
                .take(2_000)
                .collect();
            map::text_language(&sample)
        })
}

/// A version that grows when the post is edited: its modification time.
fn version_of(item: &WxrItem, zone: Option<UtcOffset>) -> i64 {
    utc_or_local(&item.post_modified_gmt, &item.post_modified, zone)
        .or_else(|| utc_or_local(&item.post_date_gmt, &item.post_date, zone))
        .map_or(0, OffsetDateTime::unix_timestamp)
}

fn utc_or_local(
    utc: &UtcTime,
    local: &LocalTime,
    zone: Option<UtcOffset>,
) -> Option<OffsetDateTime> {
    utc.value.or_else(|| {
        local
            .value
            .map(|local| local.assume_offset(zone.unwrap_or(UtcOffset::UTC)))
    })
}

/// The state and times a post had on the exported site.
fn status_of(
    item: &WxrItem,
    fate: PostFate,
    zone: Option<UtcOffset>,
    now: OffsetDateTime,
) -> Status {
    let date = utc_or_local(&item.post_date_gmt, &item.post_date, zone);
    let modified = utc_or_local(&item.post_modified_gmt, &item.post_modified, zone);
    match fate.state {
        ArticleState::Published => {
            let published = date.unwrap_or(now);
            Status {
                state: ArticleState::Published,
                published_at: Some(published),
                updated_at: modified.filter(|m| *m > published).unwrap_or(published),
            }
        }
        // A scheduled post without its time cannot wait for it.
        ArticleState::Scheduled if date.is_some() => Status {
            state: ArticleState::Scheduled,
            published_at: date,
            updated_at: modified.unwrap_or(now),
        },
        ArticleState::Scheduled => Status {
            state: ArticleState::Draft,
            published_at: None,
            updated_at: modified.unwrap_or(now),
        },
        state => Status {
            state,
            published_at: None,
            updated_at: modified.or(date).unwrap_or(now),
        },
    }
}

/// Every address the post had: its permalink, `?p=N` (`?page_id=N`),
/// its guid when that is an address, and its permalink under each former
/// slug; each in the edition its path names.
fn old_addresses(
    editions: &[Edition],
    item: &WxrItem,
    kind: &str,
    post_id: u64,
) -> Vec<OldAddress> {
    let mut addresses = vec![item.link.clone(), format!("/?p={post_id}")];
    if kind == "page" {
        addresses.push(format!("/?page_id={post_id}"));
    }
    if item.guid.contains("://") {
        addresses.push(item.guid.clone());
    }
    for old_slug in item.meta("_wp_old_slug") {
        if let Some(address) = map::old_slug_address(&item.link, &item.post_name, old_slug) {
            addresses.push(address);
        }
    }
    let mut seen = HashSet::new();
    addresses
        .iter()
        .filter_map(|address| old_address(address))
        .filter(|old| old != "/")
        .map(|old| {
            let (edition, old) = edition_of_address(editions, &old);
            OldAddress {
                site: edition.site,
                old,
            }
        })
        .filter(|address| seen.insert((address.site, address.old.clone())))
        .collect()
}

/// A category's address path: its ancestors' slugs, then its own.
fn category_path(index: &Index, slug: &str) -> String {
    let mut path = vec![slug.to_owned()];
    let mut current = slug.to_owned();
    // Bounded: a loop of parents in a broken export ends here.
    for _ in 0..10 {
        match index.categories.get(&current) {
            Some((_, parent)) if !parent.is_empty() && !path.contains(parent) => {
                path.push(parent.clone());
                current = parent.clone();
            }
            _ => break,
        }
    }
    path.reverse();
    path.join("/")
}

/// An archive's address and its feed's, old and new.
fn archive_and_feed(old: &str, new: &str) -> [(String, String); 2] {
    [
        (old.to_owned(), new.to_owned()),
        (format!("{old}/feed"), format!("{new}/feed.xml")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_paths_follow_parents() {
        let mut index = Index::default();
        index
            .categories
            .insert("world".into(), ("World".into(), String::new()));
        index
            .categories
            .insert("gulf".into(), ("Gulf".into(), "world".into()));
        index
            .categories
            .insert("loop".into(), ("Loop".into(), "loop".into()));
        assert_eq!(category_path(&index, "gulf"), "world/gulf");
        assert_eq!(category_path(&index, "loop"), "loop");
        assert_eq!(first_words("one two three", 2), "one two\u{2026}");
    }
}
