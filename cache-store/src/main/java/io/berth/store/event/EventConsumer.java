package io.berth.store.event;

import java.util.List;

/**
 * Something that reacts to the registry's events (audit log, webhooks, replication, metrics),
 * run by {@link EventConsumers}. Delivery is <em>at least once</em>: a batch is acknowledged only
 * after {@link #accept} returns, so a crash, a failure or a lost lease between the two delivers
 * it again (here or on another instance). Make {@code accept} idempotent, e.g. by remembering
 * the last {@link RegistryEvent#id} it handled, and finish a batch well within the lease.
 */
public interface EventConsumer {
    /** Where a consumer seen for the first time starts. */
    enum Start {
        /** With the next event: what happened before it existed is not its business (metrics, cache warmers). */
        HEAD,
        /** With the oldest event retention kept (audit log, replication of history). */
        BEGINNING
    }

    /** The cursor's name: stable across restarts and the same on every instance; at most 128 characters. */
    String name();

    /**
     * Handles a batch of events in id order. Throwing (anything) leaves the cursor where it was:
     * the same batch comes again after a back-off.
     */
    void accept(List<RegistryEvent> batch) throws Exception;

    /** Where this consumer starts the first time it runs; later runs continue from its cursor. */
    default Start start() {
        return Start.HEAD;
    }
}
