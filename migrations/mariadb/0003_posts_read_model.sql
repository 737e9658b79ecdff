-- Read model of posts and comments (MariaDB twin of migrations/sqlite/0003).

CREATE TABLE rm_post (
    post_id       BIGINT NOT NULL PRIMARY KEY,
    board_id      BIGINT NOT NULL,
    category_id   BIGINT NOT NULL,
    user_id       BIGINT NOT NULL,
    is_active     BIGINT NOT NULL,
    version       BIGINT NOT NULL,
    created       BIGINT NOT NULL,
    edited        BIGINT NOT NULL,
    comment_count BIGINT NOT NULL,
    vote_count    BIGINT NOT NULL,
    author_name   VARCHAR(64) NULL,
    category_name VARCHAR(255) NOT NULL,
    title         VARCHAR(1020) NOT NULL,
    body_html     MEDIUMTEXT NOT NULL,
    INDEX rm_post_by_board (board_id, is_active, post_id),
    INDEX rm_post_by_category (category_id, is_active, post_id),
    INDEX rm_post_by_activity (is_active, post_id),
    INDEX rm_post_by_user (user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE rm_comment (
    comment_id  BIGINT NOT NULL PRIMARY KEY,
    post_id     BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    is_active   BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    created     BIGINT NOT NULL,
    edited      BIGINT NOT NULL,
    vote_count  BIGINT NOT NULL,
    author_name VARCHAR(64) NULL,
    body_html   MEDIUMTEXT NOT NULL,
    INDEX rm_comment_by_post (post_id, comment_id),
    INDEX rm_comment_by_user (user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Full-text index of active posts. InnoDB skips words shorter than three characters and
-- its stop words, so every word is stored with a two-letter mark in front ("go" → "zzgo";
-- see src/adapters/sql/search.rs): two-letter words, one-letter words and Korean words
-- become findable, and "word*" matches by prefix as on SQLite.
CREATE TABLE rm_post_search (
    post_id BIGINT NOT NULL PRIMARY KEY,
    terms   MEDIUMTEXT NOT NULL,
    FULLTEXT INDEX rm_post_search_terms (terms)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
