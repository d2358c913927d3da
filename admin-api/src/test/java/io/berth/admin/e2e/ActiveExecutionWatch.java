package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Watches one replication policy's executions through the admin API in the background (a poll
 * every half second) and remembers the most that were active (Pending or Running) at once, with the
 * listing that showed them. Polls that fail (the server is being restarted) are counted and skipped.
 */
final class ActiveExecutionWatch implements AutoCloseable {
    private final BerthProcess berth;
    private final long policyId;
    private final AtomicInteger mostActive = new AtomicInteger();
    private final AtomicReference<String> mostActiveListing = new AtomicReference<>("");
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicInteger failedPolls = new AtomicInteger();
    private volatile boolean running = true;
    private final Thread thread;

    ActiveExecutionWatch(BerthProcess berth, long policyId) {
        this.berth = berth;
        this.policyId = policyId;
        this.thread = Thread.ofPlatform().daemon().name("watch-policy-" + policyId).start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                List<JsonNode> executions = ReplicationApiCalls.executions(berth, policyId);
                int active = (int) executions.stream().map(e -> e.path("status").asText())
                        .filter(s -> s.equals("Pending") || s.equals("Running")).count();
                polls.incrementAndGet();
                if (active > mostActive.get()) {
                    mostActive.set(active);
                    mostActiveListing.set(executions.toString());
                }
            } catch (RuntimeException | AssertionError e) {
                failedPolls.incrementAndGet(); // down for a restart, or not ready yet
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The most executions of the policy seen active at one time. */
    int mostActive() {
        return mostActive.get();
    }

    /** The listing in which {@link #mostActive()} was seen. */
    String mostActiveListing() {
        return mostActiveListing.get();
    }

    /** Polls that answered. */
    int polls() {
        return polls.get();
    }

    /** Polls that failed (server down). */
    int failedPolls() {
        return failedPolls.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
    }
}
