package io.berth.admin.api.audit;

import io.berth.admin.api.PageRequest;
import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.ProjectAccess;
import io.berth.gateway.auth.Permission;
import io.berth.store.audit.AuditLog;
import io.berth.store.audit.AuditQuery;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
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
 * {@code /api/v1/projects/{name}/logs}: the audit log of one project (its pushes, pulls, deletes
 * and write tokens), for its members from guest up and system admins, filtered and paged like
 * {@code /api/v1/audit-logs}; a {@code project} parameter is ignored, the path names it.
 */
@Path("/api/v1/projects/{name}/logs")
@Produces(MediaType.APPLICATION_JSON)
public final class ProjectLogsResource {
    private final AuditLog log;
    private final ProjectAccess access;

    public ProjectLogsResource(AuditLog log, ProjectAccess access) {
        this.log = log;
        this.access = access;
    }

    @GET
    public Response list(@PathParam("name") String project, @BeanParam AuditFilter filter,
                         @QueryParam("page") String page, @QueryParam("page_size") String pageSize,
                         @Context SecurityContext security, @Context UriInfo uri) {
        access.require(Caller.of(security), project, Permission.READ_LOGS, "read the audit log");
        return respond(log, filter.toQuery().inProject(project), PageRequest.of(page, pageSize), uri);
    }

    /** One page of the lines {@code query} finds, newest first. */
    static Response respond(AuditLog log, AuditQuery query, PageRequest paging, UriInfo uri) {
        AuditLog.Page found = log.find(query, paging.page(), paging.pageSize());
        return paging.respond(found.entries().stream().map(AuditLine::of).toList(), found.total(), uri);
    }
}
