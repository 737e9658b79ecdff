-- Mail goes through an outbox: the command that causes a mail writes its row in the same
-- transaction; a worker claims due rows with a lease (`lease_until`), sends, and marks them
-- sent, or due again later (backoff), or failed after the last attempt. The Message-ID is made
-- from the row's id, so a resend is recognisably the same mail.
CREATE TABLE mail_outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient        TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    body_html        TEXT NOT NULL,
    created_datetime INTEGER NOT NULL,
    due_datetime     INTEGER NOT NULL,
    lease_until      INTEGER NOT NULL DEFAULT 0,
    attempts         INTEGER NOT NULL DEFAULT 0,
    sent_datetime    INTEGER NULL,
    failed_datetime  INTEGER NULL,
    last_error       TEXT NULL
);
CREATE INDEX mail_outbox_by_due ON mail_outbox (sent_datetime, failed_datetime, due_datetime);

-- Single-use links sent by mail (password reset, address verification): only the SHA-256 of
-- the token is stored, so a copy of the database opens no account.
CREATE TABLE mail_token (
    token_hash       TEXT PRIMARY KEY,
    purpose          TEXT NOT NULL,
    user_id          INTEGER NOT NULL REFERENCES user (id),
    email            TEXT NULL,
    created_datetime INTEGER NOT NULL,
    expires_datetime INTEGER NOT NULL,
    used_datetime    INTEGER NULL
);
CREATE INDEX mail_token_by_user ON mail_token (user_id, purpose);

-- When the user's current address was shown to be theirs; NULL: not (yet) verified.
ALTER TABLE user ADD COLUMN email_verified_datetime INTEGER NULL;
