package io.berth.store.proxy.eviction;

import io.berth.store.Registry;
import io.berth.store.gc.BlobReclaimer;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.RepositoryName;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One eviction run over one proxy project: first everything not used within the project's maximum
 * age, then, while its cache is over its budget, the least recently used candidates of its
 * {@link EvictionPlan}, one short transaction each; after each, the blob rows nothing references any
 * more are released ({@link BlobReclaimer}). Pinned artifacts are never removed, so a cache whose
 * remaining content is pinned stays over its budget.
 */
final class ProjectEviction {
    /** How many candidates are evicted between two renewals of the lease. */
    private static final int RENEW_EVERY = 50;

    /** The project and its bounds: a budget in bytes (0: none), a maximum age (null: none). */
    record Target(long projectId, String name, long sizeBudget, Duration maxAge) {
    }

    private final Registry registry;
    private final Transactions tx;
    private final CandidateEviction candidates;
    private final BlobReclaimer reclaimer;
    private final Duration orphanAge;
    private final Clock clock;

    /**
     * @param orphanAge how long a link no artifact references is left alone (a fill whose manifest
     *                  is on its way)
     */
    ProjectEviction(Registry registry, BlobReclaimer reclaimer, Duration orphanAge, Clock clock) {
        this.registry = registry;
        this.tx = registry.transactions();
        this.candidates = new CandidateEviction(tx);
        this.reclaimer = reclaimer;
        this.orphanAge = orphanAge;
        this.clock = clock;
    }

    /** Runs until the project is within its bounds, out of candidates, or {@code stillLeased} says stop. */
    EvictionReport evict(Target target, BooleanSupplier stillLeased) {
        Instant now = clock.instant();
        long projectId = target.projectId();
        CacheUsage before = usage(projectId);
        List<EvictionPlan.Candidate> plan = tx.withHandle(h -> {
            EvictionDao dao = h.attach(EvictionDao.class);
            return EvictionPlan.of(dao.artifacts(projectId), dao.childLinks(projectId),
                    dao.orphanLinks(projectId, now.minus(orphanAge)));
        });
        Instant oldest = target.maxAge() == null ? null : now.minus(target.maxAge());
        long bytes = before.bytes();
        long artifacts = 0;
        long links = 0;
        long freed = 0;
        long released = 0;
        int done = 0;
        for (EvictionPlan.Candidate candidate : plan) {
            boolean old = oldest != null && candidate.lastUsed().isBefore(oldest);
            boolean over = target.sizeBudget() > 0 && bytes > target.sizeBudget();
            if (!old && !over) {
                break; // candidates come least recently used first: none after this one is either
            }
            Optional<CandidateEviction.Removed> removed = candidates.evict(projectId, candidate);
            if (removed.isPresent()) {
                CandidateEviction.Removed r = removed.get();
                registry.forget(RepositoryName.parse(r.repository()), r.released()); // so the next pull sees it gone
                artifacts += r.artifacts();
                links += r.links();
                freed += r.bytes();
                bytes -= r.bytes();
                released += reclaimer.releaseUnused(r.released()).blobs();
            }
            if (++done % RENEW_EVERY == 0 && !stillLeased.getAsBoolean()) {
                break;
            }
        }
        long removedArtifacts = artifacts;
        long removedLinks = links;
        long shrunk = freed;
        tx.useTransaction(h -> h.attach(EvictionRunDao.class).record(projectId, clock.instant(), removedArtifacts,
                removedLinks, shrunk));
        return new EvictionReport(target.name(), artifacts, links, freed, released, usage(projectId),
                target.sizeBudget());
    }

    private CacheUsage usage(long projectId) {
        return tx.withHandle(h -> h.attach(CacheUsageDao.class).usage(projectId));
    }
}
