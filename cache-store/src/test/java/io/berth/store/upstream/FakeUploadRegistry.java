package io.berth.store.upstream;

import io.berth.store.oci.Digest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * A registry's blob upload API in memory, on a {@link RawHttpServer} (one request per connection),
 * that records every request and makes the faults a test arms: a chunk's connection reset after
 * some of its bytes, a session forgotten after that, a session that will not resume, a 500 or a
 * 307 on a chunk, an upload location on another origin, a minimum chunk length, mounts.
 */
final class FakeUploadRegistry implements AutoCloseable {
    private static final String UPLOADS = "/blobs/uploads/";

    /** One request as it came: method, target, Content-Range, and the body bytes that arrived of those announced. */
    record Seen(String method, String target, String contentRange, long received, long announced) {
        long rangeStart() {
            return Long.parseLong(contentRange.substring(0, contentRange.indexOf('-')));
        }

        boolean complete() {
            return received == announced;
        }
    }

    private final RawHttpServer server;
    private final Map<String, ByteArrayOutputStream> sessions = new ConcurrentHashMap<>();
    private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger patches = new AtomicInteger();

    /** Which PATCHes (counted from 1) have their connection reset after {@link #cutAfter} of their bytes. */
    volatile IntPredicate cutPatch = n -> false;
    volatile long cutAfter;
    /** Whether the bytes of a cut PATCH are kept (some registries keep what arrived). */
    volatile boolean keepCutBytes = true;
    /** Whether a session is forgotten when its PATCH is cut (its status is then 404). */
    volatile boolean forgetCutSessions;
    /** Whether a session's status is refused with 416 RANGE_INVALID, as Distribution does after a broken chunk. */
    volatile boolean refuseResume;
    /** Which PATCHes, read whole, are answered 500 (and not kept). */
    volatile IntPredicate failPatch = n -> false;
    /** Which PATCHes, read whole, are answered 307 to the same location (and not kept). */
    volatile IntPredicate redirectPatch = n -> false;
    /** Sent as OCI-Chunk-Min-Length when opening a session, when set. */
    volatile Long chunkMinLength;
    /** Upload locations point to this origin instead of the registry's own, when set. */
    volatile URI locationOrigin;

    FakeUploadRegistry() throws IOException {
        this.server = new RawHttpServer(this::respond);
    }

    URI url() {
        return server.url();
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    List<Seen> seen(String method) {
        return seen.stream().filter(s -> s.method().equals(method)).toList();
    }

    /**
     * The requests of {@code method} once {@code count} of them were seen: a request the client broke
     * off may be recorded after the client went on. Fails after 10 s without them.
     */
    List<Seen> awaitSeen(String method, int count) throws InterruptedException {
        for (int i = 0; i < 1000 && seen(method).size() < count; i++) {
            Thread.sleep(10);
        }
        List<Seen> found = seen(method);
        if (found.size() < count) {
            throw new AssertionError("expected " + count + " " + method + " requests, saw " + found);
        }
        return found;
    }

    Optional<byte[]> blob(Digest digest) {
        return Optional.ofNullable(blobs.get(digest));
    }

    /** Puts a blob where a mount from any repository finds it. */
    void hold(byte[] blob) {
        blobs.put(Digest.sha256(blob), blob);
    }

    int openSessions() {
        return sessions.size();
    }

    private void respond(String head, Socket socket, OutputStream out) throws IOException {
        String[] line = head.substring(0, head.indexOf("\r\n")).split(" ");
        String method = line[0];
        URI target = URI.create(line[1]);
        String range = header(head, "content-range");
        long announced = Optional.ofNullable(header(head, "content-length")).map(Long::parseLong).orElse(0L);
        String path = target.getRawPath();
        String id = path.contains(UPLOADS) ? path.substring(path.indexOf(UPLOADS) + UPLOADS.length()) : "";
        ByteArrayOutputStream session = id.isEmpty() ? null : sessions.get(id);
        int patch = method.equals("PATCH") ? patches.incrementAndGet() : 0;
        if (patch > 0 && cutPatch.test(patch)) {
            byte[] part = socket.getInputStream().readNBytes((int) cutAfter);
            seen.add(new Seen(method, line[1], range, part.length, announced));
            if (session != null && keepCutBytes) {
                session.write(part);
            }
            if (forgetCutSessions) {
                sessions.remove(id);
            }
            socket.setSoLinger(true, 0);
            socket.close();
            return;
        }
        byte[] body = readBody(socket.getInputStream(), announced);
        seen.add(new Seen(method, line[1], range, body.length, announced));
        if (body.length < announced) {
            return; // the client broke its body off: nothing to answer, nothing kept
        }
        switch (method) {
            case "POST" -> open(out, path, target.getRawQuery());
            case "PATCH" -> patch(out, patch, target, id, session, range, body);
            case "GET" -> status(out, path, id, session);
            case "PUT" -> close(out, id, session, target.getRawQuery(), body);
            case "DELETE" -> out.write(RawHttpServer.head(sessions.remove(id) == null ? 404 : 204));
            default -> out.write(RawHttpServer.head(405));
        }
    }

    private void open(OutputStream out, String path, String query) throws IOException {
        if (query != null && query.startsWith("mount=")) {
            Digest mount = Digest.parse(query.substring("mount=".length(), query.indexOf('&')));
            if (blobs.containsKey(mount)) {
                out.write(RawHttpServer.head(201, "Docker-Content-Digest: " + mount, "Content-Length: 0"));
                return;
            }
        }
        String id = "s" + ids.incrementAndGet();
        sessions.put(id, new ByteArrayOutputStream());
        List<String> headers = new ArrayList<>(List.of("Location: " + location(path + id), "Range: 0-0",
                "Content-Length: 0"));
        if (chunkMinLength != null) {
            headers.add("OCI-Chunk-Min-Length: " + chunkMinLength);
        }
        out.write(RawHttpServer.head(202, headers.toArray(String[]::new)));
    }

    private void patch(OutputStream out, int patch, URI target, String id, ByteArrayOutputStream session, String range,
                       byte[] body) throws IOException {
        String path = target.getRawPath();
        if (session == null) {
            out.write(error(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry"));
            return;
        }
        if (failPatch.test(patch)) {
            out.write(error(500, "UNKNOWN", "the disk hiccuped"));
            return;
        }
        if (redirectPatch.test(patch)) {
            out.write(RawHttpServer.head(307, "Location: " + path + "?redirected=" + patch, "Content-Length: 0"));
            return;
        }
        if (range != null && Long.parseLong(range.substring(0, range.indexOf('-'))) != session.size()) {
            out.write(error(416, "RANGE_INVALID", "invalid content range"));
            return;
        }
        session.write(body);
        out.write(uploadHead(202, path, session));
    }

    private void status(OutputStream out, String path, String id, ByteArrayOutputStream session) throws IOException {
        if (session == null) {
            out.write(error(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry"));
        } else if (refuseResume) {
            out.write(error(416, "RANGE_INVALID", "invalid content range"));
        } else {
            out.write(uploadHead(204, path, session));
        }
    }

    private void close(OutputStream out, String id, ByteArrayOutputStream session, String query, byte[] body)
            throws IOException {
        if (session == null) {
            out.write(error(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry"));
            return;
        }
        session.write(body);
        Digest claimed = Digest.parse(query.substring(query.indexOf("digest=") + "digest=".length()));
        byte[] content = session.toByteArray();
        if (!Digest.sha256(content).equals(claimed)) {
            out.write(error(400, "DIGEST_INVALID", "provided digest did not match uploaded content"));
            return;
        }
        sessions.remove(id);
        blobs.put(claimed, content);
        out.write(RawHttpServer.head(201, "Docker-Content-Digest: " + claimed, "Content-Length: 0"));
    }

    private byte[] uploadHead(int status, String path, ByteArrayOutputStream session) {
        return RawHttpServer.head(status, "Location: " + location(path), "Range: 0-" + Math.max(0, session.size() - 1),
                "Content-Length: 0");
    }

    private String location(String path) {
        URI origin = locationOrigin;
        return origin == null ? path : origin + path;
    }

    private static byte[] error(int status, String code, String message) {
        byte[] body = ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] head = RawHttpServer.head(status, "Content-Type: application/json", "Content-Length: " + body.length);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static byte[] readBody(InputStream in, long length) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            while (body.size() < length) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - body.size()));
                if (n < 0) {
                    break;
                }
                body.write(buffer, 0, n);
            }
        } catch (IOException brokenOff) {
            // what arrived is what the test looks at
        }
        return body.toByteArray();
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
