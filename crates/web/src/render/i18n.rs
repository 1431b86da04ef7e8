//! UI strings of each edition, from Fluent files (`locales/<lang>/*.ftl`,
//! built in; a theme's `locales/` folder overrides single messages).
//!
//! Templates never contain UI text: they call `t("message-id")`.

use dateline_core::Lang;
use dateline_core::dates::CalendarNames;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use include_dir::{Dir, include_dir};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../locales");

/// Why translations could not be loaded; names the file.
#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("translation file {file}: {reason}")]
    Syntax { file: String, reason: String },
    #[error("cannot read translation file {file}: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("translation {id:?} is missing for language {lang}")]
    Missing { lang: Lang, id: String },
}

/// The messages of all languages.
pub struct Translations {
    en: Bundle,
    ar: Bundle,
}

struct Bundle {
    bundle: FluentBundle<FluentResource>,
    calendar: CalendarNames,
    /// Messages that take no arguments, formatted once: most of a page's
    /// strings, looked up on every render.
    plain: HashMap<String, Arc<str>>,
}

impl Translations {
    /// Loads the built-in messages, then a theme's overrides if given.
    pub fn load(theme_dir: Option<&Path>) -> Result<Translations, I18nError> {
        Ok(Translations {
            en: Bundle::load(Lang::En, theme_dir)?,
            ar: Bundle::load(Lang::Ar, theme_dir)?,
        })
    }

    fn bundle(&self, lang: Lang) -> &Bundle {
        match lang {
            Lang::En => &self.en,
            Lang::Ar => &self.ar,
        }
    }

    /// The message in `lang`; a missing message shows its id, so a page
    /// never fails over a missing string (a test checks none is missing).
    pub fn text<'a>(
        &'a self,
        lang: Lang,
        id: &'a str,
        args: Option<&FluentArgs<'_>>,
    ) -> Cow<'a, str> {
        let bundle = &self.bundle(lang).bundle;
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return Cow::Borrowed(id);
        };
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, args, &mut errors)
    }

    /// A mail in `lang`: the messages `{kind}-mail-subject` and
    /// `{kind}-mail-body`, each given `args` (name, text).
    pub fn letter(
        &self,
        lang: Lang,
        kind: &str,
        args: &[(&str, String)],
    ) -> dateline_newsdesk::comments::Letter {
        let args = args_from(
            args.iter()
                .map(|(name, value)| ((*name).to_owned(), FluentValue::from(value.clone()))),
        );
        let text = |part: &str| {
            let id = format!("{kind}-mail-{part}");
            self.text(lang, &id, Some(&args)).into_owned()
        };
        dateline_newsdesk::comments::Letter {
            subject: text("subject"),
            body: text("body"),
        }
    }

    /// A message that takes no arguments, shared rather than formatted anew.
    pub fn plain(&self, lang: Lang, id: &str) -> Option<Arc<str>> {
        self.bundle(lang).plain.get(id).cloned()
    }

    /// Whether a message exists in `lang`.
    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundle(lang).bundle.has_message(id)
    }

    /// Ids of all messages of `lang`.
    pub fn ids(&self, lang: Lang) -> Vec<String> {
        message_ids(&BUILT_IN, lang)
    }

    pub fn calendar(&self, lang: Lang) -> &CalendarNames {
        &self.bundle(lang).calendar
    }
}

impl Translations {
    /// The message for a field problem: `{prefix}{message id}`, with the
    /// problem's limit as `$limit` when it has one.
    pub fn problem(
        &self,
        lang: Lang,
        prefix: &str,
        problem: dateline_core::editing::Problem,
    ) -> String {
        let id = format!("{prefix}{}", problem.message_id());
        let args = problem.limit().map(|limit| {
            args_from([(
                "limit".to_owned(),
                FluentValue::from(i64::try_from(limit).unwrap_or(i64::MAX)),
            )])
        });
        self.text(lang, &id, args.as_ref()).into_owned()
    }
}

/// Builds Fluent arguments from name/value pairs given to `t()`.
pub fn args_from<'a>(pairs: impl IntoIterator<Item = (String, FluentValue<'a>)>) -> FluentArgs<'a> {
    let mut args = FluentArgs::new();
    for (name, value) in pairs {
        args.set(name, value);
    }
    args
}

fn message_ids(dir: &Dir<'_>, lang: Lang) -> Vec<String> {
    let mut ids = Vec::new();
    if let Some(folder) = dir.get_dir(lang.code()) {
        for file in folder.files() {
            for line in file.contents_utf8().unwrap_or("").lines() {
                if let Some((id, _)) = line.split_once(" =")
                    && !id.is_empty()
                    && !id.starts_with([' ', '#', '-', '.'])
                {
                    ids.push(id.trim().to_owned());
                }
            }
        }
    }
    ids
}

impl Bundle {
    fn load(lang: Lang, theme_dir: Option<&Path>) -> Result<Bundle, I18nError> {
        let langid = lang.code().parse().map_err(|_| I18nError::Syntax {
            file: lang.code().into(),
            reason: "bad language id".into(),
        })?;
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        // Bidi isolation marks around arguments would leak into attributes
        // and plain-text comparisons; templates isolate with <bdi> instead.
        bundle.set_use_isolating(false);
        if let Some(folder) = BUILT_IN.get_dir(lang.code()) {
            for file in folder.files() {
                let name = format!("locales/{}", file.path().display());
                add(
                    &mut bundle,
                    &name,
                    file.contents_utf8().unwrap_or(""),
                    false,
                )?;
            }
        }
        if let Some(theme) = theme_dir {
            let folder = theme.join("locales").join(lang.code());
            if let Ok(entries) = std::fs::read_dir(&folder) {
                let mut paths: Vec<_> = entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
                    .collect();
                paths.sort();
                for path in paths {
                    let file = path.display().to_string();
                    let text =
                        std::fs::read_to_string(&path).map_err(|source| I18nError::Read {
                            file: file.clone(),
                            source,
                        })?;
                    add(&mut bundle, &file, &text, true)?;
                }
            }
        }
        let calendar = calendar_names(&bundle, lang)?;
        let mut plain = HashMap::new();
        for id in message_ids(&BUILT_IN, lang) {
            if let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, None, &mut errors);
                // A message that needs arguments reports them missing.
                if errors.is_empty() {
                    plain.insert(id, Arc::from(text.as_ref()));
                }
            }
        }
        Ok(Bundle {
            bundle,
            calendar,
            plain,
        })
    }
}

fn add(
    bundle: &mut FluentBundle<FluentResource>,
    file: &str,
    text: &str,
    overriding: bool,
) -> Result<(), I18nError> {
    let resource =
        FluentResource::try_new(text.to_owned()).map_err(|(_, errors)| I18nError::Syntax {
            file: file.to_owned(),
            reason: errors
                .iter()
                .map(|e| format!("line near byte {}: {}", e.pos.start, e.kind))
                .collect::<Vec<_>>()
                .join("; "),
        })?;
    if overriding {
        bundle.add_resource_overriding(resource);
        Ok(())
    } else {
        bundle
            .add_resource(resource)
            .map_err(|errors| I18nError::Syntax {
                file: file.to_owned(),
                reason: errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            })
    }
}

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn calendar_names(
    bundle: &FluentBundle<FluentResource>,
    lang: Lang,
) -> Result<CalendarNames, I18nError> {
    let get = |id: String| -> Result<String, I18nError> {
        let pattern = bundle
            .get_message(&id)
            .and_then(|m| m.value())
            .ok_or(I18nError::Missing { lang, id })?;
        Ok(bundle
            .format_pattern(pattern, None, &mut Vec::new())
            .into_owned())
    };
    let weekdays = WEEKDAYS.map(|d| get(format!("day-{d}")));
    let months: [Result<String, I18nError>; 12] =
        std::array::from_fn(|i| get(format!("month-{}", i + 1)));
    let am_pm = [get("time-am".into()), get("time-pm".into())];
    let collect =
        |items: Vec<Result<String, I18nError>>| items.into_iter().collect::<Result<Vec<_>, _>>();
    let missing = |_| I18nError::Missing {
        lang,
        id: "calendar names".into(),
    };
    Ok(CalendarNames {
        weekdays: collect(weekdays.into())?.try_into().map_err(missing)?,
        months: collect(months.into())?.try_into().map_err(missing)?,
        am_pm: collect(am_pm.into())?.try_into().map_err(missing)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_every_language() {
        let t = Translations::load(None).unwrap();
        for lang in Lang::ALL {
            for id in t.ids(lang) {
                for other in Lang::ALL {
                    assert!(
                        t.has(other, &id),
                        "message {id} of {lang} is missing in {other}"
                    );
                }
            }
        }
    }

    #[test]
    fn arabic_calendar_names_come_from_the_arabic_file() {
        let t = Translations::load(None).unwrap();
        assert_eq!(t.calendar(Lang::Ar).weekdays[2], "الأربعاء");
        assert_eq!(t.calendar(Lang::En).months[2], "March");
    }
}
