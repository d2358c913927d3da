package io.berth.gateway.auth;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.berth.gateway.auth.Action.PULL;
import static io.berth.gateway.auth.Action.PUSH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What routes declare they need, worked out from a request's path and query. */
class AccessTest {

    private static Access.Target request(Map<String, String> params, Map<String, String> query) {
        return new Access.Target() {
            @Override
            public String param(String name) {
                return params.get(name);
            }

            @Override
            public String query(String name) {
                return query.get(name);
            }
        };
    }

    private static List<String> scopes(Access access, Map<String, String> params, Map<String, String> query) {
        return access.scopes(request(params, query)).stream().map(Scope::toString).toList();
    }

    private static List<String> optional(Access access, Map<String, String> params, Map<String, String> query) {
        return access.optionalScopes(request(params, query)).stream().map(Scope::toString).toList();
    }

    @Test
    void repositoryAccess_namesTheRepositoryOfThePath() {
        assertEquals(List.of("repository:team/app:pull"),
                scopes(Access.repository(PULL), Map.of("name", "team/app"), Map.of()));
    }

    @Test
    void repositoryAccess_withAnInvalidName_isNameInvalid() {
        RegistryException e = assertThrows(RegistryException.class,
                () -> scopes(Access.repository(PULL), Map.of("name", "Team/App"), Map.of()));
        assertEquals(ErrorCode.NAME_INVALID, e.code());
    }

    @Test
    void mount_needsPushOnTheTarget_andAsksForPullOnTheSourceOptionally() {
        Access uploadStart = Access.repository(PUSH).and(Access.mountSource());
        Map<String, String> target = Map.of("name", "team/app");
        Map<String, String> mount = Map.of("mount", "sha256:" + "a".repeat(64), "from", "base/os");

        assertEquals(List.of("repository:team/app:push"), scopes(uploadStart, target, mount));
        assertEquals(List.of("repository:base/os:pull"), optional(uploadStart, target, mount),
                "without pull on the source, the mount becomes an upload instead of a refusal");
        assertEquals(List.of(), optional(uploadStart, target, Map.of()), "a plain upload reads nothing");
        assertEquals(List.of(), optional(uploadStart, target, Map.of("from", "base/os")), "from without mount is no mount");
        assertEquals(List.of(), optional(uploadStart, target, Map.of("mount", "sha256:" + "a".repeat(64))),
                "a mount without from names no source");
    }

    @Test
    void optionalScopes_combine_andAreNoneUnlessDeclared() {
        Access both = Access.optional(r -> List.of(Scope.catalog())).and(Access.repository(PULL))
                .and(Access.optional(Access.repository(PUSH)));
        Map<String, String> params = Map.of("name", "team/app");

        assertEquals(List.of("repository:team/app:pull"), scopes(both, params, Map.of()));
        assertEquals(List.of("registry:catalog:*", "repository:team/app:push"), optional(both, params, Map.of()));
        assertEquals(List.of(), optional(Access.repository(PULL), params, Map.of()));
    }

    @Test
    void mountFromAnInvalidName_isNameInvalid() {
        RegistryException e = assertThrows(RegistryException.class, () -> optional(Access.mountSource(), Map.of(),
                Map.of("mount", "sha256:" + "a".repeat(64), "from", "../etc")));
        assertEquals(ErrorCode.NAME_INVALID, e.code());
    }

    @Test
    void catalogAndBase_needTheCatalogAndNothing() {
        assertEquals(List.of("registry:catalog:*"), scopes(Access.catalog(), Map.of(), Map.of()));
        assertEquals(List.of(), scopes(Access.none(), Map.of(), Map.of()));
    }
}
