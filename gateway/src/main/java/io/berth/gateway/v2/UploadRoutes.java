package io.berth.gateway.v2;

import io.berth.gateway.auth.Access;
import io.berth.gateway.http.BodyStream;
import io.berth.gateway.http.Exchange;
import io.berth.gateway.http.Route;
import io.berth.store.Registry;
import io.berth.store.blob.UploadStore;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import static io.berth.gateway.auth.Action.PUSH;

/**
 * Blob uploads: {@code POST} (start, monolithic with {@code ?digest=}, or mount), {@code PATCH}
 * chunks, {@code PUT ?digest=} to finish, {@code GET} status, {@code DELETE} to cancel. Bodies
 * stream to the session's file on a blocking thread as they arrive; a chunk that does not arrive
 * whole is undone. None of them reaches a proxy project ({@link LocalOnly}).
 */
final class UploadRoutes {
    private final Registry registry;

    private UploadRoutes(Registry registry) {
        this.registry = registry;
    }

    static List<Route> routes(Registry registry, LocalOnly local) {
        UploadRoutes r = new UploadRoutes(registry);
        return List.of(
                // A mount (?mount=&from=) also reads the blob out of the repository it comes from, when the
                // caller may: without pull there, it uploads the blob instead.
                Route.of("upload.start", HttpMethod.POST, Paths.UPLOADS, Access.repository(PUSH).and(Access.mountSource()),
                        local.writes(r::start)),
                Route.of("upload.patch", HttpMethod.PATCH, Paths.UPLOAD, Access.repository(PUSH),
                        local.writes(r::patch)),
                Route.of("upload.finish", HttpMethod.PUT, Paths.UPLOAD, Access.repository(PUSH),
                        local.writes(r::finish)),
                Route.of("upload.status", HttpMethod.GET, Paths.UPLOAD, Access.repository(PUSH),
                        local.writes(r::status)),
                // Cancelling is part of pushing: a pusher may abandon its upload without delete rights.
                Route.of("upload.cancel", HttpMethod.DELETE, Paths.UPLOAD, Access.repository(PUSH),
                        local.writes(r::cancel)));
    }

    private void start(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        String mount = ex.query("mount");
        String digestParam = ex.query("digest");
        Digest mountDigest = mount == null ? null : Digest.parse(mount);
        String fromParam = ex.query("from");
        RepositoryName from = mount == null || fromParam == null ? null : RepositoryName.parse(fromParam);
        Digest digest = digestParam == null ? null : Digest.parse(digestParam);
        Digest.Algorithm algorithm = algorithm(ex.query("digest-algorithm"), digest);
        ex.streamBody(body -> {
            // From ?from= when pull on it was granted, else from any repository the caller may read;
            // failing that, an upload starts, as the spec allows (and says nothing of where the blob is).
            if (mountDigest != null && registry.blobs().mount(name, mountDigest, from, ex.caller())) {
                body.drain();
                sendCreated(ex, name, mountDigest);
                return;
            }
            if (digest == null) {
                body.drain();
                String id = registry.blobs().startUpload(name, algorithm);
                ex.send(uploadResponse(HttpResponseStatus.ACCEPTED, name, id, 0));
                return;
            }
            String id = registry.blobs().startUpload(name, algorithm);
            try {
                appendChunk(ex, body, name, id);
                registry.blobs().completeUpload(name, id, digest);
            } catch (Exception e) {
                cancelQuietly(name, id);
                throw e;
            }
            sendCreated(ex, name, digest);
        });
    }

    /**
     * The algorithm an upload's content is hashed with while it streams in: {@code ?digest-algorithm=}
     * (the spec's way to announce a non-sha256 push; an unsupported one is refused with 400), else
     * the algorithm of a monolithic upload's {@code ?digest=}, else sha256.
     */
    private static Digest.Algorithm algorithm(String name, Digest digest) {
        if (name == null) {
            return digest == null ? Digest.Algorithm.SHA256 : digest.algorithm();
        }
        return Digest.Algorithm.byPrefix(name).orElseThrow(() -> new RegistryException(ErrorCode.DIGEST_INVALID,
                "digest algorithm '" + name + "' is not supported: use sha256 or sha512", name));
    }

    private void patch(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        String id = ex.param("uuid");
        ex.streamBody(body -> {
            long size = appendChunk(ex, body, name, id);
            ex.send(uploadResponse(HttpResponseStatus.ACCEPTED, name, id, size));
        });
    }

    private void finish(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        String id = ex.param("uuid");
        String digestParam = ex.query("digest");
        if (digestParam == null) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "finish an upload with PUT ?digest=<digest of the whole"
                    + " blob>", null);
        }
        Digest digest = Digest.parse(digestParam);
        ex.streamBody(body -> {
            if (carriesContent(ex.headers())) {
                appendChunk(ex, body, name, id);
            } // else the usual empty PUT: a retry of it must reach completeUpload, whose content may be stored
            registry.blobs().completeUpload(name, id, digest);
            sendCreated(ex, name, digest);
        });
    }

    private void status(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        String id = ex.param("uuid");
        ex.blocking(() -> ex.send(uploadResponse(HttpResponseStatus.NO_CONTENT, name, id,
                registry.blobs().uploadSize(name, id))));
    }

    private void cancel(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        String id = ex.param("uuid");
        ex.blocking(() -> {
            registry.blobs().cancelUpload(name, id);
            ex.send(Exchange.response(HttpResponseStatus.NO_CONTENT));
        });
    }

    /** Whether a request announces body bytes (a length above zero, chunked, or a range). */
    private static boolean carriesContent(HttpHeaders headers) {
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        return headers.contains(HttpHeaderNames.TRANSFER_ENCODING) || headers.contains(HttpHeaderNames.CONTENT_RANGE)
                || length != null && !length.trim().equals("0");
    }

    /**
     * Streams the request body onto the end of the session, checking {@code Content-Range} when
     * the client sent one. Returns the session's new size. Nothing is kept unless the whole
     * chunk arrived and matched what the client announced.
     */
    private long appendChunk(Exchange ex, BodyStream body, RepositoryName name, String id) throws Exception {
        ContentRange announced = ContentRange.parse(ex.headers().get(HttpHeaderNames.CONTENT_RANGE));
        String lengthHeader = ex.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        if (announced != null && lengthHeader != null && Long.parseLong(lengthHeader.trim()) != announced.length()) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, "Content-Range " + announced + " announces "
                    + announced.length() + " bytes but Content-Length is " + lengthHeader, null);
        }
        try (UploadStore.Chunk chunk = registry.blobs().beginChunk(name, id, announced == null ? -1 : announced.start())) {
            ByteBuf buf;
            while ((buf = body.next()) != null) {
                try {
                    write(chunk, buf);
                } finally {
                    buf.release();
                }
            }
            if (announced != null && body.received() != announced.length()) {
                throw new RegistryException(ErrorCode.SIZE_INVALID, "Content-Range announced " + announced.length()
                        + " bytes but the body had " + body.received(), null);
            }
            return chunk.commit();
        }
    }

    private static void write(UploadStore.Chunk chunk, ByteBuf buf) throws IOException {
        if (buf.nioBufferCount() == 1) {
            chunk.write(buf.nioBuffer());
            return;
        }
        for (ByteBuffer b : buf.nioBuffers()) {
            chunk.write(b);
        }
    }

    private void cancelQuietly(RepositoryName name, String id) {
        try {
            registry.blobs().cancelUpload(name, id);
        } catch (Exception ignored) {
            // the session may already be gone (a failed digest check ends it)
        }
    }

    private static void sendCreated(Exchange ex, RepositoryName name, Digest digest) {
        FullHttpResponse response = Exchange.response(HttpResponseStatus.CREATED);
        response.headers().set(HttpHeaderNames.LOCATION, Paths.blobLocation(name.value(), digest.toString()));
        response.headers().set("Docker-Content-Digest", digest.toString());
        ex.send(response);
    }

    private static FullHttpResponse uploadResponse(HttpResponseStatus status, RepositoryName name, String id, long size) {
        FullHttpResponse response = Exchange.response(status);
        response.headers().set(HttpHeaderNames.LOCATION, Paths.uploadLocation(name.value(), id));
        // Distribution's convention: "0-0" for an empty session, else "0-<last byte>".
        response.headers().set(HttpHeaderNames.RANGE, "0-" + Math.max(0, size - 1));
        response.headers().set("Docker-Upload-UUID", id);
        return response;
    }
}
