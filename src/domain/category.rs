//! Boards (tier 1) and the categories under them (tier 2).

pub const CATEGORY_NAME_MAX_CHARS: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryNameError {
    Blank,
    TooLong { max: usize },
    ControlCharacters,
}

/// Why a new category cannot go where it was asked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentError {
    /// What was sent is not one of the boards offered.
    NotAChoice,
    /// No board has that id.
    Missing,
    /// The parent is a category, and the tree has two tiers.
    NotABoard,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryName(String);

impl CategoryName {
    pub fn parse(raw: &str) -> Result<Self, CategoryNameError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(CategoryNameError::Blank);
        }
        if name.chars().count() > CATEGORY_NAME_MAX_CHARS {
            return Err(CategoryNameError::TooLong { max: CATEGORY_NAME_MAX_CHARS });
        }
        if name.chars().any(char::is_control) {
            return Err(CategoryNameError::ControlCharacters);
        }
        Ok(CategoryName(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a new category goes: a board has no parent; a category sits under a board.
/// The tree has two tiers, so a category's parent must itself be a board.
pub fn tier_under(parent_tier: Option<i64>) -> Result<i64, ParentError> {
    match parent_tier {
        None => Ok(1),
        Some(1) => Ok(2),
        Some(_) => Err(ParentError::NotABoard),
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
