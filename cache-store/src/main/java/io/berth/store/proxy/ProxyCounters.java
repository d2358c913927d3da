package io.berth.store.proxy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the pull-through cache did, counted since start: cache hits and misses, copies served stale
 * because the upstream failed, upstream failures, blob fills, and the bytes clients received from
 * the cache and from fills; and what goes on now: fills running and the requests they serve. The
 * metrics of the composition root read these; they cost an increment each.
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
    final LongAdder blobMisses = new LongAdder();
    final LongAdder blobBytesFromCache = new LongAdder();
    final LongAdder blobBytesFromUpstream = new LongAdder();
    final AtomicInteger blobFillsRunning = new AtomicInteger();
    final AtomicInteger blobFillWaiters = new AtomicInteger();

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

    /** Blob {@code GET}s served from the cache. */
    public long blobHits() {
        return blobHits.sum();
    }

    /** Blob {@code GET}s the cache did not hold, served from a fill (started for them, or joined). */
    public long blobMisses() {
        return blobMisses.sum();
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

    /**
     * Bytes of cached blobs handed to clients: counted when a span is opened, since cached blobs
     * are sent zero-copy from their file (a client that leaves early is counted whole).
     */
    public long blobBytesFromCache() {
        return blobBytesFromCache.sum();
    }

    /** Bytes clients read from the spool files of fills, as the upstream's bytes arrived. */
    public long blobBytesFromUpstream() {
        return blobBytesFromUpstream.sum();
    }

    /** Blob fills running now: fetching from the upstream, verifying or committing. */
    public int blobFillsRunning() {
        return blobFillsRunning.get();
    }

    /** Client requests served by a fill now: waiting for its first bytes, or reading its spool file. */
    public int blobFillWaiters() {
        return blobFillWaiters.get();
    }
}
