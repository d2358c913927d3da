package io.berth.admin;

import io.berth.store.proxy.eviction.CacheEviction;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link CacheEviction} in the background, every {@code interval} from one interval after the
 * start. A run that fails is logged and tried again at the next interval; instances sharing a
 * database take turns through the eviction's lease.
 */
final class EvictionManager implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(EvictionManager.class);

    private final CacheEviction eviction;
    private final Duration interval;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("berth-cache-eviction").daemon().factory());

    EvictionManager(CacheEviction eviction, Duration interval) {
        this.eviction = eviction;
        this.interval = interval;
    }

    @Override
    public void start() {
        scheduler.scheduleWithFixedDelay(this::run, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            if (eviction.runOnce().isEmpty()) {
                LOG.debug("cache eviction runs on another instance this time");
            }
        } catch (Exception e) {
            LOG.warn("cache eviction failed; will try again in {}", interval, e);
        }
    }

    @Override
    public void stop() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(30, TimeUnit.SECONDS);
    }
}
