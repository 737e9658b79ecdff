-- Notifications are written by the command that causes them, in its transaction (the events do
-- not carry who acted, which "not of your own writes" and "a moderator's action" need).
-- kind: comment (on my post), reply (in a thread I commented on), mention, moderation.
-- mailed_datetime: when it went out by mail (at once, or in a digest); NULL: not (yet) mailed.
CREATE TABLE notification (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          INTEGER NOT NULL REFERENCES user (id),
    kind             TEXT NOT NULL,
    actor_id         INTEGER NOT NULL REFERENCES user (id),
    post_id          INTEGER NOT NULL REFERENCES post (id),
    comment_id       INTEGER NULL REFERENCES comment (id),
    created_datetime INTEGER NOT NULL,
    read_datetime    INTEGER NULL,
    mailed_datetime  INTEGER NULL
);
-- The list (newest first, keyset on id) and the header's unread count, each one index range.
CREATE INDEX notification_by_user ON notification (user_id, id);
CREATE INDEX notification_unread ON notification (user_id, read_datetime);

-- A member who muted a thread gets no reply notifications from it.
CREATE TABLE notification_mute (
    user_id INTEGER NOT NULL REFERENCES user (id),
    post_id INTEGER NOT NULL REFERENCES post (id),
    PRIMARY KEY (user_id, post_id)
);

-- Which kinds also come by mail: mode 'immediate' or 'digest'; no row: off (the default).
CREATE TABLE notification_mail (
    user_id INTEGER NOT NULL REFERENCES user (id),
    kind    TEXT NOT NULL,
    mode    TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- One row per digest run (its period number): the instance whose insert succeeds sends it.
CREATE TABLE notification_digest_run (
    period           INTEGER PRIMARY KEY,
    created_datetime INTEGER NOT NULL
);
