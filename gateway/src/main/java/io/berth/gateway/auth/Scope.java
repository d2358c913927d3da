package io.berth.gateway.auth;

import io.berth.store.oci.RepositoryName;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Access to one resource, in the Docker token spec's terms: a resource type, its name and the
 * actions asked for. {@link #toString()} writes it as the spec does
 * ({@code repository:team/app:pull,push}, {@code registry:catalog:*}), the form a token service
 * receives in {@code scope=} and puts into a {@code WWW-Authenticate} challenge.
 *
 * @param type    the resource type: {@code repository} or {@code registry}
 * @param name    the resource's name: a repository name, or {@code catalog}
 * @param actions what is asked for; never empty
 */
public record Scope(String type, String name, Set<Action> actions) {
    public Scope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("a scope names at least one action");
        }
        actions = Collections.unmodifiableSet(EnumSet.copyOf(actions));
    }

    /** Actions on one repository. */
    public static Scope repository(RepositoryName name, Action... actions) {
        return new Scope("repository", name.value(), Set.of(actions));
    }

    /** Listing the catalog of every repository. */
    public static Scope catalog() {
        return new Scope("registry", "catalog", Set.of(Action.CATALOG));
    }

    @Override
    public String toString() {
        return type + ":" + name + ":" + actions.stream().map(Action::token).collect(Collectors.joining(","));
    }
}
