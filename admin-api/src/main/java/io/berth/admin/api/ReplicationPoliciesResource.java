package io.berth.admin.api;

import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.Refusals;
import io.berth.admin.api.json.PolicyRequest;
import io.berth.admin.api.json.PolicyView;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Principal;
import io.berth.store.Inventory.Listing;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.sync.policy.Policies;
import io.berth.sync.policy.ReplicationPolicy;
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
 * {@code /api/v1/replication/policies}: what the sync agent copies between this Berth and other
 * registries, in Harbor's shape, for system admins. Changes are audited.
 */
@Path("/api/v1/replication/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ReplicationPoliciesResource {
    private final Policies policies;

    public ReplicationPoliciesResource(Policies policies) {
        this.policies = policies;
    }

    @GET
    public Response list(@QueryParam("page") String page, @QueryParam("page_size") String pageSize,
                         @Context SecurityContext security, @Context UriInfo uri) {
        require(security, "list the replication policies");
        PageRequest paging = PageRequest.of(page, pageSize);
        Listing<ReplicationPolicy> listing = policies.list(paging.page(), paging.pageSize());
        return paging.respond(listing.items().stream().map(PolicyView::of).toList(), listing.total(), uri);
    }

    @POST
    public Response create(@NotNull PolicyRequest body, @Context SecurityContext security, @Context UriInfo uri) {
        require(security, "create replication policies");
        ReplicationPolicy created = policies.as(Caller.actor(security)).create(body.draft());
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id())).build())
                .entity(PolicyView.of(created)).build();
    }

    @GET
    @Path("/{id}")
    public PolicyView get(@PathParam("id") String id, @Context SecurityContext security) {
        require(security, "see replication policies");
        return PolicyView.of(policies.get(policyId(id)));
    }

    /** Replaces the whole policy: absent fields take their defaults. */
    @PUT
    @Path("/{id}")
    public PolicyView update(@PathParam("id") String id, @NotNull PolicyRequest body,
                             @Context SecurityContext security) {
        require(security, "change replication policies");
        return PolicyView.of(policies.as(Caller.actor(security)).update(policyId(id), body.draft()));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id, @Context SecurityContext security) {
        require(security, "delete replication policies");
        policies.as(Caller.actor(security)).delete(policyId(id));
        return Response.noContent().build();
    }

    /** A policy's id from the path; one that is no number names no policy (404). */
    private static long policyId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no replication policy with id '" + id
                    + "': ids are numbers, GET /api/v1/replication/policies lists them");
        }
    }

    private static void require(SecurityContext security, String doWhat) {
        Principal who = Caller.of(security);
        Refusals.require(Grants.mayManageReplication(who), who, doWhat);
    }
}
