//! Rate limits counted in this process (the `governor` crate's GCRA). The shared, Redis-backed
//! store is next to the Redis cache (`adapters::cache::RedisRateStore`).

mod local;
pub use local::LocalRateStore;
