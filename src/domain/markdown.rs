//! Markdown to HTML that is safe to show: rendered by pulldown-cmark, then cleaned by ammonia,
//! which keeps a fixed set of tags and attributes and drops every script, style, event
//! handler and `javascript:` URL. Raw HTML in the source is shown as text, never run.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("nofollow noopener noreferrer ugc"))
        .rm_tags(["img"]);
    builder
});

/// Renders user Markdown into sanitised HTML.
pub fn render(source: &str) -> String {
    render_with_mentions(source, &|_| false)
}

/// Renders user Markdown, with each `@name` for which `known` says yes (it is given the folded
/// name: `crate::domain::fold_key`) turned into a link to that member's profile. Names in code
/// and inside links stay text.
pub fn render_with_mentions(source: &str, known: &dyn Fn(&str) -> bool) -> String {
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    let mut plain_depth = 0usize;
    let mut events: Vec<Event> = Vec::new();
    for event in Parser::new_ext(source, options) {
        match event {
            // Raw HTML becomes visible text, so "<b>" typed in a post reads as "<b>".
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Start(tag @ (Tag::Link { .. } | Tag::CodeBlock(_))) => {
                plain_depth += 1;
                events.push(Event::Start(tag));
            }
            Event::End(tag @ (TagEnd::Link | TagEnd::CodeBlock)) => {
                plain_depth = plain_depth.saturating_sub(1);
                events.push(Event::End(tag));
            }
            Event::Text(text) if plain_depth == 0 && text.contains('@') => link_mentions(&text, known, &mut events),
            other => events.push(other),
        }
    }
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events.into_iter());
    CLEANER.clean(&unsafe_html).to_string()
}

/// Splits a text into plain parts and links for the known @names in it.
fn link_mentions<'a>(text: &str, known: &dyn Fn(&str) -> bool, out: &mut Vec<Event<'a>>) {
    let names: Vec<String> =
        super::notifications::mentions(text).into_iter().filter(|name| known(&super::fold_key(name))).collect();
    let mut rest = text;
    let mut plain = String::new();
    while let Some((head, after)) = rest.split_once('@') {
        plain.push_str(head);
        let before_ok = plain.chars().next_back().is_none_or(|c| !(c.is_alphanumeric() || "_-.@".contains(c)));
        // The name and what follows it, when it is a whole known name.
        let name = names.iter().find_map(|name| {
            let tail = after.strip_prefix(name.as_str())?;
            (!tail.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')).then_some((name, tail))
        });
        match name {
            Some((name, tail)) if before_ok => {
                out.push(Event::Text(std::mem::take(&mut plain).into()));
                let mut href = String::from("/users/");
                for byte in name.bytes() {
                    if byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-' {
                        href.push(char::from(byte));
                    } else {
                        href.push_str(&format!("%{byte:02X}"));
                    }
                }
                // The name holds only letters, digits, `_` and `-`: nothing to escape in it.
                out.push(Event::InlineHtml(format!(r#"<a href="{href}">@{name}</a>"#).into()));
                rest = tail;
            }
            _ => {
                plain.push('@');
                rest = after;
            }
        }
    }
    plain.push_str(rest);
    out.push(Event::Text(plain.into()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders() {
        let html = render("# Title\n\n**bold** and `code`\n\n- a\n- b");
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains("<strong>bold</strong>"));
        assert!(html.contains("<code>code</code>"));
        assert!(html.contains("<li>a</li>"));
    }

    /// The tags of an HTML fragment as written (`<a href=…>`), skipping text.
    fn tags(html: &str) -> Vec<String> {
        html.split('<').skip(1).filter_map(|rest| rest.split_once('>').map(|(tag, _)| tag.to_lowercase())).collect()
    }

    #[test]
    fn scripts_and_handlers_never_survive() {
        for attack in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<style>body{display:none}</style>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "[x](JaVaScRiPt:alert(1))",
            "<svg onload=alert(1)>",
            "![x](https://evil.example/x.png)",
        ] {
            let html = render(attack);
            for tag in tags(&html) {
                let name = tag.trim_start_matches('/').split_whitespace().next().unwrap_or_default().to_string();
                assert!(
                    ["p", "a", "strong", "em", "code", "pre", "ul", "ol", "li"].contains(&name.as_str()),
                    "{attack} left the tag <{tag}> in {html}"
                );
                assert!(!tag.contains(" on"), "{attack} left a handler in <{tag}>");
                assert!(!tag.contains("javascript:"), "{attack} left a script URL in <{tag}>");
            }
        }
    }

    #[test]
    fn known_mentions_become_profile_links() {
        let known = |key: &str| key == "kim" || key == "김철수";
        let html = render_with_mentions("hi @Kim, @nobody and @김철수 `@kim` mail a@kim", &known);
        assert!(html.contains(r#"href="/users/Kim""#) && html.contains(">@Kim</a>"), "{html}");
        assert!(html.contains("/users/%EA%B9%80%EC%B2%A0%EC%88%98"), "{html}");
        assert!(html.contains("@nobody") && !html.contains("/users/nobody"), "{html}");
        assert_eq!(html.matches("<a ").count(), 2, "not in code nor in an address: {html}");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        assert!(render("<b>hi</b>").contains("&lt;b&gt;hi&lt;/b&gt;"));
    }

    #[test]
    fn links_are_marked_as_user_content() {
        let html = render("[rust](https://www.rust-lang.org)");
        assert!(html.contains("href=\"https://www.rust-lang.org\""));
        assert!(html.contains("rel=\"nofollow noopener noreferrer ugc\""));
    }
}
