package io.berth.gateway.auth;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.RepositoryName;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
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

    /**
     * A scope as a client asks the token service for it ({@code repository:team/app:pull,push},
     * {@code registry:catalog:*}). Empty when it names a resource type or only actions Berth does
     * not know (clients may ask for more than a registry offers); {@code *} on a repository asks for
     * pull, push and delete. A scope that is not {@code type:name:actions}, or names an invalid
     * repository, is refused with 400.
     */
    public static Optional<Scope> parse(String text) {
        int first = text == null ? -1 : text.indexOf(':');
        int last = text == null ? -1 : text.lastIndexOf(':');
        if (first <= 0 || last <= first + 1) {
            throw new RegistryException(ErrorCode.BAD_REQUEST, "scope '" + text + "' is not type:name:actions"
                    + " (for example repository:team/app:pull,push)");
        }
        String type = text.substring(0, first);
        String name = text.substring(first + 1, last);
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (String token : text.substring(last + 1).split(",")) {
            switch (type) {
                case "repository" -> {
                    if (token.equals("*")) {
                        actions.addAll(EnumSet.of(Action.PULL, Action.PUSH, Action.DELETE));
                    } else {
                        Action.of(token).filter(a -> a != Action.CATALOG).ifPresent(actions::add);
                    }
                }
                case "registry" -> {
                    if (name.equals("catalog") && token.equals("*")) {
                        actions.add(Action.CATALOG);
                    }
                }
                default -> {
                }
            }
        }
        if (actions.isEmpty()) {
            return Optional.empty();
        }
        if (type.equals("repository")) {
            try {
                RepositoryName.parse(name);
            } catch (RuntimeException e) {
                throw new RegistryException(ErrorCode.BAD_REQUEST, "scope '" + text + "' names an invalid repository");
            }
        }
        return Optional.of(new Scope(type, name, actions));
    }

    @Override
    public String toString() {
        return type + ":" + name + ":" + actions.stream().map(Action::token).collect(Collectors.joining(","));
    }
}
