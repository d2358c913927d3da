package io.berth.admin.api;

import io.berth.store.Inventory;
import io.berth.store.oci.RepositoryName;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** {@code /api/v1/repositories/{name}/artifacts}: the manifests of a repository with their tags. */
@Path("/api/v1/repositories")
@Produces(MediaType.APPLICATION_JSON)
public final class RepositoriesResource {
    private final Inventory inventory;

    public RepositoriesResource(Inventory inventory) {
        this.inventory = inventory;
    }

    @GET
    @Path("/{name: .+}/artifacts")
    public List<Inventory.ArtifactSummary> artifacts(@PathParam("name") String name) {
        return inventory.artifacts(RepositoryName.parse(name));
    }
}
