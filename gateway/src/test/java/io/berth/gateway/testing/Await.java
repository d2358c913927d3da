package io.berth.gateway.testing;

import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waiting for a condition by polling, with a generous bound so that a condition that never comes
 * fails the test instead of hanging the build. The bound is no claim about how fast anything is.
 */
public final class Await {
    private static final long BOUND_NANOS = 30_000_000_000L;

    private Await() {
    }

    /** Polls until the condition holds; fails after 30 s. */
    public static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + BOUND_NANOS;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting: " + what);
            }
        }
    }
}
