package io.berth.gateway.auth.check;

import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Permission;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.Role;
import io.berth.gateway.auth.Scope;
import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.projects.ProjectFacts;
import io.berth.gateway.auth.projects.Projects;
import io.berth.store.oci.RepositoryName;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What of a scope a principal is granted, looked up for {@link Grants}: the project's visibility
 * and the principal's role in it. The token service and the registry's own check of Basic
 * credentials both ask here, so a token never grants what a direct check would refuse. Blocks on
 * the database.
 */
public final class ScopeDecisions {
    private final Projects projects;
    private final Members members;
    private final Grants.ProjectCreation creation;
    private final boolean autoCreateProjects;

    /**
     * @param creation           who may create projects
     * @param autoCreateProjects whether a push into a project that does not exist creates it
     */
    public ScopeDecisions(Projects projects, Members members, Grants.ProjectCreation creation,
                          boolean autoCreateProjects) {
        this.projects = projects;
        this.members = members;
        this.creation = creation;
        this.autoCreateProjects = autoCreateProjects;
    }

    /**
     * The part of {@code scope} that {@code who} holds: the intersection of the actions asked and
     * those allowed; empty when nothing is.
     */
    public Optional<Scope> grant(Principal who, Scope scope) {
        if (scope.type().equals("registry")) {
            return Grants.mayListEverything(who) ? Optional.of(scope) : Optional.empty();
        }
        String project = RepositoryName.parse(scope.name()).project();
        Optional<ProjectFacts> facts = projects.find(project);
        Set<Action> actions;
        if (facts.isEmpty()) {
            // A push may create the project (its creator becomes its admin); nothing else is there to do.
            actions = autoCreateProjects && Grants.mayCreateProjects(who, creation)
                    ? Grants.registryActions(scope.actions(), Role.PROJECT_ADMIN.permissions())
                    : EnumSet.noneOf(Action.class);
            actions.retainAll(EnumSet.of(Action.PULL, Action.PUSH));
        } else {
            Role role = who instanceof Principal.User user
                    ? members.roleOf(project, user.name(), List.of()).orElse(null) : null;
            Set<Permission> held = Grants.inProject(who, project, facts.get().isPublic(), role);
            actions = Grants.registryActions(scope.actions(), held);
        }
        return actions.isEmpty() ? Optional.empty() : Optional.of(new Scope(scope.type(), scope.name(), actions));
    }

    /**
     * Before a push that {@link #grant} allowed into a project that does not exist: creates it with
     * the pushing user as its project admin (only users may create projects).
     */
    public void createForPush(Principal who, Scope scope) {
        if (scope.actions().contains(Action.PUSH) && who instanceof Principal.User user) {
            Optional<String> project = projectNameOf(scope);
            if (project.isPresent() && projects.find(project.get()).isEmpty()) {
                members.createProjectFor(project.get(), user.name());
            }
        }
    }

    /** The project a repository scope is in, when it exists. */
    public Optional<ProjectFacts> projectOf(Scope scope) {
        return projectNameOf(scope).flatMap(projects::find);
    }

    /** The name of the project a repository scope is in; empty for other scopes. */
    public Optional<String> projectNameOf(Scope scope) {
        return scope.type().equals("repository")
                ? Optional.of(RepositoryName.parse(scope.name()).project()) : Optional.empty();
    }
}
