-- What a name looks like (its UTS #39 confusable skeleton, see domain::name_skeleton), unique
-- so that no two people can hold names that pass for each other. Filled in by the program for
-- accounts made before this column (a name that looks like an older one keeps NULL). A
-- skeleton can be longer than its name: one letter may stand for several.
ALTER TABLE user ADD COLUMN name_skeleton VARCHAR(255) NULL, ADD UNIQUE INDEX name_skeleton (name_skeleton);
