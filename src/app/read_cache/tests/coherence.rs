//! The rules that keep the local level right with other instances, with a fake message port
//! whose events the tests apply themselves.

use super::{MapCache, read, tree};
use crate::app::keys::{CATEGORY_TREE, Key};
use crate::app::read_cache::{LocalLevel, ReadCache, TTL, reading_after};
use crate::ports::{Cache, CacheError, InvalidationEvent, Invalidations, Sequence};
use async_trait::async_trait;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// Records what is published and numbers it; its subscription never says anything (the tests
/// apply events with [`ReadCache::apply`]).
#[derive(Default)]
pub(super) struct FakeInvalidations {
    pub(super) published: Mutex<Vec<Vec<String>>>,
    sequence: AtomicU64,
}

#[async_trait]
impl Invalidations for FakeInvalidations {
    async fn publish(&self, names: &[String]) -> Result<Sequence, CacheError> {
        self.published.lock().unwrap().push(names.to_vec());
        Ok(self.sequence.fetch_add(1, Ordering::SeqCst) + 1)
    }

    fn subscribe(&self) -> UnboundedReceiver<InvalidationEvent> {
        unbounded_channel().1
    }
}

pub(super) fn two_level(shared: Arc<MapCache>) -> (ReadCache, Arc<FakeInvalidations>) {
    let messages = Arc::new(FakeInvalidations::default());
    let cache = ReadCache::two_level(LocalLevel::new(1 << 20, TTL), shared, messages.clone());
    (cache, messages)
}

fn shared_holding(name: &str) -> Arc<MapCache> {
    let shared = Arc::new(MapCache::default());
    shared.entries.lock().unwrap().insert(CATEGORY_TREE.into(), serde_json::to_vec(&tree(name)).unwrap());
    shared
}

fn tree_name() -> Vec<String> {
    vec![CATEGORY_TREE.to_string()]
}

#[tokio::test]
async fn the_local_level_is_unused_until_the_subscription_is_ready() {
    let shared = Arc::new(MapCache::default());
    let (cache, _) = two_level(shared.clone());
    let loads = AtomicUsize::new(0);
    let first = read(&cache, &loads).await;
    let second = read(&cache, &loads).await;
    assert!(!Arc::ptr_eq(&first, &second), "decoded from the shared level each time, not kept here");
    assert_eq!(loads.load(Ordering::SeqCst), 1);

    cache.apply(InvalidationEvent::Ready { sequence: 0 });
    let third = read(&cache, &loads).await;
    assert!(Arc::ptr_eq(&third, &read(&cache, &loads).await), "kept here once subscribed");
}

#[tokio::test]
async fn a_lost_subscription_clears_the_local_level_and_bypasses_it_until_ready_again() {
    let shared = shared_holding("old");
    let (cache, _) = two_level(shared.clone());
    cache.apply(InvalidationEvent::Ready { sequence: 0 });
    let loads = AtomicUsize::new(0);
    assert_eq!(read(&cache, &loads).await[0].name, "old");

    // A change whose message this process may never receive.
    cache.apply(InvalidationEvent::Lost);
    *shared.entries.lock().unwrap() = shared_holding("new").entries.lock().unwrap().clone();
    assert_eq!(read(&cache, &loads).await[0].name, "new", "the kept value is gone");
    shared.entries.lock().unwrap().clear();
    assert_eq!(read(&cache, &loads).await[0].name, "News", "nothing was kept while the messages were lost");
    assert_eq!(loads.load(Ordering::SeqCst), 1);

    // A load that began while lost and ends after the new subscription keeps nothing either.
    shared.entries.lock().unwrap().clear();
    let late = cache.get_or_load(Key::category_tree(), async {
        cache.apply(InvalidationEvent::Ready { sequence: 7 });
        Ok(tree("loaded before ready"))
    });
    assert_eq!(late.await.unwrap()[0].name, "loaded before ready");
    assert!(shared.entries.lock().unwrap().is_empty());
    assert_eq!(read(&cache, &loads).await[0].name, "News");
    assert_eq!(loads.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_load_overtaken_by_an_invalidation_keeps_its_value_nowhere() {
    let shared = Arc::new(MapCache::default());
    let (cache, _) = two_level(shared.clone());
    cache.apply(InvalidationEvent::Ready { sequence: 0 });
    // The load read the database before another instance's change; the change's message
    // arrives before the load ends.
    let overtaken = cache.get_or_load(Key::category_tree(), async {
        cache.apply(InvalidationEvent::Names { names: tree_name(), sequence: 1 });
        Ok(tree("before the change"))
    });
    assert_eq!(overtaken.await.unwrap()[0].name, "before the change", "the request itself gets it");
    assert!(shared.entries.lock().unwrap().is_empty(), "not put in the shared level");
    let loads = AtomicUsize::new(0);
    assert_eq!(read(&cache, &loads).await[0].name, "News", "nor in the local one");
    assert_eq!(loads.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_message_drops_the_name_locally() {
    let shared = Arc::new(MapCache::default());
    let (cache, _) = two_level(shared.clone());
    cache.apply(InvalidationEvent::Ready { sequence: 0 });
    let loads = AtomicUsize::new(0);
    read(&cache, &loads).await;
    read(&cache, &loads).await;
    assert_eq!(loads.load(Ordering::SeqCst), 1);
    // Another instance dropped the shared entry and says so.
    shared.entries.lock().unwrap().clear();
    cache.apply(InvalidationEvent::Names { names: tree_name(), sequence: 1 });
    read(&cache, &loads).await;
    assert_eq!(loads.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_request_after_a_message_not_yet_received_reads_the_database() {
    let shared = shared_holding("old");
    let (cache, _) = two_level(shared.clone());
    cache.apply(InvalidationEvent::Ready { sequence: 3 });
    let loads = AtomicUsize::new(0);
    assert_eq!(read(&cache, &loads).await[0].name, "old");
    // The author's instance published message 5; this one has seen up to 3.
    let author = reading_after(5, read(&cache, &loads)).await;
    assert_eq!(author[0].name, "News", "neither level is trusted for the author");
    assert_eq!(reading_after(3, read(&cache, &loads)).await[0].name, "old", "an older floor is met");
    cache.apply(InvalidationEvent::Names { names: vec!["other".into()], sequence: 5 });
    assert_eq!(reading_after(5, read(&cache, &loads)).await[0].name, "old", "caught up: the cache again");
    assert_eq!(loads.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_shared_only_keys_are_never_kept_locally_with_a_shared_level() {
    let shared = Arc::new(MapCache::default());
    let (cache, _) = two_level(shared.clone());
    cache.apply(InvalidationEvent::Ready { sequence: 0 });
    let key = || Key::login(crate::domain::LoginId(1));
    cache.get_or_load(key(), async { Ok(None) }).await.unwrap();
    shared.delete(&[key().into_name()]).await.unwrap();
    let loads = AtomicUsize::new(0);
    let load = async {
        loads.fetch_add(1, Ordering::SeqCst);
        Ok(None)
    };
    cache.get_or_load(key(), load).await.unwrap();
    assert_eq!(loads.load(Ordering::SeqCst), 1, "an ended login counts everywhere at once");
}
