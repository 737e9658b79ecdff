-- Mail goes through an outbox: the command that causes a mail writes its row in the same
-- transaction; a worker claims due rows with a lease (`lease_until`), sends, and marks them
-- sent, or due again later (backoff), or failed after the last attempt. The Message-ID is made
-- from the row's id, so a resend is recognisably the same mail.
CREATE TABLE mail_outbox (
    id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    recipient        VARCHAR(320) NOT NULL,
    subject          VARCHAR(500) NOT NULL,
    body_text        MEDIUMTEXT NOT NULL,
    body_html        MEDIUMTEXT NOT NULL,
    created_datetime BIGINT NOT NULL,
    due_datetime     BIGINT NOT NULL,
    lease_until      BIGINT NOT NULL DEFAULT 0,
    attempts         BIGINT NOT NULL DEFAULT 0,
    sent_datetime    BIGINT NULL,
    failed_datetime  BIGINT NULL,
    last_error       TEXT NULL,
    KEY mail_outbox_by_due (sent_datetime, failed_datetime, due_datetime)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Single-use links sent by mail (password reset, address verification): only the SHA-256 of
-- the token is stored, so a copy of the database opens no account.
CREATE TABLE mail_token (
    token_hash       VARCHAR(64) NOT NULL PRIMARY KEY,
    purpose          VARCHAR(16) NOT NULL,
    user_id          BIGINT NOT NULL,
    email            VARCHAR(320) NULL,
    created_datetime BIGINT NOT NULL,
    expires_datetime BIGINT NOT NULL,
    used_datetime    BIGINT NULL,
    KEY mail_token_by_user (user_id, purpose),
    CONSTRAINT mail_token_user FOREIGN KEY (user_id) REFERENCES user (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- When the user's current address was shown to be theirs; NULL: not (yet) verified.
ALTER TABLE user ADD COLUMN email_verified_datetime BIGINT NULL;
