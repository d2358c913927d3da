package io.berth.store.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.store.Listings;
import io.berth.store.Page;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.manifest.ManifestParser;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * Tag lists and referrers of proxy projects, as the upstream has them. Tags: the upstream's whole
 * list (paged through, up to a bound), sorted as the spec asks and kept briefly; the cached tags
 * when the upstream fails or no longer knows the repository. Referrers: the upstream's referrers API when it has one (nothing is
 * stored); the cached referrers when it has none or fails.
 */
final class UpstreamListings {
    private static final int UPSTREAM_PAGE = 1000;

    private final Listings listings;
    private final ProxyCache.Options options;
    private final ProxyCounters counters;
    private final Flights<String, Optional<List<String>>> tagFetches;
    private final Flights<String, Optional<List<Descriptor>>> referrerFetches;
    private final Cache<String, Optional<List<String>>> tags;
    private final Cache<String, Optional<List<Descriptor>>> referrers;

    UpstreamListings(Listings listings, Executor executor, ProxyCache.Options options, ProxyCounters counters) {
        this.listings = listings;
        this.options = options;
        this.counters = counters;
        this.tagFetches = new Flights<>(executor);
        this.referrerFetches = new Flights<>(executor);
        this.tags = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(options.listingTtl()).build();
        this.referrers = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(options.listingTtl()).build();
    }

    /** Tags in lexical order after {@code last}, at most {@code limit}. */
    Page<String> tags(ProxyContext context, String last, int limit, Deadline deadline) {
        String key = context.upstreamLabel() + '\0' + context.upstreamName();
        Optional<List<String>> all = tags.getIfPresent(key);
        if (all == null) {
            try {
                all = deadline.await(tagFetches.join(key, () -> kept(tags, key, () -> allTags(context))));
            } catch (Exception e) {
                return cachedTags(context, last, limit, e, deadline);
            }
        }
        if (all.isEmpty()) { // unknown upstream: what the cache kept (NAME_UNKNOWN when nothing)
            return listings.tags(context.local(), last, limit);
        }
        List<String> after = last == null ? all.get() : all.get().stream().filter(t -> t.compareTo(last) > 0).toList();
        return new Page<>(after.subList(0, Math.min(limit, after.size())), after.size() > limit);
    }

    /**
     * The listing a run that just ended kept, else {@code fetch}'s, kept for later callers (also
     * when the caller that started it stopped waiting).
     */
    private static <V> V kept(Cache<String, V> cache, String key, Callable<V> fetch) throws Exception {
        V listed = cache.getIfPresent(key);
        if (listed == null) {
            listed = fetch.call();
            cache.put(key, listed);
        }
        return listed;
    }

    private Optional<List<String>> allTags(ProxyContext context) throws UpstreamException {
        TreeSet<String> all = new TreeSet<>();
        String after = null;
        try {
            while (all.size() < options.maxUpstreamTags()) {
                Optional<Upstream.TagPage> page = context.upstream().tags(context.upstreamName(), after, UPSTREAM_PAGE);
                if (page.isEmpty()) {
                    return after == null ? Optional.empty() : Optional.of(List.copyOf(all));
                }
                all.addAll(page.get().tags());
                if (!page.get().more() || page.get().tags().isEmpty()) {
                    break;
                }
                after = page.get().tags().getLast();
            }
        } catch (UpstreamException e) {
            counters.upstreamFailures.increment();
            throw e;
        }
        return Optional.of(List.copyOf(all));
    }

    private Page<String> cachedTags(ProxyContext context, String last, int limit, Exception failure,
                                    Deadline deadline) {
        try {
            Page<String> page = listings.tags(context.local(), last, limit);
            UpstreamFailures.servedStale(context, "tag list", failure);
            return page;
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.NAME_UNKNOWN) {
                throw UpstreamFailures.toClient(context, "list the tags", failure, deadline);
            }
            throw e;
        }
    }

    /** Referrers of {@code subject} by digest after {@code last}, at most {@code limit}. */
    Page<Descriptor> referrers(ProxyContext context, Digest subject, String artifactType, String last, int limit,
                               Deadline deadline) {
        String key = context.upstreamLabel() + '\0' + context.upstreamName() + '\0' + subject + '\0'
                + (artifactType == null ? "" : artifactType);
        Optional<List<Descriptor>> upstream = referrers.getIfPresent(key);
        if (upstream == null) {
            try {
                upstream = deadline.await(referrerFetches.join(key, () -> kept(referrers, key,
                        () -> upstreamReferrers(context, subject, artifactType))));
            } catch (Exception e) {
                UpstreamFailures.servedStale(context, "referrers of " + subject, e);
                upstream = Optional.empty();
            }
        }
        if (upstream.isEmpty()) {
            return listings.referrers(context.local(), subject, artifactType, last, limit);
        }
        List<Descriptor> after = upstream.get().stream()
                .filter(d -> last == null || d.digest().toString().compareTo(last) > 0).toList();
        return new Page<>(after.subList(0, Math.min(limit, after.size())), after.size() > limit);
    }

    private Optional<List<Descriptor>> upstreamReferrers(ProxyContext context, Digest subject, String artifactType)
            throws UpstreamException {
        Optional<Upstream.Manifest> index;
        try {
            index = context.upstream().referrers(context.upstreamName(), subject, artifactType);
        } catch (UpstreamException e) {
            counters.upstreamFailures.increment();
            throw e;
        }
        if (index.isEmpty()) {
            return Optional.empty();
        }
        List<Descriptor> found;
        try {
            found = new ArrayList<>(ManifestParser.parse(index.get().bytes(), MediaTypes.OCI_INDEX).children());
        } catch (RegistryException e) {
            throw new UpstreamException(UpstreamException.Kind.INVALID_RESPONSE, "the referrers of " + subject
                    + " are not an image index: " + e.getMessage());
        }
        found.removeIf(d -> artifactType != null && !artifactType.equals(d.artifactType()));
        found.sort(Comparator.comparing(d -> d.digest().toString()));
        return Optional.of(List.copyOf(found));
    }
}
