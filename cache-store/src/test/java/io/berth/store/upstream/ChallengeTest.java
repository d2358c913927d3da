package io.berth.store.upstream;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WWW-Authenticate headers as registries send them. */
class ChallengeTest {
    @Test
    void dockerHubBearerChallenge_givesRealmServiceAndScope() {
        Challenge c = Challenge.pick(List.of("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/alpine:pull\"")).orElseThrow();
        assertEquals(new Challenge("bearer", Map.of("realm", "https://auth.docker.io/token",
                "service", "registry.docker.io", "scope", "repository:library/alpine:pull")), c);
    }

    @Test
    void severalChallengesInOneHeader_bearerIsPreferred_andEscapesAreRead() {
        List<Challenge> all = Challenge.parse("Basic realm=\"Registry \\\"R\\\"\", Bearer realm=\"https://r/t\", "
                + "scope=\"repository:a:pull repository:b:pull\"");
        assertEquals(2, all.size());
        assertEquals("Registry \"R\"", all.get(0).param("realm").orElseThrow());
        assertEquals("repository:a:pull repository:b:pull", all.get(1).param("scope").orElseThrow());
        assertTrue(Challenge.pick(List.of("Basic realm=\"x\", Bearer realm=\"y\"")).orElseThrow().isBearer());
    }

    @Test
    void basicOnly_andUnquotedValues() {
        Challenge c = Challenge.pick(List.of("basic realm=registry")).orElseThrow();
        assertTrue(c.isBasic());
        assertEquals("registry", c.param("realm").orElseThrow());
    }

    @Test
    void junk_yieldsNothingToAnswer() {
        assertTrue(Challenge.pick(List.of("", "Negotiate", "\"")).isEmpty());
    }
}
