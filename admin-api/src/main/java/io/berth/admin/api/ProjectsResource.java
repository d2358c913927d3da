package io.berth.admin.api;

import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.PermitAnonymous;
import io.berth.admin.api.access.ProjectAccess;
import io.berth.admin.api.access.Refusals;
import io.berth.admin.api.json.Fields;
import io.berth.admin.api.json.ProjectRequest;
import io.berth.admin.api.json.ProjectView;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Permission;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.projects.Projects;
import io.berth.store.Inventory;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
 * {@code /api/v1/projects}: the projects a caller may see (public ones, their own; all for a system
 * admin), creating them (the creator becomes project admin), their visibility, deleting empty
 * ones, and their repositories. Paged listings.
 */
@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ProjectsResource {
    /** Creates a project for a caller allowed to: with them as its admin, or without members when nobody signs in. */
    @FunctionalInterface
    public interface Creator {
        void create(String name, boolean isPublic, Principal creator, io.berth.store.Caller actor);
    }

    private final Inventory inventory;
    private final Projects projects;
    private final ProjectAccess access;
    private final Creator creator;
    private final Grants.ProjectCreation creation;

    public ProjectsResource(Inventory inventory, Projects projects, ProjectAccess access, Creator creator,
                            Grants.ProjectCreation creation) {
        this.inventory = inventory;
        this.projects = projects;
        this.access = access;
        this.creator = creator;
        this.creation = creation;
    }

    @GET
    @PermitAnonymous
    public Response list(@QueryParam("page") String page, @QueryParam("page_size") String pageSize,
                         @Context SecurityContext security, @Context UriInfo uri) {
        PageRequest paging = PageRequest.of(page, pageSize);
        Projects.Listing listing = projects.list(Grants.visibleProjects(Caller.of(security)), paging.page(),
                paging.pageSize());
        return paging.respond(listing.projects().stream().map(ProjectView::of).toList(), listing.total(), uri);
    }

    @POST
    public Response create(@NotNull ProjectRequest body, @Context SecurityContext security, @Context UriInfo uri) {
        Principal who = Caller.of(security);
        Refusals.require(Grants.mayCreateProjects(who, creation), who, "create projects (auth.projectCreation is '"
                + creation.wireName() + "')");
        String name = Fields.required(body.name(), "name");
        creator.create(name, Boolean.TRUE.equals(body.isPublic()), who, Caller.actor(security));
        return Response.created(uri.getAbsolutePathBuilder().path(name).build())
                .entity(ProjectView.of(projects.get(name))).build();
    }

    @GET
    @Path("/{name}")
    @PermitAnonymous
    public ProjectView get(@PathParam("name") String name, @Context SecurityContext security) {
        access.requireVisible(Caller.of(security), name);
        return ProjectView.of(projects.get(name));
    }

    @PUT
    @Path("/{name}")
    public ProjectView update(@PathParam("name") String name, @NotNull ProjectRequest body,
                              @Context SecurityContext security) {
        access.require(Caller.of(security), name, Permission.UPDATE_PROJECT, "change the settings");
        if (body.name() != null && !body.name().equals(name)) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "a project cannot be renamed: leave out 'name' or"
                    + " give '" + name + "'");
        }
        projects.as(Caller.actor(security)).setPublic(name, Fields.required(body.isPublic(), "public"));
        return ProjectView.of(projects.get(name));
    }

    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name, @Context SecurityContext security) {
        access.require(Caller.of(security), name, Permission.DELETE_PROJECT, "delete the project");
        projects.as(Caller.actor(security)).delete(name);
        return Response.noContent().build();
    }

    @GET
    @Path("/{name}/repositories")
    @PermitAnonymous
    public Response repositories(@PathParam("name") String name, @QueryParam("page") String page,
                                 @QueryParam("page_size") String pageSize, @Context SecurityContext security,
                                 @Context UriInfo uri) {
        access.require(Caller.of(security), name, Permission.LIST_REPOSITORIES, "list the repositories");
        PageRequest paging = PageRequest.of(page, pageSize);
        return paging.respond(inventory.repositories(name, paging.page(), paging.pageSize()).orElseThrow(
                () -> new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no project named '" + name + "'")),
                uri);
    }
}
