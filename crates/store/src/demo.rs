//! The demo network installed into a new data directory: an English site and
//! its Arabic edition with sections, authors and articles written for
//! Dateline (`demo/` at the repository root), each with a generated lead
//! image. Everything is written in one transaction: a failed install leaves
//! an empty database that the next start fills again.

use crate::{Db, NewArticle, NewAuthor, NewLeadImage, NewSection, NewSite, Result, StoreError};
use dateline_core::{ArticleState, FooterLines, Lang, SectionId, Slug, SocialLinks};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use time::{Duration, OffsetDateTime};

const NETWORK: &str = include_str!("../../../demo/network.toml");
const ARTICLES: [(&str, &str); 2] = [
    (
        "demo/articles/en.toml",
        include_str!("../../../demo/articles/en.toml"),
    ),
    (
        "demo/articles/ar.toml",
        include_str!("../../../demo/articles/ar.toml"),
    ),
];

#[derive(Deserialize)]
struct Network {
    site: Vec<SiteSpec>,
    section: Vec<Named>,
    author: Vec<Named>,
}

#[derive(Deserialize)]
struct SiteSpec {
    key: String,
    name: String,
    lang: String,
    description: String,
    hostnames: Vec<String>,
    path_prefix: String,
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
    #[serde(default)]
    terms_of_use: String,
    #[serde(default)]
    banned_terms: Vec<String>,
}

/// A section or author with a name per edition.
#[derive(Deserialize)]
struct Named {
    key: String,
    en: String,
    ar: String,
    #[serde(default)]
    bio_en: String,
    #[serde(default)]
    bio_ar: String,
}

impl Named {
    fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ar => &self.ar,
        }
    }
    fn bio(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.bio_en,
            Lang::Ar => &self.bio_ar,
        }
    }
}

#[derive(Deserialize)]
struct ArticleFile {
    article: Vec<ArticleSpec>,
}

#[derive(Deserialize)]
struct ArticleSpec {
    key: String,
    group: Option<String>,
    section: String,
    headline: String,
    #[serde(default)]
    seo_title: String,
    standfirst: String,
    #[serde(with = "time::serde::rfc3339")]
    published: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    updated: Option<OffsetDateTime>,
    place: String,
    #[serde(default)]
    credit: String,
    #[serde(default)]
    authors: Vec<String>,
    tags: Vec<String>,
    image_caption: String,
    image_credit: String,
    image_alt: String,
    body: String,
}

/// Installs the demo network. `public_url` is where readers reach the
/// server (`https://news.example.com`), for canonical links; empty means
/// "as each request says". Generated images are written under `media_dir`.
pub async fn install(
    db: &Db,
    media_dir: &Path,
    public_url: &str,
    now: OffsetDateTime,
) -> Result<usize> {
    let network: Network =
        toml::from_str(NETWORK).map_err(|e| StoreError::Demo(format!("demo/network.toml: {e}")))?;
    let public_url = public_url.trim_end_matches('/');
    let files = ARTICLES
        .iter()
        .map(|(file, text)| {
            toml::from_str::<ArticleFile>(text)
                .map(|articles| (*file, articles))
                .map_err(|e| StoreError::Demo(format!("{file}: {e}")))
        })
        .collect::<Result<Vec<_>>>()?;
    // The moment the stories were written as of: the newest of them.
    let anchor = files
        .iter()
        .flat_map(|(_, articles)| articles.article.iter().map(|a| a.published))
        .max()
        .unwrap_or(now);

    let mut tx = db.begin().await?;
    let mut installed = 0;
    for spec in &network.site {
        let lang: Lang = spec
            .lang
            .parse()
            .map_err(|e| StoreError::Demo(format!("site {}: {e}", spec.key)))?;
        // Without a configured public URL, links are derived from each
        // request (any host, any port).
        let base_url = match (public_url.is_empty(), spec.path_prefix.is_empty()) {
            (true, _) => String::new(),
            (false, true) => public_url.to_owned(),
            (false, false) => format!("{public_url}/{}", spec.path_prefix),
        };
        let site = tx
            .insert_site(&site_from(spec, lang, base_url), now)
            .await?;
        let image_dir = media_dir.join("demo").join(&spec.key);
        std::fs::create_dir_all(&image_dir).map_err(|source| StoreError::Io {
            path: image_dir.display().to_string(),
            source,
        })?;
        let mut sections: HashMap<&str, (SectionId, &str)> = HashMap::new();
        for (position, section) in network.section.iter().enumerate() {
            let new = NewSection {
                slug: demo_slug(&section.key)?,
                name: section.name(lang).to_owned(),
                position: position as i64,
            };
            let id = tx.insert_section(site, &new).await?;
            sections.insert(&section.key, (id, section.key.as_str()));
        }
        let mut authors = HashMap::new();
        for author in &network.author {
            let new = NewAuthor {
                slug: demo_slug(&author.key)?,
                name: author.name(lang).to_owned(),
                bio: author.bio(lang).to_owned(),
            };
            authors.insert(author.key.as_str(), tx.insert_author(site, &new).await?);
        }
        let (file, articles) = &files[match lang {
            Lang::En => 0,
            Lang::Ar => 1,
        }];
        let spec_site_key = &spec.key;
        for spec in &articles.article {
            let problem =
                |what: String| StoreError::Demo(format!("{file}, article {}: {what}", spec.key));
            let &(section, section_key) = sections
                .get(spec.section.as_str())
                .ok_or_else(|| problem(format!("unknown section {:?}", spec.section)))?;
            let mut tags = Vec::new();
            for tag in &spec.tags {
                tags.push(tx.tag_named(site, tag).await?);
            }
            let author_ids = spec
                .authors
                .iter()
                .map(|a| {
                    authors
                        .get(a.as_str())
                        .copied()
                        .ok_or_else(|| problem(format!("unknown author {a:?}")))
                })
                .collect::<Result<Vec<_>>>()?;
            let image_name = format!("{}.svg", spec.key);
            let image_path = image_dir.join(&image_name);
            let svg = lead_image_svg(&spec.key, section_key);
            let write = |path: &Path, text: &str| {
                std::fs::write(path, text).map_err(|source| StoreError::Io {
                    path: path.display().to_string(),
                    source,
                })
            };
            write(&image_path, &svg)?;
            // The crops search engines ask for: the same drawing framed
            // by a narrower view box.
            let mut crops = Vec::new();
            for (rw, rh) in dateline_core::CROP_RATIOS {
                let [x, y, w, h] = dateline_core::crop_box(IMAGE_WIDTH, IMAGE_HEIGHT, rw, rh);
                let ratio = format!("{rw}x{rh}");
                let name = format!("{}-{ratio}.svg", spec.key);
                let framed = svg.replacen(
                    &format!(
                        r#"width="{IMAGE_WIDTH}" height="{IMAGE_HEIGHT}" viewBox="0 0 {IMAGE_WIDTH} {IMAGE_HEIGHT}""#
                    ),
                    &format!(r#"width="{w}" height="{h}" viewBox="{x} {y} {w} {h}""#),
                    1,
                );
                write(&image_dir.join(&name), &framed)?;
                crops.push(dateline_core::ImageCrop {
                    ratio,
                    width: w,
                    height: h,
                    path: format!("demo/{}/{name}", spec_site_key),
                });
            }
            let (published, updated) = dated(
                spec.published,
                spec.updated.unwrap_or(spec.published),
                anchor,
                now,
            );
            let article = NewArticle {
                site,
                section,
                state: ArticleState::Published,
                headline: spec.headline.clone(),
                seo_title: spec.seo_title.clone(),
                slug: Slug::from_headline(&spec.headline).map_err(|e| problem(e.to_string()))?,
                standfirst: spec.standfirst.clone(),
                body_html: spec.body.trim().to_owned(),
                dateline_place: spec.place.clone(),
                source_credit: spec.credit.clone(),
                lead_image: Some(NewLeadImage {
                    path: format!("demo/{}/{image_name}", spec_site_key),
                    mime_type: "image/svg+xml".into(),
                    width: IMAGE_WIDTH,
                    height: IMAGE_HEIGHT,
                    caption: spec.image_caption.clone(),
                    credit: spec.image_credit.clone(),
                    alt: spec.image_alt.clone(),
                    crops,
                }),
                published_at: Some(published),
                updated_at: updated,
                translation_group: spec.group.clone(),
                tags,
                authors: author_ids,
            };
            tx.insert_article(&article, now).await?;
            installed += 1;
        }
    }
    tx.commit().await?;
    Ok(installed)
}

fn site_from(spec: &SiteSpec, lang: Lang, base_url: String) -> NewSite {
    NewSite {
        key: spec.key.clone(),
        name: spec.name.clone(),
        lang,
        description: spec.description.clone(),
        hostnames: spec.hostnames.clone(),
        path_prefix: spec.path_prefix.clone(),
        base_url,
        edition_group: spec.edition_group.clone(),
        time_zone: spec.time_zone.clone(),
        date_format_list: spec.date_format_list.clone(),
        date_format_published: spec.date_format_published.clone(),
        date_format_updated: spec.date_format_updated.clone(),
        social: SocialLinks {
            facebook: spec.social_facebook.clone(),
            twitter: spec.social_twitter.clone(),
            youtube: spec.social_youtube.clone(),
        },
        footer: FooterLines {
            publisher: spec.footer_publisher.clone(),
            copyright: spec.footer_copyright.clone(),
            address: spec.footer_address.clone(),
        },
        terms_of_use: spec.terms_of_use.clone(),
        banned_terms: spec.banned_terms.clone(),
        // The code readers never see: their browser proves a moment's
        // work, and without JavaScript they type the image's code.
        comment_security: dateline_core::comments::SecurityMode::Pow,
    }
}

/// The news of the last year before the anchor, folded into the day
/// before installing.
const RECENT: Duration = Duration::days(365);
const FOLDED_INTO: Duration = Duration::hours(22);
/// The lead goes up this long before the install.
const LEAD_AGE: Duration = Duration::minutes(12);

/// When a demo story is dated, installed at `now`: a story of the year
/// before the anchor is moved into the day before `now`, keeping the order
/// and proportion of their ages (the lead minutes old, the rest hours), so
/// the demo looks live on the day it is installed; older stories keep
/// their dates, and the archive still reaches back to 2013. The same date
/// maps to the same moment in both editions, so translations stay paired.
/// Last updates keep their gap to publication, within the time there is.
fn dated(
    published: OffsetDateTime,
    updated: OffsetDateTime,
    anchor: OffsetDateTime,
    now: OffsetDateTime,
) -> (OffsetDateTime, OffsetDateTime) {
    let age = anchor - published;
    let gap = (updated - published).max(Duration::ZERO);
    if age <= RECENT {
        let folded = FOLDED_INTO * (age.as_seconds_f64() / RECENT.as_seconds_f64());
        let published = now - LEAD_AGE - folded;
        let room = (now - published) / 2;
        return (published, published + gap.min(room));
    }
    // A story older than that, installed before its own date (a clock
    // pinned in the past): never in the future.
    let published = published.min(now - FOLDED_INTO - LEAD_AGE);
    (published, published + gap.min((now - published) / 2))
}

fn demo_slug(key: &str) -> Result<Slug> {
    Slug::parse(key).map_err(|e| StoreError::Demo(format!("key {key:?}: {e}")))
}

const IMAGE_WIDTH: u32 = 1200;
const IMAGE_HEIGHT: u32 = 675;

/// A deterministic abstract "photo" for a demo article: a sky gradient in the
/// section's colours, a sun and layered hills placed by a hash of the key.
fn lead_image_svg(key: &str, section: &str) -> String {
    let hue = match section {
        "politics" => 215,
        "business" => 165,
        "health" => 350,
        "environment" => 110,
        "culture" => 280,
        "lifestyle" => 25,
        "cars" => 200,
        "travel" => 40,
        _ => 0,
    };
    // FNV-1a: stable across Rust versions, unlike the std hasher.
    let mut seed = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut next = |range: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % range.max(1)
    };
    let (w, h) = (IMAGE_WIDTH, IMAGE_HEIGHT);
    let sun_x = 150 + next(900);
    let sun_y = 110 + next(200);
    let sun_r = 50 + next(60);
    let mut hills = String::new();
    for layer in 0..3u64 {
        let base = 380 + layer * 95;
        let mut path = format!("M0 {h} L0 {}", base + next(60));
        let steps = 6 + next(4);
        for i in 1..=steps {
            let x = i * u64::from(w) / steps;
            path.push_str(&format!(
                " Q{} {} {x} {}",
                x.saturating_sub(u64::from(w) / steps / 2),
                base - 40 + next(80),
                base + next(70)
            ));
        }
        path.push_str(&format!(" L{w} {h} Z"));
        let light = 30 - layer * 8;
        hills.push_str(&format!(
            r#"<path d="{path}" fill="hsl({hue},35%,{light}%)"/>"#
        ));
    }
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl({hue},60%,78%)"/><stop offset="1" stop-color="hsl({},70%,88%)"/></linearGradient></defs><rect width="{w}" height="{h}" fill="url(#sky)"/><circle cx="{sun_x}" cy="{sun_y}" r="{sun_r}" fill="hsl(45,95%,70%)" opacity="0.9"/>{hills}</svg>"##,
        (hue + 40) % 360
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_news_of_the_last_year_moves_into_the_day_of_install_and_the_archive_stays() {
        let anchor = time::macros::datetime!(2026-11-22 05:00 UTC);
        let now = time::macros::datetime!(2027-06-01 12:00 UTC);
        let hours = |t: OffsetDateTime| (now - t).as_seconds_f64() / 3600.0;
        // The lead, minutes old, with its update kept after it.
        let (lead, updated) = dated(anchor, anchor + Duration::hours(3), anchor, now);
        assert_eq!(now - lead, LEAD_AGE);
        assert!(updated > lead && updated <= now);
        // Half a year before the anchor: about eleven hours before install.
        let (half, _) = dated(anchor - Duration::days(182), anchor, anchor, now);
        assert!((10.0..12.0).contains(&hours(half)), "{}", hours(half));
        // Older stories keep their dates.
        let old = time::macros::datetime!(2013-09-17 18:05 UTC);
        assert_eq!(dated(old, old, anchor, now).0, old);
        // Installed before the anchor (a clock pinned in the past): nothing
        // lands in the future.
        let early = time::macros::datetime!(2026-03-23 10:18 UTC);
        let (p, u) = dated(anchor - Duration::days(400), anchor, anchor, early);
        assert!(p < early && u <= early);
    }

    #[test]
    fn demo_images_are_deterministic_and_differ_per_article() {
        assert_eq!(lead_image_svg("a", "cars"), lead_image_svg("a", "cars"));
        assert_ne!(lead_image_svg("a", "cars"), lead_image_svg("b", "cars"));
        assert!(lead_image_svg("a", "cars").starts_with("<svg"));
    }
}
