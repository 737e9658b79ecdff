-- What a user chose for the interface: a language code (en, ko) and an IANA time zone name.
-- NULL: the switcher's cookie, the browser's languages and the forum's defaults decide.
ALTER TABLE user ADD COLUMN language TEXT NULL;
ALTER TABLE user ADD COLUMN time_zone TEXT NULL;
