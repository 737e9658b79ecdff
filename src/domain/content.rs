//! Posts and comments: what may be written, and how it is shown.

pub const TITLE_MAX_CHARS: usize = 255;
/// Long technical posts (code, logs) need more room than a comment.
pub const POST_MAX_CHARS: usize = 20_000;
pub const COMMENT_MAX_CHARS: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleError {
    Blank,
    TooLong { max: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    Blank,
    /// Longer than allowed; says by how much, so the writer knows what to cut.
    TooLong {
        max: usize,
        actual: usize,
    },
}

/// A post title: 1–255 characters, not blank, one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);

impl Title {
    pub fn parse(raw: &str) -> Result<Self, TitleError> {
        let title = raw.trim();
        if title.is_empty() {
            return Err(TitleError::Blank);
        }
        if title.chars().count() > TITLE_MAX_CHARS {
            return Err(TitleError::TooLong { max: TITLE_MAX_CHARS });
        }
        // Newlines and other control characters have no place in a one-line title.
        Ok(Title(title.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The Markdown text of a post or comment: not blank, bounded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body(String);

impl Body {
    pub fn parse_post(raw: &str) -> Result<Self, BodyError> {
        Self::parse(raw, POST_MAX_CHARS)
    }

    pub fn parse_comment(raw: &str) -> Result<Self, BodyError> {
        Self::parse(raw, COMMENT_MAX_CHARS)
    }

    fn parse(raw: &str, max: usize) -> Result<Self, BodyError> {
        // Browsers send CRLF; store one kind of line end so diffs compare lines, not bytes.
        let text = raw.replace("\r\n", "\n");
        let text = text.trim_end();
        if text.trim().is_empty() {
            return Err(BodyError::Blank);
        }
        let actual = text.chars().count();
        if actual > max {
            return Err(BodyError::TooLong { max, actual });
        }
        Ok(Body(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_one_line_and_bounded() {
        assert!(Title::parse("   ").is_err());
        assert_eq!(Title::parse(" Hello ").unwrap().as_str(), "Hello");
        assert_eq!(Title::parse("a\nb").unwrap().as_str(), "a b");
        assert!(Title::parse(&"가".repeat(255)).is_ok());
        assert!(Title::parse(&"가".repeat(256)).is_err());
    }

    #[test]
    fn bodies_are_not_blank_and_bounded() {
        assert!(Body::parse_post(" \n\t ").is_err());
        assert_eq!(Body::parse_post("a\r\nb\r\n").unwrap().as_str(), "a\nb");
        assert!(Body::parse_post(&"x".repeat(POST_MAX_CHARS)).is_ok());
        assert!(Body::parse_post(&"x".repeat(POST_MAX_CHARS + 1)).is_err());
        assert!(Body::parse_comment(&"x".repeat(COMMENT_MAX_CHARS + 1)).is_err());
    }
}
