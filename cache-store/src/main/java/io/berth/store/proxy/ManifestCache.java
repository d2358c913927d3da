package io.berth.store.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.store.CachedTags;
import io.berth.store.Manifests;
import io.berth.store.StoredManifest;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Manifests of proxy projects. By digest: the cached copy when there is one, without asking the
 * upstream (content under a digest never changes); else one upstream {@code GET} however many
 * clients ask, stored byte-exact. By tag: the cached copy while the tag is younger than the
 * project's freshness window; after it one {@code HEAD} (never falling back to a {@code GET} when
 * the HEAD fails), and a {@code GET} only when the upstream's digest changed, which moves the tag.
 * When the upstream fails or does not answer by the deadline the cached copy is served
 * (stale-if-error), as it is without asking when the upstream's rate budget is low. A tag the
 * upstream answers 404 for is kept (SERVE) or removed (DELETE) as the project says.
 */
final class ManifestCache {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestCache.class);

    private final Manifests manifests;
    private final CachedTags tags;
    private final ProxyCache.Options options;
    private final Clock clock;
    private final ProxyCounters counters;
    private final Flights<String, Optional<StoredManifest>> fetches;
    private final Flights<String, Revalidation> revalidations;
    /**
     * Tags the upstream confirmed lately, answered without blocking while within their freshness
     * window and while the repository is as it was (an eviction or a delete may have removed the
     * manifest since: then the blocking path finds it gone and fetches it again).
     */
    private final Cache<String, Fresh> fresh = Caffeine.newBuilder()
            .maximumWeight(32L << 20)
            .<String, Fresh>weigher((k, f) -> f.manifest().content().length + k.length() + 64)
            .expireAfterWrite(Duration.ofHours(1))
            .build();

    private record Fresh(StoredManifest manifest, Instant checkedAt, long generation) {
    }

    /** What a revalidation found: the tag unchanged, moved (to {@code manifest}), or gone upstream. */
    private record Revalidation(Outcome outcome, StoredManifest manifest) {
    }

    private enum Outcome { UNCHANGED, MOVED, MISSING }

    ManifestCache(Manifests manifests, CachedTags tags, Executor executor, ProxyCache.Options options, Clock clock,
                  ProxyCounters counters) {
        this.manifests = manifests;
        this.tags = tags;
        this.options = options;
        this.clock = clock;
        this.counters = counters;
        this.fetches = new Flights<>(executor);
        this.revalidations = new Flights<>(executor);
    }

    /** A manifest answered from memory without blocking: by digest when cached, by tag while fresh. */
    Optional<StoredManifest> cached(ProxyContext context, Reference reference) {
        if (reference.isDigest()) {
            return manifests.cached(context.local(), reference);
        }
        Fresh entry = fresh.getIfPresent(key(context, reference.toString()));
        if (entry == null || entry.generation() != manifests.generation(context.local())
                || !isFresh(context, entry.checkedAt())) {
            return Optional.empty();
        }
        counters.manifestHits.increment();
        return Optional.of(entry.manifest());
    }

    /** A manifest by tag or digest, asking the upstream as the cache semantics say. */
    StoredManifest get(ProxyContext context, Reference reference, Deadline deadline) throws IOException {
        return reference.isDigest() ? byDigest(context, reference.digest().get(), deadline)
                : byTag(context, reference.tag().get(), deadline);
    }

    private StoredManifest byDigest(ProxyContext context, Digest digest, Deadline deadline) throws IOException {
        Optional<StoredManifest> held = local(context, Reference.of(digest));
        if (held.isPresent()) {
            counters.manifestHits.increment();
            return held.get();
        }
        counters.manifestMisses.increment();
        CompletableFuture<Optional<StoredManifest>> fetch = fetches.join(key(context, digest.toString()), () -> {
            Optional<StoredManifest> landed = local(context, Reference.of(digest)); // by a run that just ended
            return landed.isPresent() ? landed : fetch(context, digest.toString(), null, digest);
        });
        return awaitFetch(context, "fetch manifest " + digest, fetch, deadline)
                .orElseThrow(() -> notUpstream(context, digest.toString()));
    }

    private StoredManifest byTag(ProxyContext context, String tag, Deadline deadline) throws IOException {
        long generation = manifests.generation(context.local()); // before reading what it vouches for
        Optional<CachedTags.State> state = tags.find(context.local(), tag);
        Optional<StoredManifest> held = state.isEmpty() ? Optional.empty()
                : local(context, Reference.of(state.get().digest()));
        if (held.isEmpty()) {
            counters.manifestMisses.increment();
            CompletableFuture<Optional<StoredManifest>> fetch = fetches.join(key(context, tag), () -> {
                Optional<StoredManifest> landed = freshInStore(context, tag); // by a run that just ended
                return landed.isPresent() ? landed : fetch(context, tag, tag, null);
            });
            StoredManifest fetched = awaitFetch(context, "fetch manifest " + tag, fetch, deadline)
                    .orElseThrow(() -> notUpstream(context, tag));
            return remember(context, tag, fetched, manifests.generation(context.local()));
        }
        StoredManifest cached = held.get();
        Instant checkedAt = state.get().checkedAt();
        if (checkedAt != null && isFresh(context, checkedAt)) {
            counters.manifestHits.increment();
            fresh.put(key(context, tag), new Fresh(cached, checkedAt, generation));
            return cached;
        }
        if (budgetIsLow(context.upstream())) {
            counters.rateLimitedSkips.increment();
            counters.manifestHits.increment();
            LOG.info("proxy {}: upstream '{}' has little rate budget left; served tag {} of {} without revalidating",
                    context.project(), context.upstreamLabel(), tag, context.upstreamName());
            return cached;
        }
        counters.revalidations.increment();
        CompletableFuture<Revalidation> check = revalidations.join(key(context, tag), () -> {
            Optional<StoredManifest> settled = freshInStore(context, tag); // by a run that just ended
            return settled.isEmpty() ? revalidate(context, tag, cached) : new Revalidation(
                    settled.get().digest().equals(cached.digest()) ? Outcome.UNCHANGED : Outcome.MOVED, settled.get());
        });
        Revalidation result;
        try {
            result = deadline.await(check);
        } catch (Exception e) {
            counters.staleServed.increment();
            counters.manifestHits.increment();
            UpstreamFailures.servedStale(context, "revalidation of tag " + tag, e);
            return cached;
        }
        counters.manifestHits.increment();
        return switch (result.outcome()) {
            case UNCHANGED -> remember(context, tag, cached, generation);
            case MOVED -> remember(context, tag, result.manifest(), manifests.generation(context.local()));
            case MISSING -> {
                if (context.settings().onUpstreamMissing() == ProxySettings.OnUpstreamMissing.DELETE) {
                    throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + tag + " is no longer in "
                            + context.upstreamName() + " at upstream registry '" + context.upstreamLabel()
                            + "', so proxy project '" + context.project() + "' removed it from its cache", tag);
                }
                yield remember(context, tag, cached, generation);
            }
        };
    }

    /**
     * Checks a stale tag with a HEAD and acts on the answer (even when no client waits any more):
     * marks it checked, moves it (fetching the new manifest unless it is cached), or handles a 404.
     */
    private Revalidation revalidate(ProxyContext context, String tag, StoredManifest cached) throws IOException {
        Optional<Upstream.ManifestHead> head;
        try {
            head = context.upstream().headManifest(context.upstreamName(), tag);
        } catch (UpstreamException e) {
            counters.upstreamFailures.increment();
            throw e;
        }
        if (head.isEmpty()) {
            if (context.settings().onUpstreamMissing() == ProxySettings.OnUpstreamMissing.DELETE) {
                tags.forget(context.local(), tag);
                fresh.invalidate(key(context, tag));
                LOG.info("proxy {}: upstream '{}' no longer has {}:{}; removed the cached tag", context.project(),
                        context.upstreamLabel(), context.upstreamName(), tag);
            } else {
                tags.markChecked(context.local(), tag);
            }
            return new Revalidation(Outcome.MISSING, null);
        }
        Digest current = head.get().digest();
        if (current.equals(cached.digest())) {
            tags.markChecked(context.local(), tag);
            return new Revalidation(Outcome.UNCHANGED, cached);
        }
        Optional<StoredManifest> held = local(context, Reference.of(current));
        StoredManifest moved = held.isPresent()
                ? manifests.recordFetched(context.local(), tag, held.get().mediaType(), held.get().content(),
                current.algorithm())
                : fetch(context, current.toString(), tag, current).orElseThrow(() -> new UpstreamException(
                UpstreamException.Kind.INVALID_RESPONSE, "tag " + tag + " names " + current
                + ", which the upstream does not serve"));
        return new Revalidation(Outcome.MOVED, moved);
    }

    /**
     * The tag's manifest when it is cached and fresh: a caller that missed the run that fetched or
     * revalidated it starts a run of its own, which must not ask the upstream a second time.
     */
    private Optional<StoredManifest> freshInStore(ProxyContext context, String tag) throws IOException {
        Optional<CachedTags.State> state = tags.find(context.local(), tag);
        if (state.isEmpty() || state.get().checkedAt() == null || !isFresh(context, state.get().checkedAt())) {
            return Optional.empty();
        }
        return local(context, Reference.of(state.get().digest()));
    }

    /**
     * GETs a manifest (by tag or digest) from the upstream, checks its bytes against the digests
     * named, and records it byte-exact, under {@code tag} when not null. Empty on a 404.
     */
    private Optional<StoredManifest> fetch(ProxyContext context, String reference, String tag, Digest expected)
            throws IOException {
        Optional<Upstream.Manifest> answer;
        try {
            answer = context.upstream().getManifest(context.upstreamName(), reference, options.maxManifestSize());
        } catch (UpstreamException e) {
            counters.upstreamFailures.increment();
            throw e;
        }
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        Upstream.Manifest manifest = answer.get();
        byte[] bytes = manifest.bytes();
        Digest named = expected != null ? expected : manifest.digest();
        Digest actual = Digest.of(named.algorithm(), named.algorithm().newHasher().digest(bytes));
        if (!actual.equals(named) || !manifest.digest().equals(Digest.of(manifest.digest().algorithm(),
                manifest.digest().algorithm().newHasher().digest(bytes)))) {
            counters.upstreamFailures.increment();
            throw new UpstreamException(UpstreamException.Kind.INVALID_RESPONSE, "manifest " + reference
                    + " arrived with digest " + actual + ", not " + named + " as the upstream said; nothing was cached");
        }
        if (bytes.length > options.maxManifestSize()) {
            throw new UpstreamException(UpstreamException.Kind.INVALID_RESPONSE, "manifest " + reference + " has "
                    + bytes.length + " bytes, over the limit of " + options.maxManifestSize());
        }
        try {
            return Optional.of(manifests.recordFetched(context.local(), tag, manifest.mediaType(), bytes,
                    named.algorithm()));
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.MANIFEST_INVALID || e.code() == ErrorCode.MANIFEST_TOO_LARGE) {
                throw new UpstreamException(UpstreamException.Kind.INVALID_RESPONSE, "manifest " + reference
                        + " cannot be stored: " + e.getMessage());
            }
            throw e;
        }
    }

    private <V> V awaitFetch(ProxyContext context, String what, CompletableFuture<V> fetch, Deadline deadline) {
        try {
            return deadline.await(fetch);
        } catch (Exception e) {
            throw UpstreamFailures.toClient(context, what, e, deadline);
        }
    }

    /** The manifest as cached locally, or empty (its repository, or its content, is not there). */
    private Optional<StoredManifest> local(ProxyContext context, Reference reference) throws IOException {
        try {
            return Optional.of(manifests.get(context.local(), reference));
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.MANIFEST_UNKNOWN || e.code() == ErrorCode.NAME_UNKNOWN) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Keeps the tag's manifest for answers from memory, with the repository's generation read
     * before the manifest was (or, for one just stored, right after storing it).
     */
    private StoredManifest remember(ProxyContext context, String tag, StoredManifest manifest, long generation) {
        fresh.put(key(context, tag), new Fresh(manifest, clock.instant(), generation));
        return manifest;
    }

    private boolean isFresh(ProxyContext context, Instant checkedAt) {
        return clock.instant().isBefore(checkedAt.plus(context.settings().freshness()));
    }

    private boolean budgetIsLow(Upstream upstream) {
        return options.rateLimitFloor() > 0 && upstream.rateLimit()
                .map(limit -> limit.remaining() < options.rateLimitFloor()).orElse(false);
    }

    private static RegistryException notUpstream(ProxyContext context, String reference) {
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in "
                + context.upstreamName() + " at upstream registry '" + context.upstreamLabel() + "'", reference);
    }

    private static String key(ProxyContext context, String reference) {
        return context.local().value() + '\0' + reference;
    }
}
