package io.berth.store.event;

import io.berth.store.Caller;
import io.berth.store.meta.Database;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.DatabaseTestBase;
import io.berth.store.testing.MutableClock;
import io.berth.store.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A migrated database (H2 or PostgreSQL) with an outbox, a log and a hand-moved clock; runners
 * and recorders a test opens through {@link #closeLater} are closed after it, before the
 * database goes.
 */
abstract class EventTestBase extends DatabaseTestBase {
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final RepositoryName APP = RepositoryName.parse("team/app");
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final Caller ALICE = new Caller("alice", Caller.Kind.USER, "10.0.0.7");

    protected Jdbi jdbi;
    protected Transactions tx;
    protected final Outbox outbox = new Outbox();
    protected EventLog log;
    protected final MutableClock clock = new MutableClock(T0);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    EventTestBase(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void openOutbox() {
        jdbi = Database.open(dataSource);
        tx = new Transactions(jdbi, Admission.unbounded());
        log = new EventLog(tx);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    <T extends AutoCloseable> T closeLater(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    static Digest digest(String seed) {
        return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
    }

    /** A push of {@code tag}, its digest derived from the tag. */
    RegistryEvent push(String tag) {
        return RegistryEvent.pushed(clock.instant(), APP, digest(tag), OCI_MANIFEST, tag, ALICE);
    }

    /** Appends {@code events} in a transaction of their own; returns them with their ids. */
    List<RegistryEvent> append(RegistryEvent... events) {
        return tx.inTransaction(h -> outbox.append(h, List.of(events)));
    }

    /** Runner options for tests: quick polls and back-offs, leases that only a moved clock expires. */
    static EventConsumers.Options options(String instanceId) {
        return new EventConsumers.Options(instanceId, Duration.ofMillis(20), Duration.ofSeconds(30), 100,
                Duration.ofMillis(10), Duration.ofSeconds(10));
    }

    /** Polls {@code condition} until it holds; the generous bound only keeps a broken build from hanging. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    static List<Long> ids(List<RegistryEvent> events) {
        return events.stream().map(RegistryEvent::id).toList();
    }
}
