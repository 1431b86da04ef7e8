//! Sites of the network and their settings.

use crate::db::{on_read, on_tx};
use crate::{Db, Result, StoreError, Tx, stored_time};
use dateline_core::comments::{CommentMode, CommentPolicy, ReputationPolicy, SecurityMode};
use dateline_core::dates::{DatePattern, SiteTimeZone};
use dateline_core::{
    CommentSettings, DateFormats, FeedContent, FooterLines, Lang, Site, SiteId, SocialLinks,
};
use time::OffsetDateTime;

/// Everything needed to create a site.
#[derive(Debug, Clone)]
pub struct NewSite {
    pub key: String,
    pub name: String,
    pub lang: Lang,
    pub description: String,
    pub hostnames: Vec<String>,
    pub path_prefix: String,
    pub base_url: String,
    pub edition_group: String,
    pub time_zone: String,
    pub date_format_list: String,
    pub date_format_published: String,
    pub date_format_updated: String,
    pub social: SocialLinks,
    pub footer: FooterLines,
    pub terms_of_use: String,
    /// Terms that hold comments for moderators.
    pub banned_terms: Vec<String>,
    /// How the comment form's security code is answered.
    pub comment_security: SecurityMode,
}

#[derive(sqlx::FromRow)]
struct SiteRow {
    id: i64,
    key: String,
    name: String,
    lang: String,
    description: String,
    hostnames: String,
    path_prefix: String,
    base_url: String,
    edition_group: String,
    time_zone: String,
    date_format_list: String,
    date_format_published: String,
    date_format_updated: String,
    social_facebook: String,
    social_twitter: String,
    social_youtube: String,
    footer_publisher: String,
    footer_copyright: String,
    footer_address: String,
    terms_of_use: String,
    logo_media_id: Option<i64>,
    logo_path: Option<String>,
    comment_mode: String,
    comment_max_chars: i64,
    comment_close_days: i64,
    captcha_mode: String,
    banned_terms: String,
    trust_after_approved: i64,
    distrust_rejection_percent: i64,
    classifier_hold_percent: i64,
    feed_content: String,
}

impl SiteRow {
    fn into_site(self) -> Result<Site> {
        let corrupt = |reason: String| StoreError::Corrupt {
            what: format!("site {}", self.key),
            reason,
        };
        let pattern = |p: &str| DatePattern::parse(p).map_err(|e| corrupt(e.to_string()));
        let comment_mode = CommentMode::parse(&self.comment_mode)
            .ok_or_else(|| corrupt(format!("unknown comment mode {:?}", self.comment_mode)))?;
        Ok(Site {
            id: SiteId(self.id),
            lang: self
                .lang
                .parse()
                .map_err(|e: dateline_core::lang::UnknownLang| corrupt(e.to_string()))?,
            time_zone: SiteTimeZone::parse(&self.time_zone).map_err(|e| corrupt(e.to_string()))?,
            formats: DateFormats {
                list: pattern(&self.date_format_list)?,
                published: pattern(&self.date_format_published)?,
                updated: pattern(&self.date_format_updated)?,
            },
            hostnames: self
                .hostnames
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            key: self.key,
            name: self.name,
            description: self.description,
            path_prefix: self.path_prefix,
            base_url: self.base_url,
            edition_group: self.edition_group,
            social: SocialLinks {
                facebook: self.social_facebook,
                twitter: self.social_twitter,
                youtube: self.social_youtube,
            },
            footer: FooterLines {
                publisher: self.footer_publisher,
                copyright: self.footer_copyright,
                address: self.footer_address,
            },
            terms_of_use: self.terms_of_use,
            logo: self.logo_media_id.map(dateline_core::editing::MediaId),
            logo_path: self.logo_path,
            comments: CommentSettings {
                policy: CommentPolicy {
                    mode: comment_mode,
                    max_chars: usize::try_from(self.comment_max_chars.max(1)).unwrap_or(1000),
                    close_after_days: u32::try_from(self.comment_close_days.max(0)).unwrap_or(0),
                },
                security: SecurityMode::parse(&self.captcha_mode).unwrap_or(SecurityMode::Image),
                banned_terms: self
                    .banned_terms
                    .lines()
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
                reputation: ReputationPolicy {
                    trust_after_approved: u32::try_from(self.trust_after_approved.max(0))
                        .unwrap_or(3),
                    distrust_rejection_percent: u32::try_from(
                        self.distrust_rejection_percent.clamp(0, 100),
                    )
                    .unwrap_or(30),
                },
                classifier_hold_percent: u32::try_from(self.classifier_hold_percent.clamp(0, 100))
                    .unwrap_or(90),
            },
            feed_content: FeedContent::parse(&self.feed_content).unwrap_or_default(),
        })
    }
}

const ALL_SITES: &str = "SELECT s.id, s.key, s.name, s.lang, s.description, s.hostnames, s.path_prefix, \
    s.base_url, s.edition_group, s.time_zone, s.date_format_list, s.date_format_published, \
    s.date_format_updated, s.social_facebook, s.social_twitter, s.social_youtube, s.footer_publisher, \
    s.footer_copyright, s.footer_address, s.terms_of_use, s.logo_media_id, m.path AS logo_path, \
    s.comment_mode, s.comment_max_chars, s.comment_close_days, s.captcha_mode, s.banned_terms, \
    s.trust_after_approved, s.distrust_rejection_percent, s.classifier_hold_percent, s.feed_content \
    FROM sites s LEFT JOIN media m ON m.id = s.logo_media_id ORDER BY s.id";

const INSERT_SITE: &str = "INSERT INTO sites (key, name, lang, description, hostnames, path_prefix, \
    base_url, edition_group, time_zone, date_format_list, date_format_published, date_format_updated, \
    social_facebook, social_twitter, social_youtube, footer_publisher, footer_copyright, footer_address, created_at, \
    terms_of_use, banned_terms, captcha_mode) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id";

impl Db {
    /// All sites of the network, in creation order (the first is the default).
    pub async fn sites(&self) -> Result<Vec<Site>> {
        let rows: Vec<SiteRow> =
            on_read!(self, cx => sqlx::query_as(ALL_SITES).fetch_all(cx).await)?;
        rows.into_iter().map(SiteRow::into_site).collect()
    }
}

impl Db {
    /// Replaces a site's settings; callers reload the network afterwards.
    pub async fn update_site_settings(
        &self,
        site: SiteId,
        settings: &dateline_core::settings::SiteSettings,
        user: Option<dateline_core::accounts::UserId>,
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(tx, cx => sqlx::query(
            "UPDATE sites SET name = $1, description = $2, time_zone = $3, date_format_list = $4, \
             date_format_published = $5, date_format_updated = $6, social_facebook = $7, social_twitter = $8, \
             social_youtube = $9, footer_publisher = $10, footer_copyright = $11, footer_address = $12, \
             terms_of_use = $13, logo_media_id = $14, comment_mode = $16, comment_max_chars = $17, \
             comment_close_days = $18, captcha_mode = $19, banned_terms = $20, trust_after_approved = $21, \
             distrust_rejection_percent = $22, classifier_hold_percent = $23, feed_content = $24 WHERE id = $15",
        )
        .bind(&settings.name)
        .bind(&settings.description)
        .bind(&settings.time_zone)
        .bind(&settings.date_format_list)
        .bind(&settings.date_format_published)
        .bind(&settings.date_format_updated)
        .bind(&settings.social.facebook)
        .bind(&settings.social.twitter)
        .bind(&settings.social.youtube)
        .bind(&settings.footer.publisher)
        .bind(&settings.footer.copyright)
        .bind(&settings.footer.address)
        .bind(&settings.terms_of_use)
        .bind(settings.logo.map(|m| m.0))
        .bind(site.0)
        .bind(settings.comments.policy.mode.as_str())
        .bind(i64::try_from(settings.comments.policy.max_chars).unwrap_or(1000))
        .bind(i64::from(settings.comments.policy.close_after_days))
        .bind(settings.comments.security.as_str())
        .bind(settings.comments.banned_terms.join("\n"))
        .bind(i64::from(settings.comments.reputation.trust_after_approved))
        .bind(i64::from(settings.comments.reputation.distrust_rejection_percent))
        .bind(i64::from(settings.comments.classifier_hold_percent))
        .bind(settings.feed_content.as_str())
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        tx.audit(
            Some(site),
            user,
            "settings",
            &format!("site:{site}"),
            &settings.name,
            now,
        )
        .await?;
        tx.commit().await
    }
}

impl Tx {
    /// Creates a site after checking its time zone and date patterns.
    pub async fn insert_site(&mut self, site: &NewSite, now: OffsetDateTime) -> Result<SiteId> {
        SiteTimeZone::parse(&site.time_zone).map_err(|e| StoreError::Invalid(e.to_string()))?;
        for pattern in [
            &site.date_format_list,
            &site.date_format_published,
            &site.date_format_updated,
        ] {
            DatePattern::parse(pattern).map_err(|e| StoreError::Invalid(e.to_string()))?;
        }
        let id: i64 = on_tx!(self, cx => sqlx::query_scalar(INSERT_SITE)
            .bind(&site.key)
            .bind(&site.name)
            .bind(site.lang.code())
            .bind(&site.description)
            .bind(site.hostnames.join(" "))
            .bind(&site.path_prefix)
            .bind(&site.base_url)
            .bind(&site.edition_group)
            .bind(&site.time_zone)
            .bind(&site.date_format_list)
            .bind(&site.date_format_published)
            .bind(&site.date_format_updated)
            .bind(&site.social.facebook)
            .bind(&site.social.twitter)
            .bind(&site.social.youtube)
            .bind(&site.footer.publisher)
            .bind(&site.footer.copyright)
            .bind(&site.footer.address)
            .bind(stored_time(now))
            .bind(&site.terms_of_use)
            .bind(site.banned_terms.join("\n"))
            .bind(site.comment_security.as_str())
            .fetch_one(cx)
            .await)?;
        Ok(SiteId(id))
    }
}
