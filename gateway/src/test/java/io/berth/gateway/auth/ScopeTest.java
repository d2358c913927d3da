package io.berth.gateway.auth;

import io.berth.store.oci.RepositoryName;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.berth.gateway.auth.Action.PULL;
import static io.berth.gateway.auth.Action.PUSH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Scopes print as the Docker token spec writes them, which a token service will receive and echo. */
class ScopeTest {

    @Test
    void repositoryScope_printsTypeNameAndActionsInTheSpecsOrder() {
        assertEquals("repository:team/app:pull,push",
                Scope.repository(RepositoryName.parse("team/app"), PUSH, PULL).toString());
        assertEquals("repository:app:delete", Scope.repository(RepositoryName.parse("app"), Action.DELETE).toString());
    }

    @Test
    void catalogScope_isRegistryCatalogStar() {
        assertEquals("registry:catalog:*", Scope.catalog().toString());
    }

    @Test
    void scopeWithoutActions_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Scope("repository", "app", Set.of()));
    }
}
