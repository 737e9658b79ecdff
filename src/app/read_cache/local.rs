//! The local level: decoded values kept in this process, handed out as they are.

use crate::app::keys::Key;
use moka::sync::Cache as MokaCache;
use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

/// What a kept value is taken to weigh: its real size is unknown without encoding it, and
/// the values kept (a page of rows, a profile) are a few KiB.
const VALUE_WEIGHT: u32 = 4096;

type Value = Arc<dyn Any + Send + Sync>;

/// Values by the name of their key, bounded in size, each living for the same time. Reached
/// only through [`Key`], whose type is the type of the value kept under its name.
pub struct LocalLevel {
    values: MokaCache<String, Value>,
    /// Values dropped as stale, kept for while the database cannot answer: a page a little out
    /// of date is better than none (stale-if-error). Never handed out otherwise.
    stale: MokaCache<String, Value>,
}

impl LocalLevel {
    /// `max_bytes` bounds the memory the kept values take (by estimate).
    pub fn new(max_bytes: u64, ttl: Duration) -> Self {
        let values = MokaCache::builder()
            .max_capacity(max_bytes)
            .weigher(|name: &String, _: &Value| (name.len() as u32).saturating_add(VALUE_WEIGHT))
            .time_to_live(ttl)
            .build();
        let stale = MokaCache::builder()
            .max_capacity(max_bytes / 4)
            .weigher(|name: &String, _: &Value| (name.len() as u32).saturating_add(VALUE_WEIGHT))
            .time_to_live(ttl)
            .build();
        LocalLevel { values, stale }
    }

    /// The last value dropped from under the key, for when it cannot be loaded again.
    pub fn stale<T: Send + Sync + 'static>(&self, key: &Key<T>) -> Option<Arc<T>> {
        self.stale.get(key.name()).and_then(|value| value.downcast::<T>().ok())
    }

    /// The very value kept under the key: a hit copies nothing and decodes nothing.
    pub fn get<T: Send + Sync + 'static>(&self, key: &Key<T>) -> Option<Arc<T>> {
        self.values.get(key.name()).and_then(|value| value.downcast::<T>().ok())
    }

    pub fn insert<T: Send + Sync + 'static>(&self, key: Key<T>, value: Arc<T>) {
        self.values.insert(key.into_name(), value);
    }

    /// Drops a value without keeping it as stale (it was never right to keep).
    pub fn discard(&self, name: &str) {
        self.values.invalidate(name);
    }

    /// Drops every value (but keeps the stale ones for a database outage).
    pub fn clear(&self) {
        self.values.invalidate_all();
    }

    pub fn remove(&self, names: &[String]) {
        for name in names {
            if let Some(value) = self.values.remove(name) {
                self.stale.insert(name.clone(), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CategoryId;
    use crate::ports::CategoryRow;

    fn row(id: i64) -> CategoryRow {
        CategoryRow {
            id: CategoryId(id),
            tier: 1,
            name: format!("board {id}"),
            parent_id: None,
            parent_name: None,
            post_count: 0,
        }
    }

    #[test]
    fn values_are_kept_as_they_are_until_removed() {
        let level = LocalLevel::new(1 << 20, Duration::from_secs(60));
        let tree = Arc::new(vec![row(1), row(2)]);
        level.insert(Key::category_tree(), tree.clone());
        let kept = level.get(&Key::category_tree()).expect("kept");
        assert!(Arc::ptr_eq(&kept, &tree), "the very value comes back, not a copy");
        level.remove(&[Key::category_tree().into_name()]);
        assert!(level.get(&Key::category_tree()).is_none());
        assert!(level.stale(&Key::category_tree()).is_some_and(|stale| Arc::ptr_eq(&stale, &tree)));
    }

    #[test]
    fn values_expire_after_the_ttl() {
        let level = LocalLevel::new(1 << 20, Duration::from_millis(20));
        level.insert(Key::category_tree(), Arc::new(vec![row(1)]));
        std::thread::sleep(Duration::from_millis(60));
        assert!(level.get(&Key::category_tree()).is_none());
    }
}
