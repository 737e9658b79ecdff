-- A member's newest posts (their feed): walked newest first among their active posts, like a
-- board's list. It also serves every lookup by author that the index on user_id alone did.
CREATE INDEX rm_post_by_author ON rm_post (user_id, is_active, post_id);
DROP INDEX rm_post_by_user;
