package io.berth.gateway.v2;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.berth.gateway.http.Exchange;
import io.berth.gateway.http.Route;
import io.berth.gateway.http.Route.BodyMode;
import io.berth.store.Page;
import io.berth.store.Registry;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;
import io.berth.store.oci.RepositoryName;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;

/** Tag lists, the catalog and the referrers API: read-only listings, each paged or filtered. */
final class ListingRoutes {
    private final Registry registry;

    private ListingRoutes(Registry registry) {
        this.registry = registry;
    }

    static List<Route> routes(Registry registry) {
        ListingRoutes r = new ListingRoutes(registry);
        return List.of(
                Route.of("catalog", HttpMethod.GET, Paths.CATALOG, BodyMode.NONE, r::catalog),
                Route.of("tags", HttpMethod.GET, Paths.TAGS, BodyMode.NONE, r::tags),
                Route.of("referrers", HttpMethod.GET, Paths.REFERRERS, BodyMode.NONE, r::referrers));
    }

    private void tags(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        Pagination paging = Pagination.of(ex);
        ex.blocking(() -> {
            Page page = registry.listings().tags(name, paging.last(), paging.limit());
            ObjectNode body = Json.object();
            body.put("name", name.value());
            ArrayNode tags = body.putArray("tags");
            page.items().forEach(tags::add);
            sendPage(ex, body, page, paging, "/v2/" + name + "/tags/list");
        });
    }

    private void catalog(Exchange ex) {
        Pagination paging = Pagination.of(ex);
        ex.blocking(() -> {
            Page page = registry.listings().catalog(paging.last(), paging.limit());
            ObjectNode body = Json.object();
            ArrayNode repositories = body.putArray("repositories");
            page.items().forEach(repositories::add);
            sendPage(ex, body, page, paging, "/v2/_catalog");
        });
    }

    private static void sendPage(Exchange ex, ObjectNode body, Page page, Pagination paging, String path) {
        FullHttpResponse response = Json.response(HttpResponseStatus.OK, "application/json", body);
        if (page.more() && !page.items().isEmpty()) {
            response.headers().set("Link", paging.nextLink(path, page.items().getLast()));
        }
        ex.send(response);
    }

    private void referrers(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        Digest subject = Digest.parse(ex.param("digest"));
        String artifactType = ex.query("artifactType");
        ex.blocking(() -> {
            List<Descriptor> referrers = registry.listings().referrers(name, subject, artifactType);
            ObjectNode index = Json.object();
            index.put("schemaVersion", 2);
            index.put("mediaType", MediaTypes.OCI_INDEX);
            ArrayNode manifests = index.putArray("manifests");
            for (Descriptor d : referrers) {
                ObjectNode entry = manifests.addObject();
                entry.put("mediaType", d.mediaType());
                entry.put("digest", d.digest().toString());
                entry.put("size", d.size());
                if (d.artifactType() != null) {
                    entry.put("artifactType", d.artifactType());
                }
                if (d.annotationsJson() != null) {
                    entry.putRawValue("annotations", new RawValue(d.annotationsJson()));
                }
            }
            FullHttpResponse response = Json.response(HttpResponseStatus.OK, MediaTypes.OCI_INDEX, index);
            if (artifactType != null) {
                response.headers().set("OCI-Filters-Applied", "artifactType");
            }
            ex.send(response);
        });
    }
}
