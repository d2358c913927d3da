package io.berth.admin.api;

import io.berth.admin.api.access.Caller;
import io.berth.admin.api.access.ProjectAccess;
import io.berth.admin.api.json.Fields;
import io.berth.admin.api.json.MemberRequest;
import io.berth.admin.api.json.MemberView;
import io.berth.gateway.auth.Permission;
import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.members.Member;
import io.berth.gateway.auth.members.Members;
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
 * {@code /api/v1/projects/{name}/members}: who belongs to a project with which role (Harbor's
 * names). Guests and up may list them; project admins add, change and remove them. A member is
 * addressed by a user's name, or a directory group's DN or name.
 */
@Path("/api/v1/projects/{name}/members")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class MembersResource {
    private final Members members;
    private final ProjectAccess access;

    public MembersResource(Members members, ProjectAccess access) {
        this.members = members;
        this.access = access;
    }

    @GET
    public Response list(@PathParam("name") String project, @QueryParam("page") String page,
                         @QueryParam("page_size") String pageSize, @Context SecurityContext security,
                         @Context UriInfo uri) {
        access.require(Caller.of(security), project, Permission.LIST_MEMBERS, "list the members");
        PageRequest paging = PageRequest.of(page, pageSize);
        Members.Listing listing = members.list(project, paging.page(), paging.pageSize());
        return paging.respond(listing.members().stream().map(MemberView::of).toList(), listing.total(), uri);
    }

    @POST
    public Response add(@PathParam("name") String project, @NotNull MemberRequest body,
                        @Context SecurityContext security, @Context UriInfo uri) {
        access.require(Caller.of(security), project, Permission.MANAGE_MEMBERS, "add members");
        Role role = Role.parse(Fields.required(body.role(), "role"));
        if ((body.username() == null) == (body.group() == null)) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "give either 'username' (a user) or 'group' (a"
                    + " directory group's DN or name), not both or neither");
        }
        Member member = body.username() != null ? members.as(Caller.actor(security)).addUser(project, body.username(), role)
                : members.as(Caller.actor(security)).addGroup(project, body.group(), role);
        String key = member.username() != null ? member.username() : member.group();
        return Response.created(uri.getAbsolutePathBuilder().path("{member}").build(key)).entity(MemberView.of(member))
                .build();
    }

    @PUT
    @Path("/{member}")
    public MemberView changeRole(@PathParam("name") String project, @PathParam("member") String member,
                                 @NotNull MemberRequest body, @Context SecurityContext security) {
        access.require(Caller.of(security), project, Permission.MANAGE_MEMBERS, "change members' roles");
        if (body.username() != null || body.group() != null) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "only the role of a member changes: the path names"
                    + " the member, the body {\"role\": …}");
        }
        return MemberView.of(members.as(Caller.actor(security)).changeRole(project, member, Role.parse(Fields.required(body.role(), "role"))));
    }

    @DELETE
    @Path("/{member}")
    public Response remove(@PathParam("name") String project, @PathParam("member") String member,
                           @Context SecurityContext security) {
        access.require(Caller.of(security), project, Permission.MANAGE_MEMBERS, "remove members");
        members.as(Caller.actor(security)).remove(project, member);
        return Response.noContent().build();
    }
}
