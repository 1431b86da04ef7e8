//! Arabic text rules shared by slugs, search and comment moderation, so that
//! the three agree on when two spellings are "the same word".
//!
//! Normalisation follows the usual practice of Arabic information retrieval
//! (Larkey et al., Lucene's `ArabicNormalizationFilter`): drop the short-vowel
//! marks (tashkeel) and the tatweel stretch, fold the hamza-carrying alef
//! forms to bare alef, alef maqsura to ya and taa marbuta to ha.

/// True for the combining marks of Arabic (fathatan .. sukun, superscript
/// alef, Quranic annotation marks): they change pronunciation, not the word.
pub fn is_tashkeel(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// The tatweel (kashida), a purely typographic stretch.
pub const TATWEEL: char = '\u{0640}';

/// True for letters of the Arabic script blocks.
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0671}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}')
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
pub fn fold_letter(c: char) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' => 'ي',
        'ة' => 'ه',
        'ؤ' => 'و',
        'ئ' => 'ي',
        // Arabic-Indic and Eastern Arabic-Indic digits to ASCII.
        '\u{0660}'..='\u{0669}' => char::from_u32(c as u32 - 0x0660 + u32::from(b'0')).unwrap_or(c),
        '\u{06F0}'..='\u{06F9}' => char::from_u32(c as u32 - 0x06F0 + u32::from(b'0')).unwrap_or(c),
        _ => c,
    }
}

/// Full matching normalisation: marks removed, letters folded, lower-cased.
pub fn normalize_for_matching(text: &str) -> String {
    text.chars()
        .filter(|&c| !is_tashkeel(c) && c != TATWEEL)
        .map(fold_letter)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Words too common to search for, in their matching form
/// ([`normalize_for_matching`]): prepositions, conjunctions, pronouns,
/// demonstratives and auxiliaries. `على` is left out on purpose: folded,
/// it is also the name `علي`.
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
    "هولاء",
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
];

/// True for a stop word, given in its matching form.
pub fn is_stop_word(normalized: &str) -> bool {
    STOP_WORDS.contains(&normalized)
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

/// Light stemming of one word in matching form, after Larkey, Ballesteros
/// and Connell's light10 ("Light Stemming for Arabic Information
/// Retrieval", 2007) without its lone-و rule: the definite article with
/// its particles comes off the front, then the common suffixes of the
/// feminine, the plural, the dual, the nisba adjective and attached
/// pronouns (ة ات ون ين ان ية ي ها ه) off the end. `الوزيرة`, `وزيرة`,
/// `الوزراء`… `وزيرات`, `للوزير` all give `وزير`; broken plurals
/// (`وزراء`) are out of reach of any light stemmer.
pub fn light_stem(word: &str) -> &str {
    let letters = |s: &str| s.chars().count();
    let mut stem = word;
    for prefix in PREFIXES {
        if let Some(rest) = stem.strip_prefix(prefix)
            && letters(rest) >= MIN_STEM
        {
            stem = rest;
            break;
        }
    }
    for suffix in SUFFIXES {
        if let Some(rest) = stem.strip_suffix(suffix)
            && letters(rest) >= MIN_STEM
        {
            stem = rest;
        }
    }
    stem
}

/// The search key of one Arabic word as written: normalised for matching,
/// `None` for a stop word, otherwise light-stemmed.
pub fn search_key(word: &str) -> Option<String> {
    let normalized = normalize_for_matching(word);
    if normalized.is_empty() || is_stop_word(&normalized) {
        return None;
    }
    Some(light_stem(&normalized).to_owned())
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
    fn latin_text_is_lower_cased() {
        assert_eq!(normalize_for_matching("Palmyra"), "palmyra");
    }
}
