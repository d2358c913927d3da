package io.berth.store.proxy.eviction;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.gc.TaskLease;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eviction from proxy projects' caches, on both databases: what goes first (least recently pulled,
 * or cached, and what has not been pulled within the maximum age), what never goes (pinned
 * artifacts, an index's children while it stays, blobs another repository or project links), and
 * what goes with an artifact (its tags, its blobs' links, an index's children, and in the end the
 * content nothing references).
 */
@OnH2AndPostgres
class CacheEvictionTest extends ProxyCacheTestBase {
    private final RepositoryName nginx = repo("hub/library/nginx");
    private final RepositoryName redis = repo("hub/library/redis");

    CacheEvictionTest(TestDatabase database) {
        super(database);
    }

    @Test
    void overBudget_evictsTheLeastRecentlyPulledFirst_withTheirTagsAndLinks() throws IOException {
        proxyProject("hub", null, null);
        Image x = image("x");
        Image y = image("y");
        Image z = image("z");
        cache(nginx, "x", x);
        cache(nginx, "y", y);
        cache(nginx, "z", z); // never pulled: counts from when it was cached, before the others' pulls
        pulled(nginx, x.digest(), T.plus(Duration.ofHours(3)));
        pulled(nginx, y.digest(), T.plus(Duration.ofHours(1)));
        budget("hub", bytes(x) + bytes(y) - 1);

        EvictionReport report = run().projects().getFirst();

        assertEquals(2, report.artifacts());
        assertEquals(6, report.links());
        assertEquals(bytes(y) + bytes(z), report.bytes());
        assertEquals(new CacheUsage(bytes(x), 4, 1), report.usage());
        assertFalse(report.overBudget());
        assertFalse(holds(nginx, y.digest()));
        assertFalse(holds(nginx, z.digest()));
        assertFalse(links(nginx, y.layerDigests().getFirst()));
        assertEquals(List.of("x"), open().listings().tags(nginx, null, 100).items());
        assertFullyPullable(nginx, "x");
    }

    @Test
    void whatWasEvicted_isGoneAtOnceForThisInstancesReads_thoughItServedThemJustBefore() throws IOException {
        proxyProject("hub", null, null);
        Image x = image("x");
        Image y = image("y");
        cache(nginx, "x", x);
        cache(nginx, "y", y);
        pulled(nginx, y.digest(), T.plus(Duration.ofHours(1)));
        Digest layer = x.layerDigests().getFirst();
        assertTrue(registry.blobs().size(nginx, layer).isPresent()); // now in this instance's caches
        registry.manifests().get(nginx, Reference.parse("x"));
        budget("hub", bytes(y));

        run();

        assertTrue(registry.blobs().size(nginx, layer).isEmpty(), "an evicted layer still reads as linked");
        RegistryException unknown = assertThrows(RegistryException.class,
                () -> registry.manifests().get(nginx, Reference.parse("x")));
        assertEquals(ErrorCode.MANIFEST_UNKNOWN, unknown.code());
        assertFullyPullable(registry, nginx, "y");
    }

    @Test
    void aNeverPulledArtifact_countsFromWhenItWasCached() throws IOException {
        proxyProject("hub", null, null);
        Image old = image("pulled long ago");
        cache(nginx, "old", old);
        pulled(nginx, old.digest(), T.plus(Duration.ofMinutes(1)));
        clock.advance(Duration.ofHours(1));
        Image fresh = image("cached later, never pulled");
        cache(nginx, "fresh", fresh);
        budget("hub", bytes(fresh));

        run();

        assertFalse(holds(nginx, old.digest()));
        assertFullyPullable(nginx, "fresh");
    }

    @Test
    void pinnedArtifacts_stay_andWhatIsLeftOverBudgetIsReported() throws IOException {
        proxyProject("hub", null, null);
        Image pinned = image("pinned");
        Image other = image("other");
        cache(nginx, "pinned", pinned);
        cache(nginx, "other", other);
        pulled(nginx, other.digest(), T.plus(Duration.ofHours(1)));
        sql("UPDATE artifact SET pinned = TRUE WHERE digest = '" + pinned.digest() + "'");
        budget("hub", 1L);

        EvictionReport report = run().projects().getFirst();

        assertEquals(1, report.artifacts());
        assertTrue(report.overBudget());
        assertEquals(bytes(pinned), report.usage().bytes());
        assertFalse(holds(nginx, other.digest()));
        assertFullyPullable(nginx, "pinned");
    }

    @Test
    void aBlobSharedWithALocalProject_staysThere_contentAndAll() throws IOException {
        proxyProject("hub", 1L, null);
        byte[] layer = utf8("a base layer both projects hold");
        Image local = imageOf("local", layer);
        Image cached = imageOf("cached", layer);
        push(repo("team/app"), "1.0", local);
        cache(nginx, "1.0", cached);

        run();
        sweepOnceEverythingIsOld();

        assertEquals(0, artifacts(nginx));
        assertFalse(links(nginx, Digest.sha256(layer)));
        assertTrue(Files.exists(paths().blob(Digest.sha256(layer))));
        assertFalse(Files.exists(paths().blob(cached.configDigest())), "content nothing references goes");
        assertFalse(Files.exists(paths().blob(cached.digest())));
        assertFullyPullable(repo("team/app"), "1.0");
    }

    @Test
    void aBlobSharedWithAnotherRepositoryOfTheProject_keepsItsLinkThere_andStillCounts() throws IOException {
        proxyProject("hub", null, null);
        byte[] layer = utf8("a base layer two cached images share");
        Image first = imageOf("first", layer);
        Image second = imageOf("second", layer);
        cache(nginx, "1", first);
        cache(redis, "1", second);
        pulled(redis, second.digest(), T.plus(Duration.ofHours(1)));
        budget("hub", bytes(second));

        EvictionReport report = run().projects().getFirst();

        assertEquals(bytes(first) - layer.length, report.bytes());
        assertEquals(bytes(second), report.usage().bytes());
        assertFalse(links(nginx, Digest.sha256(layer)));
        assertFullyPullable(redis, "1");
    }

    @Test
    void anIndex_goesWithItsChildren_butNotWithAChildAnotherIndexLists() throws IOException {
        proxyProject("hub", null, null);
        Image amd64 = image("amd64");
        Image arm64 = image("arm64");
        Image riscv = image("riscv");
        Digest one = cacheIndex(nginx, "one", amd64, arm64).digest();
        Digest two = cacheIndex(nginx, "two", arm64, riscv).digest();
        pulled(nginx, riscv.digest(), T.minus(Duration.ofHours(1))); // the least recently used artifact, but a child
        pulled(nginx, one, T.plus(Duration.ofHours(1)));
        pulled(nginx, two, T.plus(Duration.ofHours(2)));
        long twoBytes = bytes(arm64) + bytes(riscv) + count("SELECT size FROM artifact WHERE digest = '" + two + "'");
        budget("hub", twoBytes);

        EvictionReport report = run().projects().getFirst();

        assertEquals(2, report.artifacts(), "index one and amd64");
        assertFalse(holds(nginx, one));
        assertFalse(holds(nginx, amd64.digest()));
        assertTrue(holds(nginx, arm64.digest()));
        assertEquals(twoBytes, report.usage().bytes());
        assertFullyPullable(nginx, "two");
    }

    @Test
    void aChildPulledRecently_keepsItsIndex() throws IOException {
        proxyProject("hub", null, null);
        Image child = image("child");
        Digest index = cacheIndex(nginx, "multi", child).digest();
        Image plain = image("plain");
        cache(redis, "plain", plain);
        pulled(nginx, index, T.plus(Duration.ofHours(1)));
        pulled(redis, plain.digest(), T.plus(Duration.ofHours(2)));
        pulled(nginx, child.digest(), T.plus(Duration.ofHours(3)));
        budget("hub", bytes(child) + count("SELECT size FROM artifact WHERE digest = '" + index + "'"));

        run();

        assertEquals(0, artifacts(redis));
        assertFullyPullable(nginx, "multi");
    }

    @Test
    void maxAge_evictsWhatWasNotPulledWithinIt_evenUnderBudget() throws IOException {
        proxyProject("hub", null, Duration.ofDays(7));
        Image stale = image("stale");
        Image recent = image("recent");
        cache(nginx, "stale", stale);
        cache(nginx, "recent", recent);
        pulled(nginx, recent.digest(), T.plus(Duration.ofDays(5)));
        clock.advance(Duration.ofDays(8));

        EvictionReport report = run().projects().getFirst();

        assertEquals(1, report.artifacts());
        assertFalse(holds(nginx, stale.digest()));
        assertFullyPullable(nginx, "recent");
    }

    @Test
    void aBlobLinkNoArtifactReferences_isEvictedOnlyOnceOlderThanTheGracePeriod() throws IOException {
        proxyProject("hub", 1L, null);
        byte[] content = utf8("fetched for a manifest that was evicted meanwhile");
        Digest orphan = upload(nginx, content);

        run();
        assertTrue(links(nginx, orphan), "linked within the grace period: a fill whose manifest is on its way");
        clock.advance(GRACE.plusMinutes(1));
        EvictionReport report = run().projects().getFirst();

        assertEquals(1, report.links());
        assertEquals(content.length, report.bytes());
        assertFalse(links(nginx, orphan));
    }

    @Test
    void aBlobLinkNoArtifactReferences_goesBeforeArtifactsUsedAfterItWasLinked() throws IOException {
        proxyProject("hub", null, null);
        Digest orphan = upload(nginx, utf8("left by an evicted manifest"));
        Image kept = image("kept");
        cache(nginx, "kept", kept);
        pulled(nginx, kept.digest(), T.plus(Duration.ofMinutes(30)));
        clock.advance(GRACE.plusMinutes(1));
        budget("hub", bytes(kept));

        run();

        assertFalse(links(nginx, orphan));
        assertFullyPullable(nginx, "kept");
    }

    @Test
    void projectsWithoutBounds_andLocalProjects_areLeftAlone() throws IOException {
        proxyProject("hub", null, null);
        cache(nginx, "1", image("unbounded"));
        push(repo("team/app"), "1", image("local"));

        assertEquals(List.of(), run().projects());

        assertEquals(1, artifacts(nginx));
        assertEquals(1, artifacts(repo("team/app")));
    }

    @Test
    void whileAnotherInstanceHoldsTheLease_nothingRuns() throws IOException {
        proxyProject("hub", 1L, null);
        cache(nginx, "1", image("kept while the other runs"));
        assertTrue(new TaskLease(registry.transactions(), "cache-eviction", "other", Duration.ofMinutes(5), clock)
                .acquire());

        assertTrue(eviction("this").runOnce().isEmpty());

        assertEquals(1, artifacts(nginx));
    }

    @Test
    void aRun_isRecordedAsTheProjectsLastEviction() throws IOException {
        proxyProject("hub", null, null);
        Image gone = image("gone");
        cache(nginx, "1", gone);
        budget("hub", 1L);

        run();

        CacheStatus status = new ProxyCaches(registry.transactions()).status("hub");
        assertEquals(new LastEviction(T, 1, 3, bytes(gone)), status.lastEviction());
    }
}
