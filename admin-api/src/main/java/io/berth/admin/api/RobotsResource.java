package io.berth.admin.api;

import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.ProjectAccess;
import io.berth.admin.api.access.Refusals;
import io.berth.admin.api.json.Fields;
import io.berth.admin.api.json.RobotRequest;
import io.berth.admin.api.json.RobotView;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Permission;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.robots.Robot;
import io.berth.gateway.auth.robots.Robots;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
 * {@code /api/v1/robots}: robot accounts for CI and clusters. A project's robots are managed by its
 * admins and listed by its maintainers too (Harbor's roles); system robots by system admins. A
 * secret is shown once, by the creation or the rotation ({@code PATCH}) that made it.
 */
@Path("/api/v1/robots")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class RobotsResource {
    private final Robots robots;
    private final ProjectAccess access;

    public RobotsResource(Robots robots, ProjectAccess access) {
        this.robots = robots;
        this.access = access;
    }

    /** Without {@code project}: every robot, for system admins; with it: that project's robots. */
    @GET
    public Response list(@QueryParam("project") String project, @QueryParam("page") String page,
                         @QueryParam("page_size") String pageSize, @Context SecurityContext security,
                         @Context UriInfo uri) {
        Principal who = Caller.of(security);
        if (project == null) {
            Refusals.require(Grants.mayManageSystemRobots(who), who, "list every robot (add ?project=<name> for a"
                    + " project's)");
        } else {
            access.require(who, project, Permission.LIST_ROBOTS, "list the robots");
        }
        PageRequest paging = PageRequest.of(page, pageSize);
        Robots.Listing listing = robots.list(project, paging.page(), paging.pageSize());
        return paging.respond(listing.robots().stream().map(RobotView::of).toList(), listing.total(), uri);
    }

    @POST
    public Response create(@NotNull RobotRequest body, @Context SecurityContext security, @Context UriInfo uri) {
        Principal who = Caller.of(security);
        requireManage(who, body.project());
        if (body.disabled() != null) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "a robot starts enabled: disable it with PUT"
                    + " /api/v1/robots/{id} afterwards");
        }
        Robots.Created created = robots.as(Caller.actor(security)).create(Fields.required(body.name(), "name"), body.project(),
                body.description(), body.expiresInDays(), RobotPermissions.parse(Fields.required(body.permissions(),
                        "permissions")));
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.robot().id())).build())
                .entity(RobotView.of(created.robot(), created.secret())).build();
    }

    @GET
    @Path("/{id}")
    public RobotView get(@PathParam("id") String id, @Context SecurityContext security) {
        Principal who = Caller.of(security);
        Robot robot = robots.get(RobotPermissions.id(id));
        if (robot.project() == null) {
            Refusals.require(Grants.mayManageSystemRobots(who), who, "see system robots");
        } else {
            access.require(who, robot.project(), Permission.LIST_ROBOTS, "see the robots");
        }
        return RobotView.of(robot);
    }

    /** Changes the description, disables or enables, and replaces the permissions: each when given. */
    @PUT
    @Path("/{id}")
    public RobotView update(@PathParam("id") String id, @NotNull RobotRequest body, @Context SecurityContext security) {
        long robotId = manageable(id, Caller.of(security)).id();
        if (body.name() != null || body.project() != null || body.expiresInDays() != null) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "a robot's name, project and expiry do not change:"
                    + " give description, disabled or permissions, or create another robot");
        }
        return RobotView.of(robots.as(Caller.actor(security)).update(robotId, body.description(), body.disabled(),
                body.permissions() == null ? null : RobotPermissions.parse(body.permissions())));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id, @Context SecurityContext security) {
        robots.as(Caller.actor(security)).delete(manageable(id, Caller.of(security)).id());
        return Response.noContent().build();
    }

    /** Gives the robot a new secret, shown in this answer only; the old one stops working at once. */
    @PATCH
    @Path("/{id}")
    public RobotView rotate(@PathParam("id") String id, @Context SecurityContext security) {
        Robots.Created rotated = robots.as(Caller.actor(security)).rotate(manageable(id, Caller.of(security)).id());
        return RobotView.of(rotated.robot(), rotated.secret());
    }

    private Robot manageable(String id, Principal who) {
        Robot robot = robots.get(RobotPermissions.id(id));
        requireManage(who, robot.project());
        return robot;
    }

    private void requireManage(Principal who, String project) {
        if (project == null) {
            Refusals.require(Grants.mayManageSystemRobots(who), who, "manage system robots (give 'project' for a"
                    + " project's robot)");
        } else {
            access.require(who, project, Permission.MANAGE_ROBOTS, "manage robots");
        }
    }
}
