package io.berth.gateway.v2;

import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.V2Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static io.berth.gateway.testing.OciAssertions.header;
import static io.berth.gateway.testing.OciAssertions.json;
import static io.berth.gateway.testing.OciAssertions.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * end-4a/4b, end-5, end-6, end-11, end-13 and end-14: pushing blobs monolithically, in chunks and
 * by mounting; upload status and cancellation; and every way an upload can go wrong without
 * leaving a blob or a session behind.
 */
class UploadRoutesTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();

    private static V2Client client() {
        return SERVER.client();
    }

    private static String withDigest(String location, String digest) {
        return location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
    }

    private static Set<String> uploadSessionsOnDisk() throws IOException {
        try (Stream<Path> dirs = Files.list(SERVER.storage().resolve("uploads"))) {
            return dirs.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static boolean inCatalog(String repository) {
        HttpResponse<byte[]> catalog = client().get("/v2/_catalog");
        assertStatus(200, catalog);
        return strings(json(catalog.body()), "repositories").contains(repository);
    }

    // ---- starting and finishing -----------------------------------------------------------

    @Test
    void post_answers202WithUploadLocationUuidAndEmptyRange() {
        HttpResponse<byte[]> response = client().post("/v2/uploads/start/blobs/uploads/", new byte[0]);

        assertStatus(202, response);
        String location = header(response, "Location");
        assertTrue(location.startsWith("/v2/uploads/start/blobs/uploads/"), location);
        String uuid = header(response, "Docker-Upload-UUID");
        assertTrue(location.endsWith("/" + uuid), location + " names the session " + uuid);
        assertHeader("0-0", response, "Range");
        assertHeader("0", response, "Content-Length");
    }

    @Test
    void postWithDigest_isAMonolithicPush() {
        byte[] content = TestContent.bytes(1, 3000);
        String digest = TestContent.digest(content);

        HttpResponse<byte[]> response = client().post("/v2/uploads/single-post/blobs/uploads/?digest=" + digest,
                content, "Content-Type", "application/octet-stream");

        assertStatus(201, response);
        assertHeader("/v2/uploads/single-post/blobs/" + digest, response, "Location");
        assertHeader(digest, response, "Docker-Content-Digest");
        HttpResponse<byte[]> pulled = client().get(header(response, "Location"));
        assertStatus(200, pulled);
        assertArrayEquals(content, pulled.body());
    }

    @Test
    void postThenPut_isAMonolithicPush() {
        byte[] content = TestContent.bytes(2, 3000);
        String digest = TestContent.digest(content);
        String location = client().startUpload("uploads/post-put");

        HttpResponse<byte[]> response = client().put(withDigest(location, digest), content,
                "Content-Type", "application/octet-stream");

        assertStatus(201, response);
        assertHeader("/v2/uploads/post-put/blobs/" + digest, response, "Location");
        assertHeader(digest, response, "Docker-Content-Digest");
        assertArrayEquals(content, client().get(header(response, "Location")).body());
        assertError(client().get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void putRetriedAfterTheDatabaseFailedIt_completesTheUpload() {
        byte[] content = TestContent.bytes(21, 3000);
        String digest = TestContent.digest(content);
        String location = client().startUpload("uploads/retried");
        assertStatus(202, client().patch(location, content, "Content-Type", "application/octet-stream"));

        sql("ALTER TABLE repository_blob RENAME TO repository_blob_away");
        HttpResponse<byte[]> failed;
        try {
            failed = client().put(withDigest(location, digest), new byte[0]);
        } finally {
            sql("ALTER TABLE repository_blob_away RENAME TO repository_blob");
        }
        assertTrue(failed.statusCode() >= 500, "the database refused the link: " + failed.statusCode());

        assertStatus(201, client().put(withDigest(location, digest), new byte[0]));
        assertArrayEquals(content, client().get("/v2/uploads/retried/blobs/" + digest).body());
    }

    @Test
    void chunksWithContentRange_thenEmptyPut_storeTheWholeBlob() {
        byte[] content = TestContent.bytes(3, 3000);
        String digest = TestContent.digest(content);
        String location = client().startUpload("uploads/chunked");

        HttpResponse<byte[]> first = client().patch(location, Arrays.copyOfRange(content, 0, 1000),
                "Content-Type", "application/octet-stream", "Content-Range", "0-999");
        assertStatus(202, first);
        assertHeader("0-999", first, "Range");
        location = header(first, "Location");

        HttpResponse<byte[]> second = client().patch(location, Arrays.copyOfRange(content, 1000, 3000),
                "Content-Type", "application/octet-stream", "Content-Range", "1000-2999");
        assertStatus(202, second);
        assertHeader("0-2999", second, "Range");
        location = header(second, "Location");

        HttpResponse<byte[]> status = client().get(location);
        assertStatus(204, status);
        assertHeader("0-2999", status, "Range");
        assertHeader(location, status, "Location");

        HttpResponse<byte[]> done = client().put(withDigest(location, digest), new byte[0]);
        assertStatus(201, done);
        assertHeader(digest, done, "Docker-Content-Digest");
        assertArrayEquals(content, client().get("/v2/uploads/chunked/blobs/" + digest).body());
    }

    @Test
    void chunksWithoutContentRange_areStreamedAndAppended() {
        byte[] content = TestContent.bytes(4, 5000);
        String digest = TestContent.digest(content);
        String location = client().startUpload("uploads/streamed");

        HttpResponse<byte[]> first = client().sendStreamed("PATCH", location,
                () -> new ByteArrayInputStream(content, 0, 2000));
        assertStatus(202, first);
        assertHeader("0-1999", first, "Range");

        HttpResponse<byte[]> second = client().sendStreamed("PATCH", header(first, "Location"),
                () -> new ByteArrayInputStream(content, 2000, 3000));
        assertStatus(202, second);
        assertHeader("0-4999", second, "Range");

        assertStatus(201, client().put(withDigest(header(second, "Location"), digest), new byte[0]));
        assertArrayEquals(content, client().get("/v2/uploads/streamed/blobs/" + digest).body());
    }

    @Test
    void putCarryingTheLastChunk_completesTheUpload() {
        byte[] content = TestContent.bytes(5, 3000);
        String digest = TestContent.digest(content);
        String location = client().startUpload("uploads/final-chunk");
        assertStatus(202, client().patch(location, Arrays.copyOfRange(content, 0, 1000), "Content-Range", "0-999"));

        HttpResponse<byte[]> done = client().put(withDigest(location, digest), Arrays.copyOfRange(content, 1000, 3000),
                "Content-Type", "application/octet-stream", "Content-Range", "1000-2999");

        assertStatus(201, done);
        assertHeader("/v2/uploads/final-chunk/blobs/" + digest, done, "Location");
        assertArrayEquals(content, client().get("/v2/uploads/final-chunk/blobs/" + digest).body());
    }

    @Test
    void emptyBlob_canBePushedAndPulled() {
        String digest = TestContent.digest(new byte[0]);
        String location = client().startUpload("uploads/empty");

        assertStatus(201, client().put(withDigest(location, digest), new byte[0]));

        HttpResponse<byte[]> pulled = client().get("/v2/uploads/empty/blobs/" + digest);
        assertStatus(200, pulled);
        assertEquals(0, pulled.body().length);
        assertHeader("0", pulled, "Content-Length");
    }

    // ---- chunks that do not fit -----------------------------------------------------------

    @Test
    void outOfOrderChunk_answers416AndTheUploadCanResume() {
        byte[] content = TestContent.bytes(6, 300);
        String digest = TestContent.digest(content);
        String location = client().startUpload("uploads/out-of-order");
        assertStatus(202, client().patch(location, Arrays.copyOfRange(content, 0, 100), "Content-Range", "0-99"));

        HttpResponse<byte[]> skipped = client().patch(location, Arrays.copyOfRange(content, 200, 300),
                "Content-Range", "200-299");
        assertError(skipped, 416, "BLOB_UPLOAD_INVALID");
        HttpResponse<byte[]> repeated = client().patch(location, Arrays.copyOfRange(content, 0, 100),
                "Content-Range", "0-99");
        assertError(repeated, 416, "BLOB_UPLOAD_INVALID");

        HttpResponse<byte[]> status = client().get(location);
        assertStatus(204, status);
        assertHeader("0-99", status, "Range");
        assertStatus(202, client().patch(location, Arrays.copyOfRange(content, 100, 300), "Content-Range", "100-299"));
        assertStatus(201, client().put(withDigest(location, digest), new byte[0]));
        assertArrayEquals(content, client().get("/v2/uploads/out-of-order/blobs/" + digest).body());
    }

    @Test
    void contentRangeLongerThanTheBody_answers400SizeInvalidAndKeepsNothing() {
        String location = client().startUpload("uploads/range-vs-length");
        assertStatus(202, client().patch(location, TestContent.bytes(7, 100), "Content-Range", "0-99"));

        HttpResponse<byte[]> response = client().patch(location, TestContent.bytes(8, 50), "Content-Range", "100-199");

        assertError(response, 400, "SIZE_INVALID");
        assertHeader("0-99", client().get(location), "Range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0-", "-5", "5-1", "bytes=0-9"})
    void malformedContentRange_answers416(String contentRange) {
        String location = client().startUpload("uploads/bad-range");

        HttpResponse<byte[]> response = client().patch(location, TestContent.bytes(9, 10), "Content-Range", contentRange);

        assertError(response, 416, "BLOB_UPLOAD_INVALID");
        assertHeader("0-0", client().get(location), "Range");
    }

    // ---- digests --------------------------------------------------------------------------

    @Test
    void wrongDigestOnPut_answers400AndEndsTheSessionWithoutABlob() throws IOException {
        byte[] content = TestContent.bytes(10, 2000);
        String claimed = TestContent.digest(TestContent.bytes(11, 2000));
        String location = client().startUpload("uploads/wrong-digest");
        assertStatus(202, client().patch(location, content));
        Set<String> sessionsBefore = uploadSessionsOnDisk();

        HttpResponse<byte[]> response = client().put(withDigest(location, claimed), new byte[0]);

        assertError(response, 400, "DIGEST_INVALID");
        assertError(client().get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client().patch(location, content), 404, "BLOB_UPLOAD_UNKNOWN");
        assertStatus(404, client().head("/v2/uploads/wrong-digest/blobs/" + claimed));
        assertStatus(404, client().head("/v2/uploads/wrong-digest/blobs/" + TestContent.digest(content)));
        assertFalse(inCatalog("uploads/wrong-digest"));
        Set<String> sessionsAfter = uploadSessionsOnDisk();
        assertEquals(sessionsBefore.size() - 1, sessionsAfter.size(), "the failed session's folder is removed");
    }

    @Test
    void wrongDigestOnMonolithicPost_answers400AndStoresNothing() throws IOException {
        byte[] content = TestContent.bytes(12, 2000);
        String claimed = TestContent.digest(TestContent.bytes(13, 2000));
        Set<String> sessionsBefore = uploadSessionsOnDisk();

        HttpResponse<byte[]> response = client().post("/v2/uploads/wrong-post/blobs/uploads/?digest=" + claimed, content);

        assertError(response, 400, "DIGEST_INVALID");
        assertStatus(404, client().head("/v2/uploads/wrong-post/blobs/" + claimed));
        assertStatus(404, client().head("/v2/uploads/wrong-post/blobs/" + TestContent.digest(content)));
        assertFalse(inCatalog("uploads/wrong-post"));
        assertEquals(sessionsBefore, uploadSessionsOnDisk());
    }

    @Test
    void putWithoutDigest_answers400DigestInvalidAndKeepsTheSession() {
        String location = client().startUpload("uploads/no-digest");
        assertStatus(202, client().patch(location, TestContent.bytes(14, 100)));

        assertError(client().put(location, new byte[0]), 400, "DIGEST_INVALID");

        assertHeader("0-99", client().get(location), "Range");
    }

    @Test
    void malformedDigestOnPut_answers400DigestInvalid() {
        String location = client().startUpload("uploads/bad-digest");
        assertStatus(202, client().patch(location, TestContent.bytes(15, 100)));

        assertError(client().put(withDigest(location, "sha256:XYZ"), new byte[0]), 400, "DIGEST_INVALID");
        assertError(client().post("/v2/uploads/bad-digest/blobs/uploads/?digest=sha256:abc", new byte[1]),
                400, "DIGEST_INVALID");
    }

    // ---- cancelling and unknown sessions --------------------------------------------------

    @Test
    void delete_answers204AndTheSessionIsGone() {
        String location = client().startUpload("uploads/cancel");
        assertStatus(202, client().patch(location, TestContent.bytes(16, 100)));

        assertStatus(204, client().delete(location));

        assertError(client().get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client().patch(location, TestContent.bytes(17, 10)), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client().put(withDigest(location, TestContent.digest(new byte[0])), new byte[0]),
                404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client().delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void sessionOfAnotherRepository_isUnknown() {
        String location = client().startUpload("uploads/mine");
        assertStatus(202, client().patch(location, TestContent.bytes(18, 100)));
        String uuid = location.substring(location.lastIndexOf('/') + 1);
        String foreign = "/v2/uploads/theirs/blobs/uploads/" + uuid;

        assertError(client().get(foreign), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client().patch(foreign, TestContent.bytes(19, 10)), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client().put(withDigest(foreign, TestContent.digest(TestContent.bytes(18, 100))), new byte[0]),
                404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client().delete(foreign), 404, "BLOB_UPLOAD_UNKNOWN");

        assertHeader("0-99", client().get(location), "Range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-session", "..", "%2e%2e", "..%2F..%2Fetc", "00000000-0000-0000-0000-000000000000",
            "0A1B2C3D-0000-0000-0000-000000000000"})
    void bogusSessionIds_answer404BlobUploadUnknown(String id) {
        String path = "/v2/uploads/bogus/blobs/uploads/" + id;

        assertError(client().get(path), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client().patch(path, TestContent.bytes(20, 10)), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client().put(withDigest(path, TestContent.digest(new byte[0])), new byte[0]),
                404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client().delete(path), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    // ---- mounting -------------------------------------------------------------------------

    @Test
    void mountFromARepositoryHoldingTheBlob_answers201() {
        byte[] content = TestContent.bytes(21, 500);
        String digest = client().pushBlob("uploads/mount-source", content);

        HttpResponse<byte[]> response = client().post("/v2/uploads/mount-target/blobs/uploads/?mount=" + digest
                + "&from=uploads/mount-source", new byte[0]);

        assertStatus(201, response);
        assertHeader("/v2/uploads/mount-target/blobs/" + digest, response, "Location");
        assertHeader(digest, response, "Docker-Content-Digest");
        assertArrayEquals(content, client().get("/v2/uploads/mount-target/blobs/" + digest).body());
    }

    @Test
    void mountOfAnUnknownBlob_fallsBackToAnUploadSession() {
        byte[] content = TestContent.bytes(22, 500);
        String digest = TestContent.digest(content);
        client().pushBlob("uploads/mount-empty-source", TestContent.bytes(23, 10));

        HttpResponse<byte[]> response = client().post("/v2/uploads/mount-fallback/blobs/uploads/?mount=" + digest
                + "&from=uploads/mount-empty-source", new byte[0]);

        assertStatus(202, response);
        String location = header(response, "Location");
        assertTrue(location.startsWith("/v2/uploads/mount-fallback/blobs/uploads/"), location);
        assertStatus(201, client().put(withDigest(location, digest), content));
        assertArrayEquals(content, client().get("/v2/uploads/mount-fallback/blobs/" + digest).body());
    }

    @Test
    void mountFromARepositoryWithoutTheBlob_doesNotMountIt() {
        byte[] content = TestContent.bytes(24, 500);
        String digest = client().pushBlob("uploads/mount-elsewhere", content);
        client().pushBlob("uploads/mount-wrong-source", TestContent.bytes(25, 10));

        HttpResponse<byte[]> response = client().post("/v2/uploads/mount-denied/blobs/uploads/?mount=" + digest
                + "&from=uploads/mount-wrong-source", new byte[0]);

        assertStatus(202, response);
        assertStatus(404, client().head("/v2/uploads/mount-denied/blobs/" + digest));
    }

    @Test
    void mountWithoutFrom_mountsFromAnyRepositoryTheCallerMayRead() {
        byte[] content = TestContent.bytes(26, 500);
        String digest = client().pushBlob("uploads/mount-anywhere", content);

        HttpResponse<byte[]> response = client().post("/v2/uploads/mount-no-from/blobs/uploads/?mount=" + digest,
                new byte[0]);

        // The spec lets a registry treat from= as optional; without access control the caller reads everything.
        assertStatus(201, response);
        assertHeader("/v2/uploads/mount-no-from/blobs/" + digest, response, "Location");
        assertArrayEquals(content, client().get("/v2/uploads/mount-no-from/blobs/" + digest).body());
    }

    @Test
    void mountWithoutFromOfAnUnknownBlob_answers202() {
        String digest = TestContent.digest(TestContent.bytes(27, 500));

        HttpResponse<byte[]> response = client().post("/v2/uploads/mount-no-from-unknown/blobs/uploads/?mount="
                + digest, new byte[0]);

        assertStatus(202, response);
        assertStatus(204, client().get(header(response, "Location")));
        assertFalse(inCatalog("uploads/mount-no-from-unknown"));
    }

    @Test
    void mountWithMalformedDigest_answers400DigestInvalid() {
        assertError(client().post("/v2/uploads/mount-bad/blobs/uploads/?mount=sha256:nope&from=uploads/x",
                new byte[0]), 400, "DIGEST_INVALID");
        assertFalse(inCatalog("uploads/mount-bad"));
    }

    @Test
    void startInAnInvalidName_answers400NameInvalid() {
        assertError(client().post("/v2/Uploads/Upper/blobs/uploads/", new byte[0]), 400, "NAME_INVALID");
        assertError(client().post("/v2/uploads/-x/blobs/uploads/", new byte[0]), 400, "NAME_INVALID");
    }

    private static void sql(String statement) {
        SERVER.registry().transactions().withHandle(h -> h.execute(statement));
    }
}
