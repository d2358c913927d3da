package io.berth.admin.api;

import io.berth.store.Inventory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** {@code /api/v1/projects}: projects and their repositories, paged; read-only for now. */
@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
public final class ProjectsResource {
    private final Inventory inventory;

    public ProjectsResource(Inventory inventory) {
        this.inventory = inventory;
    }

    @GET
    public Response list(@QueryParam("page") String page, @QueryParam("page_size") String pageSize,
                         @Context UriInfo uri) {
        PageRequest paging = PageRequest.of(page, pageSize);
        return paging.respond(inventory.projects(paging.page(), paging.pageSize()), uri);
    }

    @GET
    @Path("/{project}/repositories")
    public Response repositories(@PathParam("project") String project, @QueryParam("page") String page,
                                 @QueryParam("page_size") String pageSize, @Context UriInfo uri) {
        PageRequest paging = PageRequest.of(page, pageSize);
        return paging.respond(inventory.repositories(project, paging.page(), paging.pageSize()).orElseThrow(
                () -> new NotFoundException("project '" + project + "' does not exist; GET /api/v1/projects lists them")),
                uri);
    }
}
