-- Members' reports of posts and comments (item_kind 'post' or 'comment', item_id its id).
-- One report per member and item, open or handled: the unique key is the last word on it.
-- A moderator handles all open reports of an item at once: one report_resolution row, which
-- each of them then names.
CREATE TABLE report_resolution (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    item_kind        TEXT    NOT NULL,
    item_id          INTEGER NOT NULL,
    moderator_id     INTEGER NOT NULL REFERENCES user (id),
    action           TEXT    NOT NULL,
    note             TEXT    NOT NULL,
    created_datetime INTEGER NOT NULL
);

CREATE TABLE report (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    reporter_id      INTEGER NOT NULL REFERENCES user (id),
    item_kind        TEXT    NOT NULL,
    item_id          INTEGER NOT NULL,
    reason           TEXT    NOT NULL,
    details          TEXT    NULL,
    created_datetime INTEGER NOT NULL,
    resolution_id    INTEGER NULL REFERENCES report_resolution (id),
    UNIQUE (reporter_id, item_kind, item_id)
);
CREATE INDEX report_by_item ON report (item_kind, item_id, resolution_id);
CREATE INDEX report_by_reporter ON report (reporter_id, id);

-- The read side: one row per item with open reports, what the moderator queue lists, in
-- either of its orders (keyset: newest report first, or most reports first).
CREATE TABLE rm_open_report (
    item_kind       TEXT    NOT NULL,
    item_id         INTEGER NOT NULL,
    board_id        INTEGER NOT NULL,
    report_count    INTEGER NOT NULL,
    newest_datetime INTEGER NOT NULL,
    reasons         TEXT    NOT NULL,
    PRIMARY KEY (item_kind, item_id)
);
CREATE INDEX rm_open_report_newest ON rm_open_report (newest_datetime, item_kind, item_id);
CREATE INDEX rm_open_report_count ON rm_open_report (report_count, newest_datetime, item_kind, item_id);
