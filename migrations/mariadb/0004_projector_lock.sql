-- The row the projector locks for its turn (one instance applies events at a time). Locking
-- the pending events themselves would take gap locks that block every command recording a new
-- event, which deadlocks with the projector's recounts.
CREATE TABLE projector_turn (
    id BIGINT NOT NULL PRIMARY KEY
) ENGINE = InnoDB;
INSERT INTO projector_turn (id) VALUES (1);
