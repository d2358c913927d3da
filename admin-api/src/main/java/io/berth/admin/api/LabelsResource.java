package io.berth.admin.api;

import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.ProjectAccess;
import io.berth.admin.api.json.ArtifactLabels;
import io.berth.admin.api.json.Fields;
import io.berth.admin.api.json.LabelRequest;
import io.berth.gateway.auth.Permission;
import io.berth.store.label.LabeledArtifact;
import io.berth.store.label.Labels;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Labels on an artifact: {@code POST /api/v1/repositories/{name}/artifacts/{reference}/labels}
 * with {@code {"name":"prod"}} puts one on (creating it in the project the first time; 201, or 200
 * when the artifact had it), {@code DELETE .../labels/{label}} takes it off (204). The reference is a
 * tag or a digest. Labelling needs what deleting artifacts needs (maintainer, project admin, system
 * admin). Each change is an event, which the audit log and event-based replication follow.
 */
@Path("/api/v1/repositories")
@Produces(MediaType.APPLICATION_JSON)
public final class LabelsResource {
    private final Labels labels;
    private final ProjectAccess access;

    public LabelsResource(Labels labels, ProjectAccess access) {
        this.labels = labels;
        this.access = access;
    }

    @POST
    @Path("/{name: .+}/artifacts/{reference}/labels")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(@PathParam("name") String name, @PathParam("reference") String reference,
                        @NotNull LabelRequest body, @Context SecurityContext security) {
        RepositoryName repository = RepositoryName.parse(name);
        access.require(Caller.of(security), repository.project(), Permission.DELETE, "label artifacts");
        LabeledArtifact labeled = labels.add(repository, Reference.parse(reference),
                Fields.required(body.name(), "name"), Caller.actor(security));
        return Response.status(labeled.changed() ? Response.Status.CREATED : Response.Status.OK)
                .entity(ArtifactLabels.of(labeled)).build();
    }

    @DELETE
    @Path("/{name: .+}/artifacts/{reference}/labels/{label}")
    public Response remove(@PathParam("name") String name, @PathParam("reference") String reference,
                           @PathParam("label") String label, @Context SecurityContext security) {
        RepositoryName repository = RepositoryName.parse(name);
        access.require(Caller.of(security), repository.project(), Permission.DELETE, "remove labels from artifacts");
        labels.remove(repository, Reference.parse(reference), label, Caller.actor(security));
        return Response.noContent().build();
    }
}
