package io.berth.admin.api;

import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.PermitAnonymous;
import io.berth.admin.api.access.ProjectAccess;
import io.berth.gateway.auth.Permission;
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
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

/** {@code /api/v1/repositories/{name}/artifacts}: the manifests of a repository with their tags, newest first, paged. */
@Path("/api/v1/repositories")
@Produces(MediaType.APPLICATION_JSON)
public final class RepositoriesResource {
    private final Inventory inventory;
    private final ProjectAccess access;

    public RepositoriesResource(Inventory inventory, ProjectAccess access) {
        this.inventory = inventory;
        this.access = access;
    }

    @GET
    @Path("/{name: .+}/artifacts")
    @PermitAnonymous
    public Response artifacts(@PathParam("name") String name, @QueryParam("page") String page,
                              @QueryParam("page_size") String pageSize, @Context SecurityContext security,
                              @Context UriInfo uri) {
        RepositoryName repository = RepositoryName.parse(name);
        access.require(Caller.of(security), repository.project(), Permission.LIST_ARTIFACTS, "list the artifacts");
        PageRequest paging = PageRequest.of(page, pageSize);
        return paging.respond(inventory.artifacts(repository, paging.page(), paging.pageSize()), uri);
    }
}
