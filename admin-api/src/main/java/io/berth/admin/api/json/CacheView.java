package io.berth.admin.api.json;

import io.berth.store.proxy.eviction.CacheStatus;
import io.berth.store.proxy.eviction.LastEviction;

import java.time.Instant;

/**
 * A proxy project's cache as the API shows it: what it holds (bytes: the distinct blobs and
 * manifests linked in its repositories, each counted once), its bounds (null: none) and its last
 * eviction run (null: none yet).
 */
public record CacheView(String project, long bytes, long blobs, long artifacts, Long sizeBudget, Long maxAgeSeconds,
                        LastRun lastEviction) {
    /** An eviction run: when it finished and what it removed. */
    public record LastRun(Instant finishedAt, long artifacts, long links, long bytes) {
        static LastRun of(LastEviction run) {
            return run == null ? null : new LastRun(run.finishedAt(), run.artifacts(), run.links(), run.bytes());
        }
    }

    public static CacheView of(CacheStatus status) {
        return new CacheView(status.project(), status.usage().bytes(), status.usage().blobs(),
                status.usage().artifacts(), status.sizeBudget() > 0 ? status.sizeBudget() : null,
                status.maxAge() == null ? null : status.maxAge().toSeconds(), LastRun.of(status.lastEviction()));
    }
}
