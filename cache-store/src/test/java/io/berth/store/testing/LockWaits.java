package io.berth.store.testing;

import io.berth.store.meta.Transactions;

import java.sql.SQLException;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Waits until another transaction is blocked on a row lock (or has finished), so that a test can
 * let the lock holder go on only once the interleaving it wants is in place. Polls the database's
 * own view of waiting sessions: H2's {@code INFORMATION_SCHEMA.SESSIONS.BLOCKER_ID}, PostgreSQL's
 * ungranted locks of sessions that hold a lock on this test schema's {@code blob} table. It waits for
 * a condition, never for a time: the deadline only turns a hang into a failure.
 */
public final class LockWaits {
    private static final long DEADLINE_MILLIS = 60_000;

    private LockWaits() {
    }

    /** Returns once {@code work} has finished or a session waits for a lock on {@code blob} rows. */
    public static void awaitBlockedOrDone(Transactions tx, Future<?> work) {
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (!work.isDone() && !blocked(tx)) {
            if (System.currentTimeMillis() > deadline) {
                fail("neither finished nor blocked on a lock");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static boolean blocked(Transactions tx) {
        return tx.withHandle(h -> {
            try {
                String product = h.getConnection().getMetaData().getDatabaseProductName();
                String sql = product.equals("H2")
                        ? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL"
                        : "SELECT COUNT(*) FROM pg_locks w JOIN pg_locks t ON t.pid = w.pid"
                        + " WHERE NOT w.granted AND t.relation = to_regclass('blob')";
                return h.createQuery(sql).mapTo(Long.class).one() > 0;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
