//! Old addresses kept as redirects, per site.

use crate::{T0, newsroom};
use dateline_core::redirect::RedirectTarget;

#[tokio::test]
async fn a_redirect_is_kept_per_site_changed_in_place_and_removed() {
    let desk = newsroom().await;
    let story = desk.draft("Moved here").await;
    let old = "/2019/05/old-slug";
    assert_eq!(desk.redirect_for(desk.site, old).await.unwrap(), None);
    desk.set_redirect(
        desk.site,
        old,
        &RedirectTarget::Path("/politics".into()),
        T0,
    )
    .await
    .unwrap();
    desk.set_redirect(desk.site, old, &RedirectTarget::Article(story), T0)
        .await
        .unwrap();
    assert_eq!(
        desk.redirect_for(desk.site, old).await.unwrap(),
        Some(RedirectTarget::Article(story)),
        "set again, it leads elsewhere"
    );
    assert_eq!(desk.redirects(desk.site, 10).await.unwrap().len(), 1);
    assert!(desk.delete_redirect(desk.site, old).await.unwrap());
    assert!(!desk.delete_redirect(desk.site, old).await.unwrap());
    assert_eq!(desk.redirect_for(desk.site, old).await.unwrap(), None);
}
