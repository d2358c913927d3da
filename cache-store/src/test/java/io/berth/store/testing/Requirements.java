package io.berth.store.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.util.Optional;

/**
 * The policy for tests that need something outside the JVM (a client binary, a database): skip
 * with a visible message when it is missing, unless {@code BERTH_E2E_REQUIRED=1}, where a
 * missing requirement fails the test so CI cannot pass without running it.
 */
public final class Requirements {
    private Requirements() {
    }

    public static boolean required() {
        return "1".equals(System.getenv("BERTH_E2E_REQUIRED"));
    }

    /** The path of an executable on the PATH, or skip/fail the calling test. */
    public static String executable(String name) {
        Optional<String> found = findOnPath(name);
        if (found.isEmpty()) {
            unavailable(name + " is not installed (scripts/install-test-deps installs it)");
        }
        return found.get();
    }

    public static Optional<String> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, name);
            if (candidate.isFile() && candidate.canExecute()) {
                return Optional.of(candidate.getAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** Skips the calling test with {@code reason}, or fails it when requirements are enforced. */
    public static void unavailable(String reason) {
        if (required()) {
            Assertions.fail(reason + "; BERTH_E2E_REQUIRED=1 forbids skipping");
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
    }
}
