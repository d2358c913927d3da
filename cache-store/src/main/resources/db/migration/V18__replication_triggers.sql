-- Replication triggers (io.berth.sync.trigger): what asked a policy to run while it could not run
-- at once, and db-scheduler's table for the schedules. Runs unchanged on H2 (PostgreSQL mode) and
-- PostgreSQL 15.

-- A full run of a policy asked for (by its schedule, or by the reconcile of an event-based policy)
-- and not started yet, because the policy had an execution pending or running. One row per policy:
-- further requests fold into it (one run follows, however many fired). claim names the dispatcher
-- that is starting it (claimed_at when): a request that arrives meanwhile clears the claim, so that
-- another run follows; a claim older than a few minutes was left by an instance that stopped and is
-- released. trigger_type: what the run is stored as (scheduled).
CREATE TABLE replication_run_request (
    policy_id     BIGINT PRIMARY KEY REFERENCES replication_policy (id) ON DELETE CASCADE,
    trigger_type  VARCHAR(16) NOT NULL,
    requested_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    claim         VARCHAR(64),
    claimed_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT replication_run_request_trigger CHECK (trigger_type IN ('manual', 'scheduled', 'event_based'))
);

-- A change at this Berth (an event of the outbox) that an event-based policy replicates, waiting for
-- an execution. Keyed by policy and event, so an event delivered twice is recorded once. kind: copy
-- (a push, or a label that now passes the policy's label filter) or delete (a tag or an artifact
-- deleted, for policies that replicate deletions). tag or digest may be null, not both. claim and
-- claimed_at: as above, while a dispatcher starts the execution; execution_id: the execution that
-- took the change; once that execution has ended the row is deleted, unless it ended Failed (its
-- instance stopped, or a side was unreachable): then it waits for the next one, up to three tries
-- (counted in tries); the reconcile copies what failed tasks did not.
CREATE TABLE replication_pending_change (
    policy_id     BIGINT NOT NULL REFERENCES replication_policy (id) ON DELETE CASCADE,
    event_id      BIGINT NOT NULL,
    kind          VARCHAR(8) NOT NULL,
    repository    VARCHAR(255) NOT NULL,
    tag           VARCHAR(128),
    digest        VARCHAR(140),
    recorded_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    claim         VARCHAR(64),
    claimed_at    TIMESTAMP WITH TIME ZONE,
    execution_id  BIGINT,
    tries         INT DEFAULT 0 NOT NULL,
    PRIMARY KEY (policy_id, event_id),
    CONSTRAINT replication_pending_change_kind CHECK (kind IN ('copy', 'delete')),
    CONSTRAINT replication_pending_change_names CHECK (tag IS NOT NULL OR digest IS NOT NULL)
);
CREATE INDEX replication_pending_change_claim ON replication_pending_change (claim, policy_id);
CREATE INDEX replication_pending_change_execution ON replication_pending_change (execution_id);

-- db-scheduler's table (its PostgreSQL script, index names prefixed): one row per scheduled task
-- instance, here the schedule of each scheduled policy and the reconcile of event-based ones.
-- picked/picked_by/version are its lock: of several instances polling it, one runs each firing.
CREATE TABLE scheduled_tasks (
    task_name             TEXT NOT NULL,
    task_instance         TEXT NOT NULL,
    task_data             BYTEA,
    execution_time        TIMESTAMP WITH TIME ZONE NOT NULL,
    picked                BOOLEAN NOT NULL,
    picked_by             TEXT,
    last_success          TIMESTAMP WITH TIME ZONE,
    last_failure          TIMESTAMP WITH TIME ZONE,
    consecutive_failures  INT,
    last_heartbeat        TIMESTAMP WITH TIME ZONE,
    version               BIGINT NOT NULL,
    priority              SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time ON scheduled_tasks (priority DESC, execution_time ASC);
