//! The sites of the network with their sections, loaded from storage and
//! swapped whole when settings or sections change, so readers of the
//! registry never wait for a writer.

use dateline_core::{Section, Site, SiteId};
use dateline_store::{Db, StoreError};
use std::sync::{Arc, RwLock};

/// A site with the data every page of it shows (its sections menu).
#[derive(Debug)]
pub struct SiteEntry {
    pub site: Site,
    pub sections: Vec<Section>,
}

/// The sites of the network, as last loaded.
#[derive(Debug, Default)]
pub struct Network {
    pub sites: Vec<Arc<SiteEntry>>,
}

impl Network {
    /// The site with this id.
    pub fn entry(&self, id: SiteId) -> Option<&Arc<SiteEntry>> {
        self.sites.iter().find(|e| e.site.id == id)
    }

    /// The key of a site (`courier-en`), empty for an unknown id.
    pub fn site_key(&self, id: SiteId) -> String {
        self.entry(id)
            .map(|e| e.site.key.clone())
            .unwrap_or_default()
    }

    /// The other editions of the same brand.
    pub fn siblings<'a>(&'a self, of: &'a Site) -> impl Iterator<Item = &'a Arc<SiteEntry>> + 'a {
        self.sites
            .iter()
            .filter(move |e| e.site.edition_group == of.edition_group && e.site.id != of.id)
    }
}

/// The shared registry: cheap to clone, read without blocking writers.
#[derive(Clone, Default)]
pub struct Sites(Arc<RwLock<Arc<Network>>>);

impl Sites {
    /// The sites as last loaded.
    pub fn current(&self) -> Arc<Network> {
        match self.0.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Re-reads sites and sections from storage.
    pub async fn reload(&self, db: &Db) -> Result<(), StoreError> {
        let mut sites = Vec::new();
        for site in db.sites().await? {
            let sections = db.sections(site.id).await?;
            sites.push(Arc::new(SiteEntry { site, sections }));
        }
        let network = Arc::new(Network { sites });
        match self.0.write() {
            Ok(mut guard) => *guard = network,
            Err(poisoned) => *poisoned.into_inner() = network,
        }
        Ok(())
    }
}
