package io.berth.admin.api;

import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.PermitAnonymous;
import io.berth.admin.api.access.ProjectAccess;
import io.berth.admin.api.json.CacheView;
import io.berth.gateway.auth.ChangeTrail;
import io.berth.gateway.auth.Permission;
import io.berth.store.proxy.eviction.PinnedArtifact;
import io.berth.store.proxy.eviction.ProxyCaches;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.time.Clock;

/**
 * A proxy project's cache: {@code GET /api/v1/projects/{name}/cache} (usage, bounds, last eviction),
 * and {@code PUT|DELETE .../repositories/{repository}/artifacts/{reference}/pin}, which keeps an
 * artifact from eviction. The repository is named within the project, slashes and all
 * ({@code library/nginx} in project {@code hub}); the reference is a tag or a digest. Pinning needs
 * what deleting artifacts needs (maintainer, project admin, system admin), and is audited.
 */
@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
public final class ProxyCacheResource {
    private final ProxyCaches caches;
    private final ProjectAccess access;
    private final Clock clock;

    public ProxyCacheResource(ProxyCaches caches, ProjectAccess access, Clock clock) {
        this.caches = caches;
        this.access = access;
        this.clock = clock;
    }

    @GET
    @Path("/{name}/cache")
    @PermitAnonymous
    public CacheView cache(@PathParam("name") String name, @Context SecurityContext security) {
        access.require(Caller.of(security), name, Permission.LIST_ARTIFACTS, "see the cache usage");
        return CacheView.of(caches.status(name));
    }

    @PUT
    @Path("/{name}/repositories/{repository: .+}/artifacts/{reference}/pin")
    public PinnedArtifact pin(@PathParam("name") String name, @PathParam("repository") String repository,
                              @PathParam("reference") String reference, @Context SecurityContext security) {
        access.require(Caller.of(security), name, Permission.DELETE, "pin artifacts");
        return caches.pin(name, repository, reference, true, audit(security, name));
    }

    @DELETE
    @Path("/{name}/repositories/{repository: .+}/artifacts/{reference}/pin")
    public Response unpin(@PathParam("name") String name, @PathParam("repository") String repository,
                          @PathParam("reference") String reference, @Context SecurityContext security) {
        access.require(Caller.of(security), name, Permission.DELETE, "unpin artifacts");
        caches.pin(name, repository, reference, false, audit(security, name));
        return Response.noContent().build();
    }

    private ProxyCaches.PinAudit audit(SecurityContext security, String project) {
        ChangeTrail trail = ChangeTrail.system(clock).by(Caller.actor(security));
        return (h, artifact) -> trail.record(h, "update", "artifact", artifact.repository() + "@" + artifact.digest(),
                project, artifact.pinned() ? "pinned" : "unpinned");
    }
}
