//! Byte caches behind the `Cache` port: in-process (the embedded default) and Redis (shared by
//! many instances). Decoded values are kept by the app's read cache, not here.

mod memory;
mod redis;
pub use self::redis::{RedisCache, RedisRateStore, RedisSettings};
pub use memory::MemoryCache;
