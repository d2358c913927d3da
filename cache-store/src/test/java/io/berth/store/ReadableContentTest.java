package io.berth.store;

import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client's mounts and catalog see only what its caller may read: mounts without {@code from=}
 * link from readable repositories only, mounts with it need pull granted on the source, and the
 * catalog pages through readable repositories alone, in lexical order. On both databases, and on a
 * PostgreSQL database with a language collation for the catalog's order.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
class ReadableContentTest extends RegistryTestBase {
    private final RepositoryName open = repo("open/app");
    private final RepositoryName secret = repo("secret/app");
    private final RepositoryName target = repo("mine/app");

    ReadableContentTest(TestDatabase database) {
        super(database);
    }

    private long projectId(String name) {
        return registry.transactions().withHandle(h -> h.createQuery("SELECT id FROM project WHERE name = :name")
                .bind("name", name).mapTo(Long.class).one());
    }

    private static Caller reading(Set<String> granted, Readable.Reach reach) {
        return new Caller("alice", Caller.Kind.USER, "192.0.2.1", Readable.of(granted, () -> reach));
    }

    private static Caller readingProjects(Long... ids) {
        return reading(Set.of(), Readable.Reach.ofProjects(Set.of(ids)));
    }

    private boolean linked(RepositoryName repository, Digest digest) throws IOException {
        return registry.blobs().size(repository, digest).isPresent();
    }

    @Test
    void mountWithoutFrom_linksABlobHeldInAReadableProject() throws IOException {
        Digest digest = upload(open, utf8("shared base layer"));
        upload(target, utf8("the target exists"));

        assertTrue(registry.blobs().mount(target, digest, null, readingProjects(projectId("open"))));

        assertTrue(linked(target, digest));
    }

    @Test
    void mountWithoutFrom_ofABlobOnlyInUnreadableProjects_linksNothing_andCreatesNoRepository() throws IOException {
        Digest digest = upload(secret, utf8("private layer"));
        upload(open, utf8("something readable"));
        RepositoryName fresh = repo("fresh/app");

        assertFalse(registry.blobs().mount(fresh, digest, null, readingProjects(projectId("open"))));
        assertFalse(registry.blobs().mount(fresh, digest, null, new Caller("bob", Caller.Kind.USER, null)),
                "a caller whose reach nobody worked out reads nothing");

        assertFalse(linked(fresh, digest));
        assertFalse(registry.listings().catalog(null, 10).items().contains("fresh/app"));
    }

    @Test
    void mountWithoutFrom_linksFromASingleReadableRepository_butNotFromItsNeighbours() throws IOException {
        Digest inApp = upload(secret, utf8("in secret/app"));
        Digest inOther = upload(repo("secret/other"), utf8("in secret/other"));
        Caller oneRepository = reading(Set.of(), new Readable.Reach(false, Set.of(), Set.of("secret/app")));

        assertTrue(registry.blobs().mount(target, inApp, null, oneRepository));
        assertFalse(registry.blobs().mount(target, inOther, null, oneRepository));
        assertTrue(registry.blobs().mount(target, inOther, null, reading(Set.of("secret/other"), Readable.Reach.NOTHING)),
                "a repository granted for the request counts too");
    }

    @Test
    void mountWithoutFrom_forTheRegistryItself_linksFromAnywhere_andNotWhatNobodyHolds() throws IOException {
        Digest digest = upload(secret, utf8("anywhere"));

        assertTrue(registry.blobs().mount(target, digest, null, Caller.system("replication")));
        assertFalse(registry.blobs().mount(target, Digest.sha256(utf8("never uploaded")), null,
                Caller.system("replication")));
    }

    @Test
    void mountWithoutFrom_overMoreProjectsThanOneQueryTakes_findsTheHolder() throws IOException {
        Digest digest = upload(open, utf8("held by the last project"));
        Set<Long> many = new HashSet<>();
        LongStream.range(1_000_000, 1_002_500).forEach(many::add);
        many.add(projectId("open"));

        assertTrue(registry.blobs().mount(target, digest, null, reading(Set.of(), Readable.Reach.ofProjects(many))));
    }

    @Test
    void mountWithFrom_needsPullGrantedOnTheSource() throws IOException {
        Digest digest = upload(secret, utf8("named source"));

        assertFalse(registry.blobs().mount(target, digest, secret, readingProjects(projectId("secret"))),
                "with from=, only the access check's grant on the source counts");
        assertFalse(linked(target, digest));
        assertTrue(registry.blobs().mount(target, digest, secret, reading(Set.of("secret/app"), Readable.Reach.NOTHING)));
        assertTrue(linked(target, digest));
    }

    @Test
    void mountWithFrom_neverWorksOutTheReach() throws IOException {
        Digest digest = upload(secret, utf8("cheap"));
        AtomicInteger workedOut = new AtomicInteger();
        Caller caller = new Caller("alice", Caller.Kind.USER, null, Readable.of(Set.of("secret/app"), () -> {
            workedOut.incrementAndGet();
            return Readable.Reach.NOTHING;
        }));

        assertTrue(registry.blobs().mount(target, digest, secret, caller));
        assertFalse(registry.blobs().mount(target, digest, repo("secret/none"), caller));

        assertEquals(0, workedOut.get());
    }

    @Test
    void theReach_isWorkedOutOncePerCaller() throws IOException {
        upload(open, utf8("x"));
        AtomicInteger workedOut = new AtomicInteger();
        Caller caller = new Caller("alice", Caller.Kind.USER, null, Readable.of(Set.of(), () -> {
            workedOut.incrementAndGet();
            return Readable.Reach.ofProjects(Set.of(projectId("open")));
        }));

        registry.listings().catalog(null, 10, caller);
        registry.listings().catalog(null, 10, caller);
        registry.blobs().mount(target, Digest.sha256(utf8("y")), null, caller);

        assertEquals(1, workedOut.get());
    }

    @Test
    void catalog_listsOnlyReadableRepositories_inLexicalOrder_pageByPage() throws IOException {
        List<String> readable = List.of("b/x", "a/z", "a/y/nested", "a-b/c", "a/y", "a.b/c", "single/yes");
        List<String> hidden = List.of("a0/q", "c/secret", "single/no", "a_b/c");
        for (String name : readable) {
            upload(repo(name), utf8(name));
        }
        for (String name : hidden) {
            upload(repo(name), utf8(name));
        }
        Set<Long> projects = new HashSet<>();
        for (String project : List.of("a", "b", "a-b", "a.b")) {
            projects.add(projectId(project));
        }
        LongStream.range(1_000_000, 1_001_500).forEach(projects::add); // two queries' worth, merged
        Caller caller = reading(Set.of(), new Readable.Reach(false, projects, Set.of("single/yes", "never/pushed")));
        List<String> expected = new ArrayList<>(readable);
        expected.sort(null);

        assertEquals(expected, registry.listings().catalog(null, 100, caller).items());
        for (int limit = 1; limit <= readable.size() + 1; limit++) {
            assertEquals(expected, walk(caller, limit), "limit " + limit);
        }
        assertEquals(List.of("a/y", "a/y/nested"), registry.listings().catalog("a/x", 2, caller).items());
        assertTrue(registry.listings().catalog("a/x", 2, caller).more());
    }

    @Test
    void catalog_ofNothingReadable_isEmpty_andOfEverything_isWhole() throws IOException {
        upload(secret, utf8("s"));
        upload(open, utf8("o"));

        Page<String> nothing = registry.listings().catalog(null, 10, new Caller("anonymous", Caller.Kind.ANONYMOUS, null));
        assertEquals(List.of(), nothing.items());
        assertFalse(nothing.more());
        assertEquals(List.of("open/app", "secret/app"), registry.listings().catalog(null, 10,
                Caller.system("export")).items());
    }

    /** Follows catalog pages of {@code limit} from the start, checking each page's more flag. */
    private List<String> walk(Caller caller, int limit) {
        List<String> all = new ArrayList<>();
        String last = null;
        while (true) {
            Page<String> page = registry.listings().catalog(last, limit, caller);
            assertTrue(page.items().size() <= limit);
            all.addAll(page.items());
            if (!page.more()) {
                return all;
            }
            last = page.items().getLast();
        }
    }
}
