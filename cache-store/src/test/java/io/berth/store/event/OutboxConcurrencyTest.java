package io.berth.store.event;

import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many writers appending in READ COMMITTED transactions (some of which roll back) while a reader
 * pages through the log the way a consumer does: the reader must end up with every committed
 * event exactly once, in strictly increasing id order, and nothing from a rolled-back one.
 */
@OnH2AndPostgres
class OutboxConcurrencyTest extends EventTestBase {
    private static final int WRITERS = 6;
    private static final int TRANSACTIONS = 40;

    OutboxConcurrencyTest(TestDatabase database) {
        super(database);
    }

    @Test
    void concurrentWriters_readerPagingMeanwhile_seesEveryCommittedEventOnceInOrder() throws Exception {
        Set<String> committed = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        try {
            Future<List<RegistryEvent>> reader = pool.submit(() -> readUntilQuiet(writing, go));
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    go.await();
                    for (int t = 0; t < TRANSACTIONS; t++) {
                        write(writer, t, committed);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> writer : writers) {
                writer.get();
            }
            writing.set(false);

            List<RegistryEvent> read = reader.get();
            List<Long> ids = ids(read);
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(ids.get(i) > ids.get(i - 1), "ids must strictly increase: " + ids);
            }
            Set<String> tags = new HashSet<>();
            read.forEach(e -> assertTrue(tags.add(e.tag()), "delivered twice: " + e));
            assertEquals(committed, tags, "every committed event, and only those");
            assertEquals(committed.size(), log.head(), "ids are dense: one per committed event");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One transaction of 1 to 3 events; every fifth rolls back after appending. Every third
     * lingers a moment after appending, as a slow commit would: with ids that do not follow
     * commit order, that is when a reader overtakes an event still to come.
     */
    private void write(int writer, int t, Set<String> committed) {
        List<RegistryEvent> events = new ArrayList<>();
        for (int e = 0; e <= (writer + t) % 3; e++) {
            events.add(push("w" + writer + "-t" + t + "-e" + e));
        }
        boolean rollBack = t % 5 == 4;
        try {
            tx.useTransaction(h -> {
                outbox.append(h, events);
                if (t % 3 == 0) {
                    pause();
                }
                if (rollBack) {
                    throw new IllegalStateException("rolled back on purpose");
                }
            });
            events.forEach(e -> committed.add(e.tag()));
        } catch (IllegalStateException expected) {
            assertTrue(rollBack);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Pages with {@code id > position} while the writers run, then until the log is drained. */
    private List<RegistryEvent> readUntilQuiet(AtomicBoolean writing, CountDownLatch go) throws InterruptedException {
        go.await();
        List<RegistryEvent> read = new ArrayList<>();
        long position = 0;
        while (true) {
            boolean last = !writing.get(); // read after the writers finished: this pass sees everything
            List<RegistryEvent> batch = log.after(position, 7);
            read.addAll(batch);
            if (!batch.isEmpty()) {
                position = batch.getLast().id();
            } else if (last) {
                return read;
            }
        }
    }
}
