-- The write model: the ERD of the original design, kept (MariaDB twin of migrations/sqlite).
-- Times are Unix milliseconds. Ids are signed BIGINT (sqlx decodes them as i64).

CREATE TABLE role (
    id   BIGINT NOT NULL PRIMARY KEY,
    name VARCHAR(32) NOT NULL UNIQUE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
INSERT INTO role (id, name) VALUES (1, 'admin'), (2, 'moderator'), (3, 'member');

CREATE TABLE state (
    id   BIGINT NOT NULL PRIMARY KEY,
    name VARCHAR(32) NOT NULL UNIQUE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
INSERT INTO state (id, name) VALUES (1, 'active'), (2, 'blocked');

CREATE TABLE user (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name             VARCHAR(64) NULL,
    name_key         VARCHAR(64) NULL UNIQUE,
    password         VARCHAR(255) NULL,
    email            VARCHAR(254) NULL,
    email_key        VARCHAR(254) NULL UNIQUE,
    created_datetime BIGINT NOT NULL,
    role_id          BIGINT NULL REFERENCES role (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE user_state (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id          BIGINT NOT NULL,
    state_id         BIGINT NOT NULL,
    detail           TEXT NULL,
    created_datetime BIGINT NOT NULL,
    INDEX user_state_by_user (user_id, id),
    FOREIGN KEY (user_id) REFERENCES user (id),
    FOREIGN KEY (state_id) REFERENCES state (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE logged_in (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id          BIGINT NOT NULL,
    created_datetime BIGINT NOT NULL,
    ended_datetime   BIGINT NULL,
    INDEX logged_in_by_user (user_id),
    FOREIGN KEY (user_id) REFERENCES user (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE category (
    id        BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    tier      BIGINT NOT NULL,
    name      VARCHAR(255) NOT NULL,
    parent_id BIGINT NULL,
    INDEX category_by_parent (parent_id),
    FOREIGN KEY (parent_id) REFERENCES category (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE post (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id          BIGINT NOT NULL,
    category_id      BIGINT NOT NULL,
    created_datetime BIGINT NOT NULL,
    is_active        BIGINT NOT NULL DEFAULT 1,
    INDEX post_by_user (user_id),
    INDEX post_by_category (category_id),
    FOREIGN KEY (user_id) REFERENCES user (id),
    FOREIGN KEY (category_id) REFERENCES category (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE post_content (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    version          BIGINT NOT NULL,
    created_datetime BIGINT NOT NULL,
    title            VARCHAR(1020) NOT NULL,
    content          MEDIUMTEXT NOT NULL,
    post_id          BIGINT NOT NULL,
    UNIQUE (post_id, version),
    FOREIGN KEY (post_id) REFERENCES post (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE voter_post (
    user_id BIGINT NOT NULL,
    post_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, post_id),
    INDEX voter_post_by_post (post_id),
    FOREIGN KEY (user_id) REFERENCES user (id),
    FOREIGN KEY (post_id) REFERENCES post (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE comment (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id          BIGINT NOT NULL,
    post_id          BIGINT NOT NULL,
    created_datetime BIGINT NOT NULL,
    is_active        BIGINT NOT NULL DEFAULT 1,
    INDEX comment_by_post (post_id, id),
    INDEX comment_by_user (user_id),
    FOREIGN KEY (user_id) REFERENCES user (id),
    FOREIGN KEY (post_id) REFERENCES post (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE comment_content (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    version          BIGINT NOT NULL,
    created_datetime BIGINT NOT NULL,
    content          MEDIUMTEXT NOT NULL,
    comment_id       BIGINT NOT NULL,
    UNIQUE (comment_id, version),
    FOREIGN KEY (comment_id) REFERENCES comment (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE voter_comment (
    user_id    BIGINT NOT NULL,
    comment_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, comment_id),
    INDEX voter_comment_by_comment (comment_id),
    FOREIGN KEY (user_id) REFERENCES user (id),
    FOREIGN KEY (comment_id) REFERENCES comment (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE forum_setting (
    name  VARCHAR(64) NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE event (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_datetime BIGINT NOT NULL,
    payload          TEXT NOT NULL,
    applied          BIGINT NOT NULL DEFAULT 0,
    INDEX event_pending (applied, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
