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
import io.berth.gateway.auth.projects.ProxyProjects;
import io.berth.store.Inventory;
import io.berth.store.content.ProjectKind;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.ProjectRow;
import io.berth.store.proxy.ProxySettings;
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

import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code /api/v1/projects}: the projects a caller may see (public ones, their own; all for a system
 * admin), creating them (the creator becomes project admin; a proxy project of a registry endpoint
 * only by a system admin), their visibility, proxy settings and whether they accept sparse indexes, deleting empty ones, and their
 * repositories. Paged listings. Every change is reported to {@link #changed}, so that the registry
 * in this process routes and serves the project as it now is.
 */
@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ProjectsResource {
    /**
     * Creates a project for a caller allowed to: with them as its admin, or without members when
     * nobody signs in; a proxy project when {@code proxy} is not null.
     */
    @FunctionalInterface
    public interface Creator {
        void create(String name, boolean isPublic, ProxySettings proxy, Principal creator, io.berth.store.Caller actor);
    }

    private final Inventory inventory;
    private final Projects projects;
    private final ProxyProjects proxies;
    private final ProjectAccess access;
    private final Creator creator;
    private final Grants.ProjectCreation creation;
    private final Consumer<String> changed;

    /** @param changed told the name of each project created, changed or deleted, once the change is made */
    public ProjectsResource(Inventory inventory, Projects projects, ProxyProjects proxies, ProjectAccess access,
                            Creator creator, Grants.ProjectCreation creation, Consumer<String> changed) {
        this.inventory = inventory;
        this.projects = projects;
        this.proxies = proxies;
        this.access = access;
        this.creator = creator;
        this.creation = creation;
        this.changed = changed;
    }

    @GET
    @PermitAnonymous
    public Response list(@QueryParam("page") String page, @QueryParam("page_size") String pageSize,
                         @Context SecurityContext security, @Context UriInfo uri) {
        PageRequest paging = PageRequest.of(page, pageSize);
        Projects.Listing listing = projects.list(Grants.visibleProjects(Caller.of(security)), paging.page(),
                paging.pageSize());
        Map<String, ProxySettings> proxied = listing.projects().stream().anyMatch(p -> isProxy(p))
                ? proxies.all() : Map.of();
        return paging.respond(listing.projects().stream().map(p -> ProjectView.of(p, proxied.get(p.name()))).toList(),
                listing.total(), uri);
    }

    @POST
    public Response create(@NotNull ProjectRequest body, @Context SecurityContext security, @Context UriInfo uri) {
        Principal who = Caller.of(security);
        Refusals.require(Grants.mayCreateProjects(who, creation), who, "create projects (auth.projectCreation is '"
                + creation.wireName() + "')");
        String name = Fields.required(body.name(), "name");
        ProxySettings proxy = null;
        if (body.proxy() != null) {
            Refusals.require(Grants.mayManageProxies(who), who, "create proxy projects (system admins only)");
            proxy = body.proxy().toNewSettings();
        }
        try {
            creator.create(name, Boolean.TRUE.equals(body.isPublic()), proxy, who, Caller.actor(security));
            if (Boolean.TRUE.equals(body.allowSparseIndexes())) {
                projects.as(Caller.actor(security)).setAllowSparseIndexes(name, true);
            }
        } finally {
            changed.accept(name);
        }
        return Response.created(uri.getAbsolutePathBuilder().path(name).build()).entity(view(name)).build();
    }

    @GET
    @Path("/{name}")
    @PermitAnonymous
    public ProjectView get(@PathParam("name") String name, @Context SecurityContext security) {
        access.requireVisible(Caller.of(security), name);
        return view(name);
    }

    /**
     * Changes whether the project is public (its project admin) and what a proxy project mirrors and
     * how (a system admin); the proxy settings are checked and changed first, so a refused change
     * changes nothing.
     */
    @PUT
    @Path("/{name}")
    public ProjectView update(@PathParam("name") String name, @NotNull ProjectRequest body,
                              @Context SecurityContext security) {
        Principal who = Caller.of(security);
        access.require(who, name, Permission.UPDATE_PROJECT, "change the settings");
        if (body.name() != null && !body.name().equals(name)) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "a project cannot be renamed: leave out 'name' or"
                    + " give '" + name + "'");
        }
        if (body.isPublic() == null && body.proxy() == null && body.allowSparseIndexes() == null) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "give 'public', 'proxy', 'allowSparseIndexes' or"
                    + " several: the settings to change");
        }
        try {
            if (body.proxy() != null) {
                Refusals.require(Grants.mayManageProxies(who), who, "change what proxy project '" + name
                        + "' mirrors (system admins only)");
                ProxySettings current = proxies.settings(name).orElseThrow(() -> new RegistryException(
                        ErrorCode.CONFLICT, "project '" + name + "' is a local project, which cannot become a proxy"
                        + " project: create a new project with \"proxy\" settings"));
                proxies.as(Caller.actor(security)).change(name, body.proxy().merge(current));
            }
            if (body.isPublic() != null) {
                projects.as(Caller.actor(security)).setPublic(name, body.isPublic());
            }
            if (body.allowSparseIndexes() != null) {
                projects.as(Caller.actor(security)).setAllowSparseIndexes(name, body.allowSparseIndexes());
            }
        } finally {
            changed.accept(name);
        }
        return view(name);
    }

    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name, @Context SecurityContext security) {
        access.require(Caller.of(security), name, Permission.DELETE_PROJECT, "delete the project");
        try {
            projects.as(Caller.actor(security)).delete(name);
        } finally {
            changed.accept(name);
        }
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

    private ProjectView view(String name) {
        ProjectRow row = projects.get(name);
        return ProjectView.of(row, isProxy(row) ? proxies.settings(name).orElse(null) : null);
    }

    private static boolean isProxy(ProjectRow row) {
        return ProjectKind.fromDb(row.kind()) == ProjectKind.PROXY;
    }
}
