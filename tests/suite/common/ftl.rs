//! What the locale files say, read by the tests themselves: a test compares a mail or a page
//! with locales/{lang}/{file}.ftl rather than with a copy of its words that would go stale.

use std::path::Path;

/// The message `id` of locales/`lang`/`file`.ftl with its `{ $name }` placeables filled in.
/// Only plain messages (one line, or indented lines that continue it): a message with a
/// selector or a term is not something these tests compare whole.
pub fn message(lang: &str, file: &str, id: &str, args: &[(&str, &str)]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("locales/{lang}/{file}.ftl"));
    let source = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let mut lines = source.lines();
    let first = lines
        .by_ref()
        .find_map(|line| line.strip_prefix(id).and_then(|rest| rest.trim_start().strip_prefix('=')))
        .unwrap_or_else(|| panic!("no message {id} in {}", path.display()));
    let mut pattern = vec![first.trim().to_string()];
    pattern.extend(lines.take_while(|line| line.starts_with(' ')).map(|line| line.trim().to_string()));
    let mut text = pattern.into_iter().filter(|line| !line.is_empty()).collect::<Vec<_>>().join("\n");
    for (name, value) in args {
        text = text.replace(&format!("{{ ${name} }}"), value);
    }
    assert!(!text.contains('{'), "{id} in {}: a placeable was not filled in or is not plain: {text}", path.display());
    text
}
