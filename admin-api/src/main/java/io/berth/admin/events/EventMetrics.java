package io.berth.admin.events;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.berth.store.event.EventConsumer;
import io.berth.store.event.EventType;
import io.berth.store.event.RegistryEvent;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The events seam's first consumer: counts what happened to the registry's content as metrics
 * ({@code berth.events.pushed}, {@code .pulled} counting coalesced pulls one by one,
 * {@code .deleted}, {@code .tag_deleted}, {@code .label_added}, {@code .label_removed}), read from
 * the outbox after a durable cursor like every other consumer, so with several instances each event
 * is counted by one of them.
 */
public final class EventMetrics implements EventConsumer {
    private final Map<EventType, Meter> meters = new EnumMap<>(EventType.class);

    public EventMetrics(MetricRegistry metrics) {
        for (EventType type : EventType.values()) {
            meters.put(type, metrics.meter("berth.events." + type.name().toLowerCase(Locale.ROOT)));
        }
    }

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public void accept(List<RegistryEvent> batch) {
        for (RegistryEvent event : batch) {
            meters.get(event.type()).mark(event.count());
        }
    }
}
