//! Page rendering with minijinja. Templates are built into the binary as the
//! default theme (`themes/default/templates`); a theme folder given in the
//! configuration overrides any of them by file name, without recompiling.

use crate::render::i18n::{Translations, args_from};
use dateline_core::Lang;
use fluent_bundle::FluentValue;
use include_dir::{Dir, include_dir};
use minijinja::value::{Kwargs, Serde};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior, Value, context};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

static DEFAULT_TEMPLATES: Dir<'static> =
    include_dir!("$CARGO_MANIFEST_DIR/../../themes/default/templates");

/// The template environment of the running server.
pub struct Views {
    env: Environment<'static>,
}

impl Views {
    pub fn new(theme_dir: Option<PathBuf>, translations: Arc<Translations>) -> Views {
        let mut env = Environment::new();
        // A misspelt variable is an error, not an empty string on the page.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_loader(move |name| {
            if name.contains("..") {
                return Ok(None);
            }
            if let Some(dir) = &theme_dir {
                let path = dir.join("templates").join(name);
                match std::fs::read_to_string(&path) {
                    Ok(text) => return Ok(Some(text)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(Error::new(
                            ErrorKind::InvalidOperation,
                            format!("cannot read {}: {e}", path.display()),
                        ));
                    }
                }
            }
            Ok(DEFAULT_TEMPLATES
                .get_file(name)
                .and_then(|f| f.contents_utf8())
                .map(str::to_owned))
        });
        env.set_formatter(html_formatter);
        // A value already safe (a fragment rendered once, a sanitised
        // body) is passed on as it is, not copied.
        env.add_filter("safe", |value: Value| {
            if value.is_safe() {
                value
            } else {
                Value::from_safe_string(value.to_string())
            }
        });
        env.add_function(
            "t",
            move |state: &mut State, id: &str, kwargs: Kwargs| -> Result<Value, Error> {
                let lang = render_lang(state);
                if kwargs.args().next().is_none()
                    && let Some(text) = translations.plain(lang, id)
                {
                    return Ok(Value::from(text));
                }
                let pairs: Vec<(String, FluentValue)> = kwargs
                    .args()
                    .map(|name| {
                        let value: Value = kwargs.get(name)?;
                        let fluent = match value.as_i64() {
                            Some(n) => FluentValue::from(n),
                            None => FluentValue::from(value.to_string()),
                        };
                        Ok((name.to_owned(), fluent))
                    })
                    .collect::<Result<_, Error>>()?;
                let args = (!pairs.is_empty()).then(|| args_from(pairs));
                Ok(Value::from(
                    translations.text(lang, id, args.as_ref()).into_owned(),
                ))
            },
        );
        Views { env }
    }

    /// Renders `template` with `page` as its context; `lang` selects the
    /// translations used by `t()`.
    pub fn render<P: Serialize>(
        &self,
        template: &str,
        lang: Lang,
        page: &P,
    ) -> Result<String, Error> {
        let tmpl = self.env.get_template(template)?;
        // The language rides in a wrapper only for contexts without a
        // `chrome` (feeds, layout fragments); merging contexts costs a
        // lookup chain on every variable of the page.
        let page = Value::from(Serde(page));
        if page.get_attr("chrome").is_ok_and(|c| !c.is_undefined())
            || page.get_attr("lang").is_ok_and(|l| !l.is_undefined())
        {
            tmpl.render(page)
        } else {
            tmpl.render(context! { lang => lang.code(), ..page })
        }
    }

    /// Loads every built-in template once, so a syntax error in a theme
    /// stops the server at start instead of on a reader's request.
    pub fn check(&self) -> Result<(), Error> {
        for file in DEFAULT_TEMPLATES.files() {
            if let Some(name) = file.path().to_str() {
                self.env.get_template(name)?;
            }
        }
        Ok(())
    }
}

/// Escapes like minijinja's default formatter but leaves `/` alone: HTML
/// needs only `& < > " '` escaped, and every URL on a page would otherwise
/// grow by `&#x2f;` entities.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &mut State,
    value: &Value,
) -> Result<(), Error> {
    if !matches!(state.auto_escape(), minijinja::AutoEscape::Html)
        || value.is_safe()
        || value.is_none()
        || value.is_undefined()
    {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = match value.as_str() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(value.to_string()),
    };
    let write_error = |_| Error::new(ErrorKind::WriteFailure, "cannot write template output");
    if next_special(text.as_bytes()).is_none() {
        return out.write_str(&text).map_err(write_error);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    push_escaped(&mut escaped, &text);
    out.write_str(&escaped).map_err(write_error)
}

/// Where the next byte HTML needs escaped is, found with SIMD: most text
/// on a page has none.
fn next_special(bytes: &[u8]) -> Option<usize> {
    let markup = memchr::memchr3(b'&', b'<', b'>', bytes);
    let quote = memchr::memchr2(b'"', b'\'', bytes);
    match (markup, quote) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Text or an attribute value with `& < > " '` escaped.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    // The next markup character and the next quote, each searched again
    // only once passed, so a long text costs one pass of each.
    let find_markup =
        |from: usize| memchr::memchr3(b'&', b'<', b'>', &bytes[from..]).map(|i| from + i);
    let find_quote = |from: usize| memchr::memchr2(b'"', b'\'', &bytes[from..]).map(|i| from + i);
    let (mut markup, mut quote) = (find_markup(0), find_quote(0));
    let mut last = 0;
    loop {
        let at = match (markup, quote) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => break,
        };
        out.push_str(&text[last..at]);
        out.push_str(match bytes[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        last = at + 1;
        if markup == Some(at) {
            markup = find_markup(last);
        } else {
            quote = find_quote(last);
        }
    }
    out.push_str(&text[last..]);
}

/// The language of the render, looked up once and kept with it: `t()` is
/// called dozens of times a page.
fn render_lang(state: &mut State) -> Lang {
    if let Some(RenderLang(lang)) = state.get_extension::<RenderLang>() {
        return *lang;
    }
    let lang = current_lang(state);
    state.get_or_insert_extension(RenderLang(lang));
    lang
}

/// [`render_lang`]'s memory.
struct RenderLang(Lang);

/// The page's language: `lang`, else `chrome.lang`.
fn current_lang(state: &State) -> Lang {
    let code = state
        .lookup("lang")
        .filter(|v| !v.is_undefined())
        .or_else(|| state.lookup("chrome").and_then(|c| c.get_attr("lang").ok()));
    code.as_ref()
        .and_then(Value::as_str)
        .and_then(|c| c.parse().ok())
        .unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_the_five_characters_and_leaves_the_rest() {
        let mut out = String::new();
        push_escaped(&mut out, "a & b < c > d \" e ' f / غ");
        assert_eq!(out, "a &amp; b &lt; c &gt; d &quot; e &#39; f / غ");
        let mut plain = String::new();
        push_escaped(&mut plain, "nothing to do");
        assert_eq!(plain, "nothing to do");
    }
}
