-- Every moderator and admin action, written by the command in its own transaction: the
-- write-side source of the public moderation log (rm_modlog). `kind` names the action
-- (post_removed, user_blocked, …; new kinds need no migration). The item columns that do not
-- apply stay NULL. `is_private` hides the reason from everyone but moderators.
CREATE TABLE moderation_action (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind             VARCHAR(64) NOT NULL,
    moderator_id     BIGINT NOT NULL,
    board_id         BIGINT NULL,
    post_id          BIGINT NULL,
    comment_id       BIGINT NULL,
    target_user_id   BIGINT NULL,
    reason           TEXT NULL,
    is_private       BIGINT NOT NULL DEFAULT 0,
    until_datetime   BIGINT NULL,
    created_datetime BIGINT NOT NULL,
    INDEX moderation_action_by_post (post_id, id),
    INDEX moderation_action_by_comment (comment_id, id),
    FOREIGN KEY (moderator_id) REFERENCES user (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The log as its page shows it, names included; keyset pages by action_id, newest first.
CREATE TABLE rm_modlog (
    action_id      BIGINT NOT NULL PRIMARY KEY,
    kind           VARCHAR(64) NOT NULL,
    moderator_id   BIGINT NOT NULL,
    moderator_name VARCHAR(255) NULL,
    board_id       BIGINT NULL,
    board_name     VARCHAR(255) NULL,
    post_id        BIGINT NULL,
    comment_id     BIGINT NULL,
    target_user_id BIGINT NULL,
    target_name    VARCHAR(255) NULL,
    reason         TEXT NULL,
    is_private     BIGINT NOT NULL,
    until_datetime BIGINT NULL,
    created        BIGINT NOT NULL,
    INDEX rm_modlog_by_board (board_id, action_id),
    INDEX rm_modlog_by_moderator (moderator_id, action_id),
    INDEX rm_modlog_by_kind (kind, action_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
