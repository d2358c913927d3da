package io.berth.gateway.v2;

import io.berth.gateway.auth.Access;
import io.berth.gateway.error.ErrorResponses;
import io.berth.gateway.http.Exchange;
import io.berth.gateway.http.Route;
import io.berth.store.Registry;
import io.berth.store.blob.BlobContent;
import io.berth.store.content.ContentSource;
import io.berth.store.error.ErrorCode;
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

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static io.berth.gateway.auth.Action.DELETE;
import static io.berth.gateway.auth.Action.PULL;

/**
 * {@code GET|HEAD|DELETE /v2/<name>/blobs/<digest>}: blobs come from the repository's content
 * source in whatever form it offers (a local file sent zero-copy, a stream, a redirect), ranges
 * honoured. A digest that cannot exist names an unknown blob (404), as the spec lists for reads.
 */
final class BlobRoutes {
    /** A blob's path names its content, so it never changes. */
    private static final String CACHE_FOREVER = "max-age=31536000";

    private final Registry registry;

    private BlobRoutes(Registry registry) {
        this.registry = registry;
    }

    static List<Route> routes(Registry registry, LocalOnly local) {
        BlobRoutes r = new BlobRoutes(registry);
        return List.of(
                Route.of("blob.get", HttpMethod.GET, Paths.BLOB, Access.repository(PULL), r::get).throughMirrors(),
                Route.of("blob.head", HttpMethod.HEAD, Paths.BLOB, Access.repository(PULL), r::get).throughMirrors(),
                Route.of("blob.delete", HttpMethod.DELETE, Paths.BLOB, Access.repository(DELETE),
                        local.writes(r::delete)));
    }

    private void get(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        Digest digest = existingDigest(name, ex.param("digest"));
        boolean head = ex.method().equals(HttpMethod.HEAD);
        ex.blocking(() -> {
            ContentSource content = registry.repositories().resolve(name).content();
            OptionalLong size = head ? content.blobSize(digest) : content.blobSizeToRead(digest);
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
                FullHttpResponse response = ErrorResponses.of(ErrorCode.RANGE_NOT_SATISFIABLE, "requested range is"
                        + " outside the blob's " + total + " bytes", null);
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
            Optional<BlobContent> opened = content.openBlob(digest, start, length);
            if (opened.isEmpty()) {
                throw unknown(name, digest); // removed between the lookup and here
            }
            send(ex, response, opened.get());
        });
    }

    /** Sends the content in the form the store opened it. */
    private static void send(Exchange ex, HttpResponse head, BlobContent content) throws Exception {
        switch (content) {
            case BlobContent.LocalFile file -> ex.sendFile(head, file.file(), file.position(), file.length());
            case BlobContent.Stream stream -> ex.sendStream(head, stream.channel(), stream.length());
            case BlobContent.Redirect redirect -> {
                // The client fetches it with its own Range; nothing of this request travels along.
                FullHttpResponse response = Exchange.response(HttpResponseStatus.TEMPORARY_REDIRECT);
                response.headers().set(HttpHeaderNames.LOCATION, redirect.location().toString());
                response.headers().set("Docker-Content-Digest", head.headers().get("Docker-Content-Digest"));
                ex.send(response);
            }
        }
    }

    private void delete(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        Digest digest = existingDigest(name, ex.param("digest"));
        ex.blocking(() -> {
            registry.blobs().unlink(name, digest);
            ex.send(Exchange.response(HttpResponseStatus.ACCEPTED));
        });
    }

    /** The digest of a blob to read or delete; one that cannot exist is simply unknown. */
    private static Digest existingDigest(RepositoryName name, String text) {
        return Digest.tryParse(text).orElseThrow(() -> new RegistryException(ErrorCode.BLOB_UNKNOWN,
                "blob " + text + " is not in repository " + name + ": it is not a valid digest", text));
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
