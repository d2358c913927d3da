package io.berth.store.upstream;

import io.berth.store.upstream.UpstreamException.Kind;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static io.berth.store.upstream.UpstreamTesting.sha256;
import static io.berth.store.upstream.UpstreamTesting.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Where an upload session's requests go, and what its answers say it holds. */
class UploadSessionTest {
    private static final URI BASE = URI.create("https://registry.example.org:5000/prefix");
    private static final URI POSTED = URI.create("https://registry.example.org:5000/prefix/v2/app/blobs/uploads/");

    private static UpstreamResponse answer(String... headers) {
        Map<String, List<String>> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], List.of(headers[i + 1]));
        }
        return new UpstreamResponse(202, HttpHeaders.of(map, (a, b) -> true), POSTED,
                new StreamingBody(-1, Duration.ofSeconds(1), "test"));
    }

    private static URI opened(String location) throws UpstreamException {
        return UploadSession.opened(BASE, answer("Location", location), "start an upload").location();
    }

    @Test
    void relativeAndAbsoluteLocationsOnTheRegistrysOrigin_areFollowed() throws Exception {
        assertEquals(URI.create("https://registry.example.org:5000/prefix/v2/app/blobs/uploads/u1?_state=x"),
                opened("/prefix/v2/app/blobs/uploads/u1?_state=x"));
        assertEquals(URI.create("https://registry.example.org:5000/prefix/v2/app/blobs/uploads/u2"), opened("u2"));
        assertEquals(URI.create("https://registry.example.org:5000/v2/app/blobs/uploads/u3"),
                opened("https://registry.example.org:5000/v2/app/blobs/uploads/u3"));
    }

    @Test
    void locationsOffTheRegistrysOrigin_areRefused() {
        for (String elsewhere : List.of("https://storage.example.org/upload/u1", "http://registry.example.org:5000/v2/u1",
                "https://registry.example.org/v2/app/blobs/uploads/u1", "ftp://registry.example.org:5000/u1")) {
            UpstreamException e = assertThrows(UpstreamException.class, () -> opened(elsewhere), elsewhere);
            assertEquals(Kind.INVALID_RESPONSE, e.kind());
        }
    }

    @Test
    void anAnswerWithoutLocation_opensNoSession() {
        assertThrows(UpstreamException.class, () -> UploadSession.opened(BASE, answer(), "start an upload"));
    }

    @Test
    void closingUrl_addsTheDigestToTheQuery() {
        var digest = sha256(utf8("blob"));
        assertEquals(URI.create("https://r.example.org/v2/a/blobs/uploads/u?_state=x&digest=" + digest),
                new UploadSession(BASE, URI.create("https://r.example.org/v2/a/blobs/uploads/u?_state=x"), 0)
                        .withDigest(digest));
        assertEquals(URI.create("https://r.example.org/v2/a/blobs/uploads/u?digest=" + digest),
                new UploadSession(BASE, URI.create("https://r.example.org/v2/a/blobs/uploads/u"), 0).withDigest(digest));
    }

    @Test
    void range_saysHowManyBytesTheSessionHolds() {
        assertEquals(OptionalLong.of(0), UploadSession.stored(answer("Range", "0-0")));
        assertEquals(OptionalLong.of(100), UploadSession.stored(answer("Range", "0-99")));
        assertEquals(OptionalLong.of(100), UploadSession.stored(answer("Range", "bytes=0-99")));
        assertEquals(OptionalLong.empty(), UploadSession.stored(answer("Range", "5-99")));
        assertEquals(OptionalLong.empty(), UploadSession.stored(answer()));
    }

    @Test
    void chunkMinimum_isReadFromTheOpeningAnswer() throws Exception {
        assertEquals(5_000_000, UploadSession.opened(BASE, answer("Location", "u1", "OCI-Chunk-Min-Length", "5000000"),
                "start an upload").minChunk());
    }
}
