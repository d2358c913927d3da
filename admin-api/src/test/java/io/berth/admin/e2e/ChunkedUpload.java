package io.berth.admin.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One blob pushed as a chunked upload ({@code POST}, {@code PATCH}es with {@code Content-Range},
 * {@code PUT ?digest=}) that remembers how far the server acknowledged it, so that after a
 * crash it can be resumed from where the server says it is, or started over.
 */
public final class ChunkedUpload {
    private final V2Client v2;
    private final String repo;
    private final byte[] content;
    private final String digest;
    private volatile String location;
    private volatile long acknowledged;
    private volatile boolean finished;
    private volatile long heldAtResume = -1;

    public ChunkedUpload(V2Client v2, String repo, byte[] content) {
        this.v2 = v2;
        this.repo = repo;
        this.content = content;
        this.digest = E2e.sha256(content);
    }

    public String repo() {
        return repo;
    }

    public String digest() {
        return digest;
    }

    public long size() {
        return content.length;
    }

    public boolean finished() {
        return finished;
    }

    public boolean started() {
        return location != null;
    }

    public long acknowledged() {
        return acknowledged;
    }

    /** What the server said it held when {@link #resumeOrStartOver} resumed, else -1. */
    public long heldAtResume() {
        return heldAtResume;
    }

    /** The whole upload: start, chunks of {@code chunkSize}, finish. */
    public void run(int chunkSize) {
        start();
        sendFrom(chunkSize);
    }

    public void start() {
        HttpResponse<byte[]> r = v2.send(v2.request("/v2/" + repo + "/blobs/uploads/").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(202, r.statusCode(), () -> "POST upload in " + repo + ": " + new String(r.body()));
        location = r.headers().firstValue("Location").orElseThrow();
        acknowledged = 0;
    }

    /** Sends the rest, from the acknowledged offset, in chunks, then finishes. */
    public void sendFrom(int chunkSize) {
        while (acknowledged < content.length) {
            patch((int) acknowledged, (int) Math.min(content.length, acknowledged + chunkSize));
        }
        finish();
    }

    /** PATCHes {@code content[from, to)}; expects 202 and records the server's Range. */
    public void patch(int from, int to) {
        HttpResponse<byte[]> r = v2.send(HttpRequest.newBuilder(v2.uploadUri(location, null)).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", from + "-" + (to - 1))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(content, from, to))).build());
        assertEquals(202, r.statusCode(), () -> "PATCH " + from + "-" + (to - 1) + ": " + new String(r.body()));
        location = r.headers().firstValue("Location").orElse(location);
        acknowledged = rangeEnd(r) + 1;
        assertEquals(to, acknowledged, "Range after PATCH " + from + "-" + (to - 1));
    }

    public void finish() {
        HttpResponse<byte[]> r = v2.send(HttpRequest.newBuilder(v2.uploadUri(location, "digest=" + digest))
                .timeout(Duration.ofMinutes(2)).PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, r.statusCode(), () -> "PUT ?digest=" + digest + ": " + new String(r.body()));
        assertEquals(digest, r.headers().firstValue("Docker-Content-Digest").orElse(null));
        finished = true;
    }

    /**
     * Starts a PATCH of {@code content[from, to)} that sends the first half and then stalls
     * (its body neither ends nor fails) until {@code release} opens; the server is left with a
     * chunk in progress. The returned future fails once the connection is gone.
     */
    public CompletableFuture<HttpResponse<byte[]>> stalledPatch(int from, int to, CountDownLatch release) {
        int half = from + (to - from) / 2;
        InputStream body = new InputStream() {
            private int pos = from;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= half) {
                    try {
                        release.await(10, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IOException("stalled chunk abandoned on purpose");
                }
                int n = Math.min(len, half - pos);
                System.arraycopy(content, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        HttpRequest request = HttpRequest.newBuilder(v2.uploadUri(location, null)).timeout(Duration.ofMinutes(10))
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", from + "-" + (to - 1))
                .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), to - from))
                .build();
        // the session was started by this client, so it holds the token for the repository: sent once, with it
        return v2.http().sendAsync(v2.authorized(request), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@code GET} on the session: the bytes the server holds (Range end + 1), or -1 when the session is unknown (404). */
    public long serverSize() {
        HttpResponse<byte[]> r = v2.send(HttpRequest.newBuilder(v2.uploadUri(location, null)).timeout(Duration.ofMinutes(1)).GET().build());
        if (r.statusCode() == 404) {
            return -1;
        }
        assertEquals(204, r.statusCode(), () -> "GET upload status: " + new String(r.body()));
        return rangeEnd(r) + 1;
    }

    /** The upload session's id: the last segment of its location. */
    public String sessionId() {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** How an interrupted upload was completed. */
    public enum Outcome { RESUMED, STARTED_OVER }

    /** After a restart: resumes from what the server holds, or starts a new upload if the session is gone. */
    public Outcome resumeOrStartOver(int chunkSize) {
        long held = serverSize();
        if (held < 0) {
            run(chunkSize);
            return Outcome.STARTED_OVER;
        }
        if (held > content.length) {
            throw new AssertionError("the server holds " + held + " bytes of a " + content.length + "-byte blob");
        }
        heldAtResume = held;
        acknowledged = held;
        sendFrom(chunkSize);
        return Outcome.RESUMED;
    }

    private static long rangeEnd(HttpResponse<?> r) {
        String range = r.headers().firstValue("Range").orElseThrow(() -> new AssertionError("no Range header"));
        String end = range.substring(range.indexOf('-') + 1).trim();
        // "0-0" is how an empty session is reported
        return "0-0".equals(range.trim()) ? -1 : Long.parseLong(end);
    }

    @Override
    public String toString() {
        return repo + " " + digest + " (" + content.length + " bytes, " + acknowledged + " acknowledged"
                + (finished ? ", finished" : "") + ")";
    }
}
