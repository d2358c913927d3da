-- What the next features need from the schema, reserved now so that they plug into the core
-- instead of rewriting it. Runs unchanged on H2 (PostgreSQL mode) and PostgreSQL 15.

-- How a project's content is sourced: 'local' (pushed by clients) or 'proxy' (a pull-through
-- cache of an upstream registry, read-only for clients). The repository resolver reads it.
ALTER TABLE project ADD COLUMN kind VARCHAR(16) DEFAULT 'local' NOT NULL;

-- When a proxy last revalidated the tag against its upstream (HEAD), to serve it from the cache
-- within a freshness window. Null for tags pushed by clients.
ALTER TABLE tag ADD COLUMN checked_at TIMESTAMP WITH TIME ZONE;

-- When the artifact was last pulled (manifest GET), kept by the batched pull recorder; eviction
-- of cached proxy content and retention policies read it.
ALTER TABLE artifact ADD COLUMN pulled_at TIMESTAMP WITH TIME ZONE;

-- Referrers are paged by digest; admin listings page artifacts newest first.
DROP INDEX artifact_subject;
CREATE INDEX artifact_subject ON artifact (repository_id, subject_digest, digest);
CREATE INDEX artifact_pushed ON artifact (repository_id, pushed_at, id);
