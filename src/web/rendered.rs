//! Page content rendered once and reused while what it shows stays the same.
//!
//! The first page of a board or category is what nearly every visitor reads, and below the
//! site header it is the same for all of them. Its HTML is kept next to the cached values it
//! was rendered from (the category tree and the list page) and reused as long as the cache
//! hands out those same values. Nothing needs dropping when posts change: the events drop the
//! cached list, the next request gets a new value, and the content is rendered again.
//!
//! A visitor who is not logged in and has no message waiting sees the same whole page too (the
//! header only changes with a user or a message), so that page is kept beside its content and
//! sent as it is: no layout rendered, no content copied into it.

use super::i18n::Reader;
use crate::app::content_queries::ListPage;
use crate::domain::CategoryId;
use crate::ports::CategoryRow;
use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

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
    /// The whole page around `html` for a visitor without a user or a message, with the address
    /// it was rendered for (the language switcher brings the reader back to it).
    anonymous_page: OnceLock<(String, Bytes)>,
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
        Ok(self.entry(category_id, reader, tree, list, render)?.html.clone())
    }

    /// The whole page at `here` as a visitor without a user or a message sees it, made by
    /// `render_page` around the content: kept like the content, for one address (another
    /// address, such as one with a query string, is rendered each time).
    pub fn get_or_render_anonymous_page(
        &self,
        category_id: CategoryId,
        reader: &Reader,
        (tree, list): (&Arc<Vec<CategoryRow>>, &Arc<ListPage>),
        here: &str,
        render_content: impl FnOnce() -> askama::Result<String>,
        render_page: impl FnOnce(&str) -> askama::Result<String>,
    ) -> askama::Result<Bytes> {
        let entry = self.entry(category_id, reader, tree, list, render_content)?;
        if let Some((kept_here, page)) = entry.anonymous_page.get()
            && kept_here == here
        {
            return Ok(page.clone());
        }
        let page = Bytes::from(render_page(&entry.html)?);
        // Two requests may render it at once; either page is right, the first one is kept
        // (and the other is only sent).
        if entry.anonymous_page.set((here.to_owned(), page.clone())).is_err() {
            tracing::trace!(here, "the page was kept by another request first");
        }
        Ok(page)
    }

    fn entry(
        &self,
        category_id: CategoryId,
        reader: &Reader,
        tree: &Arc<Vec<CategoryRow>>,
        list: &Arc<ListPage>,
        render: impl FnOnce() -> askama::Result<String>,
    ) -> askama::Result<Arc<Rendered>> {
        let key = (category_id, reader.clone());
        let kept = self.entries.read().unwrap_or_else(PoisonError::into_inner).get(&key).cloned();
        if let Some(kept) = kept
            && same(&kept.tree, tree)
            && same(&kept.list, list)
        {
            return Ok(kept);
        }
        let html: Arc<str> = render()?.into();
        let rendered =
            Arc::new(Rendered { tree: tree.clone(), list: list.clone(), html, anonymous_page: OnceLock::new() });
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, rendered.clone());
        Ok(rendered)
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
                is_locked: false,
                is_pinned: false,
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

    #[test]
    fn the_anonymous_page_is_kept_for_its_address_and_goes_with_its_content() {
        let kept = RenderedLists::default();
        let tree = Arc::new(Vec::new());
        let pages = std::cell::Cell::new(0);
        let page = |list: &Arc<ListPage>, here: &str| {
            let reader = Reader::default();
            kept.get_or_render_anonymous_page(
                CategoryId(1),
                &reader,
                (&tree, list),
                here,
                || Ok(format!("{:?}", list.rows.iter().map(|r| r.post_id.0).collect::<Vec<_>>())),
                |content| {
                    pages.set(pages.get() + 1);
                    Ok(format!("<main>{content}</main> back to {here}"))
                },
            )
            .unwrap()
        };
        let first = list(&[2, 1]);
        assert_eq!(&page(&first, "/categories/1")[..], b"<main>[2, 1]</main> back to /categories/1");
        assert_eq!(&page(&first, "/categories/1")[..], b"<main>[2, 1]</main> back to /categories/1");
        assert_eq!(pages.get(), 1, "the same page is sent again, not rendered again");
        assert_eq!(&page(&first, "/categories/1?x=1")[..], b"<main>[2, 1]</main> back to /categories/1?x=1");
        assert_eq!(&page(&list(&[3, 2, 1]), "/categories/1")[..], b"<main>[3, 2, 1]</main> back to /categories/1");
        assert_eq!(pages.get(), 3, "another address, and new content, are rendered");
    }
}
