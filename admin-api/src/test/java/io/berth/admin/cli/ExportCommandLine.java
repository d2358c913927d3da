package io.berth.admin.cli;

import io.berth.admin.BerthApplication;
import io.berth.admin.BerthConfiguration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code berth export|inventory|verify} in-process, as {@code BerthApplication} sets them up, with the
 * test's standard input and output: what {@code berth ARGS} prints, and the status it would exit with.
 */
final class ExportCommandLine {
    private ExportCommandLine() {
    }

    /** Runs {@code berth args…} with nothing on standard input. */
    static Run run(String... args) {
        return runWithInput("", args);
    }

    /** Runs {@code berth args…} with {@code stdin} on standard input. */
    static Run runWithInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Supplier<InputStream> in = () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        Map<String, String> env = Map.of();
        Bootstrap<BerthConfiguration> bootstrap = new Bootstrap<>(new BerthApplication());
        bootstrap.addCommand(new ExportCommand(env, print, in));
        bootstrap.addCommand(new InventoryCommand(env, print, in));
        bootstrap.addCommand(new VerifyCommand(env, print, in));
        Optional<Throwable> failure = new Cli(new JarLocation(BerthApplication.class), bootstrap, out, err).run(args);
        return new Run(failure.map(ExportCommandException::exitStatus).orElse(0), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /** What a run printed, and its exit status. */
    record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "status=" + status + "\nout: " + out + "\nerr: " + err;
        }
    }
}
