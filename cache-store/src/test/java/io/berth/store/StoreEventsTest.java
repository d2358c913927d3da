package io.berth.store;

import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StoreEventsTest {
    private static final StoreEvent PUSHED = new StoreEvent(StoreEvent.Type.PUSHED, RepositoryName.parse("team/app"),
            Digest.sha256(new byte[] {1}), "application/vnd.oci.image.manifest.v1+json", "latest");

    @Test
    void publish_reachesEverySubscriberInOrder() {
        StoreEvents events = new StoreEvents();
        List<String> seen = new ArrayList<>();
        events.subscribe(e -> seen.add("audit " + e.type()));
        events.subscribe(e -> seen.add("webhook " + e.tag()));

        events.publish(PUSHED);

        assertEquals(List.of("audit PUSHED", "webhook latest"), seen);
    }

    @Test
    void publish_listenerThatThrows_doesNotStopTheOthers() {
        StoreEvents events = new StoreEvents();
        List<StoreEvent> seen = new ArrayList<>();
        events.subscribe(e -> {
            throw new IllegalStateException("webhook endpoint down");
        });
        events.subscribe(seen::add);

        events.publish(PUSHED);

        assertEquals(List.of(PUSHED), seen);
    }
}
