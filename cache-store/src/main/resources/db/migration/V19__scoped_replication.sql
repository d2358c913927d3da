-- Replication of changes (issue 8): deletions are tasks too, a policy may rewrite an index its
-- platform filter leaves sparse, and a project may accept indexes whose children are missing.
-- Runs unchanged on H2 (PostgreSQL mode) and PostgreSQL 15.

-- What a task does at the destination: copy (the artifact reference, as before) or delete (a
-- deletion at the source, replicated when the policy's replicate_deletion is on).
ALTER TABLE replication_task ADD COLUMN operation VARCHAR(8) DEFAULT 'copy' NOT NULL;
ALTER TABLE replication_task ADD CONSTRAINT replication_task_operation CHECK (operation IN ('copy', 'delete'));

-- When a platform filter leaves children of an index out: false copies the index byte-exact (the
-- destination must accept an index whose children are missing), true pushes a new index holding
-- only the selected children (its digest differs from the source's; the task log says both).
ALTER TABLE replication_policy ADD COLUMN rewrite_sparse_index BOOLEAN DEFAULT FALSE NOT NULL;

-- Whether a pushed index may name child manifests the repository does not have (a replica that
-- receives only some platforms). Blobs of image manifests are always required.
ALTER TABLE project ADD COLUMN allow_sparse_indexes BOOLEAN DEFAULT FALSE NOT NULL;
