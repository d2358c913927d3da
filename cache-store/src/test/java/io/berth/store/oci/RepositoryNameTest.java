package io.berth.store.oci;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RepositoryNameTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "library",
            "library/alpine",
            "team/sub/group/app",
            "a",
            "my-app",
            "my--app",
            "my_app",
            "my__app",
            "my.app",
            "v1.2/x0-9"
    })
    void parse_validName_keepsItVerbatim(String text) {
        assertEquals(text, RepositoryName.parse(text).value());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "../x",
            "library/../etc",
            "./x",
            "Library/alpine", // uppercase
            "library/Alpine",
            "library//alpine", // empty component
            "/library", // leading separator
            "library/", // trailing separator
            "library/alpine/",
            "-library", // component must start alphanumeric
            "library-",
            "library/.hidden",
            "my___app", // three underscores are not a separator
            "my..app",
            "my_-app",
            "library alpine",
            "library:latest",
            "library\\alpine"
    })
    void parse_invalidName_failsWithNameInvalid(String text) {
        RegistryException e = assertThrows(RegistryException.class, () -> RepositoryName.parse(text));

        assertEquals(ErrorCode.NAME_INVALID, e.code());
    }

    @Test
    void parse_nameOfExactly255Characters_isAccepted() {
        String name = "p/" + "a".repeat(253);

        assertEquals(255, RepositoryName.parse(name).value().length());
    }

    @Test
    void parse_nameLongerThan255Characters_failsWithNameInvalid() {
        String name = "p/" + "a".repeat(254);

        RegistryException e = assertThrows(RegistryException.class, () -> RepositoryName.parse(name));

        assertEquals(ErrorCode.NAME_INVALID, e.code());
    }

    @Test
    void project_isTheFirstPathComponent() {
        assertEquals("team", RepositoryName.parse("team/sub/app").project());
        assertEquals("team", RepositoryName.parse("team/app").project());
    }

    @Test
    void project_ofSingleComponentName_isTheWholeName() {
        assertEquals("alpine", RepositoryName.parse("alpine").project());
    }

    @Test
    void compareTo_ordersByName() {
        assertEquals(-1, Integer.signum(RepositoryName.parse("a/b").compareTo(RepositoryName.parse("a/c"))));
        assertEquals(RepositoryName.parse("a/b"), RepositoryName.parse("a/b"));
    }
}
