//! The per-site comment classifiers, trained in the background from each
//! site's moderation decisions (`core::classifier`) and swapped in whole,
//! so scoring never waits for training.

use super::Stop;
use crate::sites::Sites;
use dateline_core::SiteId;
use dateline_core::classifier::Model;
use dateline_store::Db;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Decisions a model learns from at most (the newest).
const MAX_EXAMPLES: u32 = 20_000;
/// Retraining happens at least this often, and soon after decisions.
const RETRAIN_EVERY: Duration = Duration::from_secs(300);

#[derive(Default)]
pub struct Classifiers {
    models: RwLock<HashMap<SiteId, Arc<Model>>>,
    /// Woken after moderation decisions.
    pub retrain: tokio::sync::Notify,
}

impl Classifiers {
    /// The chance (0..1) that the site's moderators reject `text`, once
    /// its model has learned enough.
    pub fn score(&self, site: SiteId, text: &str) -> Option<f64> {
        let model = match self.models.read() {
            Ok(models) => models.get(&site).cloned(),
            Err(poisoned) => poisoned.into_inner().get(&site).cloned(),
        }?;
        model.score(text)
    }

    fn replace(&self, site: SiteId, model: Model) {
        let model = Arc::new(model);
        match self.models.write() {
            Ok(mut models) => models.insert(site, model),
            Err(poisoned) => poisoned.into_inner().insert(site, model),
        };
    }

    /// Trains every site's model once.
    pub async fn train(&self, db: &Db, sites: &Sites) {
        for entry in sites.current().sites.iter() {
            let site = entry.site.id;
            match db.moderation_examples(site, MAX_EXAMPLES).await {
                Ok(examples) => {
                    let trained = tokio::task::spawn_blocking(move || {
                        Model::train(examples.iter().map(|(t, r)| (t.as_str(), *r)))
                    })
                    .await;
                    match trained {
                        Ok(model) => self.replace(site, model),
                        Err(error) => tracing::warn!(%error, "classifier training stopped"),
                    }
                }
                Err(error) => tracing::warn!(%error, "cannot read moderation decisions"),
            }
        }
    }
}

/// Trains every site's model, then waits for decisions or the timer;
/// runs until `stop`.
pub async fn run(db: Db, sites: Sites, classifiers: Arc<Classifiers>, mut stop: Stop) {
    while !stop.is_requested() {
        classifiers.train(&db, &sites).await;
        tokio::select! {
            () = tokio::time::sleep(RETRAIN_EVERY) => {}
            () = classifiers.retrain.notified() => {
                // Let a burst of bulk decisions settle first.
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            () = stop.requested() => {}
        }
    }
}
