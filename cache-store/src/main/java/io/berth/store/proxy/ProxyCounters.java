package io.berth.store.proxy;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the pull-through cache did, counted since start: cache hits and misses, copies served stale
 * because the upstream failed, upstream failures, and blob fills. The metrics of the composition
 * root read these; they cost an increment each.
 */
public final class ProxyCounters {
    final LongAdder manifestHits = new LongAdder();
    final LongAdder manifestMisses = new LongAdder();
    final LongAdder revalidations = new LongAdder();
    final LongAdder staleServed = new LongAdder();
    final LongAdder rateLimitedSkips = new LongAdder();
    final LongAdder upstreamFailures = new LongAdder();
    final LongAdder blobHits = new LongAdder();
    final LongAdder blobFills = new LongAdder();
    final LongAdder blobFillFailures = new LongAdder();
    final LongAdder blobBytesFetched = new LongAdder();

    /** Manifests served from the cache, fresh or revalidated. */
    public long manifestHits() {
        return manifestHits.sum();
    }

    /** Manifests the cache did not hold and asked the upstream for. */
    public long manifestMisses() {
        return manifestMisses.sum();
    }

    /** Tags checked against the upstream with a {@code HEAD} after their freshness window. */
    public long revalidations() {
        return revalidations.sum();
    }

    /** Cached manifests served because the upstream failed or did not answer in time. */
    public long staleServed() {
        return staleServed.sum();
    }

    /** Revalidations skipped because the upstream's remaining rate budget was low. */
    public long rateLimitedSkips() {
        return rateLimitedSkips.sum();
    }

    /** Upstream calls that failed (whether or not the cache covered them). */
    public long upstreamFailures() {
        return upstreamFailures.sum();
    }

    /** Blobs served from the cache. */
    public long blobHits() {
        return blobHits.sum();
    }

    /** Blob fetches started from the upstream (one per digest however many clients asked). */
    public long blobFills() {
        return blobFills.sum();
    }

    /** Blob fetches that failed: upstream errors, short bodies, digest or size mismatches. */
    public long blobFillFailures() {
        return blobFillFailures.sum();
    }

    /** Bytes received from upstreams for blob fills. */
    public long blobBytesFetched() {
        return blobBytesFetched.sum();
    }
}
