//! Implementations of the ports: SQL databases (SQLite, MariaDB) and caches (memory, Redis).

pub mod cache;
pub mod rate;
pub mod sql;
