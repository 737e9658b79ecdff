//! Every kind of page, exactly as the server sends it, in English and in Korean, is valid HTML for
//! the W3C Nu HTML checker (`vnu.jar`), and so is the stylesheet.

use std::path::Path;

use super::audit::{artifacts, vnu};
use super::catalogue::{Forum, Who};
use super::tools::tools_or_skip;

#[tokio::test]
async fn every_page_and_the_stylesheet_pass_the_nu_html_checker() {
    let Some(tools) = tools_or_skip("every_page_and_the_stylesheet_pass_the_nu_html_checker") else { return };
    let forum = Forum::build(60).await;
    let specs = forum.pages().await;
    let dir = artifacts("html");
    let mut files = Vec::new();
    let mut failures = Vec::new();
    for spec in &specs {
        let page = forum.fetch(spec).await;
        if page.status != spec.status {
            failures.push(format!("{}: status {} (expected {})", spec.name, page.status, spec.status));
        }
        if !page.is_html() {
            failures.push(format!("{}: not HTML: {:?}", spec.name, page.header("content-type")));
        }
        let h1 = page.text("h1").unwrap_or_default();
        if !h1.contains(&spec.h1) {
            failures.push(format!("{}: expected an h1 containing {:?}, got {h1:?}", spec.name, spec.h1));
        }
        let file = dir.join(format!("{}.html", spec.name));
        std::fs::write(&file, &page.body).unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
        files.push(file);
    }
    // The same pages in Korean, as the language switcher's cookie asks for them.
    for who in [Who::Nobody, Who::Member, Who::Admin] {
        forum.client(who).set_cookie("forum_lang", "ko");
    }
    for spec in &specs {
        let page = forum.fetch(spec).await;
        if page.status != spec.status {
            failures.push(format!("{} (ko): status {} (expected {})", spec.name, page.status, spec.status));
        }
        if !page.has(r#"html[lang="ko"]"#) || page.text("h1").unwrap_or_default().trim().is_empty() {
            failures.push(format!("{} (ko): not a Korean page with a heading\n{}", spec.name, page.body_excerpt()));
        }
        let file = dir.join(format!("{}-ko.html", spec.name));
        std::fs::write(&file, &page.body).unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
        files.push(file);
    }
    files.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("static/forum.css"));
    // A page broken on purpose proves that the checker read the files and reports errors.
    let broken = dir.join("zz-broken-on-purpose.html");
    std::fs::write(&broken, "<!doctype html><html lang=en><title>x</title><p><div></span>").expect("write");
    files.push(broken);

    let messages = tokio::task::spawn_blocking({
        let tools = tools.clone();
        move || vnu(&tools, &files)
    })
    .await
    .expect("run the Nu HTML checker");
    let (on_purpose, real): (Vec<_>, Vec<_>) =
        messages.into_iter().partition(|m| m.file == "zz-broken-on-purpose.html");
    assert!(!on_purpose.is_empty(), "the Nu HTML checker must report the errors of a broken page");
    for m in &real {
        failures.push(format!("{} line {}: {} — {}", m.file, m.line, m.message, m.extract));
    }

    assert!(
        failures.is_empty(),
        "{} problems in {} pages, each in two languages (the HTML is in {}):\n{}",
        failures.len(),
        specs.len(),
        dir.display(),
        failures.join("\n")
    );
}
