-- One post per click: the one-time key each creating form carries, claimed in the transaction
-- that creates what it asks for. A second submission of the key finds the row and is sent to
-- what the first created (`created_id`, a post or comment id by `kind`). Kept for a day
-- (an hourly sweep forgets older keys).
CREATE TABLE form_key (
    user_id          BIGINT NOT NULL,
    kind             VARCHAR(16) NOT NULL,
    form_key         VARCHAR(64) NOT NULL,
    created_id       BIGINT NULL,
    created_datetime BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind, form_key),
    KEY form_key_by_created (created_datetime)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Sign-ups per client address (the address's key: IPv4, or an IPv6 /64) per UTC day, so the
-- daily cap holds across instances. The hourly sweep forgets past days.
CREATE TABLE signup_quota (
    day         BIGINT NOT NULL,
    address_key VARCHAR(64) NOT NULL,
    signups     BIGINT NOT NULL,
    PRIMARY KEY (day, address_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Invite codes for the invite-only registration mode: single use, revocable, and showing who
-- used them.
CREATE TABLE invite (
    code             VARCHAR(64) NOT NULL PRIMARY KEY,
    created_by       BIGINT NOT NULL,
    created_datetime BIGINT NOT NULL,
    used_by          BIGINT NULL,
    used_datetime    BIGINT NULL,
    revoked_datetime BIGINT NULL,
    KEY invite_by_created (created_datetime),
    CONSTRAINT invite_created_by FOREIGN KEY (created_by) REFERENCES user (id),
    CONSTRAINT invite_used_by FOREIGN KEY (used_by) REFERENCES user (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
