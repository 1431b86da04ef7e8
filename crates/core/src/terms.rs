//! Sections, tags and authors as the newsroom edits them: a name, a slug
//! made from it unless one is typed, and what each kind adds (a menu
//! position for sections, a bio and photo for authors).

use crate::editing::{FieldError, MediaId, Problem};
use crate::{RESERVED_SECTION_SLUGS, Slug};
use serde::{Deserialize, Serialize};

pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_BIO_CHARS: usize = 2_000;

/// Which list of names a form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TermKind {
    Section,
    Tag,
    Author,
}

impl TermKind {
    /// The path segment of its newsroom page (`/newsroom/sections`).
    pub fn plural(self) -> &'static str {
        match self {
            TermKind::Section => "sections",
            TermKind::Tag => "tags",
            TermKind::Author => "authors",
        }
    }
}

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TermInput {
    pub name: String,
    pub slug: String,
    pub position: String,
    pub bio: String,
    pub photo: String,
    /// Sections only: `pre`, `post`, `closed`, or empty for the site's.
    pub comment_mode: String,
}

/// A checked name, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub name: String,
    pub slug: Slug,
    pub position: i64,
    pub bio: String,
    pub photo: Option<MediaId>,
    pub comment_mode: Option<crate::comments::CommentMode>,
}

impl TermInput {
    pub fn check(&self, kind: TermKind, media: &[MediaId]) -> Result<Term, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field, problem| errors.push(FieldError { field, problem });
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            fail("name", Problem::Required);
        } else if name.chars().count() > MAX_NAME_CHARS {
            fail("name", Problem::TooLong(MAX_NAME_CHARS));
        }
        let slug = match self.slug.trim() {
            "" => Slug::from_headline(&name).ok(),
            typed => Slug::parse(typed).ok(),
        };
        match &slug {
            None if !name.is_empty() || !self.slug.trim().is_empty() => {
                fail("slug", Problem::InvalidSlug)
            }
            Some(s)
                if kind == TermKind::Section && RESERVED_SECTION_SLUGS.contains(&s.as_str()) =>
            {
                fail("slug", Problem::Taken)
            }
            _ => {}
        }
        let position = match self.position.trim() {
            "" => 0,
            text => text.parse::<i64>().unwrap_or_else(|_| {
                fail("position", Problem::UnknownChoice);
                0
            }),
        };
        let bio = self.bio.trim().to_owned();
        if bio.chars().count() > MAX_BIO_CHARS {
            fail("bio", Problem::TooLong(MAX_BIO_CHARS));
        }
        let photo = match self.photo.trim() {
            "" => None,
            text => {
                let found = text.parse().ok().map(MediaId).filter(|m| media.contains(m));
                if found.is_none() {
                    fail("photo", Problem::UnknownChoice);
                }
                found
            }
        };
        let comment_mode = match self.comment_mode.trim() {
            "" => None,
            text => {
                let mode = crate::comments::CommentMode::parse(text);
                if mode.is_none() {
                    fail("comment_mode", Problem::UnknownChoice);
                }
                mode
            }
        };
        match slug {
            Some(slug) if errors.is_empty() => Ok(Term {
                comment_mode,
                name,
                slug,
                position,
                bio,
                photo,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_gives_its_slug_in_either_script() {
        let input = TermInput {
            name: "  Interior   Design ".into(),
            ..TermInput::default()
        };
        let term = input.check(TermKind::Section, &[]).unwrap();
        assert_eq!(term.name, "Interior Design");
        assert_eq!(term.slug.as_str(), "interior-design");
        let arabic = TermInput {
            name: "تصميم داخلي".into(),
            ..TermInput::default()
        };
        assert_eq!(
            arabic.check(TermKind::Tag, &[]).unwrap().slug.as_str(),
            "تصميم-داخلي"
        );
    }

    #[test]
    fn sections_cannot_take_the_sites_own_paths() {
        let input = TermInput {
            name: "Archive".into(),
            ..TermInput::default()
        };
        let errors = input.check(TermKind::Section, &[]).unwrap_err();
        assert_eq!(errors[0].field, "slug");
        assert_eq!(errors[0].problem, Problem::Taken);
        // A tag may be called that.
        assert!(input.check(TermKind::Tag, &[]).is_ok());
    }

    #[test]
    fn bad_fields_are_named() {
        let input = TermInput {
            name: String::new(),
            slug: "Bad Slug".into(),
            position: "first".into(),
            photo: "9".into(),
            ..TermInput::default()
        };
        let fields: Vec<_> = input
            .check(TermKind::Author, &[])
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["name", "slug", "position", "photo"]);
    }
}
