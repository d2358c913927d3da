package io.berth.store.meta;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

import java.sql.SQLException;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs units of work in a transaction and retries them when they lose a race. Upserts are
 * written as {@code MERGE} (the one form H2 and PostgreSQL share), and on PostgreSQL two
 * concurrent {@code MERGE}s of the same new key can still collide on the unique index: the
 * loser sees a unique violation, and running it again finds the winner's row.
 */
public final class Transactions {
    private static final Set<String> RETRYABLE = Set.of(
            "23505", // unique violation: a concurrent insert of the same key won
            // A row this one points at was deleted meanwhile (garbage collection of a blob, eviction of an
            // artifact): running again re-creates it or finds it gone. PostgreSQL says 23503, H2 23506.
            "23503",
            "23506",
            "40001", // serialization failure
            "40P01", // PostgreSQL deadlock
            "HYT00"); // H2 lock timeout
    private static final int ATTEMPTS = 5;

    private final Jdbi jdbi;
    private final Admission admission;

    public Transactions(Jdbi jdbi, Admission admission) {
        this.jdbi = jdbi;
        this.admission = admission;
    }

    /**
     * Runs {@code work} in a transaction, again when it loses a race. Never call it from inside
     * another unit of work: each holds a connection and an admission permit.
     */
    public <T> T inTransaction(Function<Handle, T> work) {
        return admission.run(() -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, work::apply);
                } catch (JdbiException e) {
                    if (isPoolExhausted(e)) {
                        throw Admission.busy();
                    }
                    if (attempt >= ATTEMPTS || !isRetryable(e)) {
                        throw e;
                    }
                }
            }
        });
    }

    public void useTransaction(java.util.function.Consumer<Handle> work) {
        inTransaction(handle -> {
            work.accept(handle);
            return null;
        });
    }

    /** A read outside any explicit transaction. */
    public <T> T withHandle(Function<Handle, T> work) {
        return admission.run(() -> {
            try {
                return jdbi.withHandle(work::apply);
            } catch (JdbiException e) {
                if (isPoolExhausted(e)) {
                    throw Admission.busy();
                }
                throw e;
            }
        });
    }

    /**
     * The connection pool gave up waiting for a free connection (another process shares it, or
     * admission is configured larger than the pool): a busy registry, not a failed one.
     */
    private static boolean isPoolExhausted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException && t.getClass().getSimpleName().equals("PoolExhaustedException")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRetryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && RETRYABLE.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
