package io.berth.admin.e2e;

import io.berth.store.testing.Requirements;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A private containerd for one test class: its own root, state, sockets and config in a short
 * folder under /tmp (socket paths are limited to about 100 bytes), without the CRI plugin, driven
 * with {@code ctr --address <socket>} in a namespace of its own. {@link #close()} stops it by its
 * pid, unmounts what it left and removes everything.
 */
public final class Containerd implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(1);
    private static final String NAMESPACE = "berth-e2e";

    private final String ctr;
    private final Path dir;
    private final Path log;
    private final Process process;

    private Containerd(String ctr, Path dir, Path log, Process process) {
        this.ctr = ctr;
        this.dir = dir;
        this.log = log;
        this.process = process;
    }

    /** Starts containerd and waits until {@code ctr version} reaches it. */
    public static Containerd start(Path logFile) {
        String containerd = Requirements.executable("containerd");
        String ctr = Requirements.executable("ctr");
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "ctd");
            Files.writeString(dir.resolve("config.toml"), String.join("\n",
                    "version = 2",
                    "root = \"" + dir.resolve("root") + "\"",
                    "state = \"" + dir.resolve("state") + "\"",
                    "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]",
                    "[grpc]",
                    "  address = \"" + dir.resolve("c.sock") + "\"",
                    "[ttrpc]",
                    "  address = \"" + dir.resolve("t.sock") + "\"",
                    "[plugins.\"io.containerd.internal.v1.opt\"]",
                    "  path = \"" + dir.resolve("opt") + "\"",
                    ""));
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process process;
        try {
            process = new ProcessBuilder(containerd, "--config", dir.resolve("config.toml").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            E2e.deleteTree(dir);
            throw new AssertionError("cannot start containerd: " + e, e);
        }
        Containerd daemon = new Containerd(ctr, dir, logFile, process);
        try {
            daemon.awaitReady();
        } catch (RuntimeException | Error e) {
            daemon.close();
            throw e;
        }
        return daemon;
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        Proc.Result last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("containerd exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (Files.exists(dir.resolve("c.sock"))) {
                last = run("version");
                if (last.ok()) {
                    return;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("containerd did not answer within " + READY_TIMEOUT
                + (last == null ? "" : ":\n" + last.describe()) + "\n" + logTail());
    }

    /** {@code ctr --address <socket> --namespace berth-e2e <args>}; returns what happened. */
    public Proc.Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(ctr, "--address", dir.resolve("c.sock").toString(),
                "--namespace", NAMESPACE));
        command.addAll(List.of(args));
        return Proc.run(command, Map.of(), Proc.DEFAULT_TIMEOUT);
    }

    /** The same; fails the test, with containerd's log, unless ctr exits 0. */
    public Proc.Result ok(String... args) {
        Proc.Result r = run(args);
        if (!r.ok()) {
            throw new AssertionError(r.describe() + "\n--- containerd log ---\n" + logTail());
        }
        return r;
    }

    public String logTail() {
        return Proc.tail(log, 40);
    }

    /** Stops containerd by its pid (SIGTERM, SIGKILL after 30 s), unmounts what is left below its folder, deletes it. */
    @Override
    public void close() {
        try {
            boolean clean = Proc.terminate(process.toHandle(), Duration.ofSeconds(30));
            Files.writeString(log, "==== containerd pid " + process.pid() + (clean ? " stopped by SIGTERM" : " killed after 30 s")
                    + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cannot append to " + log + ": " + e);
        } finally {
            E2e.unmountBelow(dir);
            E2e.deleteTree(dir);
        }
    }
}
