package io.berth.admin;

import io.berth.store.UploadJanitor;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Sweeps abandoned upload sessions at start and then every few minutes. */
final class UploadJanitorManager implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(UploadJanitorManager.class);

    private final UploadJanitor janitor;
    private final long periodSeconds;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("berth-upload-janitor").daemon().factory());

    UploadJanitorManager(UploadJanitor janitor, long periodSeconds) {
        this.janitor = janitor;
        this.periodSeconds = periodSeconds;
    }

    @Override
    public void start() {
        scheduler.scheduleWithFixedDelay(this::sweep, 0, periodSeconds, TimeUnit.SECONDS);
    }

    private void sweep() {
        try {
            janitor.sweep();
        } catch (Exception e) {
            LOG.warn("sweeping upload sessions failed; will try again in {} s", periodSeconds, e);
        }
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
    }
}
