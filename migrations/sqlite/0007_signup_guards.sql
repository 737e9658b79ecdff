-- One post per click: the one-time key each creating form carries, claimed in the transaction
-- that creates what it asks for. A second submission of the key finds the row and is sent to
-- what the first created (`created_id`, a post or comment id by `kind`). Kept for a day
-- (an hourly sweep forgets older keys).
CREATE TABLE form_key (
    user_id          INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    form_key         TEXT NOT NULL,
    created_id       INTEGER NULL,
    created_datetime INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind, form_key)
);

-- Sign-ups per client address (the address's key: IPv4, or an IPv6 /64) per UTC day, so the
-- daily cap holds across instances. The hourly sweep forgets past days.
CREATE TABLE signup_quota (
    day         INTEGER NOT NULL,
    address_key TEXT NOT NULL,
    signups     INTEGER NOT NULL,
    PRIMARY KEY (day, address_key)
);

-- Invite codes for the invite-only registration mode: single use, revocable, and showing who
-- used them.
CREATE TABLE invite (
    code             TEXT PRIMARY KEY,
    created_by       INTEGER NOT NULL REFERENCES user (id),
    created_datetime INTEGER NOT NULL,
    used_by          INTEGER NULL REFERENCES user (id),
    used_datetime    INTEGER NULL,
    revoked_datetime INTEGER NULL
);
CREATE INDEX invite_by_created ON invite (created_datetime);
-- The hourly sweep of expired keys.
CREATE INDEX form_key_by_created ON form_key (created_datetime);
