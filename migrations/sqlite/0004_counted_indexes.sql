-- The indexes that a user's and a category's counts walk also say whether each post or
-- comment is active, so counting reads the index alone instead of every row it finds
-- (refilling the profiles after a bulk load of 300k posts: 2.1 s -> 0.1 s).
DROP INDEX post_by_user;
CREATE INDEX post_by_user ON post (user_id, is_active);
DROP INDEX post_by_category;
CREATE INDEX post_by_category ON post (category_id, is_active);
DROP INDEX comment_by_user;
CREATE INDEX comment_by_user ON comment (user_id, is_active);
