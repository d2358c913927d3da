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
     * What of {@code scope} {@code who} holds: the intersection of the actions asked and those
     * allowed, with the project the scope is in as it is now (looked up once, for the caller's
     * further use).
     */
    public Decision decide(Principal who, Scope scope) {
        if (scope.type().equals("registry")) {
            return new Decision(Grants.mayListCatalog(who) ? Optional.of(scope) : Optional.empty(), Optional.empty());
        }
        String project = RepositoryName.parse(scope.name()).project();
        Optional<ProjectFacts> facts = projects.find(project);
        Set<Action> actions;
        if (facts.isEmpty()) {
            // A push may create the project (its creator becomes its admin); nothing else is there to do.
            actions = EnumSet.noneOf(Action.class);
            if (autoCreateProjects && Grants.mayCreateProjects(who, creation)) {
                actions.addAll(scope.actions());
                actions.retainAll(EnumSet.of(Action.PULL, Action.PUSH));
            }
        } else {
            Role role = who instanceof Principal.User user
                    ? members.roleOf(project, user.name(), user.groups()).orElse(null) : null;
            Set<Permission> held = Grants.inProject(who, project, facts.get().isPublic(), role);
            actions = Grants.registryActions(scope.actions(), held);
        }
        return new Decision(granted(scope, actions), facts);
    }

    /**
     * What an anonymous caller holds of a repository scope whose project was looked up recently,
     * decided without the database; empty when the project is not at hand (then ask {@link #decide}).
     */
    public Optional<Decision> decideAnonymousFromMemory(Scope scope) {
        Optional<ProjectFacts> facts = rememberedProjectOf(scope);
        if (facts.isEmpty()) {
            return Optional.empty();
        }
        Set<Permission> held = Grants.inProject(new Principal.Anonymous(), facts.get().name(), facts.get().isPublic(),
                null);
        return Optional.of(new Decision(granted(scope, Grants.registryActions(scope.actions(), held)), facts));
    }

    private static Optional<Scope> granted(Scope scope, Set<Action> actions) {
        return actions.isEmpty() ? Optional.empty() : Optional.of(new Scope(scope.type(), scope.name(), actions));
    }

    /**
     * Before a push allowed into a project that {@link Decision#project()} found missing: creates it
     * with the pushing user as its project admin (only users may create projects; nothing when it
     * exists by now).
     */
    public void createForPush(Principal who, Scope scope) {
        if (scope.type().equals("repository") && scope.actions().contains(Action.PUSH)
                && who instanceof Principal.User user) {
            members.createProjectFor(RepositoryName.parse(scope.name()).project(), user.name());
        }
    }

    /** The project a repository scope is in, when it exists. */
    public Optional<ProjectFacts> projectOf(Scope scope) {
        return scope.type().equals("repository")
                ? projects.find(RepositoryName.parse(scope.name()).project()) : Optional.empty();
    }

    /** The project a repository scope is in, when it was looked up recently; never asks the database. */
    public Optional<ProjectFacts> rememberedProjectOf(Scope scope) {
        return scope.type().equals("repository")
                ? projects.remembered(projectOfRepository(scope.name())) : Optional.empty();
    }

    /**
     * The project of a repository scope's name, which was validated when the scope was made: the
     * same as {@link RepositoryName#project()} without validating it again, on the hot path.
     */
    private static String projectOfRepository(String repository) {
        int slash = repository.indexOf('/');
        return slash < 0 ? repository : repository.substring(0, slash);
    }

    /**
     * What a principal holds of a scope.
     *
     * @param granted the actions held of those asked; empty when none
     * @param project the scope's project as it is now; empty when it does not exist (or for the catalog)
     */
    public record Decision(Optional<Scope> granted, Optional<ProjectFacts> project) {
        /** Whether every action of {@code needed} is held. */
        public boolean allows(Scope needed) {
            return granted.isPresent() && granted.get().actions().containsAll(needed.actions());
        }
    }
}
