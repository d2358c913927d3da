-- Garbage collection of blob content, and eviction from proxy projects' caches. Runs unchanged on
-- H2 (PostgreSQL mode) and PostgreSQL 15.

-- A blob whose row was deleted because nothing referenced it any more. Its content is removed from
-- the blob store once the grace period has passed, unless a row was recorded for it again meanwhile
-- (io.berth.store.gc.BlobReclaimer says why that order is safe). Deleted again: the time restarts.
CREATE TABLE blob_tombstone (
    digest      VARCHAR(140) PRIMARY KEY,
    deleted_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX blob_tombstone_deleted_at ON blob_tombstone (deleted_at, digest);

-- Background tasks that one instance at a time runs (eviction): who holds each, until when.
CREATE TABLE task_lease (
    name         VARCHAR(64) PRIMARY KEY,
    owner        VARCHAR(64),
    lease_until  TIMESTAMP WITH TIME ZONE
);

-- The last eviction run of each proxy project, which its cache usage reports: when it finished,
-- and what it removed (artifacts; blob links of its repositories; bytes its cache no longer holds).
CREATE TABLE eviction_run (
    project_id   BIGINT PRIMARY KEY REFERENCES project (id) ON DELETE CASCADE,
    finished_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    artifacts    BIGINT NOT NULL,
    links        BIGINT NOT NULL,
    bytes        BIGINT NOT NULL
);
