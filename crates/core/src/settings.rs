//! A site's settings as the newsroom edits them: branding, house style of
//! dates, social profiles, footer lines and the terms of use readers agree
//! to when they comment.

use crate::comments::{CommentMode, CommentPolicy, ReputationPolicy, SecurityMode};
use crate::dates::{DatePattern, SiteTimeZone};
use crate::editing::{FieldError, MediaId, Problem};
use crate::{CommentSettings, FeedContent, FooterLines, Site, SocialLinks};

/// Longest comment a site may allow.
pub const MAX_COMMENT_CHARS: usize = 20_000;
use serde::{Deserialize, Serialize};

pub const MAX_TERMS_CHARS: usize = 20_000;
const MAX_LINE_CHARS: usize = 300;

/// The settings form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsInput {
    pub name: String,
    pub description: String,
    pub time_zone: String,
    pub date_format_list: String,
    pub date_format_published: String,
    pub date_format_updated: String,
    pub social_facebook: String,
    pub social_twitter: String,
    pub social_youtube: String,
    pub footer_publisher: String,
    pub footer_copyright: String,
    pub footer_address: String,
    pub terms_of_use: String,
    pub logo_media: String,
    pub comment_mode: String,
    pub comment_max_chars: String,
    pub comment_close_days: String,
    pub security_mode: String,
    /// One banned term per line.
    pub banned_terms: String,
    pub trust_after_approved: String,
    pub distrust_rejection_percent: String,
    pub classifier_hold_percent: String,
    /// `full` or `summary`.
    pub feed_content: String,
}

/// Checked settings, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSettings {
    pub name: String,
    pub description: String,
    pub time_zone: String,
    pub date_format_list: String,
    pub date_format_published: String,
    pub date_format_updated: String,
    pub social: SocialLinks,
    pub footer: FooterLines,
    pub terms_of_use: String,
    pub logo: Option<MediaId>,
    pub comments: CommentSettings,
    pub feed_content: FeedContent,
}

impl SettingsInput {
    /// The form showing a site's current settings.
    pub fn from_site(site: &Site) -> SettingsInput {
        SettingsInput {
            name: site.name.clone(),
            description: site.description.clone(),
            time_zone: site.time_zone.name().to_owned(),
            date_format_list: site.formats.list.as_str().to_owned(),
            date_format_published: site.formats.published.as_str().to_owned(),
            date_format_updated: site.formats.updated.as_str().to_owned(),
            social_facebook: site.social.facebook.clone(),
            social_twitter: site.social.twitter.clone(),
            social_youtube: site.social.youtube.clone(),
            footer_publisher: site.footer.publisher.clone(),
            footer_copyright: site.footer.copyright.clone(),
            footer_address: site.footer.address.clone(),
            terms_of_use: site.terms_of_use.clone(),
            logo_media: site.logo.map(|m| m.0.to_string()).unwrap_or_default(),
            comment_mode: site.comments.policy.mode.as_str().to_owned(),
            comment_max_chars: site.comments.policy.max_chars.to_string(),
            comment_close_days: site.comments.policy.close_after_days.to_string(),
            security_mode: site.comments.security.as_str().to_owned(),
            banned_terms: site.comments.banned_terms.join("\n"),
            trust_after_approved: site.comments.reputation.trust_after_approved.to_string(),
            distrust_rejection_percent: site
                .comments
                .reputation
                .distrust_rejection_percent
                .to_string(),
            classifier_hold_percent: site.comments.classifier_hold_percent.to_string(),
            feed_content: site.feed_content.as_str().to_owned(),
        }
    }

    /// Checks every field; `media` are the images the logo may be.
    pub fn check(&self, media: &[MediaId]) -> Result<SiteSettings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field, problem| errors.push(FieldError { field, problem });
        let mut line = |field: &'static str, value: &str, max: usize, required: bool| {
            let value = value.trim();
            if required && value.is_empty() {
                fail(field, Problem::Required);
            } else if value.chars().count() > max {
                fail(field, Problem::TooLong(max));
            }
            value.to_owned()
        };
        let name = line("name", &self.name, 120, true);
        let description = line("description", &self.description, 500, false);
        let footer = FooterLines {
            publisher: line(
                "footer_publisher",
                &self.footer_publisher,
                MAX_LINE_CHARS,
                false,
            ),
            copyright: line(
                "footer_copyright",
                &self.footer_copyright,
                MAX_LINE_CHARS,
                false,
            ),
            address: line(
                "footer_address",
                &self.footer_address,
                MAX_LINE_CHARS,
                false,
            ),
        };
        let terms_of_use = line("terms_of_use", &self.terms_of_use, MAX_TERMS_CHARS, false);
        let time_zone = self.time_zone.trim().to_owned();
        if SiteTimeZone::parse(&time_zone).is_err() {
            fail("time_zone", Problem::UnknownTimeZone);
        }
        let mut pattern = |field: &'static str, value: &str| {
            let value = value.trim();
            if value.is_empty() {
                fail(field, Problem::Required);
            } else if DatePattern::parse(value).is_err() {
                fail(field, Problem::InvalidPattern);
            }
            value.to_owned()
        };
        let date_format_list = pattern("date_format_list", &self.date_format_list);
        let date_format_published = pattern("date_format_published", &self.date_format_published);
        let date_format_updated = pattern("date_format_updated", &self.date_format_updated);
        let mut url = |field: &'static str, value: &str| {
            let value = value.trim();
            if !value.is_empty() && !is_web_address(value) {
                fail(field, Problem::InvalidUrl);
            }
            value.to_owned()
        };
        let social = SocialLinks {
            facebook: url("social_facebook", &self.social_facebook),
            twitter: url("social_twitter", &self.social_twitter),
            youtube: url("social_youtube", &self.social_youtube),
        };
        let logo = match self.logo_media.trim() {
            "" => None,
            text => {
                let found = text
                    .parse::<i64>()
                    .ok()
                    .map(MediaId)
                    .filter(|m| media.contains(m));
                if found.is_none() {
                    fail("logo_media", Problem::UnknownChoice);
                }
                found
            }
        };
        let mode = CommentMode::parse(self.comment_mode.trim());
        if mode.is_none() {
            fail("comment_mode", Problem::UnknownChoice);
        }
        let security = SecurityMode::parse(self.security_mode.trim());
        if security.is_none() {
            fail("security_mode", Problem::UnknownChoice);
        }
        let max_chars = match self.comment_max_chars.trim().parse::<usize>() {
            Ok(n) if (50..=MAX_COMMENT_CHARS).contains(&n) => n,
            _ => {
                fail(
                    "comment_max_chars",
                    Problem::OutOfRange(50, MAX_COMMENT_CHARS),
                );
                1000
            }
        };
        let close_after_days = match self.comment_close_days.trim() {
            "" => 0,
            text => text.parse::<u32>().unwrap_or_else(|_| {
                fail("comment_close_days", Problem::OutOfRange(0, 36_500));
                0
            }),
        };
        let banned_terms: Vec<String> = self
            .banned_terms
            .lines()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        if banned_terms.len() > 5_000 {
            fail("banned_terms", Problem::TooLong(5_000));
        }
        let mut number = |field: &'static str, text: &str, default: u32, max: u32| match text.trim()
        {
            "" => default,
            text => match text.parse::<u32>() {
                Ok(n) if n <= max => n,
                _ => {
                    fail(field, Problem::OutOfRange(0, max as usize));
                    default
                }
            },
        };
        let reputation = ReputationPolicy {
            trust_after_approved: number(
                "trust_after_approved",
                &self.trust_after_approved,
                3,
                1000,
            ),
            distrust_rejection_percent: number(
                "distrust_rejection_percent",
                &self.distrust_rejection_percent,
                30,
                100,
            ),
        };
        let classifier_hold_percent = number(
            "classifier_hold_percent",
            &self.classifier_hold_percent,
            90,
            100,
        );
        // An empty value (a form from before the setting) keeps full text.
        let feed_content = match self.feed_content.trim() {
            "" => Some(FeedContent::Full),
            text => FeedContent::parse(text),
        };
        if feed_content.is_none() {
            fail("feed_content", Problem::UnknownChoice);
        }
        let (Some(mode), Some(security), Some(feed_content)) = (mode, security, feed_content)
        else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SiteSettings {
            comments: CommentSettings {
                policy: CommentPolicy {
                    mode,
                    max_chars,
                    close_after_days,
                },
                security,
                banned_terms,
                reputation,
                classifier_hold_percent,
            },
            name,
            description,
            time_zone,
            date_format_list,
            date_format_published,
            date_format_updated,
            social,
            footer,
            terms_of_use,
            logo,
            feed_content,
        })
    }
}

/// An absolute `http(s)` address with a host.
pub fn is_web_address(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty()
            && host.contains('.')
            && !r.chars().any(|c| c.is_whitespace() || c == '"' || c == '<')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> SettingsInput {
        SettingsInput {
            name: "The Levant Courier".into(),
            time_zone: "Asia/Beirut".into(),
            date_format_list: "{zone} {HH}:{mm}".into(),
            date_format_published: "{yyyy}-{MM}-{dd}".into(),
            date_format_updated: "{HH}:{mm}:{ss}".into(),
            social_twitter: "https://x.com/levantcourier".into(),
            comment_mode: "pre".into(),
            comment_max_chars: "1000".into(),
            security_mode: "image".into(),
            banned_terms: "idiot\n\nغبي\n".into(),
            ..SettingsInput::default()
        }
    }

    #[test]
    fn good_settings_pass() {
        let settings = good().check(&[]).unwrap();
        assert_eq!(settings.time_zone, "Asia/Beirut");
        assert_eq!(settings.social.twitter, "https://x.com/levantcourier");
        assert_eq!(settings.comments.banned_terms, vec!["idiot", "غبي"]);
    }

    #[test]
    fn each_bad_setting_is_named() {
        let bad = SettingsInput {
            name: "".into(),
            time_zone: "Mars/Olympus".into(),
            date_format_list: "{hour}".into(),
            social_facebook: "javascript:alert(1)".into(),
            logo_media: "12".into(),
            feed_content: "excerpt".into(),
            ..good()
        };
        let fields: Vec<_> = bad
            .check(&[])
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("name", Problem::Required),
                ("time_zone", Problem::UnknownTimeZone),
                ("date_format_list", Problem::InvalidPattern),
                ("social_facebook", Problem::InvalidUrl),
                ("logo_media", Problem::UnknownChoice),
                ("feed_content", Problem::UnknownChoice),
            ]
        );
    }
}
