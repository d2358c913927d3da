package io.berth.gateway.auth;

import io.berth.store.oci.RepositoryName;

import java.util.ArrayList;
import java.util.List;

/**
 * The access a route needs, worked out from a request's path parameters and query before its
 * body is read. A name that is not a valid repository name fails here with {@code NAME_INVALID},
 * so the answer comes from the request head.
 *
 * <p>Besides the scopes a request needs, a route may ask for {@linkplain #optionalScopes optional}
 * ones: the access check grants them or not but never refuses the request for them, and the
 * handler learns what was granted from its caller's {@link io.berth.store.Readable}.
 */
@FunctionalInterface
public interface Access {

    /**
     * The scopes the request needs; empty when it needs none beyond being let in at all.
     *
     * @throws io.berth.store.error.RegistryException when a parameter is malformed
     */
    List<Scope> scopes(Target request);

    /**
     * Scopes the request could use but may go on without (a mount's source: without pull on it,
     * the mount becomes an upload). None unless declared.
     *
     * @throws io.berth.store.error.RegistryException when a parameter is malformed
     */
    default List<Scope> optionalScopes(Target request) {
        return List.of();
    }

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
     * Pull on the source repository of a cross-repository mount ({@code ?mount=<digest>&from=<name>}),
     * optionally: mounting a blob reads it out of {@code from}, and a caller who may not read it
     * uploads the blob instead (as the spec allows), rather than being refused. Nothing when the
     * request is not a mount.
     */
    static Access mountSource() {
        return optional(request -> {
            String from = request.query("from");
            if (request.query("mount") == null || from == null) {
                return List.of();
            }
            return List.of(Scope.repository(RepositoryName.parse(from), Action.PULL));
        });
    }

    /** {@code scopes} of a request, asked for {@linkplain #optionalScopes optionally}. */
    static Access optional(Access scopes) {
        return new Access() {
            @Override
            public List<Scope> scopes(Target request) {
                return List.of();
            }

            @Override
            public List<Scope> optionalScopes(Target request) {
                return scopes.scopes(request);
            }
        };
    }

    /** This access and {@code other}'s, needed and optional alike. */
    default Access and(Access other) {
        Access first = this;
        return new Access() {
            @Override
            public List<Scope> scopes(Target request) {
                return concat(first.scopes(request), other.scopes(request));
            }

            @Override
            public List<Scope> optionalScopes(Target request) {
                return concat(first.optionalScopes(request), other.optionalScopes(request));
            }
        };
    }

    private static List<Scope> concat(List<Scope> first, List<Scope> second) {
        if (second.isEmpty()) {
            return first;
        }
        if (first.isEmpty()) {
            return second;
        }
        List<Scope> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
