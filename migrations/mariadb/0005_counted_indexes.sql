-- The indexes that a user's and a category's counts walk also say whether each post or
-- comment is active, so counting reads the index alone instead of every row it finds.
-- Each new index still starts with the foreign key's column, as the key needs.
ALTER TABLE post DROP INDEX post_by_user, ADD INDEX post_by_user (user_id, is_active),
    DROP INDEX post_by_category, ADD INDEX post_by_category (category_id, is_active);
ALTER TABLE comment DROP INDEX comment_by_user, ADD INDEX comment_by_user (user_id, is_active);
