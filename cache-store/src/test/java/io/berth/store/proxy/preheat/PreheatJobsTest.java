package io.berth.store.proxy.preheat;

import io.berth.store.Inventory.Listing;
import io.berth.store.blob.BlobContent;
import io.berth.store.content.ContentSource;
import io.berth.store.error.ErrorCode;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.proxy.ProxySettings;
import io.berth.store.testing.ManifestJson;
import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

import static io.berth.store.proxy.FakeUpstream.GET_BLOB;
import static io.berth.store.proxy.FakeUpstream.GET_MANIFEST;
import static io.berth.store.proxy.FakeUpstream.HEAD_BLOB;
import static io.berth.store.proxy.FakeUpstream.HEAD_MANIFEST;
import static io.berth.store.testing.ManifestJson.OCI_CONFIG;
import static io.berth.store.testing.ManifestJson.OCI_INDEX;
import static io.berth.store.testing.ManifestJson.OCI_LAYER;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static io.berth.store.testing.ManifestJson.descriptor;
import static io.berth.store.testing.ManifestJson.index;
import static io.berth.store.testing.ManifestJson.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Preheat jobs fetching through a proxy project's cache: what they cache, share, and report; on both databases. */
@OnH2AndPostgres
class PreheatJobsTest extends PreheatTestBase {
    PreheatJobsTest(TestDatabase database) {
        super(database);
    }

    private static long bytes(Image image) {
        return image.config().length + image.layers().stream().mapToLong(layer -> layer.length).sum();
    }

    private Map<String, Integer> upstreamCalls() {
        return Map.of(GET_MANIFEST, upstream.calls(GET_MANIFEST), HEAD_MANIFEST, upstream.calls(HEAD_MANIFEST),
                GET_BLOB, upstream.calls(GET_BLOB), HEAD_BLOB, upstream.calls(HEAD_BLOB));
    }

    /** Pulls the image as a client would: the manifest by tag, then every blob, read whole. */
    private void pull(String tag, Image image) throws IOException {
        ContentSource source = source(LOCAL);
        assertArrayEquals(image.manifest(), source.manifest(Reference.parse(tag)).content());
        List<byte[]> blobs = new ArrayList<>(image.layers());
        blobs.add(image.config());
        for (byte[] blob : blobs) {
            Digest digest = Digest.sha256(blob);
            long size = source.blobSizeToRead(digest).orElseThrow();
            assertArrayEquals(blob, readAll(source.openBlob(digest, 0, size).orElseThrow()));
        }
    }

    @Test
    void preheat_fillsTheCache_soALaterPullAsksTheUpstreamNothing() throws Exception {
        Image image = image("one", 3);
        Digest digest = upstreamImage(REPO, "1", image);

        PreheatJob queued = submit(List.of(REPO + ":1"), null);
        PreheatJob job = awaitFinished(queued.id());

        assertEquals(PreheatStatus.SUCCEEDED, job.status(), job.toString());
        assertEquals(new PreheatJob.Progress(1, 1, 4, bytes(image)), job.total(), job.toString());
        assertEquals(job.total(), job.done(), job.toString());
        assertEquals(List.of(new PreheatJob.Item(REPO + ":1", PreheatStatus.SUCCEEDED, digest.toString(), null)),
                job.items());
        assertTrue(job.started() != null && job.finished() != null, job.toString());
        for (Digest blob : image.layerDigests()) {
            assertTrue(registry.blobs().size(repo(LOCAL), blob).isPresent(), blob + " is linked into " + LOCAL);
        }
        Map<String, Integer> before = upstreamCalls();

        pull("1", image);

        assertEquals(before, upstreamCalls(), "the pull after the preheat asked the upstream");
        assertEquals(4, upstream.calls(GET_BLOB), "one GET per blob, by the preheat");
    }

    @Test
    void preheatAgain_ofWhatIsCached_fetchesNoBlob_andABareNameMeansLatest() throws Exception {
        Image image = image("latest", 2);
        upstreamImage(REPO, "latest", image);
        PreheatJob first = awaitFinished(submit(List.of(REPO), null).id());
        int blobGets = upstream.calls(GET_BLOB);

        PreheatJob again = awaitFinished(submit(List.of(REPO + "@" + image.digest()), null).id());

        assertEquals(PreheatStatus.SUCCEEDED, first.status(), first.toString());
        assertEquals(PreheatStatus.SUCCEEDED, again.status(), again.toString());
        assertEquals(blobGets, upstream.calls(GET_BLOB));
        assertEquals(again.total(), again.done(), again.toString());
        assertEquals(image.digest().toString(), again.items().getFirst().digest());
    }

    @Test
    void index_withAPlatform_fetchesOnlyThatChild_andWithoutOne_everyChild() throws Exception {
        Image amd64 = image("amd64");
        Image arm64 = image("arm64");
        Digest index = upstreamIndex("multi", Map.of("linux/amd64", amd64, "linux/arm64/v8", arm64));

        PreheatJob job = awaitFinished(submit(List.of(REPO + ":multi"), List.of("linux/arm64")).id());

        assertEquals(PreheatStatus.SUCCEEDED, job.status(), job.toString());
        assertEquals(index.toString(), job.items().getFirst().digest());
        assertEquals(new PreheatJob.Progress(1, 2, 3, bytes(arm64)), job.total(), job.toString());
        assertEquals(job.total(), job.done(), job.toString());
        assertEquals(2, upstream.calls(GET_MANIFEST), "the index and the arm64 manifest");
        assertEquals(3, upstream.calls(GET_BLOB), "the arm64 image's blobs only");
        assertTrue(registry.blobs().size(repo(LOCAL), amd64.layerDigests().getFirst()).isEmpty());

        PreheatJob all = awaitFinished(submit(List.of(REPO + ":multi"), null).id());

        assertEquals(PreheatStatus.SUCCEEDED, all.status(), all.toString());
        assertEquals(new PreheatJob.Progress(1, 3, 6, bytes(arm64) + bytes(amd64)), all.total(), all.toString());
        assertEquals(6, upstream.calls(GET_BLOB), "the amd64 blobs now, the arm64 ones were cached");
        awaitLinked(amd64.layerDigests().getFirst()); // the store takes a verified blob in right after its readers
    }

    @Test
    void index_withoutTheAskedPlatform_failsTheItem_namingThePlatformsItHas() throws Exception {
        upstreamIndex("multi", Map.of("linux/amd64", image("amd64")));

        PreheatJob job = awaitFinished(submit(List.of(REPO + ":multi"), List.of("linux/s390x")).id());

        assertEquals(PreheatStatus.FAILED, job.status(), job.toString());
        String error = job.items().getFirst().error();
        assertTrue(error.contains("linux/s390x") && error.contains("linux/amd64"), error);
        assertEquals(0, upstream.calls(GET_BLOB));
    }

    @Test
    void aMissingReference_makesTheJobPartial_withTheItemsError_andTheOthersGoOn() throws Exception {
        Image image = image("present");
        upstreamImage(REPO, "1", image);

        PreheatJob job = awaitFinished(submit(List.of("library/missing:1", REPO + ":1"), null).id());

        assertEquals(PreheatStatus.PARTIAL, job.status(), job.toString());
        PreheatJob.Item missing = job.items().get(0);
        assertEquals(PreheatStatus.FAILED, missing.status());
        assertNull(missing.digest());
        assertTrue(missing.error().contains("library/missing") && missing.error().contains("not in"),
                missing.error());
        assertEquals(PreheatStatus.SUCCEEDED, job.items().get(1).status(), job.toString());
        assertEquals(new PreheatJob.Progress(2, 2, 3, bytes(image)), job.total(), job.toString());
        assertEquals(new PreheatJob.Progress(1, 1, 3, bytes(image)), job.done(), job.toString());
    }

    @Test
    void aCorruptBlob_failsItsItem_namingTheBlob_andNothingCorruptIsCached() throws Exception {
        Image image = image("corrupt");
        upstreamImage(REPO, "1", image);
        Digest bad = image.layerDigests().getFirst();
        upstream.corrupt(bad);

        PreheatJob job = awaitFinished(submit(List.of(REPO + ":1"), null).id());

        assertEquals(PreheatStatus.FAILED, job.status(), job.toString());
        String error = job.items().getFirst().error();
        assertTrue(error.startsWith("1 of 3 blobs could not be fetched") && error.contains(bad.toString()), error);
        assertEquals(image.digest().toString(), job.items().getFirst().digest());
        assertEquals(new PreheatJob.Progress(0, 1, 2, bytes(image) - image.layers().getFirst().length), job.done(),
                job.toString());
        assertTrue(registry.blobs().size(repo(LOCAL), bad).isEmpty());
    }

    @Test
    void aPreheatAndAClientPull_shareOneUpstreamFetch() throws Exception {
        byte[] layer = new byte[1 << 20];
        new Random(7).nextBytes(layer);
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        byte[] manifest = utf8(ManifestJson.image(OCI_MANIFEST, descriptor(OCI_CONFIG, config), null,
                descriptor(OCI_LAYER, layer)));
        upstream.putBlob(config);
        Digest layerDigest = upstream.putBlob(layer);
        upstream.putManifest(REPO, "big", OCI_MANIFEST, manifest);
        CountDownLatch gate = upstream.gateBlobsAt(256 << 10);

        PreheatJob queued = submit(List.of(REPO + ":big"), null);
        upstream.gateReached().await();
        ContentSource client = source(LOCAL);
        long size = client.blobSizeToRead(layerDigest).orElseThrow();
        BlobContent pulled = client.openBlob(layerDigest, 0, size).orElseThrow();
        assertInstanceOf(BlobContent.Stream.class, pulled, "the client joined the preheat's fill");
        gate.countDown();

        assertArrayEquals(layer, readAll(pulled));
        PreheatJob job = awaitFinished(queued.id());
        assertEquals(PreheatStatus.SUCCEEDED, job.status(), job.toString());
        assertEquals(2, upstream.calls(GET_BLOB), "one GET for the layer, one for the config");
    }

    @Test
    void refused_beforeAnythingIsStored_forABadReference_aNameTheAllowlistRefuses_andALocalProject() {
        settings.put(PROJECT, settings(List.of("library/**"), ProxySettings.OnUpstreamMissing.SERVE));
        createProject("local");

        assertFailure(ErrorCode.INVALID_INPUT, () -> submit(List.of(REPO + ":1", "Bad Name:1"), null));
        assertFailure(ErrorCode.INVALID_INPUT, () -> submit(List.of(REPO + ":1", "other/app:1"), null));
        assertFailure(ErrorCode.INVALID_INPUT, () -> submit(List.of(REPO), List.of("linux")));
        assertFailure(ErrorCode.INVALID_INPUT, () -> jobs.submit("local", PreheatRequest.of(List.of(REPO), null),
                (h, job) -> { }));
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> jobs.submit("nowhere", PreheatRequest.of(List.of(REPO),
                null), (h, job) -> { }));
        assertEquals(0, count("SELECT COUNT(*) FROM preheat_job"));
        assertEquals(0, upstream.calls(GET_MANIFEST));
    }

    @Test
    void list_showsAProjectsJobs_newestFirst_inPages() throws Exception {
        upstreamImage(REPO, "1", image("listed"));
        long first = awaitFinished(submit(List.of(REPO + ":1"), null).id()).id();
        long second = awaitFinished(submit(List.of(REPO + ":1"), null).id()).id();
        long third = awaitFinished(submit(List.of(REPO + ":1"), null).id()).id();

        Listing<PreheatJob> page1 = jobs.list(PROJECT, 1, 2);
        Listing<PreheatJob> page2 = jobs.list(PROJECT, 2, 2);

        assertEquals(3, page1.total());
        assertEquals(List.of(third, second), page1.items().stream().map(PreheatJob::id).toList());
        assertEquals(List.of(first), page2.items().stream().map(PreheatJob::id).toList());
        assertFailure(ErrorCode.NO_SUCH_RESOURCE, () -> jobs.list("nowhere", 1, 10));
    }

    /** Serves an index of {@code images} by platform under {@code tag}, and their blobs. */
    private Digest upstreamIndex(String tag, Map<String, Image> images) {
        List<String> entries = new ArrayList<>();
        for (Map.Entry<String, Image> entry : images.entrySet()) {
            Image image = entry.getValue();
            upstreamImage(REPO, null, image);
            String[] platform = entry.getKey().split("/");
            String descriptor = descriptor(OCI_MANIFEST, image.manifest());
            entries.add(descriptor.substring(0, descriptor.length() - 1) + ",\"platform\":{\"architecture\":\""
                    + platform[1] + "\",\"os\":\"" + platform[0] + "\"" + (platform.length > 2 ? ",\"variant\":\""
                    + platform[2] + "\"" : "") + "}}");
        }
        return upstream.putManifest(REPO, tag, OCI_INDEX, utf8(index(OCI_INDEX, null, entries.toArray(String[]::new))));
    }

    /** Until the proxy repository links the blob (30 s at most). */
    private void awaitLinked(Digest digest) throws Exception {
        for (int i = 0; i < 600 && registry.blobs().size(repo(LOCAL), digest).isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertTrue(registry.blobs().size(repo(LOCAL), digest).isPresent(), digest + " is not linked");
    }
}
