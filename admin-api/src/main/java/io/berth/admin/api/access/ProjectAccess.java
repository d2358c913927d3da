package io.berth.admin.api.access;

import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Permission;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.projects.ProjectFacts;
import io.berth.gateway.auth.projects.Projects;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.List;
import java.util.Set;

/**
 * What a caller may do in a project, looked up for {@link Grants}: whether the project exists
 * (404 first, whoever asks), whether it is public, and the caller's role in it.
 */
public final class ProjectAccess {
    private final Projects projects;
    private final Members members;

    public ProjectAccess(Projects projects, Members members) {
        this.projects = projects;
        this.members = members;
    }

    /**
     * The project, once {@code who} holds {@code needed} in it; 404 when there is none, else 401 or
     * 403 saying what they may not do.
     */
    public ProjectFacts require(Principal who, String project, Permission needed, String doWhat) {
        ProjectFacts facts = find(project);
        Refusals.require(held(who, facts).contains(needed), who, doWhat + " in project '" + project + "'");
        return facts;
    }

    /** The project, once {@code who} may see it at all (public, a member, a robot given actions in it, an admin). */
    public ProjectFacts requireVisible(Principal who, String project) {
        ProjectFacts facts = find(project);
        Refusals.require(Grants.maySee(held(who, facts)), who, "see project '" + project + "'");
        return facts;
    }

    private Set<Permission> held(Principal who, ProjectFacts facts) {
        Role role = who instanceof Principal.User user && !user.sysadmin()
                ? members.roleOf(facts.name(), user.name(), List.of()).orElse(null) : null;
        return Grants.inProject(who, facts.name(), facts.isPublic(), role);
    }

    private ProjectFacts find(String project) {
        return projects.find(project).orElseThrow(() -> new RegistryException(ErrorCode.NO_SUCH_RESOURCE,
                "there is no project named '" + project + "'"));
    }
}
