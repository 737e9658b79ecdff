-- How many active posts hold each word of the search index (the words as rm_post_search
-- stores them, without the mark), and under the empty word how many posts are indexed. A
-- search reads it to choose between the FULLTEXT index (a rare word) and a walk over the
-- newest posts (a common one): InnoDB cannot tell how common a word is without finding every
-- match. Kept by the post projection; filled for existing posts at start (src/adapters/sql/backfill.rs).
CREATE TABLE rm_search_term (
    term  VARCHAR(80) NOT NULL PRIMARY KEY,
    posts BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
