-- Members' reports of posts and comments (item_kind 'post' or 'comment', item_id its id).
-- One report per member and item, open or handled: the unique key is the last word on it.
-- A moderator handles all open reports of an item at once: one report_resolution row, which
-- each of them then names.
CREATE TABLE report_resolution (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    item_kind        VARCHAR(16) NOT NULL,
    item_id          BIGINT NOT NULL,
    moderator_id     BIGINT NOT NULL,
    action           VARCHAR(16) NOT NULL,
    note             TEXT NOT NULL,
    created_datetime BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE report (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    reporter_id      BIGINT NOT NULL,
    item_kind        VARCHAR(16) NOT NULL,
    item_id          BIGINT NOT NULL,
    reason           VARCHAR(16) NOT NULL,
    details          TEXT NULL,
    created_datetime BIGINT NOT NULL,
    resolution_id    BIGINT NULL,
    UNIQUE KEY report_once (reporter_id, item_kind, item_id),
    KEY report_by_item (item_kind, item_id, resolution_id),
    KEY report_by_reporter (reporter_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The read side: one row per item with open reports, what the moderator queue lists, in
-- either of its orders (keyset: newest report first, or most reports first).
CREATE TABLE rm_open_report (
    item_kind       VARCHAR(16) NOT NULL,
    item_id         BIGINT NOT NULL,
    board_id        BIGINT NOT NULL,
    report_count    BIGINT NOT NULL,
    newest_datetime BIGINT NOT NULL,
    reasons         VARCHAR(255) NOT NULL,
    PRIMARY KEY (item_kind, item_id),
    KEY rm_open_report_newest (newest_datetime, item_kind, item_id),
    KEY rm_open_report_count (report_count, newest_datetime, item_kind, item_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
