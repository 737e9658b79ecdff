-- A block may end by itself: the state holds until this time (NULL: for good). The check
-- compares it with the clock wherever a block is read, so no job has to lift it.
ALTER TABLE user_state ADD COLUMN until_datetime INTEGER NULL;
