package io.berth.store;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.event.EventType;
import io.berth.store.event.RegistryEvent;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import io.berth.store.testing.ManifestJson;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.RegistryTestBase;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import static io.berth.store.testing.ManifestJson.DOCKER_CONFIG;
import static io.berth.store.testing.ManifestJson.DOCKER_LAYER;
import static io.berth.store.testing.ManifestJson.DOCKER_LIST;
import static io.berth.store.testing.ManifestJson.DOCKER_MANIFEST;
import static io.berth.store.testing.ManifestJson.EMPTY_DIGEST;
import static io.berth.store.testing.ManifestJson.OCI_INDEX;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static io.berth.store.testing.ManifestJson.descriptor;
import static io.berth.store.testing.ManifestJson.emptyConfig;
import static io.berth.store.testing.ManifestJson.index;
import static io.berth.store.testing.ManifestJson.utf8;
import static io.berth.store.testing.TestRegistries.TEST_CALLER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pushing, pulling and deleting manifests, on both databases. */
@OnH2AndPostgres
class ManifestsTest extends RegistryTestBase {
    private final RepositoryName app = repo("team/app");
    ManifestsTest(TestDatabase database) {
        super(database);
    }

    private StoredManifest get(RepositoryName repository, String reference) throws IOException {
        return registry.manifests().get(repository, Reference.parse(reference));
    }

    private List<String> tags(RepositoryName repository) {
        return registry.listings().tags(repository, null, 100).items();
    }

    private static byte[] artifact(String artifactType, String extra, String... layers) {
        String fields = "\"artifactType\":\"" + artifactType + "\"" + (extra == null ? "" : "," + extra);
        return utf8(ManifestJson.image(OCI_MANIFEST, emptyConfig(), fields, layers));
    }

    @Test
    void put_byTag_recordsManifestPullableByTagAndDigest() throws IOException {
        Image image = image("one");

        StoredManifest pushed = push(app, "latest", image);

        assertEquals(image.digest(), pushed.digest());
        StoredManifest byTag = get(app, "latest");
        assertArrayEquals(image.manifest(), byTag.content());
        assertEquals(image.digest(), byTag.digest());
        assertEquals(OCI_MANIFEST, byTag.mediaType());
        assertArrayEquals(image.manifest(), get(app, image.digest().toString()).content());
        assertEquals(List.of("latest"), tags(app));
        List<RegistryEvent> events = events();
        assertEquals(1, events.size(), events::toString);
        assertEquals(EventType.PUSHED, events.get(0).type());
        assertEquals("latest", events.get(0).tag());
        assertEquals(image.digest().toString(), events.get(0).digest());
        assertEquals(TEST_CALLER, events.get(0).caller(), "the event says who pushed");
    }

    @Test
    void put_storesBytesExactlyAsSent() throws IOException {
        Image image = image("pretty");
        uploadBlobs(app, image);
        byte[] pretty = utf8(new String(image.manifest(), StandardCharsets.UTF_8)
                .replace(",", ",\n   ") + "\n");

        StoredManifest pushed = put(app, "pretty", pretty, OCI_MANIFEST);

        assertEquals(Digest.sha256(pretty), pushed.digest());
        assertArrayEquals(pretty, get(app, "pretty").content());
    }

    @Test
    void put_byDigest_recordsUntaggedManifest() throws IOException {
        Image image = image("untagged");

        push(app, image.digest().toString(), image);

        assertArrayEquals(image.manifest(), get(app, image.digest().toString()).content());
        assertEquals(List.of(), tags(app));
        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> get(app, "latest"));
    }

    @Test
    void put_bySha512Digest_isPullableBySha512() throws IOException {
        Image image = image("sha512");
        uploadBlobs(app, image);
        Digest sha512 = Digest.of(Digest.Algorithm.SHA512, Digest.Algorithm.SHA512.newHasher().digest(image.manifest()));

        StoredManifest pushed = put(app, sha512.toString(), image.manifest(), OCI_MANIFEST);

        assertEquals(sha512, pushed.digest());
        assertArrayEquals(image.manifest(), get(app, sha512.toString()).content());
    }

    @Test
    void put_byDigestThatDoesNotMatch_failsWithDigestInvalidAndRecordsNothing() throws IOException {
        Image image = image("mismatch");
        uploadBlobs(app, image);
        String wrong = Digest.sha256(utf8("something else")).toString();

        assertFailure(ErrorCode.DIGEST_INVALID, () -> put(app, wrong, image.manifest(), OCI_MANIFEST));

        assertEquals(0, count("SELECT COUNT(*) FROM artifact"));
        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> get(app, image.digest().toString()));
        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> get(app, wrong));
    }

    @Test
    void put_withMissingLayer_failsWithManifestBlobUnknownAndLeavesNothingBehind() throws IOException {
        Image old = image("old");
        push(app, "v1", old);
        Image incomplete = image("incomplete");
        upload(app, incomplete.config());
        upload(app, incomplete.layers().get(0)); // the second layer is never pushed
        long artifacts = count("SELECT COUNT(*) FROM artifact");

        assertFailure(ErrorCode.MANIFEST_BLOB_UNKNOWN, () -> put(app, "v2", incomplete.manifest(), OCI_MANIFEST));
        assertFailure(ErrorCode.MANIFEST_BLOB_UNKNOWN, () -> put(app, "v1", incomplete.manifest(), OCI_MANIFEST));

        assertEquals(artifacts, count("SELECT COUNT(*) FROM artifact"));
        assertEquals(List.of("v1"), tags(app));
        assertEquals(old.digest(), get(app, "v1").digest(), "v1 must not have moved");
        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> get(app, incomplete.digest().toString()));
        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> get(app, "v2"));
        assertNotStored(incomplete.digest());
    }

    private void assertNotStored(Digest digest) {
        assertFalse(Files.exists(paths().blob(digest)), () -> "a rejected push left a file for " + digest);
    }

    @Test
    void put_withMissingBlobIntoNewRepository_createsNoRepositoryOrProject() throws IOException {
        Image image = image("nothing uploaded");

        assertFailure(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                () -> put(repo("fresh/app"), "latest", image.manifest(), OCI_MANIFEST));

        assertEquals(List.of(), registry.listings().catalog(null, 10).items());
        assertEquals(List.of(), registry.inventory().projects(1, 100).items());
        assertFailure(ErrorCode.NAME_UNKNOWN, () -> registry.listings().tags(repo("fresh/app"), null, 10));
    }

    @Test
    void put_referencingBlobsOnlyInAnotherRepository_failsWithManifestBlobUnknown() throws IOException {
        Image image = image("shared");
        uploadBlobs(repo("team/source"), image);

        // Otherwise a pusher could read blobs of repositories it may not pull, by naming their digests.
        assertFailure(ErrorCode.MANIFEST_BLOB_UNKNOWN, () -> put(app, "latest", image.manifest(), OCI_MANIFEST));

        for (Digest layer : image.layerDigests()) {
            registry.blobs().mount(app, layer, repo("team/source"));
        }
        registry.blobs().mount(app, image.configDigest(), repo("team/source"));
        assertEquals(image.digest(), put(app, "latest", image.manifest(), OCI_MANIFEST).digest());
    }

    @Test
    void put_artifactWithEmptyConfigNeverUploaded_isAccepted() throws IOException {
        byte[] payload = utf8("{\"sbom\":true}");
        upload(app, payload);
        byte[] manifest = artifact("application/vnd.example.sbom", null,
                descriptor("application/vnd.example.sbom", payload));

        put(app, "sbom", manifest, OCI_MANIFEST);

        assertArrayEquals(manifest, get(app, "sbom").content());
        Digest empty = Digest.parse(EMPTY_DIGEST);
        assertEquals(2, registry.blobs().size(app, empty).orElseThrow());
        assertArrayEquals(utf8("{}"), read(registry, empty));
    }

    @Test
    void put_dockerManifestAndManifestList_areAccepted() throws IOException {
        byte[] config = utf8("{\"os\":\"linux\"}");
        byte[] layer = utf8("docker layer");
        upload(app, config);
        upload(app, layer);
        byte[] manifest = utf8(ManifestJson.image(DOCKER_MANIFEST,
                descriptor(DOCKER_CONFIG, config), null, descriptor(DOCKER_LAYER, layer)));
        put(app, "amd64", manifest, DOCKER_MANIFEST);
        byte[] list = utf8(index(DOCKER_LIST, null, descriptor(DOCKER_MANIFEST, manifest)));

        put(app, "latest", list, DOCKER_LIST);

        StoredManifest pulled = get(app, "latest");
        assertEquals(DOCKER_LIST, pulled.mediaType());
        assertEquals(DOCKER_MANIFEST, get(app, "amd64").mediaType());
    }

    @Test
    void put_indexWhoseChildrenAreMissing_failsWithManifestBlobUnknown() throws IOException {
        Image amd64 = image("amd64");
        Image arm64 = image("arm64");
        push(app, amd64.digest().toString(), amd64);
        byte[] index = utf8(index(OCI_INDEX, null, descriptor(OCI_MANIFEST, amd64.manifest()),
                descriptor(OCI_MANIFEST, arm64.manifest())));

        assertFailure(ErrorCode.MANIFEST_BLOB_UNKNOWN, () -> put(app, "latest", index, OCI_INDEX));
        assertEquals(List.of(), tags(app));
        assertNotStored(Digest.sha256(index));

        push(app, arm64.digest().toString(), arm64);
        put(app, "latest", index, OCI_INDEX);
        assertEquals(OCI_INDEX, get(app, "latest").mediaType());
    }

    @Test
    void put_indexWhoseChildIsOnlyInAnotherRepository_failsWithManifestBlobUnknown() throws IOException {
        Image child = image("child");
        push(repo("team/elsewhere"), "latest", child);
        byte[] index = utf8(index(OCI_INDEX, null, descriptor(OCI_MANIFEST, child.manifest())));

        assertFailure(ErrorCode.MANIFEST_BLOB_UNKNOWN, () -> put(app, "latest", index, OCI_INDEX));
    }

    @Test
    void put_sameManifestTwice_isIdempotent() throws IOException {
        Image image = image("twice");
        StoredManifest first = push(app, "latest", image);

        StoredManifest second = put(app, "latest", image.manifest(), OCI_MANIFEST);

        assertEquals(first.digest(), second.digest());
        assertEquals(1, count("SELECT COUNT(*) FROM artifact"));
        assertEquals(1, count("SELECT COUNT(*) FROM tag"));
        assertEquals(List.of("latest"), tags(app));
        assertEquals(1, registry.inventory().artifacts(app, 1, 100).items().size());
    }

    @Test
    void put_sameManifestUnderSecondTag_addsTag() throws IOException {
        Image image = image("two tags");
        push(app, "latest", image);

        put(app, "v1.0", image.manifest(), OCI_MANIFEST);

        assertEquals(List.of("latest", "v1.0"), tags(app));
        assertEquals(1, count("SELECT COUNT(*) FROM artifact"));
        assertEquals(List.of("latest", "v1.0"), registry.inventory().artifacts(app, 1, 100).items().get(0).tags());
    }

    @Test
    void put_otherManifestUnderExistingTag_movesTag() throws IOException {
        Image first = image("first");
        Image second = image("second");
        push(app, "latest", first);
        assertEquals(first.digest(), get(app, "latest").digest()); // now cached

        push(app, "latest", second);

        assertEquals(second.digest(), get(app, "latest").digest());
        assertArrayEquals(first.manifest(), get(app, first.digest().toString()).content(), "old manifest stays");
        assertEquals(List.of("latest"), tags(app));
    }

    // ---- conditional pushes (If-Match / If-None-Match) ------------------------------------

    private StoredManifest putIf(String tag, Image image, ManifestPrecondition precondition) throws IOException {
        uploadBlobs(app, image);
        return registry.manifests().put(new ManifestPush(app, Reference.parse(tag), List.of(), OCI_MANIFEST, image.manifest(),
                precondition, TEST_CALLER));
    }

    private static ManifestPrecondition ifMatch(String... digests) {
        return new ManifestPrecondition(List.of(digests), null);
    }

    private static ManifestPrecondition ifNoneMatch(String... digests) {
        return new ManifestPrecondition(null, List.of(digests));
    }

    @Test
    void put_ifMatchTheTagsCurrentDigest_movesTheTag() throws IOException {
        Image v1 = image("cond v1");
        Image v2 = image("cond v2");
        push(app, "shared", v1);

        putIf("shared", v2, ifMatch(v1.digest().toString()));

        assertEquals(v2.digest(), get(app, "shared").digest());
    }

    @Test
    void put_ifMatchAStaleDigest_failsWithPreconditionFailedAndLeavesNothingBehind() throws IOException {
        Image v1 = image("stale v1");
        Image v2 = image("stale v2");
        Image mine = image("stale mine");
        push(app, "shared", v1);
        push(app, "shared", v2); // someone else moved the tag

        assertFailure(ErrorCode.PRECONDITION_FAILED, () -> putIf("shared", mine, ifMatch(v1.digest().toString())));
        assertFailure(ErrorCode.PRECONDITION_FAILED, () -> putIf("absent", mine, ifMatch("*")));

        assertEquals(v2.digest(), get(app, "shared").digest());
        assertEquals(List.of("shared"), tags(app));
        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> get(app, mine.digest().toString()));
        assertNotStored(mine.digest());
    }

    @Test
    void put_ifNoneMatchStar_createsATagOnlyOnce() throws IOException {
        Image first = image("create first");
        Image second = image("create second");

        putIf("fresh", first, ifNoneMatch("*"));
        assertFailure(ErrorCode.PRECONDITION_FAILED, () -> putIf("fresh", second, ifNoneMatch("*")));

        assertEquals(first.digest(), get(app, "fresh").digest());
        putIf("fresh", second, ifNoneMatch(second.digest().toString()));
        assertEquals(second.digest(), get(app, "fresh").digest());
    }

    @Test
    void put_byDigestIfNoneMatchStar_failsWhenTheRepositoryHoldsIt() throws IOException {
        Image image = image("by digest");
        String digest = image.digest().toString();
        putIf(digest, image, ifNoneMatch("*"));

        assertFailure(ErrorCode.PRECONDITION_FAILED, () -> putIf(digest, image, ifNoneMatch("*")));
    }

    /**
     * Pushes every contender at once, each as {@code reference.apply(image)} under {@code precondition};
     * returns those that succeeded (the others must fail with PRECONDITION_FAILED).
     */
    private List<Image> race(List<Image> contenders, Function<Image, String> reference,
                             ManifestPrecondition precondition) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(contenders.size())) {
            for (Image image : contenders) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        registry.manifests().put(new ManifestPush(app, Reference.parse(reference.apply(image)),
                                List.of(), OCI_MANIFEST, image.manifest(), precondition, TEST_CALLER));
                        return true;
                    } catch (RegistryException e) {
                        assertEquals(ErrorCode.PRECONDITION_FAILED, e.code(), e.getMessage());
                        return false;
                    }
                }));
            }
            start.countDown();
        }
        List<Image> winners = new ArrayList<>();
        for (int i = 0; i < contenders.size(); i++) {
            if (results.get(i).get()) {
                winners.add(contenders.get(i));
            }
        }
        return winners;
    }

    private List<Image> contenders(String seed) throws IOException {
        List<Image> contenders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Image image = image(seed + " " + i);
            uploadBlobs(app, image);
            contenders.add(image);
        }
        return contenders;
    }

    /** Conditional pushes are compare-and-set: of writers that all saw the same digest, exactly one wins. */
    @Test
    void put_concurrentPushesIfMatchTheSameDigest_exactlyOneWins() throws Exception {
        Image base = image("race base");
        push(app, "race", base);

        List<Image> winners = race(contenders("race"), image -> "race", ifMatch(base.digest().toString()));

        assertEquals(1, winners.size(), "winners: " + winners.size());
        assertEquals(winners.get(0).digest(), get(app, "race").digest());
    }

    /** Creating a tag only if absent: there is no row to lock yet, and still exactly one creator wins. */
    @Test
    void put_concurrentPushesIfNoneMatchStarOnANewTag_exactlyOneWins() throws Exception {
        List<Image> winners = race(contenders("create race"), image -> "created", ifNoneMatch("*"));

        assertEquals(1, winners.size(), "winners: " + winners.size());
        assertEquals(winners.get(0).digest(), get(app, "created").digest());
    }

    @Test
    void put_concurrentPushesOfOneDigestIfNoneMatchStar_exactlyOneWins() throws Exception {
        Image image = image("digest race");
        uploadBlobs(app, image);

        List<Image> winners = race(Collections.nCopies(6, image), i -> i.digest().toString(), ifNoneMatch("*"));

        assertEquals(1, winners.size(), "winners: " + winners.size());
    }

    @Test
    void put_manifestLargerThanLimit_failsWithTooLarge() {
        byte[] huge = new byte[MAX_MANIFEST + 1];

        assertFailure(ErrorCode.MANIFEST_TOO_LARGE, () -> put(app, "latest", huge, OCI_MANIFEST));
    }

    @Test
    void put_invalidManifest_failsWithManifestInvalidAndRecordsNothing() {
        assertFailure(ErrorCode.MANIFEST_INVALID, () -> put(app, "latest", utf8("{\"schemaVersion\":1}"), null));

        assertEquals(List.of(), registry.listings().catalog(null, 10).items());
    }

    @Test
    void put_intoUnknownProjectWithoutAutoCreate_failsWithNameUnknown() throws IOException {
        Registry strict = open(false);
        byte[] manifest = artifact("application/vnd.example.empty", null);

        assertFailure(ErrorCode.NAME_UNKNOWN,
                () -> strict.manifests().put(ManifestPush.of(app, Reference.parse("latest"), OCI_MANIFEST, manifest, TEST_CALLER)));

        assertEquals(0, count("SELECT COUNT(*) FROM project"));
        assertEquals(0, count("SELECT COUNT(*) FROM artifact"));
        assertNotStored(Digest.sha256(manifest));
    }

    @Test
    void put_intoExistingProjectWithoutAutoCreate_isAccepted() throws IOException {
        Registry strict = open(false);
        createProject("team");
        byte[] manifest = artifact("application/vnd.example.empty", null);

        strict.manifests().put(ManifestPush.of(app, Reference.parse("latest"), OCI_MANIFEST, manifest, TEST_CALLER));

        assertArrayEquals(manifest, strict.manifests().get(app, Reference.parse("latest")).content());
    }

    @Test
    void put_withSubject_reportsSubjectWhenPulled() throws IOException {
        Image subject = image("subject");
        push(app, "latest", subject);
        byte[] manifest = artifact("application/vnd.example.sig",
                ManifestJson.subject(OCI_MANIFEST, subject.digest().toString(),
                        subject.manifest().length));

        StoredManifest pushed = put(app, Digest.sha256(manifest).toString(), manifest, OCI_MANIFEST);

        assertEquals(subject.digest().toString(), pushed.subject());
        assertEquals(subject.digest().toString(), get(app, pushed.digest().toString()).subject());
        assertNull(get(app, "latest").subject());
    }

    @Test
    void delete_byTag_removesOnlyTheTag() throws IOException {
        Image image = image("tagged twice");
        push(app, "latest", image);
        put(app, "v1", image.manifest(), OCI_MANIFEST);
        get(app, "latest"); // cached

        registry.manifests().delete(app, Reference.parse("latest"), TEST_CALLER);

        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> get(app, "latest"));
        assertEquals(image.digest(), get(app, "v1").digest());
        assertEquals(image.digest(), get(app, image.digest().toString()).digest());
        assertEquals(List.of("v1"), tags(app));
        RegistryEvent deleted = events().getLast();
        assertEquals(EventType.TAG_DELETED, deleted.type());
        assertEquals("latest", deleted.tag());
        assertEquals(image.digest().toString(), deleted.digest(), "the event names what the tag pointed at");
    }

    @Test
    void delete_byDigest_removesManifestAndItsTags() throws IOException {
        Image doomed = image("doomed");
        Image kept = image("kept");
        push(app, "latest", doomed);
        put(app, "v1", doomed.manifest(), OCI_MANIFEST);
        push(app, "stable", kept);
        get(app, doomed.digest().toString()); // cached

        registry.manifests().delete(app, Reference.of(doomed.digest()), TEST_CALLER);

        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> get(app, doomed.digest().toString()));
        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> get(app, "latest"));
        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> get(app, "v1"));
        assertEquals(List.of("stable"), tags(app));
        assertEquals(kept.digest(), get(app, "stable").digest());
        assertEquals(0, count("SELECT COUNT(*) FROM artifact_reference r JOIN artifact a ON a.id = r.artifact_id"
                + " WHERE a.digest = '" + doomed.digest() + "'"));
    }

    @Test
    void delete_byDigest_thenPushAgain_restoresManifest() throws IOException {
        Image image = image("again");
        push(app, "latest", image);
        registry.manifests().delete(app, Reference.of(image.digest()), TEST_CALLER);

        put(app, "latest", image.manifest(), OCI_MANIFEST);

        assertEquals(image.digest(), get(app, "latest").digest());
    }

    @Test
    void delete_unknownReference_failsWithManifestUnknown() throws IOException {
        push(app, "latest", image("present"));

        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> registry.manifests().delete(app, Reference.parse("nope"), TEST_CALLER));
        assertFailure(ErrorCode.MANIFEST_UNKNOWN,
                () -> registry.manifests().delete(app, Reference.of(Digest.sha256(utf8("absent"))), TEST_CALLER));
        assertEquals(List.of("latest"), tags(app));
    }

    @Test
    void deleteAndGet_inUnknownRepository_failWithNameUnknown() {
        RepositoryName unknown = repo("no/such");

        assertFailure(ErrorCode.NAME_UNKNOWN, () -> registry.manifests().delete(unknown, Reference.parse("latest"), TEST_CALLER));
        assertFailure(ErrorCode.NAME_UNKNOWN, () -> get(unknown, "latest"));
    }

    @Test
    void get_manifestOfAnotherRepository_failsWithManifestUnknown() throws IOException {
        Image image = image("isolated");
        push(repo("team/a"), "latest", image);
        push(repo("team/b"), "other", image("other"));

        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> get(repo("team/b"), image.digest().toString()));
        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> get(repo("team/b"), "latest"));
        assertFalse(registry.manifests().cached(repo("team/b"), Reference.parse("latest")).isPresent());
    }

    @Test
    void put_byDigestWithExtraTags_setsEveryTag() throws IOException {
        Image image = image("multi-tag");
        uploadBlobs(app, image);

        StoredManifest stored = registry.manifests().put(new ManifestPush(app, Reference.of(image.digest()),
                List.of("v1", "v1.2", "latest"), OCI_MANIFEST, image.manifest(), ManifestPrecondition.NONE, TEST_CALLER));

        assertEquals(image.digest(), stored.digest());
        assertEquals(List.of("latest", "v1", "v1.2"), tags(app));
        assertEquals(image.digest(), get(app, "v1.2").digest());
    }

    @Test
    void get_afterAMove_neverServesTheCachedOldManifest() throws IOException {
        Image old = image("old");
        Image next = image("next");
        push(app, "latest", old);
        assertEquals(old.digest(), get(app, "latest").digest());
        assertTrue(registry.manifests().cached(app, Reference.parse("latest")).isPresent());

        push(app, "latest", next);

        assertFalse(registry.manifests().cached(app, Reference.parse("latest")).isPresent());
        assertEquals(next.digest(), get(app, "latest").digest());
    }

    @Test
    void get_recordedManifestWhoseContentIsMissing_isUnknownSoTheClientPushesItAgain() throws IOException {
        Image image = image("lost");
        push(app, "latest", image);
        Files.delete(paths().blob(image.digest()));

        assertFailure(ErrorCode.MANIFEST_UNKNOWN, () -> get(app, "latest"));

        push(app, "latest", image);
        assertArrayEquals(image.manifest(), get(app, "latest").content());
    }

    @Test
    void record_manifestWhoseBlobsAreNotHere_isServedByTagAndDigest() throws IOException {
        Image image = image("fetched from an upstream");

        StoredManifest recorded = registry.manifests().record(app, List.of("1.0"), OCI_MANIFEST, image.manifest(),
                Digest.Algorithm.SHA256, TEST_CALLER);

        assertEquals(image.digest(), recorded.digest());
        assertArrayEquals(image.manifest(), get(app, "1.0").content());
        assertArrayEquals(image.manifest(), get(app, image.digest().toString()).content());
        assertTrue(registry.blobs().size(app, image.configDigest()).isEmpty(), "its blobs come later, when fetched");
    }

    @Test
    void delete_byDigest_recordsTheDeletionWithItsCaller() throws IOException {
        Image image = image("deleted");
        push(app, "latest", image);
        Caller admin = new Caller("alice", Caller.Kind.USER, "10.0.0.7");

        registry.manifests().delete(app, Reference.of(image.digest()), admin);

        RegistryEvent deleted = events().getLast();
        assertEquals(EventType.DELETED, deleted.type());
        assertEquals(image.digest().toString(), deleted.digest());
        assertEquals(admin, deleted.caller());
    }

    @Test
    void pulls_areWrittenAsOneCountedEventAndMarkTheArtifactPulled() throws IOException {
        Image image = image("popular");
        push(app, "latest", image);
        StoredManifest manifest = get(app, "latest");
        Caller puller = Caller.anonymous("192.0.2.1");

        for (int i = 0; i < 50; i++) {
            registry.manifests().pulled(app, Reference.parse("latest"), manifest, puller);
        }
        registry.pulls().flush();

        RegistryEvent pulled = events().getLast();
        assertEquals(EventType.PULLED, pulled.type());
        assertEquals(50, pulled.count());
        assertEquals(puller, pulled.caller());
        assertEquals(clock.instant(), registry.inventory().artifacts(app, 1, 10).items().get(0).pulledAt());
    }
}
