package io.berth.admin.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code berth} command line as a user runs it: {@code ./berth <command> …} from the checkout,
 * a process of its own (plain output: not a terminal), signed in to a {@link BerthProcess} as its
 * admin where the command takes {@code --registry}.
 */
final class BerthCli {
    private BerthCli() {
    }

    /** {@code ./berth <args>}; what happened. */
    static Proc.Result run(String... args) {
        return Proc.run(command(args), env(), Proc.DEFAULT_TIMEOUT);
    }

    /** The same; fails the test unless it exits 0. */
    static Proc.Result ok(String... args) {
        return run(args).assertOk();
    }

    /** {@code ./berth <args>} started, its output into {@code log} (for a test that kills it half-way). */
    static Process start(Path log, String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(E2e.repoRoot().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env());
        try {
            return pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + pb.command() + ": " + e, e);
        }
    }

    /** {@code --registry http://host:port --creds admin:password} for {@code berth}. */
    static List<String> registry(BerthProcess berth) {
        return List.of("--registry", "http://" + berth.hostPort(), "--creds", berth.adminCredentials());
    }

    /** {@code command}'s arguments with {@link #registry} after the command word. */
    static String[] at(BerthProcess berth, String command, String... rest) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(registry(berth));
        args.addAll(List.of(rest));
        return args.toArray(String[]::new);
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(E2e.repoRoot().resolve("berth").toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static Map<String, String> env() {
        String home = System.getenv("JAVA_HOME");
        if (home == null && Runtime.version().feature() >= 21) {
            home = System.getProperty("java.home");
        }
        return home == null ? Map.of("TERM", "dumb") : Map.of("JAVA_HOME", home, "TERM", "dumb");
    }

    /** How long a kill test waits for an import to get under way. */
    static final Duration START_WAIT = Duration.ofMinutes(2);
}
