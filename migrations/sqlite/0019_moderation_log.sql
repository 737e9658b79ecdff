-- Every moderator and admin action, written by the command in its own transaction: the
-- write-side source of the public moderation log (rm_modlog). `kind` names the action
-- (post_removed, user_blocked, …; new kinds need no migration). The item columns that do not
-- apply stay NULL. `is_private` hides the reason from everyone but moderators.
CREATE TABLE moderation_action (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT NOT NULL,
    moderator_id     INTEGER NOT NULL REFERENCES user (id),
    board_id         INTEGER NULL REFERENCES category (id),
    post_id          INTEGER NULL,
    comment_id       INTEGER NULL,
    target_user_id   INTEGER NULL,
    reason           TEXT NULL,
    is_private       INTEGER NOT NULL DEFAULT 0,
    until_datetime   INTEGER NULL,
    created_datetime INTEGER NOT NULL
);
CREATE INDEX moderation_action_by_post ON moderation_action (post_id, id);
CREATE INDEX moderation_action_by_comment ON moderation_action (comment_id, id);

-- The log as its page shows it, names included; keyset pages by action_id, newest first.
CREATE TABLE rm_modlog (
    action_id      INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    moderator_id   INTEGER NOT NULL,
    moderator_name TEXT NULL,
    board_id       INTEGER NULL,
    board_name     TEXT NULL,
    post_id        INTEGER NULL,
    comment_id     INTEGER NULL,
    target_user_id INTEGER NULL,
    target_name    TEXT NULL,
    reason         TEXT NULL,
    is_private     INTEGER NOT NULL,
    until_datetime INTEGER NULL,
    created        INTEGER NOT NULL
);
CREATE INDEX rm_modlog_by_board ON rm_modlog (board_id, action_id);
CREATE INDEX rm_modlog_by_moderator ON rm_modlog (moderator_id, action_id);
CREATE INDEX rm_modlog_by_kind ON rm_modlog (kind, action_id);
