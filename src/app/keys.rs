//! Cache keys, in one place so writers and readers agree.

pub const CATEGORY_TREE: &str = "tree";

/// Which user a name (folded) belongs to.
pub fn user_by_name(name_key: &str) -> String {
    format!("name:{name_key}")
}

pub fn profile(user_id: i64) -> String {
    format!("profile:{user_id}")
}

pub fn login(login_id: i64) -> String {
    format!("login:{login_id}")
}

pub fn post(post_id: i64) -> String {
    format!("post:{post_id}")
}

/// One page (numbered from 1) of a post's comments.
pub fn comments(post_id: i64, page: i64) -> String {
    format!("comments:{post_id}:{page}")
}

pub const NEWEST_POSTS: &str = "list:all";

/// The first (newest) page of a board's list; deeper pages are not cached.
pub fn board_list(board_id: i64) -> String {
    format!("list:board:{board_id}")
}

pub fn category_list(category_id: i64) -> String {
    format!("list:category:{category_id}")
}
