package io.berth.store.event;

import io.berth.store.Caller;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Appending in the caller's transaction, and reading back in id order, on both databases. */
@OnH2AndPostgres
class OutboxTest extends EventTestBase {
    OutboxTest(TestDatabase database) {
        super(database);
    }

    @Test
    void append_thenRead_returnsEveryFieldInIdOrder() {
        List<RegistryEvent> first = append(push("v1").withDetail("{\"previous\":null}"),
                RegistryEvent.tagDeleted(T0, APP, "old", null, Caller.system("gc")));
        clock.advance(Duration.ofSeconds(1));
        List<RegistryEvent> second = append(RegistryEvent.deleted(clock.instant(), APP, digest("v0"), ALICE),
                RegistryEvent.pulled(clock.instant(), APP, digest("v1"), OCI_MANIFEST, null,
                        Caller.anonymous(null), 5));

        List<RegistryEvent> all = new ArrayList<>(first);
        all.addAll(second);
        assertEquals(List.of(1L, 2L, 3L, 4L), ids(all));
        assertEquals(all, log.after(0, 100));
        assertEquals(all.subList(1, 3), log.after(1, 2));
        assertEquals(List.of(), log.after(4, 100));
        assertEquals(4, log.head());
    }

    @Test
    void append_outsideATransaction_isRefused() {
        assertThrows(IllegalStateException.class, () -> tx.withHandle(h -> outbox.append(h, List.of(push("v1")))));

        assertEquals(0, log.head());
    }

    @Test
    void append_inRolledBackTransaction_leavesNothingAndItsIdsAreReused() {
        assertThrows(IllegalStateException.class, () -> tx.useTransaction(h -> {
            outbox.append(h, List.of(push("v1"), push("v2")));
            throw new IllegalStateException("the push failed after its events were appended");
        }));

        assertEquals(0, log.head());
        assertEquals(List.of(), log.after(0, 100));
        assertEquals(List.of(1L), ids(append(push("v3"))));
    }

    @Test
    void append_inRetriedTransaction_leavesOnlyTheAttemptThatCommitted() {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger commits = new AtomicInteger();
        outbox.onCommit(commits::incrementAndGet);
        tx.withHandle(h -> h.execute("INSERT INTO project (name, created_at) VALUES ('taken', CURRENT_TIMESTAMP)"));

        tx.useTransaction(h -> {
            outbox.append(h, List.of(push("attempt" + attempts.incrementAndGet())));
            if (attempts.get() == 1) { // loses a race: Transactions retries the whole unit
                h.execute("INSERT INTO project (name, created_at) VALUES ('taken', CURRENT_TIMESTAMP)");
            }
        });

        assertEquals(2, attempts.get());
        List<RegistryEvent> stored = log.after(0, 100);
        assertEquals(List.of(1L), ids(stored));
        assertEquals("attempt2", stored.getFirst().tag());
        assertEquals(1, commits.get(), "listeners hear of commits only, not of the rolled-back attempt");
    }

    /**
     * The property readers rely on: while a writer that appended first is still open, a later
     * writer cannot commit events past it. Were ids taken from a sequence, the later writer
     * would commit id 3 while 1 and 2 are invisible, and a reader at that moment would move its
     * cursor past them for good. The pause only gives a broken outbox the chance to show it.
     */
    @Test
    void append_whileAnEarlierWriterIsOpen_readersNeverSeeLaterIdsFirst() throws Exception {
        List<RegistryEvent> early;
        CompletableFuture<List<RegistryEvent>> later;
        try (Handle open = jdbi.open()) {
            open.setTransactionIsolationLevel(TransactionIsolationLevel.READ_COMMITTED);
            open.begin();
            early = outbox.append(open, List.of(push("early1"), push("early2")));
            later = CompletableFuture.supplyAsync(() -> append(push("later")));
            try {
                later.get(500, TimeUnit.MILLISECONDS);
            } catch (TimeoutException expected) {
                // the later writer waits for the counter row: what this test is about
            }

            assertEquals(List.of(), log.after(0, 100), "nothing is visible while the first writer is open");
            open.commit();
        }

        assertEquals(List.of(3L), ids(later.get()));
        List<RegistryEvent> seen = log.after(0, 100);
        assertEquals(List.of(1L, 2L, 3L), ids(seen));
        assertEquals(early, seen.subList(0, 2));
    }
}
