package io.berth.admin.api;

import io.berth.store.Inventory;
import io.berth.store.meta.ProjectRow;
import io.berth.store.meta.RepositoryRow;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** {@code /api/v1/projects}: projects and their repositories, read-only for now. */
@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
public final class ProjectsResource {
    private final Inventory inventory;

    public ProjectsResource(Inventory inventory) {
        this.inventory = inventory;
    }

    @GET
    public List<ProjectRow> list() {
        return inventory.projects();
    }

    @GET
    @Path("/{project}/repositories")
    public List<RepositoryRow> repositories(@PathParam("project") String project) {
        return inventory.repositories(project).orElseThrow(
                () -> new NotFoundException("project '" + project + "' does not exist; GET /api/v1/projects lists them"));
    }
}
