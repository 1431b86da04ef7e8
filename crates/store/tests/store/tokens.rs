//! API tokens: created per user by name, looked up by hash, revoked by name.

use crate::{T0, add_user, minutes, newsroom};
use dateline_core::accounts::TokenName;
use dateline_store::StoreError;

#[tokio::test]
async fn a_token_finds_its_user_by_hash_until_it_is_revoked() {
    let desk = newsroom().await;
    let name = TokenName::parse("importer").unwrap();
    desk.create_api_token(desk.editor, &name, "hash-1", T0, None)
        .await
        .unwrap();

    let user = desk.api_token_user("hash-1", T0).await.unwrap().unwrap();
    assert_eq!(user.id, desk.editor);
    assert_eq!(user.name, "Rana Haddad");
    // A second lookup (which may note the use) still finds it.
    let again = desk
        .api_token_user("hash-1", T0 + minutes(5))
        .await
        .unwrap();
    assert_eq!(again.map(|u| u.id), Some(desk.editor));
    assert!(desk.api_token_user("unknown", T0).await.unwrap().is_none());

    assert!(desk.revoke_api_token(desk.editor, &name, T0).await.unwrap());
    assert!(desk.api_token_user("hash-1", T0).await.unwrap().is_none());
    assert!(
        !desk.revoke_api_token(desk.editor, &name, T0).await.unwrap(),
        "there is no live token of that name left to revoke"
    );
}

#[tokio::test]
async fn a_live_token_name_is_unique_per_user_and_free_again_once_revoked() {
    let desk = newsroom().await;
    let omar = add_user(&desk, "omar@example.com", "Omar").await;
    let name = TokenName::parse("importer").unwrap();
    desk.create_api_token(desk.editor, &name, "rana-1", T0, None)
        .await
        .unwrap();

    let twice = desk
        .create_api_token(desk.editor, &name, "rana-2", T0, None)
        .await;
    assert!(
        matches!(twice, Err(StoreError::Conflict(ref m)) if m.contains("importer")),
        "{twice:?}"
    );
    // Another user may use the same name.
    desk.create_api_token(omar, &name, "omar-1", T0, None)
        .await
        .unwrap();

    desk.revoke_api_token(desk.editor, &name, T0).await.unwrap();
    desk.create_api_token(desk.editor, &name, "rana-3", T0, None)
        .await
        .unwrap();
    let user = desk.api_token_user("rana-3", T0).await.unwrap();
    assert_eq!(user.map(|u| u.id), Some(desk.editor));
    // Revoking Rana's token left Omar's alone.
    let user = desk.api_token_user("omar-1", T0).await.unwrap();
    assert_eq!(user.map(|u| u.id), Some(omar));
}
