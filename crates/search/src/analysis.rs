//! Text analysis: how headlines, bodies and queries become index terms.
//!
//! Words are split on anything that is not a letter, digit, Arabic mark or
//! tatweel (an apostrophe between letters stays, for `Syria's`). Each word
//! is then treated by its script, so a query in either script works on
//! either edition:
//!
//! - Arabic words get [`dateline_core::arabic::search_key`]: diacritics and
//!   tatweel removed, alef/hamza forms, hamza seats, alef maqsura and taa
//!   marbuta folded, stop words dropped, then stemmed: light stemming
//!   (`الوزيرة` → `وزير`), broken plurals through a lexicon (`الوزراء` →
//!   `وزير`) and pronouns after plural endings (`قراراتهم` → `قرار`).
//! - Arabic letters and digits written together (`بـ61`, `2016م`) are
//!   two words, so the number is found on its own.
//! - Other words are lower-cased (Arabic-Indic digits become ASCII). In an
//!   English edition they also lose English stop words and are stemmed
//!   with Snowball's English (Porter 2) stemmer; in an Arabic edition
//!   they are names and acronyms (`NATO`, `Reuters`) and stay whole.
//!
//! Positions count every word, stop words included, so phrase queries
//! keep their gaps. [`Analysis::Naive`] only splits and lower-cases: it
//! exists to show, in tests, what the real analysis buys.

use dateline_core::Lang;
use dateline_core::arabic;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Words longer than this (in bytes) are noise (URLs, base64), not words.
const MAX_WORD_BYTES: usize = 80;

/// English stop words: Lucene's `EnglishAnalyzer` list.
const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// Which analysis an index uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Analysis {
    /// Per-script normalisation, stop words and stemming (the real one).
    #[default]
    Full,
    /// Split and lower-case only; for comparisons in tests.
    Naive,
}

/// The tokenizer registered for the text fields of one edition language.
#[derive(Clone)]
pub struct DatelineTokenizer {
    lang: Lang,
    analysis: Analysis,
    english: frostem::Stemmer,
}

impl DatelineTokenizer {
    pub fn new(lang: Lang, analysis: Analysis) -> DatelineTokenizer {
        DatelineTokenizer {
            lang,
            analysis,
            english: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }

    /// The name the tokenizer is registered under for `lang`.
    pub fn name(lang: Lang) -> &'static str {
        match lang {
            Lang::En => "dateline_en",
            Lang::Ar => "dateline_ar",
        }
    }

    /// The terms of a text, in order, with their positions.
    pub fn terms(&self, text: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        for (position, (from, to)) in words(text).enumerate() {
            let word = &text[from..to];
            if let Some(term) = self.term(word) {
                tokens.push(Token {
                    offset_from: from,
                    offset_to: to,
                    position,
                    text: term,
                    position_length: 1,
                });
            }
        }
        tokens
    }

    /// The index term of one word, or `None` for a word not worth
    /// indexing.
    fn term(&self, word: &str) -> Option<String> {
        if word.len() > MAX_WORD_BYTES {
            return None;
        }
        if self.analysis == Analysis::Naive {
            return Some(word.to_lowercase());
        }
        if word
            .chars()
            .any(|c| arabic::is_arabic_letter(c) || arabic::is_tashkeel(c))
        {
            return arabic::search_key(word).filter(|k| !k.is_empty());
        }
        let folded = arabic::normalize_for_matching(word).replace('’', "'");
        match self.lang {
            Lang::En => {
                if ENGLISH_STOP_WORDS.contains(&folded.as_str()) {
                    return None;
                }
                let stem = self.english.stem(&folded).into_owned();
                Some(stem.trim_end_matches('\'').to_owned())
            }
            Lang::Ar => {
                let name = folded
                    .strip_suffix("'s")
                    .unwrap_or(&folded)
                    .trim_end_matches('\'');
                Some(name.to_owned())
            }
        }
        .filter(|t| !t.is_empty())
    }
}

/// What the word splitter asks of a character, answered once for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CharClass {
    /// Belongs inside a word: alphanumeric, an Arabic mark or the tatweel.
    word: bool,
    /// An Arabic letter, mark or tatweel.
    arabic: bool,
    /// A digit of any script (`char::is_numeric`).
    numeric: bool,
}

/// The class of `c`. `char::is_alphanumeric` and `char::is_numeric`
/// search Unicode tables, about half of the work of analysing Arabic
/// text when asked for every letter, so ASCII and the Arabic alphabet,
/// marks and tatweel are answered from their ranges; a test checks every
/// character against the definitions.
fn classify(c: char) -> CharClass {
    if c.is_ascii() {
        return CharClass {
            word: c.is_ascii_alphanumeric(),
            arabic: false,
            numeric: c.is_ascii_digit(),
        };
    }
    let mark = arabic::is_tashkeel(c) || c == arabic::TATWEEL;
    let arabic = mark || arabic::is_arabic_letter(c);
    CharClass {
        // ء..غ and ف..ي, the alphabet, are letters: no table needed.
        word: mark || matches!(c, 'ء'..='غ' | 'ف'..='ي') || c.is_alphanumeric(),
        arabic,
        // No Arabic letter or mark is a digit.
        numeric: !arabic && c.is_numeric(),
    }
}

/// True where Arabic letters and digits meet: Arabic attaches particles
/// and abbreviations to numbers (`بـ61`, `2016م`, `1445هـ`), and the
/// number must stay a word of its own to be found.
fn is_script_digit_boundary(before: CharClass, after: CharClass) -> bool {
    (before.arabic && after.numeric) || (before.numeric && after.arabic)
}

/// Byte ranges of the words of a text.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text
        .char_indices()
        .map(|(i, c)| (i, c, classify(c)))
        .peekable();
    std::iter::from_fn(move || {
        // Skip to the start of a word.
        let (start, mut last) = loop {
            let (i, _, class) = chars.next()?;
            if class.word {
                break (i, class);
            }
        };
        let mut end = text.len();
        while let Some(&(i, c, class)) = chars.peek() {
            if class.word && !is_script_digit_boundary(last, class) {
                chars.next();
                last = class;
                continue;
            }
            // An apostrophe between two letters stays in the word.
            if matches!(c, '\'' | '’') {
                let after = text[i + c.len_utf8()..].chars().next();
                if after.is_some_and(char::is_alphanumeric) {
                    chars.next();
                    last = class;
                    continue;
                }
            }
            end = i;
            break;
        }
        Some((start, end))
    })
}

impl Tokenizer for DatelineTokenizer {
    type TokenStream<'a> = Terms;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Terms {
        Terms {
            tokens: self.terms(text),
            next: 0,
        }
    }
}

/// The terms of one text, as tantivy reads them.
pub struct Terms {
    tokens: Vec<Token>,
    /// One past the current token.
    next: usize,
}

impl TokenStream for Terms {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next.saturating_sub(1)]
    }

    fn token_mut(&mut self) -> &mut Token {
        let i = self.next.saturating_sub(1);
        &mut self.tokens[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(lang: Lang, text: &str) -> Vec<String> {
        DatelineTokenizer::new(lang, Analysis::Full)
            .terms(text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    fn naive(text: &str) -> Vec<String> {
        DatelineTokenizer::new(Lang::Ar, Analysis::Naive)
            .terms(text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn arabic_forms_readers_type_meet_in_one_term() {
        let written = terms(Lang::Ar, "الْوَزِيرَةُ والوزراء في القاهرة");
        assert_eq!(written, ["وزير", "وزير", "قاهر"]);
        assert_eq!(terms(Lang::Ar, "قراراتهم"), terms(Lang::Ar, "قرار"));
        assert_eq!(terms(Lang::Ar, "مسؤول"), terms(Lang::Ar, "مسئول"));
        assert_eq!(terms(Lang::Ar, "وزيرة"), ["وزير"]);
        assert_eq!(terms(Lang::Ar, "الوزيـــرة"), ["وزير"]);
        assert_eq!(terms(Lang::Ar, "القاهره"), ["قاهر"]);
        assert_eq!(terms(Lang::Ar, "بالانتخابات"), terms(Lang::Ar, "انتخاب"));
        assert_eq!(terms(Lang::Ar, "أحمد"), terms(Lang::Ar, "احمد"));
    }

    #[test]
    fn the_naive_analysis_keeps_every_spelling_apart() {
        assert_eq!(naive("الْوَزِيرَةُ"), ["الْوَزِيرَةُ"]);
        assert_ne!(naive("وزيرة"), naive("الوزيرة"));
    }

    #[test]
    fn english_is_stemmed_and_loses_stop_words() {
        assert_eq!(
            terms(Lang::En, "The Ministers were meeting in Syria's capital"),
            ["minist", "were", "meet", "syria", "capit"]
        );
        assert_eq!(terms(Lang::En, "elections"), terms(Lang::En, "election"));
    }

    #[test]
    fn latin_words_in_an_arabic_edition_stay_whole() {
        assert_eq!(terms(Lang::Ar, "NATO وReuters"), ["nato", "وreuters"]);
        assert_eq!(terms(Lang::Ar, "Reuters' Syria's"), ["reuters", "syria"]);
    }

    #[test]
    fn arabic_words_in_an_english_edition_are_analysed_as_arabic() {
        assert_eq!(terms(Lang::En, "Minister الوزيرة"), ["minist", "وزير"]);
    }

    #[test]
    fn positions_count_stop_words_so_phrases_keep_their_gaps() {
        let tokens = DatelineTokenizer::new(Lang::En, Analysis::Full).terms("Bank of Lebanon");
        let positions: Vec<usize> = tokens.iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 2]);
        let text = "Bank of Lebanon";
        assert_eq!(&text[tokens[1].offset_from..tokens[1].offset_to], "Lebanon");
    }

    #[test]
    fn the_fast_character_classes_agree_with_unicode_for_every_character() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let arabic =
                arabic::is_arabic_letter(c) || arabic::is_tashkeel(c) || c == arabic::TATWEEL;
            let expected = CharClass {
                word: c.is_alphanumeric() || arabic::is_tashkeel(c) || c == arabic::TATWEEL,
                arabic,
                numeric: c.is_numeric(),
            };
            assert_eq!(classify(c), expected, "{c:?} U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn digits_are_folded_and_noise_is_dropped() {
        assert_eq!(terms(Lang::Ar, "عام ٢٠١٦"), ["عام", "2016"]);
        assert_eq!(terms(Lang::Ar, "عام ۲۰۱۶"), ["عام", "2016"]);
        assert_eq!(terms(Lang::En, "in ٢٠١٦"), ["2016"]);
        assert_eq!(
            terms(Lang::Ar, "بـ٣٨ عام 2016م"),
            ["38", "عام", "2016", "م"]
        );
        assert_eq!(terms(Lang::En, "G7 COVID-19"), ["g7", "covid", "19"]);
        assert!(terms(Lang::En, &"x".repeat(200)).is_empty());
        assert!(terms(Lang::En, "+++ --- :: ()").is_empty());
    }
}
