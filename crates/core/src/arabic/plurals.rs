//! The broken-plural lexicon (`broken_plurals.txt`): each plural, in
//! matching form, with the stem its singular gets, so that search and
//! comment screening find either form from the other.

use super::{
    FastHash, is_stop_word, light_stem, matching_word, normalize_for_matching, without_maqsura,
};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// The lexicon as shipped; its header says what it is and where it comes
/// from.
const SOURCE: &str = include_str!("broken_plurals.txt");

/// Why the lexicon's text was refused; a test keeps the shipped file free
/// of all of them.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LexiconError {
    #[error("line {line}: expected a plural and its singular")]
    Malformed { line: usize },
    #[error("line {line}: the plural {plural} is listed twice")]
    Duplicate { line: usize, plural: String },
    #[error("line {line}: the plural {plural} is a stop word")]
    StopWord { line: usize, plural: String },
    #[error("line {line}: the plural {plural} is on the list of forms left out")]
    LeftOut { line: usize, plural: String },
    #[error("line {line}: the plural {plural} is also listed as a singular")]
    AlsoSingular { line: usize, plural: String },
}

/// Broken plurals and the stems of their singulars.
#[derive(Debug, Default)]
pub struct Lexicon {
    stems: HashMap<String, String, FastHash>,
    /// The plurals whose last letter changes before a pronoun, spelled so
    /// (`أسلحت`, `أسرا`): looked up as found in the word, no copy made.
    before_pronoun: HashMap<String, String, FastHash>,
}

impl Lexicon {
    /// Reads the lexicon format: `plural singular` a line, `#` comments,
    /// and `! plural reason` for a plural deliberately left out.
    ///
    /// Plurals keep a final `ى` (see [`super::stem`]); singulars are folded
    /// fully and stemmed as a reader's word would be, with
    /// [`light_stem`], never through the lexicon itself.
    pub fn parse(text: &str) -> Result<Lexicon, LexiconError> {
        let mut entries: Vec<(usize, String, String)> = Vec::new();
        let mut left_out = HashSet::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let content = raw.split('#').next().unwrap_or_default().trim();
            if content.is_empty() {
                continue;
            }
            if let Some(rest) = content.strip_prefix('!') {
                let plural = rest
                    .split_whitespace()
                    .next()
                    .ok_or(LexiconError::Malformed { line })?;
                left_out.insert(matching_word(plural));
                continue;
            }
            let [plural, singular] = content.split_whitespace().collect::<Vec<_>>()[..] else {
                return Err(LexiconError::Malformed { line });
            };
            entries.push((
                line,
                matching_word(plural),
                normalize_for_matching(singular),
            ));
        }
        let singulars: HashSet<String> = entries.iter().map(|(_, _, s)| s.clone()).collect();
        let mut stems = HashMap::with_capacity_and_hasher(entries.len(), FastHash::default());
        let mut before_pronoun = HashMap::default();
        for (line, plural, singular) in entries {
            if is_stop_word(&without_maqsura(&plural)) {
                return Err(LexiconError::StopWord { line, plural });
            }
            if left_out.contains(&plural) {
                return Err(LexiconError::LeftOut { line, plural });
            }
            if singulars.contains(without_maqsura(&plural).as_ref()) {
                return Err(LexiconError::AlsoSingular { line, plural });
            }
            let stem = light_stem(&singular).to_owned();
            if let Some(written) = spelled_before_pronoun(&plural) {
                before_pronoun.insert(written, stem.clone());
            }
            if stems.insert(plural.clone(), stem).is_some() {
                return Err(LexiconError::Duplicate { line, plural });
            }
        }
        Ok(Lexicon {
            stems,
            before_pronoun,
        })
    }

    /// The stem of the singular of `plural` (in matching form, a final
    /// `ى` kept), if it is a broken plural of the lexicon.
    pub fn stem_of(&self, plural: &str) -> Option<&str> {
        self.stems.get(plural).map(String::as_str)
    }

    /// The stem of the singular of a plural of the lexicon as written
    /// before a possessive pronoun, where its last letter changes: `ة`
    /// (matching form `ه`) as `ت` (`أسلحت` of `أسلحتهم`), `ى` as `ا`
    /// (`أسرا` of `أسراهم`).
    pub fn stem_before_pronoun(&self, written: &str) -> Option<&str> {
        self.before_pronoun.get(written).map(String::as_str)
    }

    /// How many plurals it knows.
    pub fn len(&self) -> usize {
        self.stems.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stems.is_empty()
    }
}

/// `plural` as written before a pronoun, if that changes its last letter.
fn spelled_before_pronoun(plural: &str) -> Option<String> {
    if let Some(before) = plural.strip_suffix('ه') {
        return Some(format!("{before}ت"));
    }
    plural.strip_suffix('ى').map(|before| format!("{before}ا"))
}

static SHIPPED: LazyLock<Lexicon> = LazyLock::new(|| {
    // A test parses the shipped file without error; were it broken, an
    // empty lexicon would only lose the broken plurals, not the analysis.
    Lexicon::parse(SOURCE).unwrap_or_default()
});

/// The lexicon shipped in `broken_plurals.txt`, parsed on first use.
pub fn lexicon() -> &'static Lexicon {
    &SHIPPED
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_lexicon_parses_and_holds_a_few_hundred_plurals() {
        let lexicon = Lexicon::parse(SOURCE).unwrap();
        assert!(lexicon.len() >= 300, "{}", lexicon.len());
    }

    #[test]
    fn every_shipped_plural_finds_its_singular_and_back() {
        for line in SOURCE.lines() {
            let content = line.split('#').next().unwrap_or_default().trim();
            if content.is_empty() || content.starts_with('!') {
                continue;
            }
            let (plural, singular) = content.split_once(char::is_whitespace).unwrap();
            let singular = singular.trim();
            assert_eq!(
                super::super::search_key(plural),
                super::super::search_key(singular),
                "{plural} {singular}"
            );
            for form in [format!("ال{plural}"), format!("و{plural}")] {
                assert_eq!(
                    super::super::search_key(&form),
                    super::super::search_key(singular),
                    "{form} {singular}"
                );
            }
        }
    }

    #[test]
    fn plurals_map_to_the_stem_of_their_singular() {
        let lexicon = Lexicon::parse("وزراء وزير\nمدن مدينة\nقتلى قتيل\n").unwrap();
        assert_eq!(lexicon.stem_of("وزراء"), Some("وزير"));
        assert_eq!(lexicon.stem_of("مدن"), Some("مدين"));
        assert_eq!(lexicon.stem_of("قتلى"), Some("قتيل"));
        assert_eq!(lexicon.stem_of("قتلي"), None, "ى is kept in plurals");
        assert_eq!(lexicon.stem_before_pronoun("قتلا"), Some("قتيل"));
        assert_eq!(lexicon.stem_before_pronoun("مدن"), None);
    }

    #[test]
    fn collisions_and_mistakes_are_refused_with_their_line() {
        let parse = Lexicon::parse;
        assert_eq!(
            parse("وزراء\n").unwrap_err(),
            LexiconError::Malformed { line: 1 }
        );
        assert!(matches!(
            parse("مدن مدينة\nمدن مدينة\n"),
            Err(LexiconError::Duplicate { line: 2, .. })
        ));
        assert!(matches!(
            parse("# c\nكتب كتاب\n! كتب also a verb\n"),
            Err(LexiconError::LeftOut { line: 2, .. })
        ));
        assert!(matches!(
            parse("أدوار دور\nدور دار\n"),
            Err(LexiconError::AlsoSingular { line: 2, .. })
        ));
        assert!(matches!(
            parse("منها منه\n"),
            Err(LexiconError::StopWord { line: 1, .. })
        ));
    }
}
