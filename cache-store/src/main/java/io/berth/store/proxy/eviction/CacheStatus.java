package io.berth.store.proxy.eviction;

import java.time.Duration;

/**
 * A proxy project's cache as the admin API reports it.
 *
 * @param project      the project
 * @param usage        what its cache holds now
 * @param sizeBudget   its budget in bytes, or 0 for none
 * @param maxAge       how long an artifact not used stays, or null for no limit
 * @param lastEviction its last eviction run, or null before the first
 */
public record CacheStatus(String project, CacheUsage usage, long sizeBudget, Duration maxAge,
                          LastEviction lastEviction) {
}
