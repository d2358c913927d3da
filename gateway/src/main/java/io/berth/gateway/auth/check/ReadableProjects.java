package io.berth.gateway.auth.check;

import io.berth.gateway.auth.Action;
import io.berth.gateway.auth.Authenticator;
import io.berth.gateway.auth.Grants;
import io.berth.gateway.auth.Principal;
import io.berth.gateway.auth.Scope;
import io.berth.gateway.auth.members.Members;
import io.berth.gateway.auth.projects.ProjectFacts;
import io.berth.gateway.auth.projects.Projects;
import io.berth.gateway.auth.token.VerifiedToken;
import io.berth.store.Readable;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.RepositoryName;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whose content a caller may read, for the store ({@link Readable}): what {@link Grants} lets it
 * pull, worked out only when a handler asks (a mount without {@code from=}, the catalog), never on
 * a plain pull. Blocks on the database when asked.
 * <ul>
 * <li>credentials (Basic, or none): a system admin reads everything; anyone else the public
 * projects and those where they may pull (a user's memberships, a robot's projects);</li>
 * <li>a Bearer token reads no more than it grants: the public projects, and the repositories it
 * grants pull on in projects it is bound to. A token's holder lists the catalog as the token's
 * subject sees it: the catalog scope grants listing, and names are not content.</li>
 * </ul>
 */
public final class ReadableProjects {
    private final Projects projects;
    private final Members members;
    private final Authenticator authenticator;

    public ReadableProjects(Projects projects, Members members, Authenticator authenticator) {
        this.projects = projects;
        this.members = members;
        this.authenticator = authenticator;
    }

    /** What {@code who}, signed in with its credentials, may read; {@code granted} as {@link Readable#of}. */
    public Readable of(Principal who, Set<String> granted) {
        return Grants.mayReadEverything(who) ? Readable.ALL : Readable.of(granted, () -> reach(who));
    }

    /**
     * What the holder of {@code token} may read in a request; for a request that lists the
     * catalog, what its subject may read.
     */
    public Readable ofToken(VerifiedToken token, Set<String> granted, boolean listsCatalog) {
        return Readable.of(granted, listsCatalog ? () -> reach(subject(token.subject())) : () -> tokenReach(token));
    }

    private Readable.Reach reach(Principal who) {
        if (Grants.mayReadEverything(who)) {
            return Readable.Reach.EVERYTHING;
        }
        Set<Long> readable = new HashSet<>(projects.publicIds()); // anyone may pull from a public project
        switch (who) {
            case Principal.User user -> members.memberships(user.name(), List.of()).stream()
                    .filter(m -> Grants.mayRead(Grants.inProject(user, m.project(), m.isPublic(), m.role())))
                    .forEach(m -> readable.add(m.projectId()));
            case Principal.Robot robot -> projects.findAll(robot.actions().keySet()).stream()
                    .filter(p -> Grants.mayRead(Grants.inProject(robot, p.name(), p.isPublic(), null)))
                    .forEach(p -> readable.add(p.id()));
            case Principal.Anonymous anonymous -> {
            }
        }
        return Readable.Reach.ofProjects(readable);
    }

    private Readable.Reach tokenReach(VerifiedToken token) {
        Map<String, Set<String>> pulls = new HashMap<>(); // project -> repositories the token may pull
        for (Scope scope : token.access()) {
            if (scope.type().equals("repository") && scope.actions().contains(Action.PULL)) {
                pulls.computeIfAbsent(RepositoryName.parse(scope.name()).project(), p -> new HashSet<>())
                        .add(scope.name());
            }
        }
        Set<String> repositories = new HashSet<>();
        for (ProjectFacts project : pulls.isEmpty() ? List.<ProjectFacts>of() : projects.findAll(pulls.keySet())) {
            if (token.isFor(project.name(), project.id(), project.createdAt())) {
                repositories.addAll(pulls.get(project.name()));
            }
        }
        return new Readable.Reach(false, projects.publicIds(), repositories);
    }

    /** A token's subject as it is now; anonymous when there is none, or it is gone. */
    private Principal subject(String name) {
        if (name.isEmpty()) {
            return new Principal.Anonymous();
        }
        try {
            return authenticator.account(name);
        } catch (RegistryException e) {
            if (e.code() != ErrorCode.UNAUTHORIZED) {
                throw e;
            }
            return new Principal.Anonymous();
        }
    }
}
