package io.berth.admin.api;

import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.Refusals;
import io.berth.admin.api.json.RegistryPing;
import io.berth.admin.api.json.RegistryRequest;
import io.berth.admin.api.json.RegistryView;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Principal;
import io.berth.store.Inventory.Listing;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.RegistryEndpoints;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamFactory;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code /api/v1/registries}: the upstream registries proxy projects mirror (and replication will
 * reach), for system admins. Credentials go in and are kept encrypted; answers show only their type
 * and user name. {@code POST …/{id}/ping} checks that the upstream answers with them.
 */
@Path("/api/v1/registries")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class RegistriesResource {
    private final RegistryEndpoints endpoints;
    private final UpstreamFactory upstreams;

    public RegistriesResource(RegistryEndpoints endpoints, UpstreamFactory upstreams) {
        this.endpoints = endpoints;
        this.upstreams = upstreams;
    }

    @GET
    public Response list(@QueryParam("page") String page, @QueryParam("page_size") String pageSize,
                         @Context SecurityContext security, @Context UriInfo uri) {
        require(security, "list the registry endpoints");
        PageRequest paging = PageRequest.of(page, pageSize);
        Listing<RegistryEndpoint> listing = endpoints.list(paging.page(), paging.pageSize());
        return paging.respond(listing.items().stream().map(RegistryView::of).toList(), listing.total(), uri);
    }

    @POST
    public Response create(@NotNull RegistryRequest body, @Context SecurityContext security, @Context UriInfo uri) {
        require(security, "create registry endpoints");
        RegistryEndpoint created = endpoints.as(Caller.actor(security)).create(body.draft());
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id())).build())
                .entity(RegistryView.of(created)).build();
    }

    @GET
    @Path("/{id}")
    public RegistryView get(@PathParam("id") String id, @Context SecurityContext security) {
        require(security, "see registry endpoints");
        return RegistryView.of(endpoints.get(endpointId(id)));
    }

    /** Replaces the endpoint's settings; an absent credential is kept, {@code "credential": null} removes it. */
    @PUT
    @Path("/{id}")
    public RegistryView update(@PathParam("id") String id, @NotNull RegistryRequest body,
                               @Context SecurityContext security) {
        require(security, "change registry endpoints");
        return RegistryView.of(endpoints.as(Caller.actor(security)).update(endpointId(id), body.draft(),
                body.keepsCredential()));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id, @Context SecurityContext security) {
        require(security, "delete registry endpoints");
        long endpoint = endpointId(id);
        endpoints.as(Caller.actor(security)).delete(endpoint);
        upstreams.forget(endpoint);
        return Response.noContent().build();
    }

    /** Asks the upstream for {@code GET /v2/} with the endpoint's credentials: 200, or an error saying what failed. */
    @POST
    @Path("/{id}/ping")
    public RegistryPing ping(@PathParam("id") String id, @Context SecurityContext security) {
        require(security, "check registry endpoints");
        RegistryEndpoint endpoint = endpoints.get(endpointId(id));
        Upstream upstream = upstreams.of(endpoint);
        long start = System.nanoTime();
        try {
            upstream.ping();
        } catch (UpstreamException e) {
            throw PingFailures.explain(endpoint, e);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new RegistryPing(true, endpoint.id(), endpoint.name(), millis,
                upstream.rateLimit().map(RegistryPing.RateLimit::of).orElse(null));
    }

    /** An endpoint's id from the path; one that is no number names no endpoint (404). */
    private static long endpointId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no registry endpoint with id '" + id
                    + "': ids are numbers, GET /api/v1/registries lists them");
        }
    }

    private static void require(SecurityContext security, String doWhat) {
        Principal who = Caller.of(security);
        Refusals.require(Grants.mayManageRegistries(who), who, doWhat);
    }
}
