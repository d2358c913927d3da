package io.berth.store.event;

import io.berth.store.Caller;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pulls counted off the request path and written coalesced, on both databases. */
@OnH2AndPostgres
class PullRecorderTest extends EventTestBase {
    /** Flushes only when a test asks (or closes). */
    private static final Duration NEVER = Duration.ofDays(1);

    PullRecorderTest(TestDatabase database) {
        super(database);
    }

    private PullRecorder recorder(Duration flushInterval, int maxPending) {
        return closeLater(new PullRecorder(tx, outbox, clock, new PullRecorder.Options(flushInterval, maxPending)));
    }

    private void pull(PullRecorder recorder, String tag, Caller caller) {
        recorder.record(APP, digest(tag), OCI_MANIFEST, tag, caller);
    }

    /** Starts {@code threads} threads that each pull "latest" {@code times} times, as event loops would. */
    private List<Thread> pullConcurrently(PullRecorder recorder, int threads, int times) {
        List<Thread> loops = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            loops.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < times; i++) {
                    pull(recorder, "latest", ALICE);
                }
            }));
        }
        return loops;
    }

    @Test
    void record_identicalPullsFromManyThreads_becomeOneEventWithTheirCount() throws Exception {
        PullRecorder recorder = recorder(NEVER, 10);
        for (Thread loop : pullConcurrently(recorder, 4, 2500)) {
            loop.join();
        }

        assertEquals(1, recorder.flush());

        RegistryEvent pulled = log.after(0, 100).getFirst();
        assertEquals(RegistryEvent.pulled(T0, APP, digest("latest"), OCI_MANIFEST, "latest", ALICE, 10_000).withId(1),
                pulled);
        assertEquals(10_000, recorder.recorded());
        assertEquals(9_999, recorder.coalesced());
        assertEquals(0, recorder.dropped());
    }

    @Test
    void record_whileFlushesRun_noPullIsLostOrCountedTwice() throws Exception {
        PullRecorder recorder = recorder(NEVER, 10);
        List<Thread> loops = pullConcurrently(recorder, 3, 20_000);
        while (loops.stream().anyMatch(Thread::isAlive)) {
            recorder.flush(); // races the recorders: entries are sealed while they count into them
        }
        recorder.flush();

        assertEquals(60_000, log.after(0, 100_000).stream().mapToInt(RegistryEvent::count).sum());
        assertEquals(60_000, recorder.recorded());
    }

    @Test
    void record_pullsThatDifferInCallerOrTag_areSeparateEvents() {
        PullRecorder recorder = recorder(NEVER, 10);
        pull(recorder, "latest", ALICE);
        pull(recorder, "latest", Caller.anonymous("10.0.0.8"));
        pull(recorder, "stable", ALICE);
        pull(recorder, "latest", ALICE);

        assertEquals(3, recorder.flush());
        assertEquals(List.of(1, 1, 2), log.after(0, 100).stream().map(RegistryEvent::count).sorted().toList());
    }

    @Test
    void record_whenFull_dropsAndCountsNewDistinctPulls_butStillCoalescesPendingOnes() {
        PullRecorder recorder = recorder(NEVER, 2);
        pull(recorder, "a", ALICE);
        pull(recorder, "b", ALICE);
        pull(recorder, "c", ALICE);
        pull(recorder, "d", ALICE);
        pull(recorder, "a", ALICE);

        assertEquals(2, recorder.flush());
        assertEquals(3, recorder.recorded());
        assertEquals(2, recorder.dropped());
        pull(recorder, "c", ALICE); // room again after the flush
        assertEquals(1, recorder.flush());
        assertEquals(List.of("a", "b", "c"), log.after(0, 100).stream().map(RegistryEvent::tag).sorted().toList());
    }

    @Test
    void flush_startsAFreshCount_forPullsAfterIt() {
        PullRecorder recorder = recorder(NEVER, 10);
        pull(recorder, "latest", ALICE);
        pull(recorder, "latest", ALICE);
        recorder.flush();
        clock.advance(Duration.ofSeconds(1));
        pull(recorder, "latest", ALICE);

        recorder.flush();

        List<RegistryEvent> events = log.after(0, 100);
        assertEquals(List.of(2, 1), events.stream().map(RegistryEvent::count).toList());
        assertEquals(List.of(T0, T0.plusSeconds(1)), events.stream().map(RegistryEvent::occurredAt).toList());
        assertEquals(0, recorder.flush(), "nothing pending, nothing written");
    }

    @Test
    void close_writesWhatIsPending_andLaterPullsAreDropped() {
        PullRecorder recorder = recorder(NEVER, 10);
        pull(recorder, "latest", ALICE);

        recorder.close();
        pull(recorder, "latest", ALICE);

        assertEquals(List.of(1L), ids(log.after(0, 100)));
        assertEquals(1, recorder.dropped());
    }

    @Test
    void flusher_writesPendingPulls_withoutBeingAsked() throws Exception {
        PullRecorder recorder = recorder(Duration.ofMillis(20), 10);
        pull(recorder, "latest", ALICE);

        await("the flusher wrote the pull", () -> log.head() == 1);
    }
}
