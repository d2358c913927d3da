package io.berth.store.proxy.eviction;

/**
 * How much a proxy project's cache holds. Its size is defined over the set of distinct digests the
 * project holds: every blob linked into one of its repositories and every manifest that is an
 * artifact of one of them, each digest counted once however many of its repositories hold it (the
 * store keeps one copy). A digest also held by another project counts in both: each project's usage
 * is what it would hold alone. Eviction compares this size with the project's budget, and the admin
 * API reports it.
 *
 * @param bytes     the sum of the sizes of those digests
 * @param blobs     how many digests that is (layers, configs and manifests)
 * @param artifacts how many artifacts (manifests per repository) the project's repositories hold
 */
public record CacheUsage(long bytes, long blobs, long artifacts) {
}
