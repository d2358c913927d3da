package io.berth.gateway.v2;

import io.berth.gateway.http.Exchange;
import io.berth.gateway.http.Route;
import io.berth.gateway.http.Route.BodyMode;
import io.berth.store.ManifestPrecondition;
import io.berth.store.Registry;
import io.berth.store.error.RegistryException;
import io.berth.store.error.ErrorCode;
import io.berth.store.StoredManifest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;
import java.util.Optional;

/**
 * {@code PUT|GET|HEAD|DELETE /v2/<name>/manifests/<reference>}. A pull of a manifest in the cache
 * is answered straight from the event loop (no blocking work); anything else goes to a blocking
 * thread.
 */
final class ManifestRoutes {
    private final Registry registry;

    private ManifestRoutes(Registry registry) {
        this.registry = registry;
    }

    static List<Route> routes(Registry registry) {
        ManifestRoutes r = new ManifestRoutes(registry);
        return List.of(
                Route.of("manifest.get", HttpMethod.GET, Paths.MANIFEST, BodyMode.NONE, r::get),
                Route.of("manifest.head", HttpMethod.HEAD, Paths.MANIFEST, BodyMode.NONE, r::get),
                Route.of("manifest.put", HttpMethod.PUT, Paths.MANIFEST, BodyMode.SMALL, r::put),
                Route.of("manifest.delete", HttpMethod.DELETE, Paths.MANIFEST, BodyMode.NONE, r::delete));
    }

    private void get(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        Reference reference = Reference.parse(ex.param("reference"));
        Optional<StoredManifest> cached = registry.manifests().cached(name, reference);
        if (cached.isPresent()) {
            serve(ex, name, reference, cached.get());
            return;
        }
        ex.blocking(() -> serve(ex, name, reference, registry.manifests().get(name, reference)));
    }

    private void serve(Exchange ex, RepositoryName name, Reference reference, StoredManifest manifest) {
        if (!AcceptHeader.accepts(ex.headers(), manifest.mediaType())) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is a "
                    + manifest.mediaType() + ", which the request's Accept header does not include",
                    reference.toString());
        }
        if (Conditional.notModified(ex.headers(), manifest.digest())) {
            FullHttpResponse notModified = Conditional.notModifiedResponse(manifest.digest());
            notModified.headers().set(HttpHeaderNames.CONTENT_TYPE, manifest.mediaType());
            ex.send(notModified);
            return;
        }
        boolean head = ex.method().equals(HttpMethod.HEAD);
        FullHttpResponse response = head ? Exchange.response(HttpResponseStatus.OK)
                : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(manifest.content()));
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, manifest.mediaType());
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, manifest.content().length);
        h.set(HttpHeaderNames.ETAG, Conditional.etag(manifest.digest()));
        h.set("Docker-Content-Digest", manifest.digest().toString());
        ex.send(response);
        if (!head) {
            registry.manifests().pulled(name, reference, manifest);
        }
    }

    private void put(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        Reference reference = Reference.parse(ex.param("reference"));
        String contentType = ex.headers().get(HttpHeaderNames.CONTENT_TYPE);
        byte[] content = ByteBufUtil.getBytes(ex.body());
        ManifestPrecondition precondition = Conditional.precondition(ex.headers());
        ex.blocking(() -> {
            StoredManifest stored = registry.manifests().put(name, reference, contentType, content, precondition);
            FullHttpResponse response = Exchange.response(HttpResponseStatus.CREATED);
            response.headers().set(HttpHeaderNames.LOCATION, Paths.manifestLocation(name.value(), stored.digest().toString()));
            response.headers().set("Docker-Content-Digest", stored.digest().toString());
            if (stored.subject() != null) {
                response.headers().set("OCI-Subject", stored.subject());
            }
            ex.send(response);
        });
    }

    private void delete(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        Reference reference = Reference.parse(ex.param("reference"));
        ex.blocking(() -> {
            registry.manifests().delete(name, reference);
            ex.send(Exchange.response(HttpResponseStatus.ACCEPTED));
        });
    }
}
