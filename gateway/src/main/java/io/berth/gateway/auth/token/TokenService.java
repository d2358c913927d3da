package io.berth.gateway.auth.token;

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

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the token endpoint hands out: for a signed-in (or anonymous) caller and the scopes a client
 * asked for, a token granting, per scope, the intersection of the actions asked and those the
 * caller holds ({@link Grants}); scopes with nothing granted are left out, never refused, as the
 * token spec has it (the registry then answers 401/403 for what is missing). Blocks on the database.
 */
public final class TokenService {
    private final Tokens tokens;
    private final Projects projects;
    private final Members members;
    private final Grants.ProjectCreation creation;
    private final boolean autoCreateProjects;

    /**
     * @param creation           who may create projects
     * @param autoCreateProjects whether a push into a project that does not exist creates it
     */
    public TokenService(Tokens tokens, Projects projects, Members members, Grants.ProjectCreation creation,
                        boolean autoCreateProjects) {
        this.tokens = tokens;
        this.projects = projects;
        this.members = members;
        this.creation = creation;
        this.autoCreateProjects = autoCreateProjects;
    }

    /** A token for {@code who} with what of {@code asked} it may have. */
    public IssuedToken issue(Principal who, List<Scope> asked) {
        List<Scope> granted = new ArrayList<>();
        for (Scope scope : asked) {
            grant(who, scope).ifPresent(granted::add);
        }
        return tokens.issue(who.name(), granted);
    }

    private Optional<Scope> grant(Principal who, Scope scope) {
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
}
