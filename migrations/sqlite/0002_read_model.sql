-- The read model: denormalised rows that pages read with one keyed query.
-- Only the projections (src/adapters/sql/projections.rs) write these tables.

-- Public profile of a user.
CREATE TABLE rm_user (
    user_id       INTEGER PRIMARY KEY,
    name          TEXT NULL,
    name_key      TEXT NULL,
    role          TEXT NOT NULL,
    state         TEXT NOT NULL,
    joined        INTEGER NOT NULL,
    post_count    INTEGER NOT NULL DEFAULT 0,
    comment_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX rm_user_by_name ON rm_user (name_key);

-- The board/category tree with post counts (a board counts its categories' posts too).
CREATE TABLE rm_category (
    category_id INTEGER PRIMARY KEY,
    tier        INTEGER NOT NULL,
    name        TEXT NOT NULL,
    parent_id   INTEGER NULL,
    parent_name TEXT NULL,
    post_count  INTEGER NOT NULL DEFAULT 0
);
