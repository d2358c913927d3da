package io.berth.store.upstream;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.Upstream.BlobStream;
import io.berth.store.upstream.UpstreamException.Kind;
import io.berth.store.upstream.UpstreamWriter.CatalogPage;
import io.berth.store.upstream.UpstreamWriter.PushResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.berth.store.upstream.UpstreamTesting.IMAGE_CONFIG;
import static io.berth.store.upstream.UpstreamTesting.INDEX_TYPE;
import static io.berth.store.upstream.UpstreamTesting.MANIFEST_TYPE;
import static io.berth.store.upstream.UpstreamTesting.imageManifest;
import static io.berth.store.upstream.UpstreamTesting.randomBytes;
import static io.berth.store.upstream.UpstreamTesting.sha256;
import static io.berth.store.upstream.UpstreamTesting.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write side against a real registry, CNCF Distribution 2.8 ({@code docker-registry}): what is
 * pushed, mounted, put and deleted reads back through the read client with the same digests, and
 * no upload session is left in its storage.
 */
class DistributionPushTest {
    private static final byte[] LAYER = randomBytes(300_000, 5);
    private static final PushOptions OPTIONS = PushOptions.defaults();

    private static LocalDistribution registry;
    private static RegistryClient client;
    private static UpstreamWriter writer;

    @BeforeAll
    static void startDistribution(@TempDir Path dir) throws Exception {
        registry = LocalDistribution.start(dir, true);
        client = registry.client();
        writer = client.writer();
    }

    @AfterAll
    static void stopDistribution() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
    }

    static BlobSource bytes(byte[] blob) {
        return offset -> new ByteArrayInputStream(blob, (int) offset, blob.length - (int) offset);
    }

    private static PushResult push(String repository, byte[] blob) throws Exception {
        return writer.pushBlob(repository, sha256(blob), blob.length, bytes(blob), OPTIONS);
    }

    /** The digest of the blob as the read client streams it back, and its size. */
    private static Digest readBack(String repository, Digest digest) throws Exception {
        MessageDigest hash = MessageDigest.getInstance("SHA-256");
        try (BlobStream blob = client.getBlob(repository, digest, 0).orElseThrow();
             InputStream in = new DigestInputStream(blob.body(), hash)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return Digest.of(Digest.Algorithm.SHA256, hash.digest());
    }

    @Test
    void smallBlob_goesInOnePut_andReadsBackWithItsDigest() throws Exception {
        long before = client.stats().answered();

        PushResult result = push("push/small", LAYER);

        assertEquals(new PushResult(false, LAYER.length, 0), result);
        assertEquals(2, client.stats().answered() - before, "a POST and a PUT with the bytes");
        assertEquals(sha256(LAYER), readBack("push/small", sha256(LAYER)));
        assertTrue(registry.uploadSessions("push/small").isEmpty());
    }

    @Test
    void fortyMegabyteBlob_goesInChunks_andReadsBackWithItsDigest() throws Exception {
        byte[] large = randomBytes(40 << 20, 40);
        Digest digest = sha256(large);
        long before = client.stats().answered();

        PushResult result = push("push/large", large);

        assertEquals(large.length, result.bytesSent());
        assertEquals(5, client.stats().answered() - before, "a POST, three 16 MiB PATCHes and the closing PUT");
        assertEquals(large.length, client.headBlob("push/large", digest).orElseThrow());
        assertEquals(digest, readBack("push/large", digest));
        assertTrue(registry.uploadSessions("push/large").isEmpty());
    }

    @Test
    void blobOfAnotherRepository_streamsThroughTheReadClient_inSmallChunks() throws Exception {
        push("push/origin", LAYER);
        Digest digest = sha256(LAYER);

        writer.pushBlob("push/copy", digest, LAYER.length, BlobSource.of(client, "push/origin", digest),
                OPTIONS.withChunks(PushOptions.MIN_CHUNK_SIZE, 0));

        assertEquals(digest, readBack("push/copy", digest));
    }

    @Test
    void connectionCutMidChunk_isRecovered_andTheBlobReadsBackWithItsDigest() throws Exception {
        byte[] blob = randomBytes(3 << 20, 33);
        Digest digest = sha256(blob);
        try (CuttingProxy link = new CuttingProxy(registry.url(), (3 << 20) / 2);
             RegistryClient viaLink = new RegistryClient(BlobUploadFaultsTest.v2(link.url()),
                     UpstreamTesting.fastOptions())) {
            PushResult result = viaLink.writer().pushBlob("push/cut", digest, blob.length, bytes(blob),
                    OPTIONS.withChunks(1 << 20, 0).withResumes(3, java.time.Duration.ofMillis(10)));

            assertTrue(link.didCut());
            assertEquals(1, result.resumes());
        }
        assertEquals(digest, readBack("push/cut", digest));
    }

    @Test
    void mount_betweenRepositories_andARefusedOneLeavesNoSession() throws Exception {
        push("push/base", LAYER);
        Digest digest = sha256(LAYER);

        assertTrue(writer.mountBlob("push/mounted", digest, "push/base"));
        assertEquals(LAYER.length, client.headBlob("push/mounted", digest).orElseThrow());

        assertFalse(writer.mountBlob("push/unmounted", sha256(utf8("nowhere")), "push/base"));
        assertTrue(registry.uploadSessions("push/unmounted").isEmpty(), "the session of the refused mount is cancelled");

        PushResult mounted = writer.pushBlob("push/mounted2", digest, LAYER.length, bytes(LAYER),
                OPTIONS.withMountFrom("push/base"));
        assertEquals(new PushResult(true, 0, 0), mounted);
    }

    @Test
    void manifestAndIndex_areStoredByteExact_underTheirDigests() throws Exception {
        push("push/image", IMAGE_CONFIG);
        push("push/image", LAYER);
        byte[] manifest = imageManifest(IMAGE_CONFIG, LAYER);
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + INDEX_TYPE + "\",\"manifests\":[{\"mediaType\":\""
                + MANIFEST_TYPE + "\",\"digest\":\"" + sha256(manifest) + "\",\"size\":" + manifest.length
                + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}");

        assertEquals(sha256(manifest), writer.putManifest("push/image", sha256(manifest).toString(), MANIFEST_TYPE,
                manifest));
        assertEquals(sha256(manifest), writer.putManifest("push/image", "v1", MANIFEST_TYPE, manifest));
        assertEquals(sha256(index), writer.putManifest("push/image", "multi", INDEX_TYPE, index));

        assertArrayEquals(manifest, client.getManifest("push/image", "v1", 1 << 20).orElseThrow().bytes());
        Upstream.Manifest readIndex = client.getManifest("push/image", "multi", 1 << 20).orElseThrow();
        assertArrayEquals(index, readIndex.bytes());
        assertEquals(INDEX_TYPE, readIndex.mediaType());
    }

    @Test
    void manifestWhoseBlobIsMissing_isRejected_withTheRegistrysCode() throws Exception {
        byte[] manifest = imageManifest(IMAGE_CONFIG, randomBytes(1000, 99));
        push("push/broken", IMAGE_CONFIG);

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> writer.putManifest("push/broken", "v1", MANIFEST_TYPE, manifest));

        assertEquals(Kind.REJECTED, e.kind());
        assertEquals(Optional.of("MANIFEST_BLOB_UNKNOWN"), e.registryCode());
        assertTrue(e.getMessage().contains("MANIFEST_BLOB_UNKNOWN"), e.getMessage());
        assertTrue(client.getManifest("push/broken", "v1", 1 << 20).isEmpty());
    }

    @Test
    void deleteManifest_byDigest_removesIt_once() throws Exception {
        push("push/doomed", IMAGE_CONFIG);
        push("push/doomed", LAYER);
        byte[] manifest = imageManifest(IMAGE_CONFIG, LAYER);
        Digest digest = writer.putManifest("push/doomed", "v1", MANIFEST_TYPE, manifest);

        assertTrue(writer.deleteManifest("push/doomed", digest.toString()));

        assertTrue(client.getManifest("push/doomed", digest.toString(), 1 << 20).isEmpty());
        assertTrue(client.getManifest("push/doomed", "v1", 1 << 20).isEmpty());
        assertFalse(writer.deleteManifest("push/doomed", digest.toString()));
    }

    @Test
    void registryWithDeletesTurnedOff_failsDeletesAsUnsupported(@TempDir Path dir) throws Exception {
        try (LocalDistribution readOnly = LocalDistribution.start(dir, false)) {
            RegistryClient other = readOnly.client();
            other.writer().pushBlob("keep/app", sha256(IMAGE_CONFIG), IMAGE_CONFIG.length, bytes(IMAGE_CONFIG), OPTIONS);
            other.writer().pushBlob("keep/app", sha256(LAYER), LAYER.length, bytes(LAYER), OPTIONS);
            Digest digest = other.writer().putManifest("keep/app", "v1", MANIFEST_TYPE, imageManifest(IMAGE_CONFIG, LAYER));

            UpstreamException e = assertThrows(UpstreamException.class,
                    () -> other.writer().deleteManifest("keep/app", digest.toString()));

            assertEquals(Kind.UNSUPPORTED, e.kind());
            assertEquals(405, e.status());
            assertTrue(other.getManifest("keep/app", "v1", 1 << 20).isPresent());
        }
    }

    @Test
    void catalog_pagesThroughEveryRepository() throws Exception {
        List<String> mine = List.of("catalog/a", "catalog/b", "catalog/c", "catalog/d", "catalog/e");
        for (String repository : mine) {
            push(repository, IMAGE_CONFIG);
            writer.putManifest(repository, "v1", MANIFEST_TYPE, utf8("{\"schemaVersion\":2,\"mediaType\":\""
                    + MANIFEST_TYPE + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                    + "\"digest\":\"" + sha256(IMAGE_CONFIG) + "\",\"size\":" + IMAGE_CONFIG.length + "},\"layers\":[]}"));
        }

        List<String> listed = new ArrayList<>();
        String last = null;
        int pages = 0;
        for (boolean more = true; more; pages++) {
            CatalogPage page = writer.catalog(last, 2).orElseThrow();
            assertTrue(page.repositories().size() <= 2, page.toString());
            listed.addAll(page.repositories());
            last = page.repositories().isEmpty() ? last : page.repositories().getLast();
            more = page.more() && !page.repositories().isEmpty();
        }

        assertTrue(listed.containsAll(mine), listed.toString());
        assertEquals(listed.stream().distinct().toList(), listed, "no repository twice");
        assertTrue(pages >= 3, "five repositories come in pages of two");
    }
}
