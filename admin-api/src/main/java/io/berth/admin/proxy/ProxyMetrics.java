package io.berth.admin.proxy;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.berth.store.proxy.ProxyCounters;

/**
 * The pull-through cache's metrics, under {@code berth.proxy.*}: gauges that read
 * {@link ProxyCounters} when the metrics are read, so the cache itself pays an increment per event
 * and nothing more. Counts are since start; {@code blob.fills.running} and
 * {@code blob.fills.waiters} are what goes on now. The per-upstream metrics are
 * {@link UpstreamMetrics}'.
 */
public final class ProxyMetrics {
    static final String PREFIX = "berth.proxy.";

    private ProxyMetrics() {
    }

    /** Registers the cache's gauges in {@code metrics}. */
    public static void register(MetricRegistry metrics, ProxyCounters counters) {
        gauge(metrics, "manifest.hits", counters::manifestHits);
        gauge(metrics, "manifest.misses", counters::manifestMisses);
        gauge(metrics, "manifest.revalidations", counters::revalidations);
        gauge(metrics, "manifest.revalidations-skipped", counters::rateLimitedSkips);
        gauge(metrics, "manifest.stale-served", counters::staleServed);
        gauge(metrics, "blob.hits", counters::blobHits);
        gauge(metrics, "blob.misses", counters::blobMisses);
        gauge(metrics, "blob.bytes.from-cache", counters::blobBytesFromCache);
        gauge(metrics, "blob.bytes.from-upstream", counters::blobBytesFromUpstream);
        gauge(metrics, "blob.bytes.fetched", counters::blobBytesFetched);
        gauge(metrics, "blob.fills.started", counters::blobFills);
        gauge(metrics, "blob.fills.failed", counters::blobFillFailures);
        gauge(metrics, "blob.fills.running", counters::blobFillsRunning);
        gauge(metrics, "blob.fills.waiters", counters::blobFillWaiters);
        gauge(metrics, "upstream-failures", counters::upstreamFailures);
    }

    private static void gauge(MetricRegistry metrics, String name, Gauge<?> gauge) {
        metrics.register(PREFIX + name, gauge);
    }
}
