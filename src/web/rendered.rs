//! Page content rendered once and reused while what it shows stays the same.
//!
//! The first page of a board or category is what nearly every visitor reads, and below the
//! site header it is the same for all of them. Its HTML is kept next to the cached values it
//! was rendered from (the category tree and the list page) and reused as long as the cache
//! hands out those same values. Nothing needs dropping when posts change: the events drop the
//! cached list, the next request gets a new value, and the content is rendered again.

use super::i18n::Reader;
use crate::app::content_queries::ListPage;
use crate::domain::CategoryId;
use crate::ports::CategoryRow;
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

/// More first pages than a forum has boards and categories (in the languages and zones its
/// readers use); past it, start again.
const MAX_ENTRIES: usize = 1024;

/// The rendered content of list first pages, by category id and by the language and time zone
/// it is told in: a forum read in one language and zone renders each page once, as before;
/// each further language or zone that readers use adds one rendering of the pages they read.
#[derive(Default)]
pub struct RenderedLists {
    entries: RwLock<HashMap<(CategoryId, Reader), Arc<Rendered>>>,
}

struct Rendered {
    tree: Arc<Vec<CategoryRow>>,
    list: Arc<ListPage>,
    html: Arc<str>,
}

impl RenderedLists {
    /// The content rendered from exactly this tree and list page: kept from an earlier
    /// request if it was rendered from the same values, else rendered now and kept.
    pub fn get_or_render(
        &self,
        category_id: CategoryId,
        reader: &Reader,
        tree: &Arc<Vec<CategoryRow>>,
        list: &Arc<ListPage>,
        render: impl FnOnce() -> askama::Result<String>,
    ) -> askama::Result<Arc<str>> {
        let key = (category_id, reader.clone());
        let kept = self.entries.read().unwrap_or_else(PoisonError::into_inner).get(&key).cloned();
        if let Some(kept) = kept
            && same(&kept.tree, tree)
            && same(&kept.list, list)
        {
            return Ok(kept.html.clone());
        }
        let html: Arc<str> = render()?.into();
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, Arc::new(Rendered { tree: tree.clone(), list: list.clone(), html: html.clone() }));
        Ok(html)
    }
}

/// The same value: the very one (an in-process cache), or an equal one (a copy from Redis).
fn same<T: PartialEq>(a: &Arc<T>, b: &Arc<T>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PostId;

    fn list(ids: &[i64]) -> Arc<ListPage> {
        let rows = ids
            .iter()
            .map(|&post_id| crate::ports::PostListRow {
                post_id: PostId(post_id),
                title: format!("post {post_id}"),
                author_name: None,
                category_id: CategoryId(1),
                category_name: "c".into(),
                created: crate::domain::Timestamp(0),
                edited: crate::domain::Timestamp(0),
                comment_count: 0,
                vote_count: 0,
            })
            .collect();
        Arc::new(ListPage { rows, newer: None, older: None })
    }

    #[test]
    fn content_is_rendered_again_only_when_what_it_shows_changes() {
        let kept = RenderedLists::default();
        let tree = Arc::new(Vec::new());
        let renders = std::cell::Cell::new(0);
        let render = |list: &Arc<ListPage>| {
            kept.get_or_render(CategoryId(1), &Reader::default(), &tree, list, || {
                renders.set(renders.get() + 1);
                Ok(format!("{:?}", list.rows.iter().map(|r| r.post_id.0).collect::<Vec<_>>()))
            })
            .unwrap()
        };
        let first = list(&[2, 1]);
        assert_eq!(&*render(&first), "[2, 1]");
        assert_eq!(&*render(&first), "[2, 1]");
        assert_eq!(&*render(&list(&[2, 1])), "[2, 1]", "an equal copy (from Redis) counts as the same");
        assert_eq!(&*render(&list(&[3, 2, 1])), "[3, 2, 1]", "a new page is rendered");
        assert_eq!(renders.get(), 2);
        let korean = Reader { lang: crate::web::Lang::Ko, ..Reader::default() };
        kept.get_or_render(CategoryId(1), &korean, &tree, &first, || Ok("ko".into())).unwrap();
        assert_eq!(&*kept.get_or_render(CategoryId(1), &korean, &tree, &first, || Ok("again".into())).unwrap(), "ko");
        assert_eq!(&*render(&list(&[3, 2, 1])), "[3, 2, 1]", "each language keeps its own");
    }
}
