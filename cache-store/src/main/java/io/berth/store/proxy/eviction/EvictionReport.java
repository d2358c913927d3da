package io.berth.store.proxy.eviction;

/**
 * What one eviction run did to one proxy project.
 *
 * @param project       the project
 * @param artifacts     artifacts removed (their tags went with them)
 * @param links         blob links removed from its repositories
 * @param bytes         by how much its {@link CacheUsage} shrank
 * @param blobsReleased blob rows deleted because nothing referenced them any more (their content
 *                      goes after the grace period)
 * @param usage         its usage after the run
 * @param sizeBudget    its budget in bytes, or 0 for none
 */
public record EvictionReport(String project, long artifacts, long links, long bytes, long blobsReleased,
                             CacheUsage usage, long sizeBudget) {
    /** Whether the cache is still over its budget (everything left is pinned, or in use by a pinned index). */
    public boolean overBudget() {
        return sizeBudget > 0 && usage.bytes() > sizeBudget;
    }
}
