//! The integration tests: one test crate, so the shared helpers (`common`) and the forum library are
//! compiled and linked once for all of them instead of once per file.
//!
//! Each module is one area of the forum, tested from outside: the real `forum` binary on port 0 with a
//! database of its own, driven over HTTP (`common`), or in headless Chromium (`browser`). `read_model`
//! also drives the library in this process. Tests run on parallel threads of this one process, so none
//! of them may change process-wide state (environment variables, the current directory).
//!
//! Run one area with a filter on its module path: `cargo test --test suite sessions::`.

// The lints of Cargo.toml that are for the forum's own code, not for its tests.
#![allow(clippy::unwrap_used, reason = "a test and its helpers report a failure by panicking")]
#![allow(
    clippy::too_many_lines,
    reason = "the limit of 80 lines is for src/; a test that tells one visit from start to end reads better whole"
)]
#![allow(
    clippy::string_slice,
    reason = "a test that slices a page's text at a wrong offset panics, which fails the test: the lint's harm is the test's purpose"
)]
#![allow(
    clippy::let_underscore_must_use,
    reason = "a test's cleanup (killing a server, closing a browser) has no one to report its failure to"
)]

mod common;

mod accounts;
mod browser;
mod comments;
mod copy;
mod faults;
mod feeds;
mod history;
mod languages;
mod limits;
mod lists;
mod mail;
mod moderation;
mod moderation_flow;
mod modlog;
mod notifications;
mod operations;
mod posts;
mod read_model;
mod reports;
mod scale_out;
mod search;
mod security;
mod sessions;
mod signup;
mod threads;
mod two_level_cache;
