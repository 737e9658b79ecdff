//! Which @names in texts about to be rendered belong to members: only those become links.
//! Looked up when the row is rendered (a new or edited text, a rebuild, the check), so a name
//! taken later links from the text's next rendering on.

use crate::domain::{fold_key, notifications::mentions};
use sqlx::AnyConnection;
use std::collections::HashSet;

/// Names per look-up, well under either database's bound-value limit.
const NAMES_PER_QUERY: usize = 500;

/// The folded names mentioned in `sources` that a member has.
pub(in super::super) async fn known_mentions<'a>(
    conn: &mut AnyConnection,
    sources: impl Iterator<Item = &'a str>,
) -> sqlx::Result<HashSet<String>> {
    let mut wanted: Vec<String> = sources.flat_map(mentions).map(|name| fold_key(&name)).collect();
    wanted.sort();
    wanted.dedup();
    let mut known = HashSet::new();
    for chunk in wanted.chunks(NAMES_PER_QUERY) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = sqlx::AssertSqlSafe(format!("SELECT name_key FROM user WHERE name_key IN ({marks})"));
        let mut query = sqlx::query_scalar::<_, String>(sql);
        for key in chunk {
            query = query.bind(key.as_str());
        }
        known.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(known)
}
