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
 * The {@code berth} command line in-process, as {@code BerthApplication} sets it up, with an
 * environment, standard input and output of the test's: what {@code berth ARGS} would print, and
 * whether it failed.
 */
final class CommandLine {
    private final Map<String, String> env;

    CommandLine(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Runs {@code berth args…} with nothing on standard input. */
    Run run(String... args) {
        return runWithInput("", args);
    }

    /** Runs {@code berth args…} with {@code stdin} (lines, each a password) on standard input. */
    Run runWithInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Supplier<InputStream> in = () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        Bootstrap<BerthConfiguration> bootstrap = new Bootstrap<>(new BerthApplication());
        bootstrap.addCommand(new UserCommand(env, print, in));
        bootstrap.addCommand(new ProjectCommand(env, print, in));
        bootstrap.addCommand(new RobotCommand(env, print, in));
        bootstrap.addCommand(new RegistryCommand(env, print, in));
        Optional<Throwable> failure = new Cli(new JarLocation(BerthApplication.class), bootstrap, out, err).run(args);
        return new Run(failure, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** What a run printed, and whether it failed (as the process would exit with status 1). */
    record Run(Optional<Throwable> failure, String out, String err) {
        boolean failed() {
            return failure.isPresent();
        }

        @Override
        public String toString() {
            return "failed=" + failed() + "\nout: " + out + "\nerr: " + err;
        }
    }
}
