-- The write model: the ERD of the original design, kept.
-- Times are Unix milliseconds (INTEGER) so SQLite and MariaDB store them alike.

CREATE TABLE role (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO role (id, name) VALUES (1, 'admin'), (2, 'moderator'), (3, 'member');

CREATE TABLE state (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO state (id, name) VALUES (1, 'active'), (2, 'blocked');

-- name, email and password become NULL when the user resigns.
-- name_key and email_key are the case-folded forms that carry the uniqueness rules.
CREATE TABLE user (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT NULL,
    name_key         TEXT NULL UNIQUE,
    password         TEXT NULL,
    email            TEXT NULL,
    email_key        TEXT NULL UNIQUE,
    created_datetime INTEGER NOT NULL,
    role_id          INTEGER NULL REFERENCES role (id)
);

-- History of state changes; the newest row is the current state.
CREATE TABLE user_state (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          INTEGER NOT NULL REFERENCES user (id),
    state_id         INTEGER NOT NULL REFERENCES state (id),
    detail           TEXT NULL,
    created_datetime INTEGER NOT NULL
);
CREATE INDEX user_state_by_user ON user_state (user_id, id);

-- One row per login. The session token carries this id; ended_datetime set = session over.
CREATE TABLE logged_in (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          INTEGER NOT NULL REFERENCES user (id),
    created_datetime INTEGER NOT NULL,
    ended_datetime   INTEGER NULL
);
CREATE INDEX logged_in_by_user ON logged_in (user_id);

-- A two-tier tree: tier 1 boards (parent_id NULL), tier 2 categories under a board.
CREATE TABLE category (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    tier      INTEGER NOT NULL,
    name      TEXT NOT NULL,
    parent_id INTEGER NULL REFERENCES category (id)
);
CREATE INDEX category_by_parent ON category (parent_id);

CREATE TABLE post (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          INTEGER NOT NULL REFERENCES user (id),
    category_id      INTEGER NOT NULL REFERENCES category (id),
    created_datetime INTEGER NOT NULL,
    is_active        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX post_by_user ON post (user_id);
CREATE INDEX post_by_category ON post (category_id);

-- Every edit adds a version: 0, 1, 2 ...
CREATE TABLE post_content (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    version          INTEGER NOT NULL,
    created_datetime INTEGER NOT NULL,
    title            TEXT NOT NULL,
    content          TEXT NOT NULL,
    post_id          INTEGER NOT NULL REFERENCES post (id),
    UNIQUE (post_id, version)
);

CREATE TABLE voter_post (
    user_id INTEGER NOT NULL REFERENCES user (id),
    post_id INTEGER NOT NULL REFERENCES post (id),
    PRIMARY KEY (user_id, post_id)
);
CREATE INDEX voter_post_by_post ON voter_post (post_id);

CREATE TABLE comment (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          INTEGER NOT NULL REFERENCES user (id),
    post_id          INTEGER NOT NULL REFERENCES post (id),
    created_datetime INTEGER NOT NULL,
    is_active        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX comment_by_post ON comment (post_id, id);
CREATE INDEX comment_by_user ON comment (user_id);

CREATE TABLE comment_content (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    version          INTEGER NOT NULL,
    created_datetime INTEGER NOT NULL,
    content          TEXT NOT NULL,
    comment_id       INTEGER NOT NULL REFERENCES comment (id),
    UNIQUE (comment_id, version)
);

CREATE TABLE voter_comment (
    user_id    INTEGER NOT NULL REFERENCES user (id),
    comment_id INTEGER NOT NULL REFERENCES comment (id),
    PRIMARY KEY (user_id, comment_id)
);
CREATE INDEX voter_comment_by_comment ON voter_comment (comment_id);

-- Settings the forum keeps for itself (the session-signing secret, one-time set-up markers).
CREATE TABLE forum_setting (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Domain events, written in the same transaction as the change they describe.
-- applied = 0 until the projections have brought the read model up to date with it.
CREATE TABLE event (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    created_datetime INTEGER NOT NULL,
    payload          TEXT NOT NULL,
    applied          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_pending ON event (applied, id);
