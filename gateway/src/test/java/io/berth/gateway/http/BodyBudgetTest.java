package io.berth.gateway.http;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory budget of request bodies: its reserve, and waiters that always hear of freed memory. */
class BodyBudgetTest {
    private static final int READ = BodyBudget.READ_SIZE;

    @Test
    void streamedBodies_cannotTakeTheReserve_collectedOnesCan() {
        BodyBudget budget = new BodyBudget(8L * READ, 2L * READ);

        assertTrue(budget.tryAcquire(6L * READ, false));
        assertFalse(budget.tryAcquire(1, false), "streams stop where the reserve starts");
        assertTrue(budget.tryAcquire(2L * READ, true), "a manifest still fits");
        assertFalse(budget.tryAcquire(1, true), "and nothing fits past the capacity");

        budget.release(8L * READ);
        assertEquals(0, budget.used());
    }

    @Test
    void waiter_isWokenWhenMemoryIsReleased() {
        BodyBudget budget = new BodyBudget(4L * READ, READ);
        assertTrue(budget.tryAcquire(3L * READ, false));
        AtomicBoolean woken = new AtomicBoolean();

        budget.await(() -> woken.set(true));
        assertEquals(1, budget.waiting());
        budget.release(READ);

        assertTrue(woken.get());
        assertEquals(0, budget.waiting());
    }
}
