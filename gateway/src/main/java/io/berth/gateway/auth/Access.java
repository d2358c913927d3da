package io.berth.gateway.auth;

import io.berth.store.oci.RepositoryName;

import java.util.ArrayList;
import java.util.List;

/**
 * The access a route needs, worked out from a request's path parameters and query before its
 * body is read. A name that is not a valid repository name fails here with {@code NAME_INVALID},
 * so the answer comes from the request head.
 */
@FunctionalInterface
public interface Access {

    /**
     * The scopes the request needs; empty when it needs none beyond being let in at all.
     *
     * @throws io.berth.store.error.RegistryException when a parameter is malformed
     */
    List<Scope> scopes(Target request);

    /** What an access declaration may read of a request. */
    interface Target {
        /** A named group of the route's path pattern, or null. */
        String param(String name);

        /** The first value of a query parameter, or null. */
        String query(String name);
    }

    /** The declaration of {@link #open()}: the dispatcher recognises it by identity. */
    Access OPEN = request -> List.of();

    /**
     * Open to everyone without any check: the token endpoint, which does its own sign-in. The
     * access check does not run; the caller is anonymous.
     */
    static Access open() {
        return OPEN;
    }

    /**
     * No resource: {@code GET /v2/}. The access check still runs, since that is where a client
     * learns whether, and how, to sign in.
     */
    static Access none() {
        return request -> List.of();
    }

    /** {@code actions} on the repository named by the path's {@code name} group. */
    static Access repository(Action... actions) {
        Action[] copy = actions.clone();
        return request -> List.of(Scope.repository(RepositoryName.parse(request.param("name")), copy));
    }

    /** Listing the catalog. */
    static Access catalog() {
        Scope catalog = Scope.catalog();
        return request -> List.of(catalog);
    }

    /**
     * Pull on the source repository of a cross-repository mount ({@code ?mount=<digest>&from=<name>}):
     * mounting a blob reads it out of {@code from}. Nothing when the request is not a mount.
     */
    static Access mountSource() {
        return request -> {
            String from = request.query("from");
            if (request.query("mount") == null || from == null) {
                return List.of();
            }
            return List.of(Scope.repository(RepositoryName.parse(from), Action.PULL));
        };
    }

    /** This access and {@code other}'s. */
    default Access and(Access other) {
        return request -> {
            List<Scope> first = scopes(request);
            List<Scope> second = other.scopes(request);
            if (second.isEmpty()) {
                return first;
            }
            List<Scope> all = new ArrayList<>(first);
            all.addAll(second);
            return List.copyOf(all);
        };
    }
}
