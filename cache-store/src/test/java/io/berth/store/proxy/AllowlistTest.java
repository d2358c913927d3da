package io.berth.store.proxy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which upstream repositories a proxy project's allowlist lets through. */
class AllowlistTest {
    @Test
    void empty_allowsEverything() {
        assertTrue(Allowlist.of(List.of()).allows("anything/at/all"));
    }

    @Test
    void singleStar_staysWithinOneSegment() {
        Allowlist official = Allowlist.of(List.of("library/*"));

        assertTrue(official.allows("library/nginx"));
        assertFalse(official.allows("library/nginx/extra"));
        assertFalse(official.allows("bitnami/redis"));
    }

    @Test
    void doubleStar_spansSegments() {
        Allowlist team = Allowlist.of(List.of("team/**"));

        assertTrue(team.allows("team/a/b/c"));
        assertFalse(team.allows("teams/a"));
    }

    @Test
    void questionMark_isOneCharacterAndDotsAreLiteral() {
        Allowlist versions = Allowlist.of(List.of("app.v?"));

        assertTrue(versions.allows("app.v1"));
        assertFalse(versions.allows("appxv1"));
        assertFalse(versions.allows("app.v12"));
    }

    @Test
    void regex_matchesTheWholeName() {
        Allowlist regex = Allowlist.of(List.of("regex:(library|bitnami)/[a-z]+"));

        assertTrue(regex.allows("bitnami/redis"));
        assertFalse(regex.allows("bitnami/redis2"));
    }

    @Test
    void invalidRegex_matchesNothingInsteadOfEverything() {
        Allowlist broken = Allowlist.of(List.of("regex:(unclosed"));

        assertFalse(broken.allows("(unclosed"));
        assertFalse(broken.allows("library/nginx"));
    }
}
