package io.berth.admin.api;

import io.berth.store.Inventory;
import io.berth.store.oci.RepositoryName;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** {@code /api/v1/repositories/{name}/artifacts}: the manifests of a repository with their tags, newest first, paged. */
@Path("/api/v1/repositories")
@Produces(MediaType.APPLICATION_JSON)
public final class RepositoriesResource {
    private final Inventory inventory;

    public RepositoriesResource(Inventory inventory) {
        this.inventory = inventory;
    }

    @GET
    @Path("/{name: .+}/artifacts")
    public Response artifacts(@PathParam("name") String name, @QueryParam("page") String page,
                              @QueryParam("page_size") String pageSize, @Context UriInfo uri) {
        PageRequest paging = PageRequest.of(page, pageSize);
        return paging.respond(inventory.artifacts(RepositoryName.parse(name), paging.page(), paging.pageSize()), uri);
    }
}
