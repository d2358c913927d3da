package io.berth.store;

import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class StoreEventsTest {
    private static final StoreEvent PUSHED = new StoreEvent(StoreEvent.Type.PUSHED, RepositoryName.parse("team/app"),
            Digest.sha256(new byte[] {1}), "application/vnd.oci.image.manifest.v1+json", "latest");

    /** Waits for a delivery; the generous timeout only keeps a broken build from hanging. */
    private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
        T item = queue.poll(30, TimeUnit.SECONDS);
        if (item == null) {
            throw new AssertionError("no event delivered");
        }
        return item;
    }

    @Test
    void publish_reachesEverySubscriberInOrder() throws InterruptedException {
        StoreEvents events = new StoreEvents();
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        events.subscribe(e -> seen.add("audit " + e.type()));
        events.subscribe(e -> seen.add("webhook " + e.tag()));

        events.publish(PUSHED);

        assertEquals("audit PUSHED", next(seen));
        assertEquals("webhook latest", next(seen));
    }

    @Test
    void publish_listenerThatThrows_doesNotStopTheOthers() throws InterruptedException {
        StoreEvents events = new StoreEvents();
        BlockingQueue<StoreEvent> seen = new LinkedBlockingQueue<>();
        events.subscribe(e -> {
            throw new IllegalStateException("webhook endpoint down");
        });
        events.subscribe(seen::add);

        events.publish(PUSHED);

        assertEquals(PUSHED, next(seen));
    }

    @Test
    void publish_neverRunsListenersOnThePublishersThread() throws InterruptedException {
        StoreEvents events = new StoreEvents();
        BlockingQueue<Thread> ranOn = new LinkedBlockingQueue<>();
        events.subscribe(e -> ranOn.add(Thread.currentThread()));

        events.publish(PUSHED);

        assertNotEquals(Thread.currentThread(), next(ranOn));
    }
}
