-- Moderators of single boards: each row lets a user moderate one board (tier 1) and its
-- categories. Admins and global moderators (role) moderate every board without a row.
CREATE TABLE board_moderator (
    user_id          INTEGER NOT NULL REFERENCES user (id),
    board_id         INTEGER NOT NULL REFERENCES category (id),
    created_datetime INTEGER NOT NULL,
    PRIMARY KEY (user_id, board_id)
);

-- The read side of it: which boards a user moderates, for the pages and the admin list.
CREATE TABLE rm_board_moderator (
    user_id  INTEGER NOT NULL,
    board_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, board_id)
);
