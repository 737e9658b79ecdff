//! The category projection: `rm_category` (the board tree and its counts), and the category
//! names shown on posts.

use super::ReadTable;
use crate::domain::CategoryId;
use sqlx::AnyConnection;

/// The tree rows, recomputed from the write tables; a board counts its categories' posts.
pub(super) const CATEGORIES: ReadTable = ReadTable {
    table: "rm_category",
    key: "category_id",
    columns: "category_id, tier, name, parent_id, parent_name, post_count",
    sources: "SELECT c.id AS category_id, c.tier, c.name, c.parent_id, p.name AS parent_name, \
        (SELECT COUNT(*) FROM post x WHERE x.is_active = 1 AND (x.category_id = c.id \
            OR x.category_id IN (SELECT k.id FROM category k WHERE k.parent_id = c.id))) AS post_count \
        FROM category c LEFT JOIN category p ON p.id = c.parent_id",
    source_key: "c.id",
    uncounted: "post_count = 0",
};

/// A renamed category: its row, its children's parent name, and its posts' rows.
pub(super) async fn rename_category(conn: &mut AnyConnection, category_id: CategoryId) -> sqlx::Result<()> {
    let name: String =
        sqlx::query_scalar("SELECT name FROM category WHERE id = ?").bind(category_id).fetch_one(&mut *conn).await?;
    for update in [
        "UPDATE rm_category SET name = ? WHERE category_id = ?",
        "UPDATE rm_category SET parent_name = ? WHERE parent_id = ?",
        "UPDATE rm_post SET category_name = ? WHERE category_id = ?",
    ] {
        sqlx::query(update).bind(&name).bind(category_id).execute(&mut *conn).await?;
    }
    Ok(())
}
