//! The per-site comment classifiers, trained in the background from each
//! site's moderation decisions (`core::classifier`) and swapped in whole,
//! so scoring never waits for training. Instances sharing a database
//! train once between them (a lease) and share the models.

use super::Stop;
use crate::sites::Sites;
use dateline_core::SiteId;
use dateline_core::classifier::Model;
use dateline_store::Db;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use time::OffsetDateTime;

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

    fn replace(&self, site: SiteId, model: Arc<Model>) {
        match self.models.write() {
            Ok(mut models) => models.insert(site, model),
            Err(poisoned) => poisoned.into_inner().insert(site, model),
        };
    }

    /// Trains every site's model once; returns the models trained.
    pub async fn train(&self, db: &Db, sites: &Sites) -> Vec<(SiteId, Arc<Model>)> {
        let mut trained_models = Vec::new();
        for entry in sites.current().sites.iter() {
            let site = entry.site.id;
            match db.moderation_examples(site, MAX_EXAMPLES).await {
                Ok(examples) => {
                    let trained = tokio::task::spawn_blocking(move || {
                        Model::train(examples.iter().map(|(t, r)| (t.as_str(), *r)))
                    })
                    .await;
                    match trained {
                        Ok(model) => {
                            let model = Arc::new(model);
                            self.replace(site, model.clone());
                            trained_models.push((site, model));
                        }
                        Err(error) => tracing::warn!(%error, "classifier training stopped"),
                    }
                }
                Err(error) => tracing::warn!(%error, "cannot read moderation decisions"),
            }
        }
        trained_models
    }

    /// Loads the models another instance trained since `since`; returns
    /// the newest training time seen.
    async fn load(&self, db: &Db, since: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
        let stored = match db.classifier_models_since(since).await {
            Ok(stored) => stored,
            Err(error) => {
                tracing::warn!(%error, "cannot read the stored classifiers");
                return since;
            }
        };
        let mut newest = since;
        for (site, json, trained_at) in stored {
            match serde_json::from_str::<Model>(&json) {
                Ok(model) => self.replace(site, Arc::new(model)),
                Err(error) => tracing::warn!(%error, %site, "a stored classifier cannot be read"),
            }
            newest = newest.max(Some(trained_at));
        }
        newest
    }
}

/// Who trains, when several instances share the database: the holder of
/// this lease, renewed at every look; the others load what it stored.
const LEASE: &str = "classifier-training";
/// How often instances sharing a database look: the holder renews its
/// lease (and trains when due), the others load new models.
const LOOK_EVERY: Duration = Duration::from_secs(30);
/// A lease not renewed for this long passes to another instance.
const LEASE_FOR: time::Duration = time::Duration::seconds(90);

/// Trains every site's model, then waits for decisions or the timer;
/// runs until `stop`. With `shared` (this instance's name, when other
/// instances may share the database) one instance at a time trains, and
/// stores the models for the others, which load them; a decision made on
/// another instance reaches the model at the next training (at most
/// [`RETRAIN_EVERY`] later).
pub async fn run(
    db: Db,
    sites: Sites,
    classifiers: Arc<Classifiers>,
    shared: Option<Arc<str>>,
    mut stop: Stop,
) {
    let mut loaded: Option<OffsetDateTime> = None;
    let mut trained_at: Option<tokio::time::Instant> = None;
    let mut asked = true;
    while !stop.is_requested() {
        let due = asked || trained_at.is_none_or(|at| at.elapsed() >= RETRAIN_EVERY);
        match &shared {
            None => {
                if due {
                    classifiers.train(&db, &sites).await;
                    trained_at = Some(tokio::time::Instant::now());
                }
            }
            Some(me) => {
                let now = OffsetDateTime::now_utc();
                match db.take_lease(LEASE, me, now, now + LEASE_FOR).await {
                    Ok(true) if due => {
                        for (site, model) in classifiers.train(&db, &sites).await {
                            store(&db, site, &model).await;
                        }
                        trained_at = Some(tokio::time::Instant::now());
                    }
                    Ok(true) => {}
                    Ok(false) => {
                        trained_at = None;
                        loaded = classifiers.load(&db, loaded).await;
                    }
                    Err(error) => {
                        tracing::warn!(%error, "cannot take the classifier training lease")
                    }
                }
            }
        }
        let wait = if shared.is_some() {
            LOOK_EVERY
        } else {
            RETRAIN_EVERY
        };
        asked = tokio::select! {
            () = tokio::time::sleep(wait) => false,
            () = classifiers.retrain.notified() => {
                // Let a burst of bulk decisions settle first.
                tokio::time::sleep(Duration::from_millis(500)).await;
                true
            }
            () = stop.requested() => false,
        };
    }
    if let Some(me) = &shared
        && let Err(error) = db.release_lease(LEASE, me).await
    {
        tracing::warn!(%error, "cannot give up the classifier training lease");
    }
}

/// Stores a trained model for the other instances.
async fn store(db: &Db, site: SiteId, model: &Model) {
    let stored = match serde_json::to_string(model) {
        Ok(json) => {
            db.save_classifier_model(site, &json, OffsetDateTime::now_utc())
                .await
        }
        Err(error) => {
            tracing::warn!(%error, "cannot encode a classifier");
            return;
        }
    };
    if let Err(error) = stored {
        tracing::warn!(%error, "cannot store a classifier");
    }
}
