//! Which of a page's post and comments a user voted for, from the write tables.

use super::super::SqlDatabase;
use super::super::rows::read_by_name;
use crate::domain::{CommentId, PostId, UserId};
use crate::ports::StoreResult;

/// Whether a vote for the post was found.
struct PostVote {
    voted: bool,
}
read_by_name!(PostVote { voted });

/// A vote for a comment.
struct CommentVote {
    comment_id: CommentId,
}
read_by_name!(CommentVote { comment_id });

pub(super) async fn votes_of(
    db: &SqlDatabase,
    user_id: UserId,
    post_id: PostId,
    comment_ids: &[CommentId],
) -> StoreResult<(bool, Vec<CommentId>)> {
    let post_vote: Option<PostVote> = db
        .short_read_one(
            "SELECT 1 AS voted FROM voter_post WHERE user_id = ? AND post_id = ?",
            &[user_id.into(), post_id.into()],
        )
        .await?;
    let voted_post = post_vote.is_some_and(|vote| vote.voted);
    let (Some(first), Some(last)) = (comment_ids.iter().min(), comment_ids.iter().max()) else {
        return Ok((voted_post, Vec::new()));
    };
    let comment_votes: Vec<CommentVote> = db
        .short_read(
            "SELECT v.comment_id FROM voter_comment v JOIN comment k ON k.id = v.comment_id \
             WHERE v.user_id = ? AND k.post_id = ? AND v.comment_id BETWEEN ? AND ?",
            &[user_id.into(), post_id.into(), (*first).into(), (*last).into()],
        )
        .await?;
    Ok((voted_post, comment_votes.into_iter().map(|vote| vote.comment_id).collect()))
}
