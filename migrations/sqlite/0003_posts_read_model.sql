-- Read model of posts and comments: one row per post or comment, ready to show.
-- Small columns first: a list page reads only those, never the long text at the end.

CREATE TABLE rm_post (
    post_id       INTEGER PRIMARY KEY,
    board_id      INTEGER NOT NULL,
    category_id   INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    is_active     INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    created       INTEGER NOT NULL,
    edited        INTEGER NOT NULL,
    comment_count INTEGER NOT NULL,
    vote_count    INTEGER NOT NULL,
    author_name   TEXT NULL,
    category_name TEXT NOT NULL,
    title         TEXT NOT NULL,
    body_html     TEXT NOT NULL
);
CREATE INDEX rm_post_by_board ON rm_post (board_id, is_active, post_id);
CREATE INDEX rm_post_by_category ON rm_post (category_id, is_active, post_id);
CREATE INDEX rm_post_by_activity ON rm_post (is_active, post_id);
CREATE INDEX rm_post_by_user ON rm_post (user_id);

CREATE TABLE rm_comment (
    comment_id  INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    is_active   INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    created     INTEGER NOT NULL,
    edited      INTEGER NOT NULL,
    vote_count  INTEGER NOT NULL,
    author_name TEXT NULL,
    body_html   TEXT NOT NULL
);
CREATE INDEX rm_comment_by_post ON rm_comment (post_id, comment_id);
CREATE INDEX rm_comment_by_user ON rm_comment (user_id);

-- Full-text index of active posts (rowid = post id). unicode61 splits words on spaces and
-- punctuation in any script, folds case and accents; the prefix indexes make "word*"
-- queries fast for two- and three-letter beginnings (Korean words with particles, short
-- English words). A one-letter prefix still works, by scanning the terms.
CREATE VIRTUAL TABLE rm_post_search USING fts5 (
    title, content, author,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
