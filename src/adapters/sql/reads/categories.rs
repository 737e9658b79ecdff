//! The board tree from the read model.

use super::super::SqlDatabase;
use super::super::rows::read_by_name;
use crate::ports::{CategoryRow, StoreResult};

read_by_name!(CategoryRow { id, tier, name, parent_id, parent_name, post_count });

pub(super) async fn category_tree(db: &SqlDatabase) -> StoreResult<Vec<CategoryRow>> {
    // The forum's boards: a few dozen rows at most, so a short read.
    db.short_read(
        "SELECT category_id AS id, tier, name, parent_id, parent_name, post_count FROM rm_category \
         ORDER BY COALESCE(parent_id, category_id), tier, category_id",
        &[],
    )
    .await
}
