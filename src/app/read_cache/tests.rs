//! The levels on their own and together, with a byte cache in a map standing in for Redis.

use super::*;
use crate::app::keys::CATEGORY_TREE;
use crate::domain::CategoryId;
use crate::ports::{CacheError, CategoryRow};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

mod coherence;
use crate::ports::InvalidationEvent;
use coherence::two_level;

#[derive(Default)]
struct MapCache {
    entries: Mutex<HashMap<String, Vec<u8>>>,
    failing: bool,
}

#[async_trait]
impl Cache for MapCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        if self.failing {
            return Err(CacheError("down".into()));
        }
        Ok(self.entries.lock().unwrap().get(key).cloned())
    }

    async fn set(&self, key: &str, value: &[u8], _ttl: Duration) -> Result<(), CacheError> {
        if self.failing {
            return Err(CacheError("down".into()));
        }
        self.entries.lock().unwrap().insert(key.to_string(), value.to_vec());
        Ok(())
    }

    async fn delete(&self, keys: &[String]) -> Result<(), CacheError> {
        let mut entries = self.entries.lock().unwrap();
        keys.iter().for_each(|key| drop(entries.remove(key)));
        Ok(())
    }

    fn kind(&self) -> &'static str {
        "map"
    }
}

fn tree(name: &str) -> Vec<CategoryRow> {
    vec![CategoryRow {
        id: CategoryId(1),
        tier: 1,
        name: name.into(),
        parent_id: None,
        parent_name: None,
        post_count: 0,
    }]
}

/// Reads the tree through the cache, counting the loads that reach the "database".
async fn read(cache: &ReadCache, loads: &AtomicUsize) -> Arc<Vec<CategoryRow>> {
    let load = async {
        loads.fetch_add(1, Ordering::SeqCst);
        Ok(tree("News"))
    };
    cache.get_or_load(Key::category_tree(), load).await.expect("the load does not fail")
}

fn local() -> Option<LocalLevel> {
    Some(LocalLevel::new(1 << 20, TTL))
}

#[tokio::test]
async fn a_local_hit_hands_out_the_very_value_it_keeps() {
    let cache = ReadCache::new(local(), None);
    let loads = AtomicUsize::new(0);
    let first = read(&cache, &loads).await;
    let second = read(&cache, &loads).await;
    assert!(Arc::ptr_eq(&first, &second));
    assert_eq!(loads.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_shared_level_keeps_bytes_and_a_hit_decodes_an_equal_value() {
    let shared = Arc::new(MapCache::default());
    let cache = ReadCache::new(None, Some(shared.clone()));
    let loads = AtomicUsize::new(0);
    let first = read(&cache, &loads).await;
    assert!(shared.entries.lock().unwrap().contains_key(CATEGORY_TREE));
    let second = read(&cache, &loads).await;
    assert_eq!(first, second);
    assert_eq!(loads.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn with_both_levels_a_value_from_the_shared_level_is_kept_locally() {
    let shared = Arc::new(MapCache::default());
    let bytes = serde_json::to_vec(&tree("From another instance")).unwrap();
    shared.entries.lock().unwrap().insert(CATEGORY_TREE.into(), bytes);
    let (cache, _) = two_level(shared.clone());
    cache.apply(InvalidationEvent::Ready { sequence: 0 });
    let loads = AtomicUsize::new(0);
    let first = read(&cache, &loads).await;
    assert_eq!(first[0].name, "From another instance");
    shared.entries.lock().unwrap().clear();
    let second = read(&cache, &loads).await;
    assert!(Arc::ptr_eq(&first, &second), "the second read is served by the local level");
    assert_eq!(loads.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn forgetting_drops_the_entry_from_every_level_and_tells_the_other_instances() {
    let shared = Arc::new(MapCache::default());
    let (cache, messages) = two_level(shared.clone());
    cache.apply(InvalidationEvent::Ready { sequence: 0 });
    let loads = AtomicUsize::new(0);
    read(&cache, &loads).await;
    cache.forget(&[CATEGORY_TREE.to_string()]).await;
    assert!(shared.entries.lock().unwrap().is_empty());
    assert_eq!(*messages.published.lock().unwrap(), vec![vec![CATEGORY_TREE.to_string()]]);
    assert_eq!(cache.published_sequence(), 1, "the number the message was given");
    read(&cache, &loads).await;
    assert_eq!(loads.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_failing_shared_level_is_a_miss_served_by_the_database() {
    let cache = ReadCache::new(None, Some(Arc::new(MapCache { failing: true, ..MapCache::default() })));
    let loads = AtomicUsize::new(0);
    assert_eq!(*read(&cache, &loads).await, tree("News"));
    assert_eq!(*read(&cache, &loads).await, tree("News"));
    assert_eq!(loads.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn with_no_level_every_read_goes_to_the_database() {
    let cache = ReadCache::off();
    let loads = AtomicUsize::new(0);
    read(&cache, &loads).await;
    read(&cache, &loads).await;
    assert_eq!(loads.load(Ordering::SeqCst), 2);
    assert!(!cache.has_local_level());
}
