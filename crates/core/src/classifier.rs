//! A per-site classifier that learns from the site's own moderation
//! decisions: a naive Bayes model over the words of approved and rejected
//! comments (each word once per comment), in the same normalised form the
//! banned-term screen uses, so it works alike in English and Arabic.
//!
//! It gives every new comment a score, the estimated chance moderators
//! would reject it; above the site's threshold the comment waits for
//! review. Until it has seen enough of both kinds it abstains.

use std::collections::{HashMap, HashSet};

/// Decisions of each kind needed before the model scores anything.
pub const MIN_EXAMPLES: u32 = 10;

/// What the model learned; cheap to score with, rebuilt in the background.
/// Serialisable, so that one instance trains it and the others on the
/// same database load it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Model {
    approved_docs: u32,
    rejected_docs: u32,
    approved_words: HashMap<String, u32>,
    rejected_words: HashMap<String, u32>,
    vocabulary: usize,
}

impl Model {
    /// Learns from `(text, rejected)` pairs.
    pub fn train<'a>(examples: impl IntoIterator<Item = (&'a str, bool)>) -> Model {
        let mut model = Model::default();
        let mut vocabulary = HashSet::new();
        for (text, rejected) in examples {
            let words: HashSet<String> =
                crate::comments::screening_words(text).into_iter().collect();
            let (docs, counts) = if rejected {
                (&mut model.rejected_docs, &mut model.rejected_words)
            } else {
                (&mut model.approved_docs, &mut model.approved_words)
            };
            *docs += 1;
            for word in words {
                *counts.entry(word.clone()).or_default() += 1;
                vocabulary.insert(word);
            }
        }
        model.vocabulary = vocabulary.len();
        model
    }

    /// True once it has seen enough of both kinds of decision.
    pub fn is_ready(&self) -> bool {
        self.approved_docs >= MIN_EXAMPLES && self.rejected_docs >= MIN_EXAMPLES
    }

    /// How many decisions it learned from.
    pub fn examples(&self) -> u32 {
        self.approved_docs + self.rejected_docs
    }

    /// The estimated chance (0..1) that moderators reject `text`, or
    /// `None` while the model is not ready.
    pub fn score(&self, text: &str) -> Option<f64> {
        if !self.is_ready() {
            return None;
        }
        let words: HashSet<String> = crate::comments::screening_words(text).into_iter().collect();
        let total = f64::from(self.approved_docs + self.rejected_docs);
        let mut log_rejected = (f64::from(self.rejected_docs) / total).ln();
        let mut log_approved = (f64::from(self.approved_docs) / total).ln();
        // Laplace smoothing over the vocabulary.
        let smooth =
            |count: u32, docs: u32| ((f64::from(count) + 1.0) / (f64::from(docs) + 2.0)).ln();
        for word in &words {
            if !self.approved_words.contains_key(word) && !self.rejected_words.contains_key(word) {
                continue;
            }
            let r = self.rejected_words.get(word).copied().unwrap_or(0);
            let a = self.approved_words.get(word).copied().unwrap_or(0);
            log_rejected += smooth(r, self.rejected_docs);
            log_approved += smooth(a, self.approved_docs);
        }
        // P(rejected | words) from the two log scores, without overflow.
        let diff = log_approved - log_rejected;
        Some(1.0 / (1.0 + diff.exp()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_learns_what_a_site_rejects_in_either_language() {
        let mut examples = Vec::new();
        for i in 0..12 {
            examples.push((format!("Buy cheap watches now, visit our shop {i}"), true));
            examples.push((format!("اشتر ساعات رخيصة الآن من متجرنا {i}"), true));
            examples.push((
                format!("The minister's budget plan ignores the north {i}"),
                false,
            ));
            examples.push((format!("خطة الوزير للموازنة تتجاهل الشمال {i}"), false));
        }
        let model = Model::train(examples.iter().map(|(t, r)| (t.as_str(), *r)));
        assert!(model.is_ready());
        let spam = model.score("Cheap watches in our shop!").unwrap();
        let fair = model.score("The budget plan is fair to the north").unwrap();
        assert!(spam > 0.9, "{spam}");
        assert!(fair < 0.1, "{fair}");
        let arabic = model.score("ساعات رخيصه في متجرنا").unwrap();
        assert!(arabic > 0.9, "{arabic}");
    }

    #[test]
    fn it_abstains_until_it_has_seen_both_kinds() {
        let model = Model::train([("fine", false); 30]);
        assert!(!model.is_ready());
        assert_eq!(model.score("anything"), None);
    }
}
