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

    #[test]
    fn latin_text_is_lower_cased() {
        assert_eq!(normalize_for_matching("Palmyra"), "palmyra");
    }
}
