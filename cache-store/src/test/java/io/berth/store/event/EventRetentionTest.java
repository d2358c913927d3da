package io.berth.store.event;

import io.berth.store.event.EventConsumer.Start;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Deleting old events, and what that means for a consumer that lagged behind, on both databases. */
@OnH2AndPostgres
class EventRetentionTest extends EventTestBase {
    private static final Duration DAY = Duration.ofDays(1);

    EventRetentionTest(TestDatabase database) {
        super(database);
    }

    @Test
    void sweep_deletesOnlyEventsOlderThanTheRetention_inBatches() {
        for (int i = 1; i <= 5; i++) {
            append(push("old" + i));
        }
        clock.advance(DAY.multipliedBy(2));
        append(push("new1"), push("new2"));

        long deleted = new EventRetention(log, DAY, clock, 2).sweep();

        assertEquals(5, deleted);
        assertEquals(List.of(6L, 7L), ids(log.after(0, 100)));
        assertEquals(7, log.head(), "the head does not move back: ids are never reused");
        assertEquals(0, new EventRetention(log, DAY, clock, 2).sweep());
    }

    @Test
    void consumer_whoseCursorIsBeforeTheOldestEvent_continuesFromTheOldestKept() throws Exception {
        RecordingConsumer audit = new RecordingConsumer("audit", Start.BEGINNING);
        try (EventConsumers before = new EventConsumers(tx, clock, options("one"))) {
            before.register(audit);
            append(push("v1"));
            await("v1 is acknowledged", () -> audit.ids().equals(List.of(1L)));
        }
        append(push("v2"), push("v3"));
        clock.advance(DAY.multipliedBy(2));
        append(push("v4"), push("v5"));
        new EventRetention(log, DAY, clock).sweep();

        RecordingConsumer resumed = new RecordingConsumer("audit", Start.BEGINNING);
        closeLater(new EventConsumers(tx, clock, options("two"))).register(resumed);

        await("the kept events are delivered", () -> resumed.ids().size() == 2);
        assertEquals(List.of(4L, 5L), resumed.ids());
    }
}
