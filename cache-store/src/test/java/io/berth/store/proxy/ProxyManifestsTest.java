package io.berth.store.proxy;

import io.berth.store.CachedTags;
import io.berth.store.Caller;
import io.berth.store.StoredManifest;
import io.berth.store.content.ContentSource;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.event.EventType;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import io.berth.store.upstream.UpstreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

import static io.berth.store.proxy.FakeUpstream.GET_MANIFEST;
import static io.berth.store.proxy.FakeUpstream.HEAD_MANIFEST;
import static io.berth.store.testing.ManifestJson.OCI_INDEX;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static io.berth.store.testing.ManifestJson.descriptor;
import static io.berth.store.testing.ManifestJson.index;
import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Manifests through a proxy project: misses, freshness, revalidation, stale-if-error, 404s; on both databases. */
@OnH2AndPostgres
class ProxyManifestsTest extends ProxyTestBase {
    private static final String REPO = "library/app";
    private static final String LOCAL = PROJECT + "/" + REPO;

    private final Image v1 = image("v1");
    private final Image v2 = image("v2");

    ProxyManifestsTest(TestDatabase database) {
        super(database);
    }

    private StoredManifest get(String reference) throws IOException {
        return source(LOCAL).manifest(Reference.parse(reference));
    }

    /** The cache's digest of the tag, read from the database. */
    private Digest cachedDigest(String tag) {
        return registry.cachedTags().find(repo(LOCAL), tag).map(CachedTags.State::digest).orElse(null);
    }

    private void pastFreshness() {
        clock.advance(ProxySettings.DEFAULT_FRESHNESS.plusSeconds(1));
    }

    @Test
    void tagMiss_isFetchedOnceAndStoredByteExact() throws IOException {
        // Whitespace an upstream may use: a store that re-serialised it would change the digest.
        byte[] spaced = utf8(new String(v1.manifest(), StandardCharsets.UTF_8).replace(",", ",\n   ") + "\n");
        Digest digest = upstream.putManifest(REPO, "1.0", OCI_MANIFEST, spaced);

        StoredManifest served = get("1.0");

        assertArrayEquals(spaced, served.content());
        assertEquals(digest, served.digest());
        byte[] stored = read(registry, digest);
        assertArrayEquals(spaced, stored);
        assertEquals(digest, Digest.sha256(stored));
        assertEquals(digest, cachedDigest("1.0"));
        assertEquals(1, upstream.calls(GET_MANIFEST));
    }

    @Test
    void fill_isNoPush_itWritesNoPushedEvent() throws IOException {
        upstreamImage(REPO, "1.0", v1);

        get("1.0");

        assertTrue(events().stream().noneMatch(e -> e.type() == EventType.PUSHED), events().toString());
    }

    @Test
    void byDigest_cached_isServedWithoutAskingTheUpstream() throws IOException {
        Digest digest = upstreamImage(REPO, "1.0", v1);
        get("1.0");
        pastFreshness();
        upstream.failWith(UpstreamException.Kind.UNREACHABLE);

        assertArrayEquals(v1.manifest(), get(digest.toString()).content());

        assertEquals(0, upstream.calls(HEAD_MANIFEST));
        assertEquals(1, upstream.calls(GET_MANIFEST));
    }

    @Test
    void byDigest_miss_isFetchedByDigestOnce() throws IOException {
        Digest digest = upstream.putManifest(REPO, null, OCI_MANIFEST, v1.manifest());

        assertArrayEquals(v1.manifest(), get(digest.toString()).content());
        assertArrayEquals(v1.manifest(), get(digest.toString()).content());

        assertEquals(1, upstream.calls(GET_MANIFEST));
        assertArrayEquals(v1.manifest(), registry.manifests().get(repo(LOCAL), Reference.of(digest)).content());
    }

    @Test
    void tagWithinFreshness_asksTheUpstreamNothing() throws IOException {
        upstreamImage(REPO, "1.0", v1);
        get("1.0");
        clock.advance(ProxySettings.DEFAULT_FRESHNESS.minusSeconds(10));

        assertArrayEquals(v1.manifest(), get("1.0").content());

        assertEquals(0, upstream.calls(HEAD_MANIFEST));
        assertEquals(1, upstream.calls(GET_MANIFEST));
    }

    @Test
    void cachedManifest_answersAFreshTagFromMemoryButNotAStaleOne() throws IOException {
        upstreamImage(REPO, "1.0", v1);
        ContentSource source = source(LOCAL);
        assertTrue(source.cachedManifest(Reference.parse("1.0")).isEmpty(), "nothing known before the first pull");
        source.manifest(Reference.parse("1.0"));

        assertArrayEquals(v1.manifest(), source(LOCAL).cachedManifest(Reference.parse("1.0")).orElseThrow().content());

        pastFreshness();
        assertTrue(source(LOCAL).cachedManifest(Reference.parse("1.0")).isEmpty(), "a stale tag must be revalidated");
    }

    @Test
    void aFreshTagWhoseManifestLeftTheCache_isNotAnsweredFromMemory_butFetchedAndCachedAgain() throws IOException {
        upstreamImage(REPO, "1.0", v1);
        ContentSource source = source(LOCAL);
        source.manifest(Reference.parse("1.0"));
        assertTrue(source.cachedManifest(Reference.parse("1.0")).isPresent());

        // What eviction (or an administrator) does while the tag is still fresh.
        registry.manifests().delete(repo(LOCAL), Reference.of(v1.digest()), Caller.system("test"));

        assertTrue(source.cachedManifest(Reference.parse("1.0")).isEmpty(),
                "a tag whose manifest is no longer cached must not be answered from memory");
        assertArrayEquals(v1.manifest(), source.manifest(Reference.parse("1.0")).content());
        assertEquals(2, upstream.calls(GET_MANIFEST));
        assertEquals(v1.digest(), cachedDigest("1.0"));
        assertArrayEquals(v1.manifest(), registry.manifests().get(repo(LOCAL), Reference.of(v1.digest())).content());
        assertArrayEquals(v1.manifest(), source.cachedManifest(Reference.parse("1.0")).orElseThrow().content());
    }

    @Test
    void staleTag_unchangedUpstream_oneHeadAndNoGet_thenFreshAgain() throws IOException {
        upstreamImage(REPO, "1.0", v1);
        get("1.0");
        pastFreshness();

        assertArrayEquals(v1.manifest(), get("1.0").content());
        assertEquals(1, upstream.calls(HEAD_MANIFEST));
        assertEquals(1, upstream.calls(GET_MANIFEST));

        clock.advance(Duration.ofMinutes(1));
        get("1.0");
        assertEquals(1, upstream.calls(HEAD_MANIFEST), "the HEAD started a new freshness window");
    }

    @Test
    void staleTag_movedUpstream_isFetchedAgainAndTheTagMoves() throws IOException {
        upstreamImage(REPO, "1.0", v1);
        get("1.0");
        Digest moved = upstreamImage(REPO, "1.0", v2);
        pastFreshness();

        assertArrayEquals(v2.manifest(), get("1.0").content());

        assertEquals(1, upstream.calls(HEAD_MANIFEST));
        assertEquals(2, upstream.calls(GET_MANIFEST));
        assertEquals(moved, cachedDigest("1.0"));
    }

    @Test
    void staleTag_movedToAManifestAlreadyCached_movesTheTagWithoutAGet() throws IOException {
        Digest first = upstreamImage(REPO, "1.0", v1);
        upstreamImage(REPO, "2.0", v2);
        get("1.0");
        get("2.0");
        upstream.putManifest(REPO, "2.0", OCI_MANIFEST, v1.manifest());
        pastFreshness();

        assertArrayEquals(v1.manifest(), get("2.0").content());

        assertEquals(2, upstream.calls(GET_MANIFEST));
        assertEquals(first, cachedDigest("2.0"));
    }

    @ParameterizedTest
    @EnumSource(UpstreamException.Kind.class)
    void staleTag_upstreamFails_servesTheCachedCopyAndNeverFallsBackToAGet(UpstreamException.Kind kind)
            throws IOException {
        upstreamImage(REPO, "1.0", v1);
        get("1.0");
        upstream.putManifest(REPO, "1.0", OCI_MANIFEST, v2.manifest());
        pastFreshness();
        upstream.failWith(kind);

        assertArrayEquals(v1.manifest(), get("1.0").content());

        assertEquals(1, upstream.calls(HEAD_MANIFEST));
        assertEquals(1, upstream.calls(GET_MANIFEST));
        assertEquals(1, proxy.counters().staleServed());
        assertEquals(1, proxy.counters().upstreamFailures());
    }

    @Test
    void staleTag_stalledUpstream_isAnsweredFromTheCacheByTheDeadline() throws IOException {
        upstreamImage(REPO, "1.0", v1);
        get("1.0");
        pastFreshness();
        upstream.stall(HEAD_MANIFEST);
        ProxyCache impatient = cacheWithDeadline(Duration.ofMillis(200));

        StoredManifest served = impatient.apply(repo(LOCAL)).manifest(Reference.parse("1.0"));

        assertArrayEquals(v1.manifest(), served.content());
        assertEquals(1, impatient.counters().staleServed());
    }

    @ParameterizedTest
    @EnumSource(UpstreamException.Kind.class)
    void nothingCached_upstreamFails_failsAtOnceWithTheUpstreamsRetryAfter(UpstreamException.Kind kind) {
        upstreamImage(REPO, "1.0", v1);
        upstream.failWith(kind);

        RegistryException e = assertThrows(RegistryException.class, () -> get("1.0"));

        if (kind == UpstreamException.Kind.RATE_LIMITED) {
            assertEquals(ErrorCode.TOOMANYREQUESTS, e.code());
            assertEquals("42", e.headers().get(RegistryException.RETRY_AFTER));
            assertTrue(e.getMessage().contains("retry after 42 s"), e.getMessage());
        } else if (kind == UpstreamException.Kind.REPOSITORY_REFUSED) {
            assertEquals(ErrorCode.NAME_UNKNOWN, e.code(), "Docker Hub's 401 for a missing repository is no sign-in prompt");
            assertTrue(e.getMessage().contains("has no such repository or refuses access to it"), e.getMessage());
        } else {
            assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, e.code());
        }
        assertTrue(e.getMessage().contains(REPO), e.getMessage());
        assertEquals(0, count("SELECT COUNT(*) FROM artifact"));
    }

    @Test
    void nothingCached_stalledUpstream_isUnavailableByTheDeadline() throws IOException {
        upstreamImage(REPO, "1.0", v1);
        upstream.stall(GET_MANIFEST);
        ContentSource impatient = cacheWithDeadline(Duration.ofMillis(200)).apply(repo(LOCAL));

        RegistryException e = assertThrows(RegistryException.class, () -> impatient.manifest(Reference.parse("1.0")));

        assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("did not answer within 200 ms"), e.getMessage());
    }

    @Test
    void upstream404_withServe_keepsServingTheCachedCopy() throws IOException {
        Digest digest = upstreamImage(REPO, "1.0", v1);
        get("1.0");
        upstream.removeTag(REPO, "1.0");
        pastFreshness();

        assertArrayEquals(v1.manifest(), get("1.0").content());
        assertEquals(digest, cachedDigest("1.0"));
    }

    @Test
    void upstream404_withDelete_removesTheCachedTagAndAnswersUnknown() throws IOException {
        settings.put(PROJECT, settings(List.of(), ProxySettings.OnUpstreamMissing.DELETE));
        proxy.forget(PROJECT);
        Digest digest = upstreamImage(REPO, "1.0", v1);
        get("1.0");
        upstream.removeTag(REPO, "1.0");
        pastFreshness();

        RegistryException e = assertThrows(RegistryException.class, () -> get("1.0"));

        assertEquals(ErrorCode.MANIFEST_UNKNOWN, e.code());
        assertEquals(null, cachedDigest("1.0"));
        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> get("1.0"));
        assertArrayEquals(v1.manifest(), get(digest.toString()).content(), "the manifest stays, by digest");
    }

    @Test
    void tagTheUpstreamDoesNotHave_isManifestUnknown() {
        RegistryException e = assertThrows(RegistryException.class, () -> get("nope"));

        assertEquals(ErrorCode.MANIFEST_UNKNOWN, e.code());
        assertTrue(e.getMessage().contains("not in " + REPO), e.getMessage());
    }

    @Test
    void concurrentMisses_ofOneTag_makeOneUpstreamGet() throws Exception {
        upstreamImage(REPO, "1.0", v1);
        CountDownLatch release = upstream.stall(GET_MANIFEST);
        CountDownLatch getStarted = upstream.enteredLatch(GET_MANIFEST);
        List<Future<StoredManifest>> pulls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pulls.add(executor.submit(() -> get("1.0")));
        }
        getStarted.await();
        release.countDown();

        for (Future<StoredManifest> pull : pulls) {
            assertArrayEquals(v1.manifest(), pull.get().content());
        }
        assertEquals(1, upstream.calls(GET_MANIFEST));
    }

    @Test
    void lowRateBudget_servesTheCacheWithoutRevalidating() throws IOException {
        upstreamImage(REPO, "1.0", v1);
        get("1.0");
        upstream.rateLimit(3);
        pastFreshness();

        assertArrayEquals(v1.manifest(), get("1.0").content());

        assertEquals(0, upstream.calls(HEAD_MANIFEST));
        assertEquals(1, proxy.counters().rateLimitedSkips());
    }

    @Test
    void index_isStoredWhenPulled_andEachChildWhenItIsPulled() throws IOException {
        Digest amd = upstream.putManifest(REPO, null, OCI_MANIFEST, v1.manifest());
        upstream.putManifest(REPO, null, OCI_MANIFEST, v2.manifest());
        byte[] indexBytes = utf8(index(OCI_INDEX, null, descriptor(OCI_MANIFEST, v1.manifest()),
                descriptor(OCI_MANIFEST, v2.manifest())));
        upstream.putManifest(REPO, "multi", OCI_INDEX, indexBytes);

        assertArrayEquals(indexBytes, get("multi").content());
        assertEquals(1, count("SELECT COUNT(*) FROM artifact"));

        assertArrayEquals(v1.manifest(), get(amd.toString()).content());
        assertEquals(2, count("SELECT COUNT(*) FROM artifact"));
        assertFalse(registry.manifests().cached(repo(LOCAL), Reference.of(Digest.sha256(v2.manifest()))).isPresent());
    }
}
