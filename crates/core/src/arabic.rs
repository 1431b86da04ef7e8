//! Arabic text rules shared by slugs, search and comment moderation, so that
//! the three agree on when two spellings are "the same word".
//!
//! Normalisation follows the usual practice of Arabic information retrieval
//! (Larkey et al., Lucene's `ArabicNormalizationFilter`): drop the short-vowel
//! marks (tashkeel) and the tatweel stretch, fold the hamza-carrying alef
//! forms to bare alef, alef maqsura to ya and taa marbuta to ha. Beyond
//! Lucene, the hamza seats ؤ ئ ء fold to one ء, so the regional spellings
//! `مسؤول` and `مسئول` meet.
//!
//! Stemming goes past Lucene's light stemmer in three ways, each guarded so
//! that unrelated words do not meet (`docs/search.md`): broken plurals
//! through a lexicon (`وزراء` → `وزير`), a possessive pronoun after a plural
//! or dual ending (`قراراتهم` → `قرار`), and a few spelling variants
//! (`مائة`/`مئة`).

mod plurals;

pub use plurals::{Lexicon, LexiconError, lexicon};
use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// True for the combining marks of Arabic (fathatan .. sukun, superscript
/// alef, Quranic annotation marks): they change pronunciation, not the word.
pub fn is_tashkeel(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// The tatweel (kashida), a purely typographic stretch.
pub const TATWEEL: char = '\u{0640}';

/// The combining hamza above and below: `و` or `ي` followed by one is the
/// decomposed (NFD) spelling of `ؤ` or `ئ`.
const COMBINING_HAMZA: [char; 2] = ['\u{0654}', '\u{0655}'];

/// True for letters of the Arabic script blocks.
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0671}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}')
}

/// True for the Arabic block (U+0600..U+06FF), none of whose characters
/// has a case.
fn is_arabic_block(c: char) -> bool {
    ('\u{0600}'..='\u{06FF}').contains(&c)
}

/// Removes tashkeel and tatweel only, keeping the letters as written.
/// Used where the text stays visible to readers (slugs).
pub fn strip_marks(text: &str) -> String {
    text.chars()
        .filter(|&c| !is_tashkeel(c) && c != TATWEEL)
        .collect()
}

/// Folds letter variants that readers type interchangeably. Used for
/// matching (search, banned-term lists), never for display.
///
/// The hamza seats ؤ and ئ fold to ء rather than to و and ي: writers place
/// the seat by regional convention (`مسؤول`, `مسئول`, `شؤون`, `شئون`,
/// `رؤوس`, `رءوس`), so only one hamza symbol makes the spellings meet; and
/// a word with a hamza stays apart from one without: `بؤس` (misery) is not
/// `بوس` (kiss), nor `سؤال` `سيال`.
/// The price: a hamza left out (`ريس` for `رئيس`) is another word.
pub fn fold_letter(c: char) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        // Alef maqsura, and the Persian yeh and keheh of Persian keyboards.
        'ى' | 'ی' => 'ي',
        'ک' => 'ك',
        'ة' => 'ه',
        'ؤ' | 'ئ' => 'ء',
        // Arabic-Indic and Eastern Arabic-Indic digits to ASCII.
        '\u{0660}'..='\u{0669}' => char::from_u32(c as u32 - 0x0660 + u32::from(b'0')).unwrap_or(c),
        '\u{06F0}'..='\u{06F9}' => char::from_u32(c as u32 - 0x06F0 + u32::from(b'0')).unwrap_or(c),
        _ => c,
    }
}

/// Full matching normalisation: marks removed, letters folded, lower-cased.
/// A decomposed `ؤ`/`ئ` (seat plus combining hamza) folds like the composed
/// one, and `ىء` (the seat written apart, `مبادىء`) like `ئ`.
pub fn normalize_for_matching(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_maqsura = false;
    for c in text.chars() {
        if COMBINING_HAMZA.contains(&c) {
            if out.ends_with(['و', 'ي']) {
                out.pop();
                out.push('ء');
            }
            after_maqsura = false;
            continue;
        }
        if is_tashkeel(c) || c == TATWEEL {
            continue;
        }
        let folded = fold_letter(c);
        if folded == 'ء' && after_maqsura {
            out.pop();
        }
        after_maqsura = c == 'ى';
        // Arabic has no case, ASCII a simple one: only other letters need
        // the table search of `to_lowercase`.
        if folded.is_ascii() {
            out.push(folded.to_ascii_lowercase());
        } else if is_arabic_block(folded) {
            out.push(folded);
        } else {
            out.extend(folded.to_lowercase());
        }
    }
    out
}

/// The matching form of one word, except that a final alef maqsura stays
/// `ى`: the lexicon needs it to tell `الأسرى` (prisoners) from `الأسري`
/// (familial). Everything else treats it as `ي`.
fn matching_word(word: &str) -> String {
    let mut folded = normalize_for_matching(word);
    let last = word
        .chars()
        .rev()
        .find(|&c| !is_tashkeel(c) && c != TATWEEL);
    if last == Some('ى') && folded.ends_with('ي') {
        folded.pop();
        folded.push('ى');
    }
    folded
}

/// `word` with a final alef maqsura folded to ya, as stop words, the light
/// stemmer and every other rule see it.
fn without_maqsura(word: &str) -> Cow<'_, str> {
    match word.strip_suffix('ى') {
        Some(rest) => Cow::Owned(format!("{rest}ي")),
        None => Cow::Borrowed(word),
    }
}

/// Words too common to search for, in their matching form
/// ([`normalize_for_matching`]): prepositions, conjunctions, pronouns,
/// demonstratives and auxiliaries, and prepositions carrying a pronoun
/// (`عليهم`, `لديهم`), which the pronoun rules would otherwise take for a
/// plural. `على` is left out on purpose: folded, it is also the name `علي`.
pub const STOP_WORDS: &[&str] = &[
    "في",
    "من",
    "الي",
    "عن",
    "مع",
    "ان",
    "او",
    "ثم",
    "قد",
    "لقد",
    "وقد",
    "لا",
    "ما",
    "لم",
    "لن",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "هءلاء",
    "التي",
    "الذي",
    "الذين",
    "اللذين",
    "اللتين",
    "كان",
    "كانت",
    "يكون",
    "تكون",
    "هو",
    "هي",
    "هم",
    "هما",
    "نحن",
    "انت",
    "انا",
    "انه",
    "انها",
    "كما",
    "بين",
    "بعد",
    "قبل",
    "حتي",
    "اذا",
    "عند",
    "منذ",
    "خلال",
    "حول",
    "كل",
    "غير",
    "ايضا",
    "بل",
    "لكن",
    "ولكن",
    "اي",
    "فيه",
    "فيها",
    "منه",
    "منها",
    "عليه",
    "عليها",
    "به",
    "بها",
    "له",
    "لها",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
    "يا",
    "اما",
    "وان",
    "وفي",
    "ومن",
    "الا",
    "عليهم",
    "عليكم",
    "علينا",
    "عليهما",
    "اليهم",
    "اليه",
    "اليها",
    "اليكم",
    "الينا",
    "لهم",
    "لكم",
    "لنا",
    "لهما",
    "منهم",
    "منكم",
    "منا",
    "منهما",
    "فيهم",
    "فيكم",
    "فينا",
    "فيهما",
    "بهم",
    "بكم",
    "بنا",
    "بهما",
    "عنهم",
    "عنه",
    "عنها",
    "عنكم",
    "عنا",
    "معهم",
    "معه",
    "معها",
    "معكم",
    "معنا",
    "لديهم",
    "لديه",
    "لديها",
    "لدينا",
    "لديكم",
    "لدي",
    "بينهم",
    "بينها",
    "بينهما",
    "بيننا",
    "انهم",
    "انهما",
    "انكم",
    "اننا",
    "لانه",
    "لانها",
    "لانهم",
    "بانه",
    "بانها",
    "بانهم",
];

/// True for a stop word, given in its matching form.
pub fn is_stop_word(normalized: &str) -> bool {
    // Asked for every word: a hash lookup, not a walk through the list.
    static SET: LazyLock<HashSet<&str, FastHash>> =
        LazyLock::new(|| STOP_WORDS.iter().copied().collect());
    SET.contains(normalized)
}

/// The hasher of the stop-word set and the lexicon: FxHash, rustc's own,
/// a multiply and a rotate for each 8 bytes. Both sets are fixed, so a
/// reader cannot steer lookups into collisions; SipHash's defence against
/// that cost more than the rest of a lookup of a short word.
type FastHash = BuildHasherDefault<FxHasher>;

#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Prefixes the light stemmer removes, longest first: the article `ال`
/// alone and after the particles و ب ك ف, and `لل` ("for the").
///
/// A lone و ب ك ل ف is kept: too many words begin with those letters
/// (وزير, بيروت, كتاب, لبنان, فلسطين), and removing them would make
/// `وزير` and `الوزير` stem apart.
const PREFIXES: &[&str] = &[
    "وبال", "وكال", "فبال", "وفال", "ولل", "فلل", "وال", "بال", "كال", "فال", "لل", "ال",
];

/// Suffixes the light stemmer removes, each at most once, in this order
/// (Larkey's light10 list, written in matching form: `ة` is `ه`).
const SUFFIXES: &[&str] = &["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"];

/// A removal must leave at least this many letters.
const MIN_STEM: usize = 2;

fn letters(s: &str) -> usize {
    s.chars().count()
}

/// The word without the article and its particles ([`PREFIXES`]).
fn strip_article(word: &str) -> &str {
    PREFIXES
        .iter()
        .find_map(|prefix| {
            word.strip_prefix(prefix)
                .filter(|rest| letters(rest) >= MIN_STEM)
        })
        .unwrap_or(word)
}

/// The word without light10's suffixes ([`SUFFIXES`]).
fn strip_suffixes(word: &str) -> &str {
    let mut stem = word;
    for suffix in SUFFIXES {
        if let Some(rest) = stem.strip_suffix(suffix)
            && letters(rest) >= MIN_STEM
        {
            stem = rest;
        }
    }
    stem
}

/// Light stemming of one word in matching form, after Larkey, Ballesteros
/// and Connell's light10 ("Light Stemming for Arabic Information
/// Retrieval", 2007) without its lone-و rule: the definite article with
/// its particles comes off the front, then the common suffixes of the
/// feminine, the plural, the dual, the nisba adjective and attached
/// pronouns (ة ات ون ين ان ية ي ها ه) off the end. `الوزيرة`, `وزيرة`,
/// `الوزيرات`, `للوزير` all give `وزير`. [`stem`] adds what light
/// stemming cannot reach: broken plurals and stacked suffixes.
pub fn light_stem(word: &str) -> &str {
    strip_suffixes(strip_article(word))
}

/// Particles written attached to a word without the article, tried only
/// to find a broken plural (`وأسعار`, `بدول`, `لمدن`): a lone particle is
/// otherwise kept, see [`PREFIXES`].
const PARTICLES: &[&str] = &["وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك"];

/// Possessive pronouns that may follow a broken plural (`أسعارها`,
/// `وزراؤهم`), longest first. Not `ي`: a nisba adjective looks the same
/// (`مدني`, civil, is not "my cities").
const PRONOUNS_AFTER_BROKEN_PLURAL: &[&str] = &["هما", "هم", "هن", "كم", "نا", "ها", "ه"];

/// Pronouns after which `ا` may stand for a final `ى` (`أسراهم`), so not
/// `ه`: `قرأه` (he read it) folds to `قراه`.
const PRONOUNS_AFTER_MAQSURA: &[&str] = &["هما", "هم", "هن", "كم", "نا", "ها"];

/// A plural or dual ending that a possessive pronoun may follow.
struct PluralEnding {
    ending: &'static str,
    /// The pronouns allowed after it.
    pronouns: &'static [&'static str],
    /// Letters the word must keep once the pronoun is off.
    min_letters: usize,
    /// The construct `و` of `معلموهم` and `ا` of `طرفاهما` go with the
    /// pronoun; `ات`, `ي` and `ان` stay for light10.
    goes_with_pronoun: bool,
}

/// Each list is as short as the grammar allows, because every extra pair
/// is a chance to cut an ordinary word: `نا` only after `ات` (`قانونا`,
/// `يقينا` are adverbs), `ه` and `ي` only after `ات` (`مشبوه`), `ا` only
/// with the dual pronouns, and enough letters kept that `اتهم` (accused)
/// and `لانهم` stay whole.
const PLURAL_ENDINGS: &[PluralEnding] = &[
    PluralEnding {
        ending: "ات",
        pronouns: &["هما", "كما", "هم", "هن", "كم", "كن", "نا", "ها", "ه", "ي"],
        min_letters: 4,
        goes_with_pronoun: false,
    },
    PluralEnding {
        ending: "ي",
        pronouns: &["هما", "كما", "هم", "هن", "كم", "كن"],
        min_letters: 3,
        goes_with_pronoun: false,
    },
    PluralEnding {
        ending: "و",
        pronouns: &["هما", "كما", "هم", "هن", "كم", "كن", "ها"],
        min_letters: 4,
        goes_with_pronoun: true,
    },
    PluralEnding {
        ending: "ان",
        pronouns: &["هما", "كما", "هم", "هن", "كم", "كن"],
        min_letters: 4,
        goes_with_pronoun: false,
    },
    PluralEnding {
        ending: "ا",
        pronouns: &["هما", "كما"],
        min_letters: 4,
        goes_with_pronoun: true,
    },
];

/// Singulars in `ـاة` (matching form `ـاه`): before a pronoun their `ة` is
/// written `ت` and the word looks like a plural in `ات` (`حياتهم` is "their
/// life", not a plural of `حي`).
const ALEF_TAA_SINGULARS: &[&str] = &[
    "حياه",
    "وفاه",
    "زكاه",
    "قناه",
    "فتاه",
    "نجاه",
    "مباراه",
    "معاناه",
    "مساواه",
    "ماساه",
    "مراعاه",
    "محاكاه",
    "مواساه",
    "موازاه",
    "نواه",
    "مصفاه",
    "مقاضاه",
    "ملاقاه",
    "مكافاه",
    "مفاجاه",
    "منشاه",
    "نشاه",
    "مراه",
    "امراه",
];

/// How a word reached its stem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StemRule {
    /// Light stemming: affixes around the singular's letters (light10).
    Light,
    /// A possessive pronoun after a plural or dual ending (`قراراتهم`).
    StackedSuffix,
    /// A broken plural found in the lexicon (`وزراء` → `وزير`).
    BrokenPlural,
}

/// The stem of one Arabic word and the rule that gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stem {
    /// The search key: words with the same key are the same word.
    pub key: String,
    pub rule: StemRule,
}

/// The stem of one Arabic word as written, `None` for a stop word.
///
/// In order: the word as a broken plural (whole, without the article,
/// without a lone particle, each also with a possessive pronoun); a
/// possessive pronoun after a plural or dual ending; light stemming, after
/// the spelling variants of [`spelling_variant`]. A broken plural gets the
/// stem its singular gets, so either form finds both.
pub fn stem(word: &str) -> Option<Stem> {
    let word = matching_word(word);
    if word.is_empty() || is_stop_word(&without_maqsura(&word)) {
        return None;
    }
    Some(stem_matching(&word))
}

/// The search key of one Arabic word as written: normalised for matching,
/// `None` for a stop word, otherwise stemmed ([`stem`]).
pub fn search_key(word: &str) -> Option<String> {
    stem(word).map(|stem| stem.key)
}

fn stem_matching(word: &str) -> Stem {
    let base = strip_article(word);
    let without_article = (base.len() < word.len()).then_some(base);
    let broken = broken_plural(word)
        .or_else(|| without_article.and_then(broken_plural))
        .or_else(|| {
            PARTICLES.iter().find_map(|particle| {
                word.strip_prefix(particle)
                    .filter(|rest| letters(rest) >= 3)
                    .and_then(broken_plural)
            })
        });
    if let Some(key) = broken {
        return Stem {
            key: key.to_owned(),
            rule: StemRule::BrokenPlural,
        };
    }
    let base = without_maqsura(base);
    if let Some(plural) = plural_before_pronoun(&base) {
        return Stem {
            key: strip_suffixes(&plural).to_owned(),
            rule: StemRule::StackedSuffix,
        };
    }
    Stem {
        key: strip_suffixes(&spelling_variant(&base)).to_owned(),
        rule: StemRule::Light,
    }
}

/// The stem of a broken plural in the lexicon, bare or with a possessive
/// pronoun. Before a pronoun `ة` is written `ت` (`أسلحتهم`) and `ى` is
/// written `ا` (`أسراهم`); the lexicon confirms each reading.
fn broken_plural(word: &str) -> Option<&'static str> {
    let lexicon = lexicon();
    if let Some(stem) = lexicon.stem_of(word) {
        return Some(stem);
    }
    for pronoun in PRONOUNS_AFTER_BROKEN_PLURAL {
        let Some(rest) = word.strip_suffix(pronoun).filter(|r| letters(r) >= 3) else {
            continue;
        };
        // `ه` is also a folded `ة`: `مصادره` may be "confiscation", so only
        // the `ت` spelling (`أسلحته`) is taken as "his".
        if *pronoun != "ه"
            && let Some(stem) = lexicon.stem_of(rest)
        {
            return Some(stem);
        }
        if rest.ends_with('ت')
            && let Some(stem) = lexicon.stem_before_pronoun(rest)
        {
            return Some(stem);
        }
        if PRONOUNS_AFTER_MAQSURA.contains(pronoun)
            && rest.strip_suffix('ا').is_some_and(|b| letters(b) >= 3)
            && let Some(stem) = lexicon.stem_before_pronoun(rest)
        {
            return Some(stem);
        }
    }
    None
}

/// The word without a possessive pronoun that follows a plural or dual
/// ending ([`PLURAL_ENDINGS`]), ready for light10: `قراراتهم` → `قرارات`,
/// `معلميهم` → `معلمي`, `معلموهم` → `معلم`, `حياتهم` → `حياه`.
fn plural_before_pronoun(word: &str) -> Option<Cow<'_, str>> {
    for plural in PLURAL_ENDINGS {
        for pronoun in plural.pronouns {
            let Some(rest) = word
                .strip_suffix(pronoun)
                .filter(|r| r.ends_with(plural.ending) && letters(r) >= plural.min_letters)
            else {
                continue;
            };
            if plural.goes_with_pronoun {
                return Some(Cow::Borrowed(&rest[..rest.len() - plural.ending.len()]));
            }
            if let Some(before) = rest.strip_suffix("ت") {
                let singular = format!("{before}ه");
                if ALEF_TAA_SINGULARS.contains(&singular.as_str()) {
                    return Some(Cow::Owned(singular));
                }
            }
            return Some(Cow::Borrowed(rest));
        }
    }
    None
}

/// A word in matching form as readers also write it, without its hamza
/// on the seat letter alone (`خاين` for `خائن`, `مسوول` for `مسؤول`):
/// search keeps those apart ([`fold_letter`]), comment screening, where
/// colloquial spelling is the rule, tries them too.
pub fn spellings_without_hamza(normalized: &str) -> Vec<String> {
    if !normalized.contains('ء') {
        return Vec::new();
    }
    ['ي', 'و']
        .iter()
        .map(|seat| normalized.replace('ء', &seat.to_string()))
        .collect()
}

/// Numerals before `مائة` ("hundred" with its historic alef), which is
/// written `مئة` too.
const HUNDREDS: &[&str] = &["", "ثلاث", "اربع", "خمس", "ست", "سبع", "ثمان", "تسع"];

/// Spellings that mean the same word and no folding joins: `مائة` is
/// `مئة` (folded, `ماءه` would stem to `ماء`, water), `شئ` is `شيء`.
fn spelling_variant(word: &str) -> Cow<'_, str> {
    if word == "شء" {
        return Cow::Borrowed("شيء");
    }
    for ending in ["ماءه", "ماءتان", "ماءتين"] {
        if let Some(numeral) = word.strip_suffix(ending)
            && HUNDREDS.contains(&numeral)
        {
            return Cow::Owned(format!("{numeral}مء{}", &ending["ماء".len()..]));
        }
    }
    Cow::Borrowed(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_and_tatweel_are_removed_for_display() {
        assert_eq!(strip_marks("الْكِتَابُ"), "الكتاب");
        assert_eq!(strip_marks("كتـــاب"), "كتاب");
    }

    #[test]
    fn matching_folds_hamza_maqsura_and_taa_marbuta() {
        assert_eq!(
            normalize_for_matching("أحمد"),
            normalize_for_matching("احمد")
        );
        assert_eq!(normalize_for_matching("إسلام"), "اسلام");
        assert_eq!(
            normalize_for_matching("القاهرة"),
            normalize_for_matching("القاهره")
        );
        assert_eq!(
            normalize_for_matching("مصطفى"),
            normalize_for_matching("مصطفي")
        );
        assert_eq!(normalize_for_matching("٢٠١٦"), "2016");
    }

    fn key(word: &str) -> String {
        search_key(word).unwrap_or_default()
    }

    #[test]
    fn the_article_and_its_particles_come_off() {
        for word in ["الوزير", "والوزير", "بالوزير", "للوزير", "فالوزير", "وزير"]
        {
            assert_eq!(key(word), "وزير", "{word}");
        }
        assert_eq!(key("الكتاب"), "كتاب");
        assert_eq!(key("بالكتاب"), "كتاب");
    }

    #[test]
    fn feminine_plural_and_nisba_forms_share_a_stem() {
        for word in ["وزيرة", "الوزيرة", "وزيرات", "الوزيرات", "وزيران"]
        {
            assert_eq!(key(word), "وزير", "{word}");
        }
        for word in ["مهندس", "مهندسون", "المهندسين", "مهندسة", "مهندسات"]
        {
            assert_eq!(key(word), "مهندس", "{word}");
        }
        for word in ["الاقتصاد", "اقتصادي", "الاقتصادية", "اقتصادية"]
        {
            assert_eq!(key(word), "اقتصاد", "{word}");
        }
        assert_eq!(key("الانتخابات"), key("انتخاب"));
    }

    #[test]
    fn diacritics_tatweel_and_letter_variants_do_not_change_the_key() {
        assert_eq!(key("الْوَزِيرَةُ"), "وزير");
        assert_eq!(key("الوزيـــرة"), "وزير");
        assert_eq!(key("القاهرة"), key("القاهره"));
        assert_eq!(key("أحمد"), key("احمد"));
        assert_eq!(key("إسلام"), key("اسلام"));
    }

    #[test]
    fn lone_particles_stay_so_words_keep_their_first_letter() {
        assert_eq!(key("بيروت"), "بيروت");
        assert_eq!(key("لبنان"), key("اللبنان"));
        assert_eq!(key("فلسطين"), key("الفلسطين"));
    }

    #[test]
    fn stop_words_have_no_key_but_ali_does() {
        assert_eq!(search_key("في"), None);
        assert_eq!(search_key("الَّتِي"), None);
        assert_eq!(search_key("هذه"), None);
        assert!(search_key("على").is_some());
        assert_eq!(key("على"), key("علي"));
    }

    #[test]
    fn short_words_are_not_stemmed_to_nothing() {
        assert_eq!(key("له"), "");
        assert_eq!(key("ها"), "ها");
        assert_eq!(key("الي"), "");
        assert_eq!(key("ال"), "ال");
    }

    #[test]
    fn hamza_seats_written_either_way_meet() {
        for (one, other) in [
            ("مسؤول", "مسئول"),
            ("المسؤولية", "المسئولية"),
            ("شؤون", "شئون"),
            ("رؤوس", "رءوس"),
            ("يقرؤون", "يقرءون"),
            ("مبادئ", "مبادىء"),
            ("مسؤول", "مسو\u{0654}ول"),
            ("هيئة", "هيي\u{0654}ة"),
        ] {
            assert_eq!(key(one), key(other), "{one} {other}");
        }
    }

    #[test]
    fn one_hamza_symbol_keeps_words_without_hamza_apart() {
        assert_ne!(key("سؤال"), key("سيال"));
        assert_ne!(key("بؤس"), key("بوس"));
        assert_ne!(key("لؤلؤ"), key("لولو"));
        assert_ne!(key("شيء"), key("شي"));
        assert_ne!(key("رئيس"), key("ريس"), "a hamza left out is another word");
    }

    #[test]
    fn hundred_and_thing_are_one_word_in_both_spellings() {
        assert_eq!(key("مائة"), key("مئة"));
        assert_eq!(key("المائة"), key("المئة"));
        assert_ne!(key("المائة"), key("الماء"), "hundred is not water");
        assert_eq!(key("ثلاثمائة"), key("ثلاثمئة"));
        assert_eq!(key("مائتين"), key("مئتين"));
        assert_eq!(key("شئ"), key("شيء"));
        assert_eq!(key("شىء"), key("شيء"));
    }

    #[test]
    fn every_digit_script_is_ascii_and_persian_letters_are_arabic() {
        assert_eq!(normalize_for_matching("٢٠١٦"), "2016");
        assert_eq!(normalize_for_matching("۲۰۱۶"), "2016");
        assert_eq!(key("کتاب"), key("كتاب"));
        assert_eq!(key("مستوی"), key("مستوى"));
    }

    fn rule(word: &str) -> StemRule {
        stem(word).map_or(StemRule::Light, |s| s.rule)
    }

    #[test]
    fn a_pronoun_after_a_plural_or_dual_ending_reaches_the_singular() {
        for word in [
            "قراراتهم",
            "قراراتها",
            "قراراتنا",
            "قراراتكم",
            "قراراته",
            "قراراتهما",
        ] {
            assert_eq!(key(word), "قرار", "{word}");
        }
        for word in ["معلميهم", "معلموهم", "معلميكم", "المعلمين", "معلمة"]
        {
            assert_eq!(key(word), "معلم", "{word}");
        }
        assert_eq!(key("حكوماتها"), key("حكومة"));
        assert_eq!(key("طرفاهما"), key("طرف"));
        assert_eq!(key("حياتهم"), key("حياة"), "their life, not a plural");
        assert_eq!(key("معاناتهم"), key("معاناة"));
        assert_eq!(rule("قراراتهم"), StemRule::StackedSuffix);
    }

    #[test]
    fn words_that_only_end_like_a_stacked_suffix_stay_whole() {
        for word in [
            "متهم",
            "اتهم",
            "واتهم",
            "قانونا",
            "يقينا",
            "كورونا",
            "مشبوه",
            "لأنهم",
            "عليهم",
        ] {
            assert_ne!(rule(word), StemRule::StackedSuffix, "{word}");
        }
        assert_eq!(key("متهم"), "متهم");
        assert_eq!(key("المتهمين"), "متهم");
        assert_eq!(key("قانونا"), "قانونا");
        assert_eq!(search_key("عليهم"), None);
    }

    #[test]
    fn broken_plurals_find_their_singular_with_clitics_and_pronouns() {
        for word in [
            "وزراء",
            "الوزراء",
            "والوزراء",
            "ووزراء",
            "للوزراء",
            "وزراؤهم",
            "وزرائهم",
        ] {
            assert_eq!(key(word), "وزير", "{word}");
        }
        for word in ["أسعار", "الأسعار", "بأسعار", "وأسعارها", "أسعارهم"]
        {
            assert_eq!(key(word), key("سعر"), "{word}");
        }
        for word in ["أسلحة", "الأسلحة", "أسلحتهم", "وأسلحته", "بالأسلحة"]
        {
            assert_eq!(key(word), "سلاح", "{word}");
        }
        for word in [
            "دول",
            "الدول",
            "مدن",
            "المدن",
            "قوات",
            "القوات",
            "أسرى",
            "الأسرى",
        ] {
            assert_eq!(rule(word), StemRule::BrokenPlural, "{word}");
        }
        assert_eq!(key("الدول"), key("دولة"));
        assert_eq!(key("المدن"), key("مدينة"));
        assert_eq!(key("قواتهم"), key("قوة"));
        assert_eq!(key("الأسرى"), key("أسير"));
        assert_eq!(key("أسراهم"), key("أسير"));
        assert_eq!(key("الألغام"), key("لغم"));
        assert_eq!(key("وألغام"), key("لغم"));
        assert_eq!(key("الآلاف"), key("ألف"));
    }

    #[test]
    fn look_alikes_of_broken_plurals_keep_their_own_meaning() {
        // Folded ى: familial, not prisoners; a nisba: civil, not cities.
        assert_ne!(key("الأسري"), key("أسير"));
        assert_ne!(key("مدني"), key("مدينة"));
        // ة folds to ه, so "Xه" is not taken as "his X" for a plural.
        assert_ne!(key("معاهدة"), key("معهد"));
        assert_ne!(key("مصادرة"), key("مصدر"));
        assert_ne!(key("قراءة"), key("قارئ"));
        // Left out of the lexicon: the verb "wrote", "strong", the world.
        assert_ne!(key("كتب"), key("كتاب"));
        assert_eq!(rule("قوى"), StemRule::Light);
        assert_ne!(key("علماء"), key("العالم"));
        assert_eq!(rule("كتب"), StemRule::Light);
    }

    #[test]
    fn a_word_is_also_written_without_its_hamza() {
        let key = normalize_for_matching("خائن");
        assert_eq!(spellings_without_hamza(&key), ["خاين", "خاون"]);
        assert!(spellings_without_hamza("وزير").is_empty());
    }

    #[test]
    fn the_arabic_block_has_no_case() {
        for c in '\u{0600}'..='\u{06FF}' {
            assert!(is_arabic_block(c));
            assert!(c.to_lowercase().eq([c]), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn latin_text_is_lower_cased() {
        assert_eq!(normalize_for_matching("Palmyra"), "palmyra");
    }
}
