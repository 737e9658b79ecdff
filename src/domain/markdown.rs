//! Markdown to HTML that is safe to show: rendered by pulldown-cmark, then cleaned by ammonia,
//! which keeps a fixed set of tags and attributes and drops every script, style, event
//! handler and `javascript:` URL. Raw HTML in the source is shown as text, never run.

use pulldown_cmark::{Event, Options, Parser, html};
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
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    // Raw HTML becomes visible text, so "<b>" typed in a post reads as "<b>".
    let parser = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    CLEANER.clean(&unsafe_html).to_string()
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
