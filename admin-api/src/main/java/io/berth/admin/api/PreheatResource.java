package io.berth.admin.api;

import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.PermitAnonymous;
import io.berth.admin.api.access.ProjectAccess;
import io.berth.admin.api.json.PreheatRequestBody;
import io.berth.admin.api.json.PreheatView;
import io.berth.gateway.auth.ChangeTrail;
import io.berth.gateway.auth.Permission;
import io.berth.store.Inventory.Listing;
import io.berth.store.proxy.preheat.PreheatJob;
import io.berth.store.proxy.preheat.PreheatJobs;
import io.berth.store.proxy.preheat.PreheatReference;
import io.berth.store.proxy.preheat.PreheatRequest;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.time.Clock;
import java.util.stream.Collectors;

/**
 * Preheat jobs of proxy projects: {@code POST /api/v1/projects/{name}/preheat} queues a job that
 * fetches references into the cache in the background and answers {@code 202} with its location
 * (where {@link PreheatJobResource} reports its progress); {@code GET} lists a project's jobs,
 * newest first. Preheating needs what pinning needs (maintainer, project admin, system admin) and
 * is audited; listing jobs needs what reading the cache's usage needs.
 */
@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
public final class PreheatResource {
    private static final int MAX_AUDIT_DETAIL = 1000;

    private final PreheatJobs jobs;
    private final ProjectAccess access;
    private final Clock clock;

    public PreheatResource(PreheatJobs jobs, ProjectAccess access, Clock clock) {
        this.jobs = jobs;
        this.access = access;
        this.clock = clock;
    }

    @POST
    @Path("/{name}/preheat")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("name") String name, @NotNull PreheatRequestBody body,
                           @Context SecurityContext security, @Context UriInfo uri) {
        access.require(Caller.of(security), name, Permission.DELETE, "preheat images");
        PreheatRequest request = PreheatRequest.of(body.references(), body.platforms());
        ChangeTrail trail = ChangeTrail.system(clock).by(Caller.actor(security));
        PreheatJob job = jobs.submit(name, request, (h, created) -> trail.record(h, "create", "preheat",
                "preheat/" + created.id(), name, detail(request)));
        return Response.accepted(PreheatView.of(job, true))
                .location(uri.getBaseUriBuilder().path("api/v1/preheat/{id}").build(job.id())).build();
    }

    @GET
    @Path("/{name}/preheat")
    @PermitAnonymous
    public Response list(@PathParam("name") String name, @QueryParam("page") String page,
                         @QueryParam("page_size") String pageSize, @Context SecurityContext security,
                         @Context UriInfo uri) {
        access.require(Caller.of(security), name, Permission.LIST_ARTIFACTS, "see preheat jobs");
        PageRequest paging = PageRequest.of(page, pageSize);
        Listing<PreheatJob> listing = jobs.list(name, paging.page(), paging.pageSize());
        return paging.respond(listing.items().stream().map(job -> PreheatView.of(job, false)).toList(),
                listing.total(), uri);
    }

    private static String detail(PreheatRequest request) {
        String detail = request.references().stream().map(PreheatReference::text).collect(Collectors.joining(", "))
                + (request.platforms().isEmpty() ? "" : "; platforms " + request.platforms().stream()
                .map(Object::toString).collect(Collectors.joining(", ")));
        return detail.length() <= MAX_AUDIT_DETAIL ? detail : detail.substring(0, MAX_AUDIT_DETAIL - 1) + "…";
    }
}
