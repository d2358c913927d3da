package io.berth.admin.api.audit;

import io.berth.admin.api.PageRequest;
import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.Refusals;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Principal;
import io.berth.store.audit.AuditLog;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code /api/v1/audit-logs}: the whole audit log (pushes, pulls, deletes, sign-ins and the
 * tokens that grant writes), newest first, filtered and paged; for system admins.
 */
@Path("/api/v1/audit-logs")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditLogsResource {
    private final AuditLog log;

    public AuditLogsResource(AuditLog log) {
        this.log = log;
    }

    @GET
    public Response list(@BeanParam AuditFilter filter, @QueryParam("page") String page,
                         @QueryParam("page_size") String pageSize, @Context SecurityContext security,
                         @Context UriInfo uri) {
        Principal who = Caller.of(security);
        Refusals.require(Grants.mayReadAuditLog(who), who, "read the audit log (a project's is at"
                + " /api/v1/projects/{name}/logs)");
        return ProjectLogsResource.respond(log, filter.toQuery(), PageRequest.of(page, pageSize), uri);
    }
}
