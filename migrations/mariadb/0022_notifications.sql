-- Notifications are written by the command that causes them, in its transaction (the events do
-- not carry who acted, which "not of your own writes" and "a moderator's action" need).
-- kind: comment (on my post), reply (in a thread I commented on), mention, moderation.
-- mailed_datetime: when it went out by mail (at once, or in a digest); NULL: not (yet) mailed.
CREATE TABLE notification (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id          BIGINT NOT NULL,
    kind             VARCHAR(20) NOT NULL,
    actor_id         BIGINT NOT NULL,
    post_id          BIGINT NOT NULL,
    comment_id       BIGINT NULL,
    created_datetime BIGINT NOT NULL,
    read_datetime    BIGINT NULL,
    mailed_datetime  BIGINT NULL,
    -- The list (newest first, keyset on id) and the header's unread count, each one index range.
    KEY notification_by_user (user_id, id),
    KEY notification_unread (user_id, read_datetime)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A member who muted a thread gets no reply notifications from it.
CREATE TABLE notification_mute (
    user_id BIGINT NOT NULL,
    post_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, post_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Which kinds also come by mail: mode 'immediate' or 'digest'; no row: off (the default).
CREATE TABLE notification_mail (
    user_id BIGINT NOT NULL,
    kind    VARCHAR(20) NOT NULL,
    mode    VARCHAR(20) NOT NULL,
    PRIMARY KEY (user_id, kind)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per digest run (its period number): the instance whose insert succeeds sends it.
CREATE TABLE notification_digest_run (
    period           BIGINT NOT NULL PRIMARY KEY,
    created_datetime BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
