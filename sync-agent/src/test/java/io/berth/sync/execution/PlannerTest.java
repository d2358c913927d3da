package io.berth.sync.execution;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The repositories a name filter spells out, for a source without a catalog (Docker Hub). */
class PlannerTest {
    @Test
    void aPlainName_andAlternatives_areSpelledOut() {
        assertEquals(Optional.of(List.of("library/nginx")), Planner.literal("library/nginx"));
        assertEquals(Optional.of(List.of("library/nginx", "library/redis")), Planner.literal("library/{nginx,redis}"));
        assertEquals(Optional.of(List.of("a/x/1", "a/x/2", "a/y/1", "a/y/2")), Planner.literal("a/{x,y}/{1,2}"));
    }

    @Test
    void wildcards_spellOutNothing() {
        assertEquals(Optional.empty(), Planner.literal("library/*"));
        assertEquals(Optional.empty(), Planner.literal("team/**"));
        assertEquals(Optional.empty(), Planner.literal("library/{nginx,red?s}"));
        assertEquals(Optional.empty(), Planner.literal(""));
    }
}
