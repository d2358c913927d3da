package io.berth.gateway.v2;

import io.berth.gateway.auth.Access;
import io.berth.gateway.http.Exchange;
import io.berth.gateway.http.Route;
import io.berth.store.ManifestPush;
import io.berth.store.Registry;
import io.berth.store.StoredManifest;
import io.berth.store.content.ContentSource;
import io.berth.store.content.RepositoryHandle;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.berth.gateway.auth.Action.DELETE;
import static io.berth.gateway.auth.Action.PULL;
import static io.berth.gateway.auth.Action.PUSH;

/**
 * {@code PUT|GET|HEAD|DELETE /v2/<name>/manifests/<reference>}. Reads go through the repository's
 * content source; a pull of a manifest it holds in memory is answered straight from the event loop
 * (no blocking work), anything else on a blocking thread. A reference that cannot exist (a bad tag
 * or digest) is unknown on reads, as the conformance suite, Distribution and zot agree, and invalid
 * on pushes.
 */
final class ManifestRoutes {
    /** The most {@code ?tag=} parameters one push may carry (the spec asks registries to take at least 10). */
    static final int MAX_TAGS_PER_PUSH = 100;

    private final Registry registry;

    private ManifestRoutes(Registry registry) {
        this.registry = registry;
    }

    static List<Route> routes(Registry registry, LocalOnly local) {
        ManifestRoutes r = new ManifestRoutes(registry);
        return List.of(
                Route.of("manifest.get", HttpMethod.GET, Paths.MANIFEST, Access.repository(PULL), r::get).throughMirrors(),
                Route.of("manifest.head", HttpMethod.HEAD, Paths.MANIFEST, Access.repository(PULL), r::get)
                        .throughMirrors(),
                Route.of("manifest.put", HttpMethod.PUT, Paths.MANIFEST, Access.repository(PUSH),
                        local.writes(r::put)),
                Route.of("manifest.delete", HttpMethod.DELETE, Paths.MANIFEST, Access.repository(DELETE),
                        local.writes(r::delete)));
    }

    private void get(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        Reference reference = existingReference(ex.param("reference"));
        Optional<RepositoryHandle> handle = registry.repositories().cached(name);
        Optional<StoredManifest> cached = handle.flatMap(h -> h.content().cachedManifest(reference));
        if (cached.isPresent()) {
            serve(ex, handle.get().content().recordedName(name), reference, cached.get());
            return;
        }
        ex.blocking(() -> {
            ContentSource content = registry.repositories().resolve(name).content();
            StoredManifest manifest = content.manifest(reference);
            serve(ex, content.recordedName(name), reference, manifest);
        });
    }

    /** Sends the manifest, and counts a GET of it as a pull of {@code recorded}. */
    private void serve(Exchange ex, RepositoryName recorded, Reference reference, StoredManifest manifest) {
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
            registry.manifests().pulled(recorded, reference, manifest, ex.caller());
        }
    }

    private void put(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        Reference reference = Reference.parse(ex.param("reference"));
        List<String> extraTags = extraTags(ex);
        ex.collectBody(body -> {
            ManifestPush push = new ManifestPush(name, reference, extraTags, ex.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    ByteBufUtil.getBytes(body), Conditional.precondition(ex.headers()), ex.caller());
            ex.blocking(() -> {
                StoredManifest stored = registry.manifests().put(push);
                FullHttpResponse response = Exchange.response(HttpResponseStatus.CREATED);
                response.headers().set(HttpHeaderNames.LOCATION, Paths.manifestLocation(name.value(), stored.digest().toString()));
                response.headers().set("Docker-Content-Digest", stored.digest().toString());
                if (stored.subject() != null) {
                    response.headers().set("OCI-Subject", stored.subject());
                }
                for (String tag : extraTags) {
                    response.headers().add("OCI-Tag", tag);
                }
                ex.send(response);
            });
        });
    }

    /** The {@code ?tag=} parameters of a push (the spec's multi-tag push), each a valid tag. */
    private static List<String> extraTags(Exchange ex) {
        List<String> values = ex.queryAll("tag");
        if (values.size() > MAX_TAGS_PER_PUSH) {
            throw new RegistryException(ErrorCode.URI_TOO_LONG, "a push may set at most " + MAX_TAGS_PER_PUSH
                    + " tags with ?tag=, not " + values.size() + ": push the rest with further requests");
        }
        List<String> tags = new ArrayList<>();
        for (String value : values) {
            tags.add(Reference.ofTag(value).toString());
        }
        return tags;
    }

    private void delete(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        Reference reference = existingReference(ex.param("reference"));
        ex.blocking(() -> {
            registry.manifests().delete(name, reference, ex.caller());
            ex.send(Exchange.response(HttpResponseStatus.ACCEPTED));
        });
    }

    /** A reference to read or delete; one that cannot exist is simply unknown (404), not invalid. */
    private static Reference existingReference(String text) {
        try {
            return Reference.parse(text);
        } catch (RegistryException e) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + text + " is not known: "
                    + e.getMessage(), text);
        }
    }

    /** Who is asking, as the access check admitted them: the store records it in its events. */}
