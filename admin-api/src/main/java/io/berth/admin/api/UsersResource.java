package io.berth.admin.api;

import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.PermitAnonymous;
import io.berth.admin.api.access.Refusals;
import io.berth.admin.api.json.Fields;
import io.berth.admin.api.json.PasswordChange;
import io.berth.admin.api.json.SysadminChange;
import io.berth.admin.api.json.UserRequest;
import io.berth.admin.api.json.UserView;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.users.User;
import io.berth.gateway.auth.users.Users;
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
 * {@code /api/v1/users}: accounts kept by this registry. System admins list, create, delete and
 * promote users; each user reads and changes their own (e-mail, password with the old one); with
 * self-registration on, anyone may create an account that is not an admin's. Passwords go in,
 * never out.
 */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class UsersResource {
    /** The path segment that names the caller's own account, so no user may be called that. */
    static final String CURRENT = "current";

    private final Users users;
    private final boolean selfRegistration;

    public UsersResource(Users users, boolean selfRegistration) {
        this.users = users;
        this.selfRegistration = selfRegistration;
    }

    @GET
    public Response list(@QueryParam("page") String page, @QueryParam("page_size") String pageSize,
                         @Context SecurityContext security, @Context UriInfo uri) {
        Principal who = Caller.of(security);
        Refusals.require(Grants.mayManageUsers(who), who, "list the users");
        PageRequest paging = PageRequest.of(page, pageSize);
        Users.Listing listing = users.list(paging.page(), paging.pageSize());
        return paging.respond(listing.users().stream().map(UserView::of).toList(), listing.total(), uri);
    }

    @POST
    @PermitAnonymous
    public Response create(@NotNull UserRequest body, @Context SecurityContext security, @Context UriInfo uri) {
        Principal who = Caller.of(security);
        Refusals.require(Grants.mayRegister(who, selfRegistration), who, "create users (auth.selfRegistration is off)");
        boolean sysadmin = Boolean.TRUE.equals(body.sysadmin());
        Refusals.require(!sysadmin || Grants.mayManageUsers(who), who, "create a system admin");
        String username = Fields.required(body.username(), "username");
        if (CURRENT.equals(username)) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "'" + CURRENT + "' names the signed-in user in this"
                    + " API: choose another user name");
        }
        User user = users.as(Caller.actor(security)).create(username, Fields.required(body.password(), "password"), body.email(), sysadmin);
        return Response.created(uri.getAbsolutePathBuilder().path(user.username()).build())
                .entity(UserView.of(user)).build();
    }

    @GET
    @Path("/" + CURRENT)
    public UserView current(@Context SecurityContext security) {
        Principal who = Caller.of(security);
        if (!(who instanceof Principal.User user)) {
            throw new RegistryException(ErrorCode.DENIED, "'" + who.name() + "' is a robot account, not a user: it"
                    + " has no profile here (GET /api/v1/robots?project=… shows robots to their project's admins)");
        }
        return UserView.of(users.get(user.name()));
    }

    @GET
    @Path("/{name}")
    public UserView get(@PathParam("name") String name, @Context SecurityContext security) {
        Principal who = Caller.of(security);
        Refusals.require(Grants.mayManageAccount(who, name), who, "read the account '" + name + "'");
        return UserView.of(users.get(name));
    }

    @PUT
    @Path("/{name}")
    public UserView update(@PathParam("name") String name, @NotNull UserRequest body,
                           @Context SecurityContext security) {
        Principal who = Caller.of(security);
        Refusals.require(Grants.mayManageAccount(who, name), who, "change the account '" + name + "'");
        if (body.password() != null || body.sysadmin() != null || body.username() != null && !body.username().equals(name)) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "only the e-mail changes here: the password at PUT"
                    + " /api/v1/users/" + name + "/password, admin rights at …/sysadmin; users are not renamed");
        }
        users.as(Caller.actor(security)).setEmail(name, body.email());
        return UserView.of(users.get(name));
    }

    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name, @Context SecurityContext security) {
        Principal who = Caller.of(security);
        Refusals.require(Grants.mayManageUsers(who), who, "delete users");
        users.as(Caller.actor(security)).delete(name);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{name}/password")
    public Response changePassword(@PathParam("name") String name, @NotNull PasswordChange body,
                                   @Context SecurityContext security) {
        Principal who = Caller.of(security);
        Refusals.require(Grants.mayManageAccount(who, name), who, "change the password of '" + name + "'");
        boolean needsOld = Grants.passwordChangeNeedsOldPassword(who, name);
        if (needsOld && body.oldPassword() == null) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "the field 'oldPassword' is required: give the"
                    + " current password to change it");
        }
        users.as(Caller.actor(security)).changePassword(name, body.oldPassword(), Fields.required(body.newPassword(), "newPassword"), !needsOld);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{name}/sysadmin")
    public UserView setSysadmin(@PathParam("name") String name, @NotNull SysadminChange body,
                                @Context SecurityContext security) {
        Principal who = Caller.of(security);
        Refusals.require(Grants.mayManageUsers(who), who, "change who is a system admin");
        users.as(Caller.actor(security)).setSysadmin(name, Fields.required(body.sysadmin(), "sysadmin"));
        return UserView.of(users.get(name));
    }
}
