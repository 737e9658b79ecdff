//! Real browsers: Debian's Chromium driven through chromedriver (WebDriver), against the real `forum`
//! binary (`TestServer` of the suite's `common` module).
//!
//! - A new visitor does everything a member does, with JavaScript off, by the labels and names a screen
//!   reader announces ([`journey`]); a visitor whose browser asks for Korean, in Korean ([`journey_ko`]).
//! - Every kind of page passes axe-core's WCAG 2.0/2.1/2.2 A and AA rules in light and dark colour schemes,
//!   fits a 360 px wide screen, has a unique title, and the main pages are photographed at 1280 and 390 px
//!   ([`pages`]); every page is valid HTML for the W3C Nu HTML checker ([`html`]).
//! - Keyboard: skip link, tab order, visible focus, form errors tied to their fields, in both languages ([`keyboard`]).
//!
//! Needs chromium, chromedriver, java and `node_modules` (`bash scripts/test` installs them); without them
//! each test prints "skipped: …" and passes, unless `FORUM_REQUIRE_BROWSER=1`.

mod audit;
mod catalogue;
mod driver;
mod tools;

mod html;
mod journey;
mod journey_ko;
mod keyboard;
mod pages;
