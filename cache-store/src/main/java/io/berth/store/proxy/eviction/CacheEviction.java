package io.berth.store.proxy.eviction;

import io.berth.store.Registry;
import io.berth.store.gc.BlobReclaimer;
import io.berth.store.gc.TaskLease;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;
import io.berth.store.proxy.ProxyProjectDao;
import io.berth.store.proxy.ProxyProjectRow;
import io.berth.store.proxy.ProxySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps proxy projects' caches within their bounds ({@code proxy_project.size_budget} and
 * {@code max_age_seconds}): one {@link #runOnce run} evicts from every bounded proxy project
 * ({@link ProjectEviction}), then removes the content of blobs released more than the grace period
 * ago ({@link BlobReclaimer#sweep}). Safe while pulls, pushes and cache fills run; of the instances
 * sharing a database, the one holding the {@link TaskLease} runs. Blocks: run it on a background
 * thread.
 */
public final class CacheEviction {
    private static final Logger LOG = LoggerFactory.getLogger(CacheEviction.class);

    /** What a run did: each bounded project's report, and what became of released blobs' content. */
    public record Run(List<EvictionReport> projects, BlobReclaimer.Swept swept) {
        public Run {
            projects = List.copyOf(projects);
        }
    }

    private final Transactions tx;
    private final BlobReclaimer reclaimer;
    private final TaskLease lease;
    private final ProjectEviction eviction;

    /**
     * @param orphanAge how long a blob link no artifact references is left alone; the reclaimer's
     *                  grace period is a good value
     */
    public CacheEviction(Registry registry, BlobReclaimer reclaimer, TaskLease lease, Duration orphanAge,
                         Clock clock) {
        this.tx = registry.transactions();
        this.reclaimer = reclaimer;
        this.lease = lease;
        this.eviction = new ProjectEviction(registry, reclaimer, orphanAge, clock);
    }

    /** One run; empty when another instance holds the lease. */
    public Optional<Run> runOnce() throws IOException {
        if (!lease.acquire()) {
            return Optional.empty();
        }
        try {
            List<EvictionReport> reports = new ArrayList<>();
            for (ProxyProjectRow row : tx.withHandle(h -> h.attach(ProxyProjectDao.class).all())) {
                ProxySettings settings = row.settings();
                if (settings.sizeBudget() <= 0 && settings.maxAge() == null) {
                    continue;
                }
                Optional<Long> id = tx.withHandle(h -> h.attach(ProjectDao.class).findId(row.project()));
                if (id.isEmpty()) {
                    continue; // deleted meanwhile
                }
                try {
                    EvictionReport report = eviction.evict(new ProjectEviction.Target(id.get(), row.project(),
                            settings.sizeBudget(), settings.maxAge()), lease::renew);
                    log(report);
                    reports.add(report);
                } catch (RuntimeException e) {
                    LOG.warn("evicting from proxy project '{}' failed; the next run tries again", row.project(), e);
                }
                if (!lease.renew()) {
                    LOG.warn("cache eviction lost its lease to another instance; it stops here");
                    return Optional.of(new Run(reports, new BlobReclaimer.Swept(0, 0, 0, 0)));
                }
            }
            return Optional.of(new Run(reports, reclaimer.sweep(lease::renew)));
        } finally {
            lease.release();
        }
    }

    private static void log(EvictionReport report) {
        if (report.artifacts() + report.links() > 0) {
            LOG.info("evicted from proxy project '{}': {} artifacts, {} blob links, {} bytes ({} blobs released);"
                            + " its cache holds {} bytes{}", report.project(), report.artifacts(), report.links(),
                    report.bytes(), report.blobsReleased(), report.usage().bytes(),
                    report.sizeBudget() > 0 ? " of a budget of " + report.sizeBudget() : "");
        }
        if (report.overBudget()) {
            LOG.warn("proxy project '{}' holds {} bytes, over its budget of {}: what is left is pinned, or was"
                            + " used while this run went on",
                    report.project(), report.usage().bytes(), report.sizeBudget());
        }
    }
}
