package io.berth.gateway.v2;

import io.berth.gateway.error.ErrorResponses;
import io.berth.store.error.ErrorCode;
import io.berth.gateway.http.Exchange;
import io.berth.gateway.http.Route;
import io.berth.gateway.http.Route.BodyMode;
import io.berth.store.Registry;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.OptionalLong;

/** {@code GET|HEAD|DELETE /v2/<name>/blobs/<digest>}: blobs are served zero-copy, ranges honoured. */
final class BlobRoutes {
    /** A blob's path names its content, so it never changes. */
    private static final String CACHE_FOREVER = "max-age=31536000";

    private final Registry registry;

    private BlobRoutes(Registry registry) {
        this.registry = registry;
    }

    static List<Route> routes(Registry registry) {
        BlobRoutes r = new BlobRoutes(registry);
        return List.of(
                Route.of("blob.get", HttpMethod.GET, Paths.BLOB, BodyMode.NONE, r::get),
                Route.of("blob.head", HttpMethod.HEAD, Paths.BLOB, BodyMode.NONE, r::get),
                Route.of("blob.delete", HttpMethod.DELETE, Paths.BLOB, BodyMode.NONE, r::delete));
    }

    private void get(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        Digest digest = Digest.parse(ex.param("digest"));
        boolean head = ex.method().equals(HttpMethod.HEAD);
        ex.blocking(() -> {
            OptionalLong size = registry.blobs().size(name, digest);
            if (size.isEmpty()) {
                throw unknown(name, digest);
            }
            if (Conditional.notModified(ex.headers(), digest)) {
                FullHttpResponse notModified = Conditional.notModifiedResponse(digest);
                notModified.headers().set(HttpHeaderNames.CACHE_CONTROL, CACHE_FOREVER);
                ex.send(notModified);
                return;
            }
            long total = size.getAsLong();
            ByteRange range = total == 0 || !Conditional.rangeApplies(ex.headers(), digest) ? null
                    : ByteRange.parse(ex.headers().get(HttpHeaderNames.RANGE), total);
            if (range == ByteRange.UNSATISFIABLE) {
                FullHttpResponse response = ErrorResponses.of(ErrorCode.RANGE_NOT_SATISFIABLE, "requested range is outside"
                        + " the blob's " + total + " bytes", null);
                response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + total);
                ex.send(response);
                return;
            }
            long start = range == null ? 0 : range.start();
            long length = range == null ? total : range.length();
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                    range == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT);
            HttpHeaders h = response.headers();
            h.set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
            h.set(HttpHeaderNames.CONTENT_LENGTH, length);
            h.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
            h.set(HttpHeaderNames.ETAG, Conditional.etag(digest));
            h.set(HttpHeaderNames.CACHE_CONTROL, CACHE_FOREVER);
            h.set("Docker-Content-Digest", digest.toString());
            if (range != null) {
                h.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(total));
            }
            if (head || length == 0) {
                ex.send(asFull(response));
                return;
            }
            SeekableByteChannel channel;
            try {
                channel = registry.blobs().open(digest);
            } catch (NoSuchFileException e) {
                throw unknown(name, digest); // removed between the lookup and here
            }
            ex.sendFile(response, (FileChannel) channel, start, length);
        });
    }

    private void delete(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        Digest digest = Digest.parse(ex.param("digest"));
        ex.blocking(() -> {
            registry.blobs().unlink(name, digest);
            ex.send(Exchange.response(HttpResponseStatus.ACCEPTED));
        });
    }

    private static RegistryException unknown(RepositoryName name, Digest digest) {
        return new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in repository " + name,
                digest.toString());
    }

    private static FullHttpResponse asFull(HttpResponse head) {
        FullHttpResponse full = Exchange.response(head.status());
        full.headers().set(head.headers());
        return full;
    }
}
