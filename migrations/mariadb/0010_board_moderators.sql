-- Moderators of single boards: each row lets a user moderate one board (tier 1) and its
-- categories. Admins and global moderators (role) moderate every board without a row.
CREATE TABLE board_moderator (
    user_id          BIGINT NOT NULL,
    board_id         BIGINT NOT NULL,
    created_datetime BIGINT NOT NULL,
    PRIMARY KEY (user_id, board_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The read side of it: which boards a user moderates, for the pages and the admin list.
CREATE TABLE rm_board_moderator (
    user_id  BIGINT NOT NULL,
    board_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, board_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
