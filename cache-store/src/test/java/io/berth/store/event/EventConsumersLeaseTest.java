package io.berth.store.event;

import io.berth.store.event.EventConsumer.Start;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two instances over one database registering the same consumer: the lease in its cursor row
 * lets one process it at a time, and hands it over on close or when the holder stops renewing.
 */
@OnH2AndPostgres
class EventConsumersLeaseTest extends EventTestBase {
    private static final String NAME = "replication";

    EventConsumersLeaseTest(TestDatabase database) {
        super(database);
    }

    private EventConsumers instance(String id, EventConsumer consumer) {
        EventConsumers runner = closeLater(new EventConsumers(tx, clock, options(id)));
        runner.register(consumer);
        return runner;
    }

    private EventCursors.Cursor cursor() {
        return new EventCursors(tx).find(NAME).orElseThrow();
    }

    /** The instance holding the lease; null before the cursor exists or while nobody holds it. */
    private String holder() {
        return new EventCursors(tx).find(NAME).map(EventCursors.Cursor::owner).orElse(null);
    }

    @Test
    void twoInstances_onlyTheLeaseHolderProcesses_andTheOtherTakesOverWhenItCloses() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        RecordingConsumer.Hook overlapCheck = batch -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Thread.sleep(5); // long enough for the other instance to try
            inFlight.decrementAndGet();
        };
        RecordingConsumer onA = new RecordingConsumer(NAME, Start.BEGINNING);
        RecordingConsumer onB = new RecordingConsumer(NAME, Start.BEGINNING);
        onA.hook = overlapCheck;
        onB.hook = overlapCheck;
        EventConsumers a = instance("a", onA);
        await("a holds the lease", () -> "a".equals(holder()));
        instance("b", onB);

        for (int i = 1; i <= 5; i++) {
            append(push("v" + i));
        }
        await("a has acknowledged all five", () -> cursor().position() == 5);
        a.close();
        for (int i = 6; i <= 8; i++) {
            append(push("v" + i));
        }
        await("b has acknowledged the rest", () -> cursor().position() == 8);

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), onA.ids());
        assertEquals(List.of(6L, 7L, 8L), onB.ids());
        assertEquals(1, mostInFlight.get());
    }

    @Test
    void leaseExpiry_whileTheHolderHangs_anotherInstanceTakesOver_andTheStaleHolderCannotMoveTheCursor()
            throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch unstick = new CountDownLatch(1);
        RecordingConsumer onA = new RecordingConsumer(NAME, Start.BEGINNING);
        onA.hook = batch -> {
            stuck.countDown();
            unstick.await();
        };
        RecordingConsumer onB = new RecordingConsumer(NAME, Start.BEGINNING);
        EventConsumers a = instance("a", onA);
        await("a holds the lease", () -> "a".equals(holder()));
        append(push("v1"), push("v2"));
        stuck.await();
        instance("b", onB);

        clock.advance(options("a").lease().plus(Duration.ofSeconds(1)));
        await("b took over and acknowledged the hung batch", () -> cursor().position() == 2);
        append(push("v3"));
        await("b goes on", () -> cursor().position() == 3);
        unstick.countDown();
        a.close(); // a's late acknowledgement of 1..2 has happened, and was refused, once this returns

        assertEquals(3, cursor().position());
        assertEquals("b", cursor().owner());
        assertEquals(List.of(1L, 2L), onA.ids());
        assertEquals(List.of(1L, 2L, 3L), onB.ids(), "at least once: the hung batch is delivered again");
    }
}
