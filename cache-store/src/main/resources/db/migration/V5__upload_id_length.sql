-- Upload session ids are whatever the upload store makes: UUIDs on the file system, longer
-- opaque ids for object-store multipart uploads. Blobs accepts up to 128 characters.
ALTER TABLE upload ALTER COLUMN id SET DATA TYPE VARCHAR(128);
