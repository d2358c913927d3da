package io.berth.store.proxy.eviction;

import io.berth.store.error.ErrorCode;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A proxy project's cache usage as the admin API reports it, and pinning, on both databases. */
@OnH2AndPostgres
class ProxyCachesTest extends ProxyCacheTestBase {
    private final RepositoryName nginx = repo("hub/library/nginx");
    private final RepositoryName redis = repo("hub/library/redis");
    private ProxyCaches caches;

    ProxyCachesTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void openCaches() {
        caches = new ProxyCaches(registry.transactions());
    }

    @Test
    void usage_countsEachDigestOnce_acrossTheProjectsRepositories() throws IOException {
        proxyProject("hub", 5_000_000L, Duration.ofDays(30));
        byte[] layer = utf8("a layer two images share");
        Image first = imageOf("first", layer);
        Image second = imageOf("second", layer);
        cache(nginx, "1", first);
        cache(redis, "1", first); // the same manifest in two repositories: held once
        cache(redis, "2", second);
        push(repo("team/app"), "1", imageOf("local", layer)); // another project's content does not count here

        CacheStatus status = caches.status("hub");

        long bytes = first.config().length + layer.length + first.manifest().length + second.config().length
                + second.manifest().length;
        assertEquals(new CacheUsage(bytes, 5, 3), status.usage());
        assertEquals(5_000_000L, status.sizeBudget());
        assertEquals(Duration.ofDays(30), status.maxAge());
        assertNull(status.lastEviction());
    }

    @Test
    void usage_isTheNumberEvictionWorksWith() throws IOException {
        proxyProject("hub", null, null);
        cache(nginx, "1", image("one"));
        cache(redis, "1", image("two"));
        CacheUsage before = caches.status("hub").usage();
        budget("hub", before.bytes() - 1);

        EvictionReport report = run().projects().getFirst();

        assertEquals(caches.status("hub").usage(), report.usage());
        assertEquals(before.bytes() - report.bytes(), report.usage().bytes());
    }

    @Test
    void status_ofALocalProject_isRefused_andOfAnUnknownOne_isNotFound() throws IOException {
        push(repo("team/app"), "1", image("local"));

        assertFailure(ErrorCode.INVALID_INPUT, () -> caches.status("team"));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> caches.status("nothing"));
    }

    @Test
    void pin_byTagOrDigest_keepsTheArtifactFromEviction_andUnpinLetsItGo() throws IOException {
        proxyProject("hub", null, null);
        Image image = image("pinned");
        cache(nginx, "1.27", image);
        List<PinnedArtifact> audited = new ArrayList<>();

        PinnedArtifact pinned = caches.pin("hub", "library/nginx", "1.27", true, (h, a) -> audited.add(a));
        budget("hub", 1L);
        run();

        assertEquals(new PinnedArtifact("hub/library/nginx", image.digest().toString(), true), pinned);
        assertEquals(List.of(pinned), audited);
        assertTrue(registry.inventory().artifacts(nginx, 1, 10).items().getFirst().pinned(), "listed as pinned");
        assertFullyPullable(nginx, "1.27");

        caches.pin("hub", "library/nginx", image.digest().toString(), false, (h, a) -> audited.add(a));
        run();

        assertEquals(0, artifacts(nginx));
        assertEquals(2, audited.size());
    }

    @Test
    void pin_whoseAuditFails_changesNothing() throws IOException {
        proxyProject("hub", null, null);
        Image image = image("not pinned after all");
        cache(nginx, "1", image);

        assertThrows(IllegalStateException.class, () -> caches.pin("hub", "library/nginx", "1", true, (h, a) -> {
            throw new IllegalStateException("the audit log refused the line");
        }));

        assertEquals(0, count("SELECT COUNT(*) FROM artifact WHERE pinned"));
    }

    @Test
    void pin_isRefused_forLocalProjects_unknownArtifacts_andBadReferences() throws IOException {
        proxyProject("hub", null, null);
        cache(nginx, "1", image("cached"));
        push(repo("team/app"), "1", image("local"));
        ProxyCaches.PinAudit none = (h, a) -> {
        };

        assertFailure(ErrorCode.INVALID_INPUT, () -> caches.pin("team", "app", "1", true, none));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> caches.pin("hub", "library/nginx", "2", true, none));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> caches.pin("hub", "library/nginx",
                Digest.sha256(utf8("nothing")).toString(), true, none));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> caches.pin("hub", "library/other", "1", true, none));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> caches.pin("nothing", "x", "1", true, none));
        assertFailure(ErrorCode.TAG_INVALID, () -> caches.pin("hub", "library/nginx", "-bad", true, none));
        assertFailure(ErrorCode.NAME_INVALID, () -> caches.pin("hub", "Library", "1", true, none));
        assertTrue(count("SELECT COUNT(*) FROM artifact WHERE pinned") == 0);
    }
}
