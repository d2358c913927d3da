package io.berth.store.proxy.eviction;

import java.time.Instant;

/**
 * A proxy project's last eviction run.
 *
 * @param finishedAt when it finished
 * @param artifacts  artifacts it removed
 * @param links      blob links it removed from the project's repositories
 * @param bytes      by how much it shrank the project's {@link CacheUsage}
 */
public record LastEviction(Instant finishedAt, long artifacts, long links, long bytes) {
}
