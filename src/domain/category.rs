//! Boards (tier 1) and the categories under them (tier 2).

pub const CATEGORY_NAME_MAX_CHARS: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryName(String);

impl CategoryName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        if name.is_empty() {
            return Err("Enter a name.".into());
        }
        if name.chars().count() > CATEGORY_NAME_MAX_CHARS {
            return Err(format!("A name has at most {CATEGORY_NAME_MAX_CHARS} characters."));
        }
        if name.chars().any(char::is_control) {
            return Err("A name cannot contain control characters.".into());
        }
        Ok(CategoryName(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a new category goes: a board has no parent; a category sits under a board.
/// The tree has two tiers, so a category's parent must itself be a board.
pub fn tier_under(parent_tier: Option<i64>) -> Result<i64, String> {
    match parent_tier {
        None => Ok(1),
        Some(1) => Ok(2),
        Some(_) => Err("Categories go under a board; the tree has two tiers.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_has_two_tiers() {
        assert_eq!(tier_under(None), Ok(1));
        assert_eq!(tier_under(Some(1)), Ok(2));
        assert!(tier_under(Some(2)).is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(CategoryName::parse("  Rust ").unwrap().as_str(), "Rust");
        assert!(CategoryName::parse("   ").is_err());
        assert!(CategoryName::parse(&"x".repeat(61)).is_err());
    }
}
