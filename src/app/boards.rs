//! The board and category tree as the pages use it: boards with their categories, and the
//! list of places a post can go (or a search can look in).

use super::App;
use crate::domain::CategoryId;
use crate::ports::{CategoryRow, StoreResult};

/// A board with the categories under it.
#[derive(Debug, Clone)]
pub struct Board {
    pub board: CategoryRow,
    pub categories: Vec<CategoryRow>,
}

/// One board or category as a choice in a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryChoice {
    pub id: CategoryId,
    /// The board's name, or "Board › Category".
    pub label: String,
    pub is_board: bool,
}

/// Groups the flat rows (boards first, each followed by its categories) into boards.
pub fn boards(rows: &[CategoryRow]) -> Vec<Board> {
    let mut boards: Vec<Board> = rows
        .iter()
        .filter(|row| row.parent_id.is_none())
        .map(|board| Board { board: board.clone(), categories: Vec::new() })
        .collect();
    for child in rows.iter().filter(|row| row.parent_id.is_some()) {
        if let Some(parent) = boards.iter_mut().find(|b| Some(b.board.id) == child.parent_id) {
            parent.categories.push(child.clone());
        }
    }
    boards
}

/// Every board followed by its categories, in the order of the tree.
pub fn category_choices(rows: &[CategoryRow]) -> Vec<CategoryChoice> {
    let mut choices = Vec::with_capacity(rows.len());
    for board in boards(rows) {
        choices.push(CategoryChoice { id: board.board.id, label: board.board.name.clone(), is_board: true });
        for category in board.categories {
            let label = format!("{} › {}", board.board.name, category.name);
            choices.push(CategoryChoice { id: category.id, label, is_board: false });
        }
    }
    choices
}

impl App {
    /// The boards, each with its categories.
    pub async fn boards(&self) -> StoreResult<Vec<Board>> {
        Ok(boards(&self.category_tree().await?))
    }

    /// Where a post can go: every board and category.
    pub async fn category_choices(&self) -> StoreResult<Vec<CategoryChoice>> {
        Ok(category_choices(&self.category_tree().await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, name: &str, parent: Option<(i64, &str)>) -> CategoryRow {
        CategoryRow {
            id: CategoryId(id),
            tier: if parent.is_some() { 2 } else { 1 },
            name: name.into(),
            parent_id: parent.map(|(id, _)| CategoryId(id)),
            parent_name: parent.map(|(_, name)| name.to_string()),
            post_count: 0,
        }
    }

    #[test]
    fn choices_list_each_board_then_its_categories() {
        let rows = vec![
            row(1, "General", None),
            row(4, "Programming", None),
            row(2, "News", Some((1, "General"))),
            row(5, "Rust", Some((4, "Programming"))),
            row(3, "Off-topic", Some((1, "General"))),
        ];
        let labels: Vec<(CategoryId, String, bool)> =
            category_choices(&rows).into_iter().map(|c| (c.id, c.label, c.is_board)).collect();
        assert_eq!(
            labels,
            vec![
                (CategoryId(1), "General".to_string(), true),
                (CategoryId(2), "General › News".to_string(), false),
                (CategoryId(3), "General › Off-topic".to_string(), false),
                (CategoryId(4), "Programming".to_string(), true),
                (CategoryId(5), "Programming › Rust".to_string(), false),
            ]
        );
        assert_eq!(boards(&rows)[0].categories.len(), 2);
    }
}
