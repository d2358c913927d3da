package io.berth.gateway.v2;

import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.Arrays;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * end-2 and end-10: pulling, checking and deleting blobs. A blob is served only through a
 * repository that links to it, byte-exact, with ranges honoured.
 */
class BlobRoutesTest {
    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer();

    private static final int SIZE = 1024;

    private static byte[] pushed(String repository, long seed) {
        byte[] content = TestContent.bytes(seed, SIZE);
        SERVER.client().pushBlob(repository, content);
        return content;
    }

    @Test
    void get_servesExactBytesWithLengthAndDigest() {
        byte[] content = pushed("blobs/get", 1);
        String digest = TestContent.digest(content);

        HttpResponse<byte[]> response = SERVER.client().get("/v2/blobs/get/blobs/" + digest);

        assertStatus(200, response);
        assertArrayEquals(content, response.body());
        assertHeader(Integer.toString(SIZE), response, "Content-Length");
        assertHeader(digest, response, "Docker-Content-Digest");
        assertHeader("registry/2.0", response, "Docker-Distribution-API-Version");
    }

    @Test
    void head_answersLengthAndDigestWithoutBody() {
        byte[] content = pushed("blobs/head", 2);
        String digest = TestContent.digest(content);

        HttpResponse<byte[]> response = SERVER.client().head("/v2/blobs/head/blobs/" + digest);

        assertStatus(200, response);
        assertEquals(0, response.body().length);
        assertHeader(Integer.toString(SIZE), response, "Content-Length");
        assertHeader(digest, response, "Docker-Content-Digest");
    }

    @Test
    void rangeFromTo_answers206WithThoseBytes() {
        byte[] content = pushed("blobs/range", 3);

        HttpResponse<byte[]> response = SERVER.client().get("/v2/blobs/range/blobs/" + TestContent.digest(content),
                "Range", "bytes=10-19");

        assertStatus(206, response);
        assertArrayEquals(Arrays.copyOfRange(content, 10, 20), response.body());
        assertHeader("bytes 10-19/" + SIZE, response, "Content-Range");
        assertHeader("10", response, "Content-Length");
    }

    @Test
    void rangeEndingPastTheBlob_isCutAtTheLastByte() {
        byte[] content = pushed("blobs/range-past", 4);

        HttpResponse<byte[]> response = SERVER.client().get("/v2/blobs/range-past/blobs/"
                + TestContent.digest(content), "Range", "bytes=1000-99999");

        assertStatus(206, response);
        assertArrayEquals(Arrays.copyOfRange(content, 1000, SIZE), response.body());
        assertHeader("bytes 1000-1023/" + SIZE, response, "Content-Range");
    }

    @Test
    void rangeWithoutEnd_servesToTheEnd() {
        byte[] content = pushed("blobs/range-open", 5);

        HttpResponse<byte[]> response = SERVER.client().get("/v2/blobs/range-open/blobs/"
                + TestContent.digest(content), "Range", "bytes=1000-");

        assertStatus(206, response);
        assertArrayEquals(Arrays.copyOfRange(content, 1000, SIZE), response.body());
        assertHeader("bytes 1000-1023/" + SIZE, response, "Content-Range");
    }

    @Test
    void suffixRange_servesTheLastBytes() {
        byte[] content = pushed("blobs/range-suffix", 6);

        HttpResponse<byte[]> response = SERVER.client().get("/v2/blobs/range-suffix/blobs/"
                + TestContent.digest(content), "Range", "bytes=-100");

        assertStatus(206, response);
        assertArrayEquals(Arrays.copyOfRange(content, SIZE - 100, SIZE), response.body());
        assertHeader("bytes 924-1023/" + SIZE, response, "Content-Range");
    }

    @Test
    void rangeStartingPastTheEnd_answers416RangeInvalid() {
        byte[] content = pushed("blobs/range-invalid", 7);

        HttpResponse<byte[]> response = SERVER.client().get("/v2/blobs/range-invalid/blobs/"
                + TestContent.digest(content), "Range", "bytes=" + SIZE + "-");

        assertError(response, 416, "SIZE_INVALID");
        assertHeader("bytes */" + SIZE, response, "Content-Range");
    }

    @Test
    void unknownBlob_answers404BlobUnknown() {
        pushed("blobs/unknown", 8);
        String digest = TestContent.digest(TestContent.bytes(9, SIZE));

        assertError(SERVER.client().get("/v2/blobs/unknown/blobs/" + digest), 404, "BLOB_UNKNOWN");
        assertStatus(404, SERVER.client().head("/v2/blobs/unknown/blobs/" + digest));
    }

    @Test
    void blobInUnknownRepository_answers404() {
        byte[] content = pushed("blobs/known", 10);

        HttpResponse<byte[]> response = SERVER.client().get("/v2/blobs/never-pushed/blobs/"
                + TestContent.digest(content));

        assertError(response, 404, "BLOB_UNKNOWN");
    }

    @Test
    void blobOfAnotherRepository_isNotVisible() {
        byte[] content = pushed("blobs/owner", 11);
        SERVER.client().pushBlob("blobs/neighbour", TestContent.bytes(12, SIZE));
        String digest = TestContent.digest(content);

        assertError(SERVER.client().get("/v2/blobs/neighbour/blobs/" + digest), 404, "BLOB_UNKNOWN");
        assertStatus(404, SERVER.client().head("/v2/blobs/neighbour/blobs/" + digest));
        assertStatus(200, SERVER.client().head("/v2/blobs/owner/blobs/" + digest));
    }

    @Test
    void delete_answers202AndTheBlobIsGone() {
        byte[] content = pushed("blobs/delete", 13);
        String path = "/v2/blobs/delete/blobs/" + TestContent.digest(content);
        assertStatus(200, SERVER.client().head(path));

        assertStatus(202, SERVER.client().delete(path));

        assertError(SERVER.client().get(path), 404, "BLOB_UNKNOWN");
        assertStatus(404, SERVER.client().head(path));
        assertError(SERVER.client().delete(path), 404, "BLOB_UNKNOWN");
    }

    @Test
    void delete_leavesOtherRepositoriesLinksAlone() {
        byte[] content = pushed("blobs/delete-here", 14);
        SERVER.client().pushBlob("blobs/delete-there", content);
        String digest = TestContent.digest(content);

        assertStatus(202, SERVER.client().delete("/v2/blobs/delete-here/blobs/" + digest));

        HttpResponse<byte[]> there = SERVER.client().get("/v2/blobs/delete-there/blobs/" + digest);
        assertStatus(200, there);
        assertArrayEquals(content, there.body());
    }

    @Test
    void deleteUnknownBlob_answers404BlobUnknown() {
        pushed("blobs/delete-unknown", 15);

        assertError(SERVER.client().delete("/v2/blobs/delete-unknown/blobs/"
                + TestContent.digest(TestContent.bytes(16, SIZE))), 404, "BLOB_UNKNOWN");
    }

    @Test
    void sha512Blob_isServedUnderItsDigest() {
        byte[] content = TestContent.bytes(17, SIZE);
        String digest = TestContent.sha512(content);
        assertStatus(201, SERVER.client().post("/v2/blobs/sha512/blobs/uploads/?digest=" + digest, content));

        HttpResponse<byte[]> response = SERVER.client().get("/v2/blobs/sha512/blobs/" + digest);

        assertStatus(200, response);
        assertArrayEquals(content, response.body());
        assertHeader(digest, response, "Docker-Content-Digest");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "sha256:abc",
            "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "md5:d41d8cd98f00b204e9800998ecf8427e",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "sha256:gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg"})
    void malformedDigest_namesAnUnknownBlob(String digest) {
        pushed("blobs/malformed", 18);

        assertError(SERVER.client().get("/v2/blobs/malformed/blobs/" + digest), 404, "BLOB_UNKNOWN");
        assertStatus(404, SERVER.client().head("/v2/blobs/malformed/blobs/" + digest));
        assertError(SERVER.client().delete("/v2/blobs/malformed/blobs/" + digest), 404, "BLOB_UNKNOWN");
    }
}
