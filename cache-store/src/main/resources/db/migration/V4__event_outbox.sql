-- The event outbox: what happened to the registry's content (pushes, tag and artifact deletes,
-- pulls), written in the same transaction as the change it records and read by consumers (audit,
-- webhooks, replication, metrics) through durable cursors. Runs unchanged on H2 (PostgreSQL mode)
-- and PostgreSQL 15.

-- One row per event. The writer assigns ids from event_counter, not from a sequence: see
-- io.berth.store.event.Outbox for why that makes commit order equal id order.
CREATE TABLE event (
    id             BIGINT PRIMARY KEY,
    occurred_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    type           VARCHAR(16) NOT NULL,
    repository     VARCHAR(255) NOT NULL,
    digest         VARCHAR(140),
    media_type     VARCHAR(255),
    tag            VARCHAR(128),
    actor          VARCHAR(255) NOT NULL,
    actor_kind     VARCHAR(16) NOT NULL,
    remote_address VARCHAR(64),
    -- identical pulls within a flush interval are written as one row
    count          INT NOT NULL DEFAULT 1,
    -- JSON, for what later event kinds need beyond these columns
    detail         TEXT
);
-- Retention deletes by age.
CREATE INDEX event_occurred_at ON event (occurred_at);

-- The last id handed out. Its single row is the lock that serialises outbox writers.
CREATE TABLE event_counter (
    id       INT PRIMARY KEY CHECK (id = 1),
    last_id  BIGINT NOT NULL
);
INSERT INTO event_counter (id, last_id) VALUES (1, 0);

-- Where each consumer is (the last event it acknowledged), and which instance may process it
-- until when.
CREATE TABLE event_cursor (
    name        VARCHAR(128) PRIMARY KEY,
    position    BIGINT NOT NULL,
    owner       VARCHAR(64),
    lease_until TIMESTAMP WITH TIME ZONE,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
