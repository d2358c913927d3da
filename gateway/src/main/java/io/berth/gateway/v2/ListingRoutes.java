package io.berth.gateway.v2;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.gateway.auth.Access;
import io.berth.gateway.http.Exchange;
import io.berth.gateway.http.Route;
import io.berth.store.Page;
import io.berth.store.Registry;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;
import io.berth.store.oci.ReferrersIndex;
import io.berth.store.oci.RepositoryName;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.berth.gateway.auth.Action.PULL;

/** Tag lists, the catalog and the referrers API: read-only listings, each paged or filtered. */
final class ListingRoutes {
    /** The most referrers one page lists. */
    static final int REFERRERS_PAGE = 1000;

    private final Registry registry;

    private ListingRoutes(Registry registry) {
        this.registry = registry;
    }

    static List<Route> routes(Registry registry) {
        ListingRoutes r = new ListingRoutes(registry);
        return List.of(
                Route.of("catalog", HttpMethod.GET, Paths.CATALOG, Access.catalog(), r::catalog),
                Route.of("tags", HttpMethod.GET, Paths.TAGS, Access.repository(PULL), r::tags).throughMirrors(),
                Route.of("referrers", HttpMethod.GET, Paths.REFERRERS, Access.repository(PULL), r::referrers)
                        .throughMirrors());
    }

    private void tags(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        Pagination paging = Pagination.of(ex);
        ex.blocking(() -> {
            Page<String> page = registry.repositories().resolve(name).content().tags(paging.last(), paging.limit());
            ObjectNode body = Json.object();
            body.put("name", ex.requestedName()); // in a mirror mode, the name the client knows
            ArrayNode tags = body.putArray("tags");
            page.items().forEach(tags::add);
            sendPage(ex, body, page, paging, "/v2/" + ex.requestedName() + "/tags/list");
        });
    }

    private void catalog(Exchange ex) {
        Pagination paging = Pagination.of(ex);
        ex.blocking(() -> {
            Page<String> page = registry.listings().catalog(paging.last(), paging.limit(), ex.caller());
            ObjectNode body = Json.object();
            ArrayNode repositories = body.putArray("repositories");
            page.items().forEach(repositories::add);
            sendPage(ex, body, page, paging, "/v2/_catalog");
        });
    }

    private static void sendPage(Exchange ex, ObjectNode body, Page<String> page, Pagination paging, String path) {
        FullHttpResponse response = Json.response(HttpResponseStatus.OK, "application/json", body);
        if (page.more() && !page.items().isEmpty()) {
            response.headers().set("Link", paging.nextLink(path, page.items().getLast(), ex.namespace()));
        }
        ex.send(response);
    }

    /**
     * The referrers of a subject as an image index, a page at a time: at most {@code n} (default
     * {@link #REFERRERS_PAGE}) and a bounded number of annotation bytes, with a {@code Link} to the
     * next page, as the spec asks when the list does not fit one response.
     */
    private void referrers(Exchange ex) {
        RepositoryName name = RepositoryName.parse(ex.param("name"));
        Digest subject = Digest.parse(ex.param("digest"));
        String artifactType = ex.query("artifactType");
        int limit = ex.query("n") == null ? REFERRERS_PAGE : Math.min(Pagination.limit(ex.query("n")), REFERRERS_PAGE);
        String last = ex.query("last");
        ex.blocking(() -> {
            Page<Descriptor> page = registry.repositories().resolve(name).content()
                    .referrers(subject, artifactType, last, limit);
            ObjectNode index = ReferrersIndex.of(page.items());
            FullHttpResponse response = Json.response(HttpResponseStatus.OK, MediaTypes.OCI_INDEX, index);
            if (artifactType != null) {
                response.headers().set("OCI-Filters-Applied", "artifactType");
            }
            if (page.more() && !page.items().isEmpty()) {
                StringBuilder next = new StringBuilder("/v2/").append(ex.requestedName()).append("/referrers/")
                        .append(subject).append("?n=").append(limit).append("&last=")
                        .append(page.items().getLast().digest());
                if (artifactType != null) {
                    next.append("&artifactType=").append(URLEncoder.encode(artifactType, StandardCharsets.UTF_8));
                }
                if (ex.namespace() != null) {
                    next.append("&ns=").append(URLEncoder.encode(ex.namespace(), StandardCharsets.UTF_8));
                }
                response.headers().set("Link", "<" + next + ">; rel=\"next\"");
            }
            ex.send(response);
        });
    }
}
