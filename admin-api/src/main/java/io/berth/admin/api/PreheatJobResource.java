package io.berth.admin.api;

import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.PermitAnonymous;
import io.berth.admin.api.access.ProjectAccess;
import io.berth.admin.api.json.PreheatView;
import io.berth.gateway.auth.Permission;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.proxy.preheat.PreheatJob;
import io.berth.store.proxy.preheat.PreheatJobs;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.Optional;

/**
 * {@code GET /api/v1/preheat/{id}}: a preheat job's progress and each reference's outcome, for
 * whoever may list its project's artifacts (public projects: anyone).
 */
@Path("/api/v1/preheat")
@Produces(MediaType.APPLICATION_JSON)
public final class PreheatJobResource {
    private final PreheatJobs jobs;
    private final ProjectAccess access;

    public PreheatJobResource(PreheatJobs jobs, ProjectAccess access) {
        this.jobs = jobs;
        this.access = access;
    }

    @GET
    @Path("/{id}")
    @PermitAnonymous
    public PreheatView get(@PathParam("id") String id, @Context SecurityContext security) {
        PreheatJob job = parseId(id).flatMap(jobs::find).orElseThrow(() -> new RegistryException(
                ErrorCode.NO_SUCH_RESOURCE, "there is no preheat job " + id + " (finished jobs are kept "
                + jobs.options().retention().toDays() + " days)"));
        access.require(Caller.of(security), job.project(), Permission.LIST_ARTIFACTS, "see preheat jobs");
        return PreheatView.of(job, true);
    }

    /** The id, or empty for text that is none (answered 404 like an unknown id, not Jersey's 404 for a bad number). */
    private static Optional<Long> parseId(String id) {
        try {
            return Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
