package io.berth.admin;

import io.berth.store.meta.Admission;
import io.dropwizard.db.DataSourceFactory;

import java.time.Duration;

/** How much database work the registry lets run and wait at once, from the pool's configuration. */
final class DatabaseAdmission {
    /** Requests that may wait per pooled connection before further ones are refused with 503. */
    private static final int QUEUE_PER_CONNECTION = 8;
    private static final Duration MAX_WAIT = Duration.ofSeconds(5);

    private DatabaseAdmission() {
    }

    /** As many units of work as the pool has connections, a bounded queue in front, a bounded wait. */
    static Admission of(DataSourceFactory database) {
        int connections = database.getMaxSize();
        return new Admission(connections, connections * QUEUE_PER_CONNECTION, MAX_WAIT);
    }
}
