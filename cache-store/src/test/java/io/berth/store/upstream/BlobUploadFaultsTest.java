package io.berth.store.upstream;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.FakeUploadRegistry.Seen;
import io.berth.store.upstream.UpstreamException.Kind;
import io.berth.store.upstream.UpstreamWriter.PushResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;

import static io.berth.store.upstream.UpstreamTesting.fastOptions;
import static io.berth.store.upstream.UpstreamTesting.randomBytes;
import static io.berth.store.upstream.UpstreamTesting.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blob pushes against a registry that breaks: a chunk cut off is resumed from where the registry
 * says it stands (not from byte 0), a lost or unresumable session is started again, bytes that are
 * not the blob are never completed, a stop stops, and the session is cancelled whenever the push
 * gives up. Every request is seen by {@link FakeUploadRegistry}.
 */
class BlobUploadFaultsTest {
    private static final int CHUNK = 256 * 1024;
    private static final byte[] BLOB = randomBytes(1_000_000, 21);
    private static final Digest DIGEST = sha256(BLOB);
    private static final String REPO = "site/app";

    private FakeUploadRegistry registry;
    private RegistryClient client;

    @BeforeEach
    void start() throws Exception {
        registry = new FakeUploadRegistry();
        client = new RegistryClient(v2(registry.url()), fastOptions());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        registry.close();
    }

    static RegistryEndpoint v2(URI url) {
        return new RegistryEndpoint(1, "site-b", RegistryEndpoint.Type.V2, List.of(url), false, null, null, null);
    }

    private static PushOptions chunked() {
        return PushOptions.defaults().withChunks(CHUNK, 0).withResumes(3, Duration.ofMillis(10));
    }

    private static BlobSource source(byte[] bytes) {
        return offset -> new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset);
    }

    private PushResult push(PushOptions options) throws Exception {
        return client.writer().pushBlob(REPO, DIGEST, BLOB.length, source(BLOB), options);
    }

    private List<Long> patchStarts() {
        return registry.seen("PATCH").stream().map(Seen::rangeStart).toList();
    }

    @Test
    void connectionCutMidChunk_isResumedFromTheRegistrysRange_notFromByteZero() throws Exception {
        registry.cutPatch = n -> n == 2;
        registry.cutAfter = 100_000;

        PushResult result = push(chunked());

        assertArrayEquals(BLOB, registry.blob(DIGEST).orElseThrow());
        long resumedAt = CHUNK + 100_000;
        assertEquals(List.of(0L, (long) CHUNK, resumedAt, resumedAt + CHUNK, resumedAt + 2L * CHUNK), patchStarts());
        assertEquals(1, registry.seen("GET").size(), "one status request found where the upload stands");
        assertEquals(1, registry.seen("POST").size(), "the session was resumed, not started again");
        assertEquals(1, result.resumes());
        assertFalse(result.mounted());
    }

    @Test
    void serverErrorOnAChunk_isSentAgainFromWhereTheRegistryStands() throws Exception {
        registry.failPatch = n -> n == 2;

        PushResult result = push(chunked());

        assertArrayEquals(BLOB, registry.blob(DIGEST).orElseThrow());
        assertEquals(List.of(0L, (long) CHUNK, (long) CHUNK, 2L * CHUNK, 3L * CHUNK), patchStarts());
        assertEquals(1, result.resumes());
    }

    @Test
    void sessionGoneAfterACut_isStartedAgainFromByteZero() throws Exception {
        registry.cutPatch = n -> n == 2;
        registry.cutAfter = 100_000;
        registry.forgetCutSessions = true;

        push(chunked());

        assertArrayEquals(BLOB, registry.blob(DIGEST).orElseThrow());
        assertEquals(2, registry.seen("POST").size());
        assertEquals(List.of(0L, (long) CHUNK, 0L, (long) CHUNK, 2L * CHUNK, 3L * CHUNK), patchStarts());
    }

    @Test
    void sessionThatWillNotResume_isCancelledAndStartedAgain() throws Exception {
        registry.cutPatch = n -> n == 1;
        registry.cutAfter = 50_000;
        registry.refuseResume = true;

        push(chunked());

        assertArrayEquals(BLOB, registry.blob(DIGEST).orElseThrow());
        assertEquals(1, registry.seen("DELETE").size(), "the session Distribution will not resume is cancelled");
        assertEquals(2, registry.seen("POST").size());
        assertEquals(0, registry.openSessions());
    }

    @Test
    void resumesRunOut_failTheUpload_andCancelItsSession() {
        registry.failPatch = n -> n >= 2;

        UpstreamException e = assertThrows(UpstreamException.class,
                () -> push(chunked().withResumes(2, Duration.ofMillis(10))));

        assertEquals(Kind.SERVER_ERROR, e.kind());
        assertEquals(3, registry.seen("PATCH").stream().filter(p -> p.rangeStart() == CHUNK).count());
        assertEquals(1, registry.seen("DELETE").size());
        assertEquals(0, registry.openSessions());
        assertTrue(registry.blob(DIGEST).isEmpty());
    }

    @Test
    void bytesThatAreNotTheBlob_inChunks_areNeverCompleted_andTheSessionIsCancelled() throws Exception {
        byte[] corrupt = BLOB.clone();
        corrupt[corrupt.length - 10] ^= 1;

        BlobSourceException e = assertThrows(BlobSourceException.class,
                () -> client.writer().pushBlob(REPO, DIGEST, BLOB.length, source(corrupt), chunked()));

        assertTrue(e.getMessage().contains(DIGEST.toString()), e.getMessage());
        Seen last = registry.awaitSeen("PATCH", 4).getLast();
        assertFalse(last.complete(), "the last chunk was broken off before its last bytes");
        assertTrue(registry.seen("PUT").isEmpty(), "the upload was never closed");
        assertEquals(1, registry.seen("DELETE").size());
        assertEquals(0, registry.openSessions());
        assertTrue(registry.blob(DIGEST).isEmpty());
    }

    @Test
    void bytesThatAreNotTheBlob_inOnePut_areNeverCompleted_andTheSessionIsCancelled() throws Exception {
        byte[] corrupt = BLOB.clone();
        corrupt[0] ^= 1;

        assertThrows(BlobSourceException.class, () -> client.writer().pushBlob(REPO, DIGEST, BLOB.length,
                source(corrupt), PushOptions.defaults()));

        assertFalse(registry.awaitSeen("PUT", 1).getFirst().complete());
        assertEquals(1, registry.seen("DELETE").size());
        assertEquals(0, registry.openSessions());
        assertTrue(registry.blob(DIGEST).isEmpty());
    }

    @Test
    void smallBlob_goesInOnePut() throws Exception {
        PushResult result = push(PushOptions.defaults());

        assertArrayEquals(BLOB, registry.blob(DIGEST).orElseThrow());
        assertEquals(List.of("POST", "PUT"), registry.seen().stream().map(Seen::method).toList());
        assertEquals(BLOB.length, result.bytesSent());
    }

    @Test
    void registrysChunkMinimum_isHonoured() throws Exception {
        registry.chunkMinLength = 300_000L;

        push(PushOptions.defaults().withChunks(PushOptions.MIN_CHUNK_SIZE, 0));

        assertEquals(List.of(300_000L, 300_000L, 300_000L, 100_000L),
                registry.seen("PATCH").stream().map(Seen::announced).toList());
        assertArrayEquals(BLOB, registry.blob(DIGEST).orElseThrow());
    }

    @Test
    void chunkRedirectedWith307OnTheSameOrigin_isSentAgainThere() throws Exception {
        registry.redirectPatch = n -> n == 1;

        PushResult result = push(chunked());

        assertArrayEquals(BLOB, registry.blob(DIGEST).orElseThrow());
        List<Seen> patches = registry.seen("PATCH");
        assertTrue(patches.get(1).target().contains("redirected=1"), patches.get(1).target());
        assertTrue(patches.get(0).complete() && patches.get(1).complete());
        assertEquals(BLOB.length + CHUNK, result.bytesSent());
        assertEquals(0, result.resumes());
    }

    @Test
    void mountRefused_cancelsTheSessionTheRegistryOpened() throws Exception {
        assertFalse(client.writer().mountBlob(REPO, DIGEST, "site/base"));

        assertTrue(registry.seen("POST").getFirst().target().contains("mount=" + DIGEST + "&from=site%2Fbase"));
        assertEquals(1, registry.seen("DELETE").size());
        assertEquals(0, registry.openSessions());
    }

    @Test
    void mountAccepted_sendsNothingElse() throws Exception {
        registry.hold(BLOB);

        assertTrue(client.writer().mountBlob(REPO, DIGEST, "site/base"));
        PushResult result = push(PushOptions.defaults().withMountFrom("site/base"));

        assertTrue(result.mounted());
        assertEquals(0, result.bytesSent());
        assertEquals(List.of("POST", "POST"), registry.seen().stream().map(Seen::method).toList());
    }

    @Test
    void pushWithAMountRefused_uploadsIntoTheSessionTheRegistryOpened() throws Exception {
        PushResult result = push(chunked().withMountFrom("site/base"));

        assertFalse(result.mounted());
        assertArrayEquals(BLOB, registry.blob(DIGEST).orElseThrow());
        assertEquals(1, registry.seen("POST").size());
        assertTrue(registry.seen("DELETE").isEmpty());
    }

    @Test
    void uploadLocationOnAnotherOrigin_isRefused_andNothingGoesThere() throws Exception {
        try (RawHttpServer elsewhere = new RawHttpServer((head, socket, out) -> out.write(RawHttpServer.head(500)))) {
            registry.locationOrigin = elsewhere.url();

            UpstreamException e = assertThrows(UpstreamException.class, () -> push(chunked()));

            assertEquals(Kind.INVALID_RESPONSE, e.kind());
            assertTrue(e.getMessage().contains("not on its own origin"), e.getMessage());
            assertEquals(0, elsewhere.requests());
        }
    }

    @Test
    void stopBetweenChunks_stopsThePush_andCancelsTheSession() {
        PushOptions options = chunked().withHooks(bytes -> { }, () -> !registry.seen("PATCH").isEmpty());

        assertThrows(CancellationException.class, () -> push(options));

        assertEquals(1, registry.seen("PATCH").size());
        assertTrue(registry.seen("PUT").isEmpty());
        assertEquals(1, registry.seen("DELETE").size());
        assertEquals(0, registry.openSessions());
    }

    @Test
    void stopWhileAChunkStreams_breaksItOff_andCancelsTheSession() throws Exception {
        AtomicLong throttled = new AtomicLong();
        // one chunk of several pieces: the stop is seen after the first piece, inside the chunk
        PushOptions options = chunked().withChunks(4L * PushOptions.PIECE_SIZE, 0)
                .withHooks(throttled::addAndGet, () -> throttled.get() > 100_000);

        assertThrows(CancellationException.class, () -> push(options));

        List<Seen> patches = registry.awaitSeen("PATCH", 1);
        assertEquals(1, patches.size());
        assertFalse(patches.getFirst().complete(), "the chunk was broken off");
        assertEquals(1, registry.seen("DELETE").size());
        assertEquals(0, registry.openSessions());
    }
}
