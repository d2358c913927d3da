package io.berth.gateway.auth;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.RepositoryName;
import org.junit.jupiter.api.Test;

import java.util.Optional;
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

    @Test
    void parse_readsWhatClientsAskFor() {
        assertEquals(Optional.of(Scope.repository(RepositoryName.parse("team/app"), PULL, PUSH)),
                Scope.parse("repository:team/app:pull,push"));
        assertEquals(Optional.of(Scope.catalog()), Scope.parse("registry:catalog:*"));
        assertEquals(Optional.of(Scope.repository(RepositoryName.parse("team/app"), PULL, PUSH, Action.DELETE)),
                Scope.parse("repository:team/app:*"));
    }

    @Test
    void parse_ignoresWhatBerthDoesNotOffer() {
        assertEquals(Optional.empty(), Scope.parse("repository:team/app:frobnicate"));
        assertEquals(Optional.empty(), Scope.parse("repository(plugin):team/app:pull"));
        assertEquals(Optional.empty(), Scope.parse("registry:catalog:pull"));
        assertEquals(Optional.of(Scope.repository(RepositoryName.parse("team/app"), PULL)),
                Scope.parse("repository:team/app:pull,frobnicate"));
    }

    @Test
    void parse_refusesWhatIsNotAScope() {
        for (String bad : new String[]{"", "repository", "repository:team/app", ":team/app:pull",
                "repository::pull", "repository:Team/App:pull"}) {
            RegistryException e = assertThrows(RegistryException.class, () -> Scope.parse(bad), bad);
            assertEquals(ErrorCode.BAD_REQUEST, e.code());
        }
    }
}
