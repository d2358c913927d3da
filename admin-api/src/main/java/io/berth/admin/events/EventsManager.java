package io.berth.admin.events;

import io.berth.store.event.EventConsumer;
import io.berth.store.event.EventConsumers;
import io.berth.store.event.EventRetention;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the event consumers and deletes events past their retention, with the application. Stops
 * before the database closes (it is registered after it), releasing the consumers' leases so
 * another instance takes over at once.
 */
public final class EventsManager implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(EventsManager.class);
    private static final long RETENTION_PERIOD_MINUTES = 60;

    private final EventConsumers consumers;
    private final List<EventConsumer> toRun;
    private final List<EventRetention> retentions;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("berth-event-retention").daemon().factory());

    public EventsManager(EventConsumers consumers, List<EventConsumer> toRun, List<EventRetention> retentions) {
        this.consumers = consumers;
        this.toRun = List.copyOf(toRun);
        this.retentions = List.copyOf(retentions);
    }

    @Override
    public void start() {
        toRun.forEach(consumers::register);
        scheduler.scheduleWithFixedDelay(this::sweep, 1, RETENTION_PERIOD_MINUTES, TimeUnit.MINUTES);
    }

    private void sweep() {
        for (EventRetention retention : retentions) {
            try {
                retention.sweep();
            } catch (RuntimeException e) {
                LOG.warn("deleting old rows failed; will try again in {} minutes", RETENTION_PERIOD_MINUTES, e);
            }
        }
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
        consumers.close();
    }
}
