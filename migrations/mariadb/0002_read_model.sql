-- The read model (MariaDB twin of migrations/sqlite/0002_read_model.sql).

CREATE TABLE rm_user (
    user_id       BIGINT NOT NULL PRIMARY KEY,
    name          VARCHAR(64) NULL,
    name_key      VARCHAR(64) NULL,
    role          VARCHAR(32) NOT NULL,
    state         VARCHAR(32) NOT NULL,
    joined        BIGINT NOT NULL,
    post_count    BIGINT NOT NULL DEFAULT 0,
    comment_count BIGINT NOT NULL DEFAULT 0,
    INDEX rm_user_by_name (name_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE rm_category (
    category_id BIGINT NOT NULL PRIMARY KEY,
    tier        BIGINT NOT NULL,
    name        VARCHAR(255) NOT NULL,
    parent_id   BIGINT NULL,
    parent_name VARCHAR(255) NULL,
    post_count  BIGINT NOT NULL DEFAULT 0
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
