package io.berth.store.event;

import io.berth.store.event.EventConsumer.Start;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One instance running consumers over the outbox, on both databases. */
@OnH2AndPostgres
class EventConsumersTest extends EventTestBase {
    EventConsumersTest(TestDatabase database) {
        super(database);
    }

    private EventConsumers runner(String instance) {
        return closeLater(new EventConsumers(tx, clock, options(instance)));
    }

    private long position(String consumer) {
        return new EventCursors(tx).find(consumer).map(EventCursors.Cursor::position).orElse(-1L);
    }

    @Test
    void consumer_receivesCommittedEventsInIdOrder() throws Exception {
        RecordingConsumer audit = new RecordingConsumer("audit", Start.BEGINNING);
        runner("one").register(audit);

        append(push("v1"), push("v2"));
        append(push("v3"));

        await("all three are delivered", () -> audit.ids().size() == 3);
        assertEquals(List.of(1L, 2L, 3L), audit.ids());
        await("the cursor is at the last", () -> position("audit") == 3);
    }

    @Test
    void consumer_afterRestart_resumesAfterLastAckedEvent() throws Exception {
        RecordingConsumer before = new RecordingConsumer("audit", Start.BEGINNING);
        EventConsumers first = runner("first");
        first.register(before);
        append(push("v1"), push("v2"));
        await("the first run acknowledges both", () -> position("audit") == 2);
        first.close();

        append(push("v3"));
        RecordingConsumer after = new RecordingConsumer("audit", Start.BEGINNING);
        runner("second").register(after);

        await("the new run is handed v3", () -> after.ids().contains(3L));
        assertEquals(List.of(3L), after.ids());
    }

    @Test
    void consumer_thatThrows_isHandedTheSameBatchAgain_andTheCursorWaits() throws Exception {
        RecordingConsumer webhook = new RecordingConsumer("webhook", Start.BEGINNING);
        List<Long> positionsWhileFailing = new CopyOnWriteArrayList<>();
        webhook.hook = batch -> {
            if (webhook.batches().size() <= 2) {
                positionsWhileFailing.add(position("webhook"));
                throw new IllegalStateException("endpoint down");
            }
        };
        append(push("v1"), push("v2"));
        runner("one").register(webhook);

        await("the third attempt succeeds", () -> position("webhook") == 2);
        assertEquals(List.of(1L, 2L, 1L, 2L, 1L, 2L), webhook.ids());
        assertEquals(List.of(0L, 0L), positionsWhileFailing, "nothing is acknowledged while it fails");
    }

    @Test
    void newConsumer_startsAtTheHead_unlessItAsksForTheBeginning() throws Exception {
        append(push("before"));
        RecordingConsumer metrics = new RecordingConsumer("metrics", Start.HEAD);
        RecordingConsumer audit = new RecordingConsumer("audit", Start.BEGINNING);
        EventConsumers runner = runner("one");
        runner.register(metrics);
        runner.register(audit);
        await("the metrics cursor exists", () -> position("metrics") == 1);

        append(push("after"));

        await("both have the new event", () -> metrics.ids().contains(2L) && audit.ids().contains(2L));
        assertEquals(List.of(2L), metrics.ids());
        assertEquals(List.of(1L, 2L), audit.ids());
    }

    @Test
    void wakeUp_afterCommit_deliversWithoutWaitingForThePoll() throws Exception {
        EventConsumers.Options hourly = new EventConsumers.Options("one", Duration.ofHours(1), Duration.ofHours(2),
                100, Duration.ofMillis(10), Duration.ofSeconds(10));
        EventConsumers runner = closeLater(new EventConsumers(tx, clock, hourly));
        outbox.onCommit(runner::wakeUp);
        RecordingConsumer warmer = new RecordingConsumer("warmer", Start.HEAD);
        runner.register(warmer);
        await("the cursor exists", () -> position("warmer") == 0);

        append(push("v1"));

        await("delivered long before the next poll", () -> warmer.ids().equals(List.of(1L)));
    }
}
