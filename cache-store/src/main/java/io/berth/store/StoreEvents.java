package io.berth.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Fan-out of {@link StoreEvent}s to subscribers. Listeners run on a virtual thread, never on the
 * thread that made the change (which may be a Netty event loop serving a cached pull), so they
 * may block; events of one publisher may reach a listener in any order. A listener that throws
 * is logged and skipped. With no subscribers, publishing costs nothing.
 */
public final class StoreEvents {
    private static final Logger LOG = LoggerFactory.getLogger(StoreEvents.class);

    private final List<Consumer<StoreEvent>> listeners = new CopyOnWriteArrayList<>();

    public void subscribe(Consumer<StoreEvent> listener) {
        listeners.add(listener);
    }

    public void publish(StoreEvent event) {
        if (listeners.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("berth-store-event").start(() -> {
            for (Consumer<StoreEvent> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("store event listener failed on {}", event, e);
                }
            }
        });
    }
}
