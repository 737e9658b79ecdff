//! What a fresh forum needs before its first page: a signing secret and the default boards.

use super::auth::generate_secret;
use crate::domain::Event;
use crate::ports::{StoreResult, WriteStore};

const SECRET_SETTING: &str = "session_secret";
const DEFAULT_BOARDS_SETTING: &str = "default_boards_created";

/// The boards a new forum starts with, each with its categories.
const DEFAULT_BOARDS: &[(&str, &[&str])] = &[
    ("General", &["Announcements", "Introductions", "Off-topic"]),
    ("Programming", &["Rust", "Web", "Databases"]),
    ("한국어 게시판", &["자유게시판", "질문과 답변"]),
];

/// The secret that signs session tokens: generated once and kept in the database, so a
/// restart (or another instance on the same database) keeps every session valid.
pub async fn stored_secret(store: &dyn WriteStore) -> StoreResult<String> {
    let mut tx = store.begin().await?;
    tx.put_setting_if_absent(SECRET_SETTING, &generate_secret()).await?;
    let secret = tx.setting(SECRET_SETTING).await?.unwrap_or_default();
    tx.commit().await?;
    Ok(secret)
}

/// Creates the default boards the first time a forum starts; never again, so an admin's
/// renames and additions are kept.
pub async fn create_default_boards(store: &dyn WriteStore) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    if !tx.put_setting_if_absent(DEFAULT_BOARDS_SETTING, "1").await? {
        return Ok(());
    }
    for (board, categories) in DEFAULT_BOARDS {
        let board_id = tx.insert_category(1, board, None).await?;
        tx.record(&Event::CategoryAdded { category_id: board_id }).await?;
        for category in *categories {
            let category_id = tx.insert_category(2, category, Some(board_id)).await?;
            tx.record(&Event::CategoryAdded { category_id }).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
