-- The OCI spec lists tags and repositories in lexical (code point) order, and pages through them
-- with "name > last". PostgreSQL compares text by the database's collation, and language-aware
-- ones (en_US in the official postgres image) fold case and skip punctuation. The C collation
-- compares bytes, which for these ASCII names is code point order, as H2 does by default.
ALTER TABLE repository ALTER COLUMN name TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE tag ALTER COLUMN name TYPE VARCHAR(128) COLLATE "C";
