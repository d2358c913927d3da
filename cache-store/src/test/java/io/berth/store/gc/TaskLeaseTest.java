package io.berth.store.gc;

import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.Transactions;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One holder at a time per task, across instances sharing a database, on both databases. */
@OnH2AndPostgres
class TaskLeaseTest extends DatabaseTestBase {
    private static final Duration LEASE = Duration.ofMinutes(5);
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private Transactions tx;

    TaskLeaseTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void open() {
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
    }

    private TaskLease lease(String owner) {
        return new TaskLease(tx, "eviction", owner, LEASE, clock);
    }

    @Test
    void aHeldLease_isRefusedToOthers_untilReleased() {
        assertTrue(lease("a").acquire());
        assertTrue(lease("a").acquire(), "its holder may take it again");
        assertFalse(lease("b").acquire());

        lease("a").release();

        assertTrue(lease("b").acquire());
    }

    @Test
    void anExpiredLease_isTakenOver_andItsOldHolderCannotRenewIt() {
        assertTrue(lease("a").acquire());
        clock.advance(LEASE.plusSeconds(1));

        assertTrue(lease("b").acquire());

        assertFalse(lease("a").renew());
        assertTrue(lease("b").renew());
    }

    @Test
    void renewing_keepsOthersOut_pastTheFirstLease() {
        assertTrue(lease("a").acquire());
        clock.advance(LEASE.minusSeconds(1));
        assertTrue(lease("a").renew());
        clock.advance(LEASE.minusSeconds(1));

        assertFalse(lease("b").acquire());
    }
}
