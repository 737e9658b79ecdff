-- Locked, pinned and moved threads. The post carries its current state (what every page and
-- command reads); thread_action keeps every moderator's action on it with the reason given.
ALTER TABLE post ADD COLUMN is_locked BIGINT NOT NULL DEFAULT 0;
-- The reason of the lock in force (NULL while unlocked): shown on the post page.
ALTER TABLE post ADD COLUMN lock_reason TEXT NULL;
-- When the post was pinned to the top of its lists (NULL: not pinned); pins list newest first.
ALTER TABLE post ADD COLUMN pinned_datetime BIGINT NULL;

CREATE TABLE thread_action (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    post_id          BIGINT NOT NULL,
    user_id          BIGINT NOT NULL,
    -- lock, unlock, pin, unpin, move
    action           VARCHAR(16) NOT NULL,
    reason           TEXT NOT NULL,
    from_category_id BIGINT NULL,
    to_category_id   BIGINT NULL,
    created_datetime BIGINT NOT NULL,
    KEY thread_action_by_post (post_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The list rows carry the marks; pinned_at is 0 for a post that is not pinned.
ALTER TABLE rm_post ADD COLUMN is_locked BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rm_post ADD COLUMN pinned_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rm_post ADD COLUMN lock_reason TEXT NULL;
-- A list's pinned posts, found without walking the list.
CREATE INDEX rm_post_pinned_by_board ON rm_post (board_id, pinned_at);
CREATE INDEX rm_post_pinned_by_category ON rm_post (category_id, pinned_at);
