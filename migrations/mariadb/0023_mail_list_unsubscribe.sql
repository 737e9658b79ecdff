-- Mail about notifications carries a one-click List-Unsubscribe link (RFC 8058); NULL: none.
ALTER TABLE mail_outbox ADD COLUMN list_unsubscribe VARCHAR(2000) NULL;
