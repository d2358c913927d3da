package io.berth.store;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Manifests being parsed share a bounded amount of heap; past it a push is told to come back. */
class ParseBudgetTest {
    @Test
    void parsesBeyondTheBudget_areRefusedWithRetryAfter_untilOneEnds() {
        ParseBudget budget = new ParseBudget(8L << 20);
        int megabyte = 1 << 20;

        ParseBudget.Permit first = budget.reserve(megabyte / 4); // 16 x 256 KiB = 4 MiB of the 8

        RegistryException refused = assertThrows(RegistryException.class, () -> budget.reserve(megabyte / 2));
        assertEquals(ErrorCode.UNAVAILABLE, refused.code());
        assertEquals("1", refused.headers().get("Retry-After"));
        first.close();
        budget.reserve(megabyte / 2).close();
    }

    @Test
    void aManifestLargerThanTheWholeBudget_stillParsesAlone() {
        ParseBudget budget = new ParseBudget(1L << 20);

        budget.reserve(4 << 20).close();
        budget.reserve(4 << 20).close();
    }

    @Test
    void smallManifests_costAtLeastTheMinimum() {
        ParseBudget budget = new ParseBudget(ParseBudget.MIN_COST * 2L);

        try (ParseBudget.Permit a = budget.reserve(10); ParseBudget.Permit b = budget.reserve(10)) {
            assertThrows(RegistryException.class, () -> budget.reserve(10));
        }
    }
}
