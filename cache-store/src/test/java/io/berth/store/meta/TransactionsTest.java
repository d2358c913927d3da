package io.berth.store.meta;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Retrying transactions that lose a race, and only those, on both databases. */
@OnH2AndPostgres
class TransactionsTest extends DatabaseTestBase {
    private Transactions tx;
    private final AtomicInteger attempts = new AtomicInteger();

    TransactionsTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void openTransactions() {
        tx = new Transactions(Database.open(dataSource), Admission.unbounded());
        insertProject(null, "taken");
    }

    /** A plain INSERT, which fails with a unique violation when the name exists. */
    private void insertProject(Handle handle, String name) {
        String sql = "INSERT INTO project (name, created_at) VALUES ('" + name + "', CURRENT_TIMESTAMP)";
        if (handle == null) {
            tx.withHandle(h -> h.execute(sql));
        } else {
            handle.execute(sql);
        }
    }

    private long projects(String name) {
        return tx.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM project WHERE name = :n")
                .bind("n", name).mapTo(Long.class).one());
    }

    @Test
    void inTransaction_afterUniqueViolation_retriesFromAFreshTransaction() {
        int result = tx.inTransaction(h -> {
            int attempt = attempts.incrementAndGet();
            insertProject(h, "attempt" + attempt);
            if (attempt == 1) {
                insertProject(h, "taken"); // loses the race
            }
            return attempt;
        });

        assertEquals(2, result);
        assertEquals(0, projects("attempt1"), "the losing attempt must be rolled back");
        assertEquals(1, projects("attempt2"));
    }

    @Test
    void inTransaction_alwaysViolating_givesUpAfterFiveAttempts() {
        assertThrows(JdbiException.class, () -> tx.useTransaction(h -> {
            attempts.incrementAndGet();
            insertProject(h, "taken");
        }));

        assertEquals(5, attempts.get());
    }

    @Test
    void inTransaction_otherDatabaseError_failsWithoutRetry() {
        assertThrows(JdbiException.class, () -> tx.useTransaction(h -> {
            attempts.incrementAndGet();
            h.execute("INSERT INTO no_such_table VALUES (1)");
        }));

        assertEquals(1, attempts.get());
    }

    @Test
    void inTransaction_storeException_isRethrownAsIsAndRolledBack() {
        RegistryException failure = new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "missing");

        RegistryException thrown = assertThrows(RegistryException.class, () -> tx.useTransaction(h -> {
            attempts.incrementAndGet();
            insertProject(h, "half-done");
            throw failure;
        }));

        assertEquals(failure, thrown);
        assertEquals(1, attempts.get());
        assertEquals(0, projects("half-done"));
    }
}
