//! Keyboard only, JavaScript off: the skip link, the tab order, a focus ring you can see, and form errors
//! that take the focus and are tied to their fields.
//!
//! What has the focus and how it looks is read through WebDriver (chromedriver evaluates the inspection
//! in DevTools; the pages themselves still run no script).

use fantoccini::key::Key;
use serde_json::{Value as Json, json};

use super::audit::contrast;
use super::catalogue::{Forum, Spec, Who};
use super::driver::{Js, Session, chromedriver};
use super::tools::tools_or_skip;

/// Everything that can take the focus by Tab on the page, in document order; and where the focus is.
/// `tabindex="-1"` takes a control out of the Tab order on purpose (the sign-up form's trap field).
const FOCUS_STATE: &str = r#"
    const focusable = Array.from(document.querySelectorAll(
        'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])'
    )).filter(el => !el.disabled && el.getAttribute('tabindex') !== '-1' && el.getClientRects().length > 0
        && getComputedStyle(el).visibility !== 'hidden');
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    // The colour the outline is drawn on: an outline outside the element (offset >= 0) lies on what is
    // behind the element, the first ancestor with a background; one inside it lies on the element.
    let bg = 'rgba(0, 0, 0, 0)';
    const outside = (parseFloat(style.outlineOffset) || 0) >= 0;
    for (let node = outside ? el.parentElement : el; node; node = node.parentElement) {
        const c = getComputedStyle(node).backgroundColor;
        if (c && c !== 'transparent' && !c.startsWith('rgba(0, 0, 0, 0)')) { bg = c; break; }
    }
    if (bg.startsWith('rgba(0, 0, 0, 0)')) bg = getComputedStyle(document.documentElement).backgroundColor;
    return {
        count: focusable.length,
        index: focusable.indexOf(el),
        positiveTabindex: document.querySelectorAll('[tabindex]:not([tabindex="-1"]):not([tabindex="0"])').length,
        tag: el.tagName.toLowerCase(),
        type: String(el.type || ''),
        id: el.id,
        classes: String(el.className || ''),
        text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 60),
        inMain: !!el.closest('main'),
        visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth) || 0,
        outlineColor: style.outlineColor,
        background: bg,
        hash: location.hash,
    };
"#;

async fn focus_state(s: &Session) -> Json {
    s.client.execute(FOCUS_STATE, vec![]).await.expect("read the focus")
}

fn describe(state: &Json) -> String {
    format!(
        "<{}{}{}> {:?}",
        state["tag"].as_str().unwrap_or(""),
        if state["id"].as_str().unwrap_or("").is_empty() { String::new() } else { format!(" id={}", state["id"]) },
        if state["classes"].as_str().unwrap_or("").is_empty() {
            String::new()
        } else {
            format!(" class={}", state["classes"])
        },
        state["text"].as_str().unwrap_or("")
    )
}

/// A focus indicator one can see: a solid outline at least 2 px wide with 3:1 contrast against what is
/// behind the element (WCAG 1.4.11 / 2.4.7).
fn focus_problem(state: &Json) -> Option<String> {
    let style = state["outlineStyle"].as_str().unwrap_or("none");
    let width = state["outlineWidth"].as_f64().unwrap_or(0.0);
    if style == "none" || width < 2.0 {
        return Some(format!("no visible focus outline (outline {style} {width}px)"));
    }
    let color = state["outlineColor"].as_str().unwrap_or("");
    let background = state["background"].as_str().unwrap_or("");
    match contrast(color, background) {
        Some(ratio) if ratio >= 3.0 => None,
        Some(ratio) => Some(format!("focus outline {color} on {background} has contrast {ratio:.2}:1, under 3:1")),
        None => Some(format!("cannot read the focus outline colour {color:?} or the background {background:?}")),
    }
}

async fn load_as(forum: &Forum, s: &Session, who: Who, path: &str) {
    s.clear_cookies().await;
    if let Some(token) = forum.client(who).token() {
        s.set_cookie("forum_token", &token).await;
    }
    s.goto(path).await;
}

#[tokio::test]
async fn the_keyboard_reaches_everything_in_order_with_a_visible_focus_and_a_working_skip_link() {
    let test = "the_keyboard_reaches_everything_in_order_with_a_visible_focus_and_a_working_skip_link";
    let Some(tools) = tools_or_skip(test) else { return };
    let forum = Forum::build(60).await;
    let driver = chromedriver(&tools);
    let s = Session::start(&driver, &tools, forum.server.base_url(), Js::Off).await;
    let pages = [
        (Who::Nobody, "/".to_owned()),
        (Who::Nobody, format!("/categories/{}", forum.big_board.0)),
        (Who::Member, format!("/posts/{}", forum.post)),
        (Who::Nobody, "/signup".to_owned()),
        (Who::Member, "/settings".to_owned()),
        (Who::Admin, "/admin/users".to_owned()),
    ];
    let mut failures = Vec::new();
    for scheme in ["light", "dark"] {
        s.color_scheme(scheme).await;
        for (who, path) in &pages {
            let at = format!("{path} ({scheme}, {who:?})");
            // The skip link: the first Tab lands on it, it shows, Enter moves the focus to the main content.
            load_as(&forum, &s, *who, path).await;
            s.press(Key::Tab).await;
            let first = focus_state(&s).await;
            if !first["classes"].as_str().unwrap_or("").contains("skip-link") {
                failures.push(format!("{at}: the first Tab should reach the skip link, reached {}", describe(&first)));
                continue;
            }
            if first["visible"] != json!(true) {
                failures.push(format!("{at}: the focused skip link is not on screen"));
            }
            if let Some(problem) = focus_problem(&first) {
                failures.push(format!("{at}: skip link: {problem}"));
            }
            if scheme == "light" {
                // The outline of a focused link, as the browser computes it.
                let link = s.focused().await;
                let outline = link.css_value("outline-style").await.unwrap_or_default();
                if outline != "solid" {
                    failures.push(format!("{at}: the focused skip link's outline-style is {outline:?}"));
                }
            }
            s.press(Key::Enter).await;
            let after = focus_state(&s).await;
            if after["tag"] != json!("main") || after["hash"] != json!("#main") {
                failures.push(format!(
                    "{at}: Enter on the skip link should focus <main> (#main), focus is on {} ({})",
                    describe(&after),
                    after["hash"]
                ));
            }
            s.press(Key::Tab).await;
            let next = focus_state(&s).await;
            if next["inMain"] != json!(true) {
                failures.push(format!(
                    "{at}: after skipping, Tab should go on inside the main content, reached {}",
                    describe(&next)
                ));
            }

            // The whole tab order, from a fresh load: every focusable element once, in document order.
            load_as(&forum, &s, *who, path).await;
            let count = focus_state(&s).await["count"].as_u64().unwrap_or(0) as usize;
            if focus_state(&s).await["positiveTabindex"] != json!(0) {
                failures.push(format!("{at}: a positive tabindex changes the natural order"));
            }
            let mut order = Vec::new();
            // A date-and-time field takes one Tab for each of its parts (day, month, year, hour…).
            for _ in 0..(count + 2) * 3 {
                s.press(Key::Tab).await;
                let state = focus_state(&s).await;
                let index = state["index"].as_i64().unwrap_or(-1);
                let same_field = order.last().is_some_and(|&(i, _)| i == index);
                if same_field && state["type"] == json!("datetime-local") {
                    continue;
                }
                if index < 0 || (order.last().is_some_and(|&(i, _)| i >= index)) {
                    break;
                }
                if state["visible"] != json!(true) {
                    failures.push(format!("{at}: focused {} is not on screen", describe(&state)));
                }
                if let Some(problem) = focus_problem(&state) {
                    failures.push(format!("{at}: {}: {problem}", describe(&state)));
                }
                order.push((index, describe(&state)));
            }
            let indices: Vec<i64> = order.iter().map(|(i, _)| *i).collect();
            let expected: Vec<i64> = (0..count as i64).collect();
            if indices != expected {
                failures.push(format!(
                    "{at}: Tab should visit all {count} focusable elements in document order; visited {indices:?}: {:?}",
                    order.iter().map(|(_, d)| d.as_str()).collect::<Vec<_>>()
                ));
            }
            if count < 5 {
                failures.push(format!("{at}: only {count} focusable elements?"));
            }
        }
    }
    s.close().await;
    assert!(failures.is_empty(), "{} keyboard problems:\n{}", failures.len(), failures.join("\n"));
}

/// The error summary and the fields of the form on the page now.
const FORM_ERRORS: &str = r#"
    const summary = document.querySelector('.error-summary');
    const controls = Array.from(document.querySelectorAll('input, select, textarea')).filter(c => c.type !== 'hidden');
    const text = el => (el ? el.textContent : '').trim().replace(/\s+/g, ' ');
    return {
        focusIsSummary: !!summary && document.activeElement === summary,
        summaryRole: summary ? summary.getAttribute('role') : null,
        summaryText: text(summary),
        links: summary ? Array.from(summary.querySelectorAll('a')).map(a => ({ text: text(a), href: a.getAttribute('href') })) : [],
        invalid: controls.filter(c => c.getAttribute('aria-invalid') === 'true').map(c => ({
            id: c.id,
            label: text(c.labels && c.labels[0]),
            describedby: (c.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)
                .map(id => ({ id, text: text(document.getElementById(id)), isError: !!document.getElementById(id) && document.getElementById(id).classList.contains('field-error') })),
        })),
        errors: Array.from(document.querySelectorAll('.field-error')).map(e => ({ id: e.id, text: text(e) })),
        referenced: controls.flatMap(c => (c.getAttribute('aria-invalid') === 'true' ? (c.getAttribute('aria-describedby') || '').split(/\s+/) : [])),
    };
"#;

/// The error summary's heading in each language the forms are checked in.
const SUMMARY_TITLES: [(&str, &str); 2] = [("en", "There is a problem"), ("ko", "입력한 내용을 확인해 주세요")];

fn check_form(name: &str, summary_title: &str, state: &Json) -> Vec<String> {
    let mut problems = Vec::new();
    if state["focusIsSummary"] != json!(true) {
        problems.push(format!("{name}: the error summary does not have the focus"));
    }
    if state["summaryRole"] != json!("alert") {
        problems.push(format!("{name}: the error summary's role is {}, not alert", state["summaryRole"]));
    }
    let summary = state["summaryText"].as_str().unwrap_or("");
    if !summary.contains(summary_title) {
        problems.push(format!("{name}: the summary says {summary:?}"));
    }
    let links = state["links"].as_array().cloned().unwrap_or_default();
    let invalid = state["invalid"].as_array().cloned().unwrap_or_default();
    for control in &invalid {
        let id = control["id"].as_str().unwrap_or("");
        if control["label"].as_str().unwrap_or("").is_empty() {
            problems.push(format!("{name}: the invalid field #{id} has no label"));
        }
        let errors: Vec<&Json> = control["describedby"]
            .as_array()
            .map(|d| d.iter().filter(|x| x["isError"] == json!(true)).collect())
            .unwrap_or_default();
        let Some(error) = errors.first() else {
            problems.push(format!(
                "{name}: the invalid field #{id} is not described by its error (aria-describedby {})",
                control["describedby"]
            ));
            continue;
        };
        let message = error["text"].as_str().unwrap_or("");
        if message.is_empty() {
            problems.push(format!("{name}: the error of #{id} is empty"));
        }
        let linked = links.iter().any(|l| l["href"] == json!(format!("#{id}")) && l["text"].as_str() == Some(message));
        if !linked {
            problems.push(format!("{name}: the summary has no link \"{message}\" to #{id}: {links:?}"));
        }
    }
    for error in state["errors"].as_array().cloned().unwrap_or_default() {
        let id = error["id"].as_str().unwrap_or("");
        if !state["referenced"].as_array().is_some_and(|r| r.iter().any(|x| x.as_str() == Some(id))) {
            problems.push(format!("{name}: the error {:?} (#{id}) is not tied to an invalid field", error["text"]));
        }
    }
    if invalid.is_empty() && summary.len() <= summary_title.len() {
        problems.push(format!("{name}: neither a field error nor a message in the summary"));
    }
    problems
}

#[tokio::test]
async fn form_errors_take_the_focus_and_are_tied_to_their_fields() {
    let Some(tools) = tools_or_skip("form_errors_take_the_focus_and_are_tied_to_their_fields") else { return };
    let forum = Forum::build(60).await;
    let specs: Vec<Spec> = forum.pages().await.into_iter().filter(|s| s.form_errors).collect();
    assert!(specs.len() >= 6, "forms with errors in the catalogue: {}", specs.len());
    let driver = chromedriver(&tools);
    let s = Session::start(&driver, &tools, forum.server.base_url(), Js::Off).await;
    let mut failures = Vec::new();
    for (lang, summary_title) in SUMMARY_TITLES {
        for spec in &specs {
            let name = format!("{} ({lang})", spec.name);
            forum.show_in(&s, spec, Some(lang)).await;
            let state: Json = s.client.execute(FORM_ERRORS, vec![]).await.expect("read the form");
            failures.extend(check_form(&name, summary_title, &state));
            // From the summary, Tab reaches its first link, and Enter on it puts the focus in that field.
            if let Some(first) = state["links"].as_array().and_then(|l| l.first()).cloned() {
                s.press(Key::Tab).await;
                let on = focus_state(&s).await;
                if on["tag"] != json!("a") || on["text"] != first["text"] {
                    failures.push(format!(
                        "{name}: Tab from the summary should reach its first link, reached {}",
                        describe(&on)
                    ));
                    continue;
                }
                s.press(Key::Enter).await;
                let target = first["href"].as_str().unwrap_or("").trim_start_matches('#').to_owned();
                let field = focus_state(&s).await;
                if field["id"] != json!(target) {
                    failures.push(format!(
                        "{name}: Enter on the summary link should focus #{target}, focus is on {}",
                        describe(&field)
                    ));
                }
            }
        }
    }
    s.close().await;
    assert!(failures.is_empty(), "{} problems with form errors:\n{}", failures.len(), failures.join("\n"));
}
