package io.berth.store.event;

import io.berth.store.Caller;
import io.berth.store.meta.Database;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.TestDatabases;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Not a test: how many {@link PullRecorder#record} calls per second 16 threads (the gateway's
 * event loops under wrk's 16 connections) manage on one manifest, with the real flusher writing to
 * an in-memory H2 every second. The gateway serves ~90k manifest GETs/s on the same machine, so
 * a rate far above that means the recorder costs a small fraction of a request. Run with
 * {@code java -cp <test classpath> io.berth.store.event.PullRecorderBench [seconds]}.
 */
final class PullRecorderBench {
    private PullRecorderBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int threadCount = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        Transactions tx = new Transactions(Database.open(TestDatabases.h2()), Admission.unbounded());
        RepositoryName repository = RepositoryName.parse("library/alpine");
        Digest digest = Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8));
        String mediaType = "application/vnd.oci.image.index.v1+json";
        LongAdder calls = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        try (PullRecorder recorder = new PullRecorder(tx, new Outbox(), Clock.systemUTC(),
                PullRecorder.Options.defaults())) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                // one caller per connection, as the gateway would build it per request
                String address = "10.0.0." + t;
                threads.add(Thread.ofPlatform().start(() -> {
                    long n = 0;
                    while (running.get()) {
                        recorder.record(repository, digest, mediaType, "latest", Caller.anonymous(address));
                        n++;
                    }
                    calls.add(n);
                }));
            }
            Thread.sleep(seconds * 1000L);
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
            System.out.printf("%,d record() calls in %d s: %,.0f per second; recorded %,d, coalesced %,d,"
                            + " dropped %,d%n", calls.sum(), seconds, calls.sum() / (double) seconds,
                    recorder.recorded(), recorder.coalesced(), recorder.dropped());
        }
        long rows = new EventLog(tx).head();
        System.out.printf("%,d event rows written%n", rows);
    }
}
