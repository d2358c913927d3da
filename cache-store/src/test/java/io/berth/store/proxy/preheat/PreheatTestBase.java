package io.berth.store.proxy.preheat;

import io.berth.store.proxy.ProxyTestBase;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Base of the preheat tests: the proxy project {@code hub} of {@link ProxyTestBase} over its fake
 * upstream, and preheat jobs run through its cache by an instance named {@code "this"}.
 */
abstract class PreheatTestBase extends ProxyTestBase {
    protected static final String REPO = "library/app";
    protected static final String LOCAL = PROJECT + "/" + REPO;
    protected static final PreheatJobs.Options OPTIONS = new PreheatJobs.Options(2, 4, GENEROUS,
            Duration.ofSeconds(30), Duration.ofDays(7), 100);

    private final List<PreheatJobs> opened = new ArrayList<>();
    protected PreheatJobs jobs;

    protected PreheatTestBase(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void openJobs() {
        jobs = jobs("this");
    }

    @AfterEach
    void closeJobs() {
        upstream.releaseAll();
        opened.forEach(PreheatJobs::close);
    }

    /** Preheat jobs of another instance over the same database and cache. */
    protected PreheatJobs jobs(String owner) {
        PreheatJobs made = new PreheatJobs(registry.transactions(), proxy, OPTIONS, clock, owner);
        opened.add(made);
        return made;
    }

    protected PreheatJob submit(List<String> references, List<String> platforms) {
        return jobs.submit(PROJECT, PreheatRequest.of(references, platforms), (h, job) -> { });
    }

    /** The job once it has finished (its status says how). */
    protected PreheatJob awaitFinished(long id) throws InterruptedException {
        for (int i = 0; i < 6_000; i++) {
            PreheatJob job = jobs.find(id).orElseThrow();
            if (job.status().isFinished()) {
                return job;
            }
            Thread.sleep(20);
        }
        return fail("preheat job " + id + " did not finish: " + jobs.find(id));
    }
}
