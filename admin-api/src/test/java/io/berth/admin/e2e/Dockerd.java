package io.berth.admin.e2e;

import io.berth.store.testing.Requirements;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A private Docker daemon for one test class: its own data-root, exec-root, unix socket, pidfile
 * and config in a short folder under /tmp (socket paths are limited to about 100 bytes), no
 * networking features, the vfs storage driver, and {@code --insecure-registry} for the registry
 * under test. The docker CLI talks to it through {@code DOCKER_HOST}, with its own
 * {@code DOCKER_CONFIG}. {@link #close()} stops it by its pid and removes everything.
 */
public final class Dockerd implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    private final String docker;
    private final Path dir;
    private final Path log;
    private final Process process;
    private final Map<String, String> cliEnv;

    private Dockerd(String docker, Path dir, Path log, Process process) {
        this.docker = docker;
        this.dir = dir;
        this.log = log;
        this.process = process;
        this.cliEnv = Map.of("DOCKER_HOST", "unix://" + dir.resolve("docker.sock"),
                "DOCKER_CONFIG", dir.resolve("cli").toString());
    }

    /**
     * Starts dockerd trusting {@code insecureRegistry} ({@code host:port}), with {@code extraArgs}
     * (say {@code --registry-mirror URL}), and waits until it answers.
     */
    public static Dockerd start(String insecureRegistry, Path logFile, String... extraArgs) {
        String docker = Requirements.executable("docker");
        String dockerd = Requirements.executable("dockerd");
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "dk");
            Files.writeString(dir.resolve("daemon.json"), "{}");
            Files.createDirectories(dir.resolve("cli"));
            Files.writeString(dir.resolve("cli/config.json"), "{}");
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = List.of(dockerd, "--config-file", dir.resolve("daemon.json").toString(),
                "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
                "-H", "unix://" + dir.resolve("docker.sock"), "--pidfile", dir.resolve("docker.pid").toString(),
                "--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver=vfs",
                "--insecure-registry", insecureRegistry);
        command = new ArrayList<>(command);
        command.addAll(List.of(extraArgs));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            E2e.deleteTree(dir);
            throw new AssertionError("cannot start dockerd: " + e, e);
        }
        Dockerd daemon = new Dockerd(docker, dir, logFile, process);
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
                throw new AssertionError("dockerd exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (Files.exists(dir.resolve("docker.sock"))) {
                last = Proc.run(cli("version", "--format", "{{.Server.Version}}"), cliEnv, Duration.ofSeconds(30));
                if (last.ok()) {
                    return;
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("dockerd did not answer within " + READY_TIMEOUT
                + (last == null ? "" : ":\n" + last.describe()) + "\n" + logTail());
    }

    private List<String> cli(String... args) {
        List<String> command = new ArrayList<>();
        command.add(docker);
        command.addAll(List.of(args));
        return command;
    }

    /** Runs the docker CLI against this daemon; fails the test unless it exits 0. */
    public Proc.Result ok(String... args) {
        Proc.Result r = run(args);
        if (!r.ok()) {
            throw new AssertionError(r.describe() + "\n--- dockerd log ---\n" + logTail());
        }
        return r;
    }

    public Proc.Result run(String... args) {
        return Proc.run(cli(args), cliEnv, Proc.DEFAULT_TIMEOUT);
    }

    /**
     * {@code docker login <registry> -u <user> --password-stdin}: the credentials land in this
     * daemon's own {@code DOCKER_CONFIG} (a temp folder), never in the host's. Returns what
     * happened; {@link Proc.Result#assertOk()} when it must succeed.
     */
    public Proc.Result login(String registry, String user, String password) {
        return Proc.run(cli("login", registry, "-u", user, "--password-stdin"), cliEnv, Proc.DEFAULT_TIMEOUT, password);
    }

    /** {@code docker logout <registry>}; fails the test unless it exits 0. */
    public Proc.Result logout(String registry) {
        return ok("logout", registry);
    }

    /** The CLI's config.json, where {@code docker login} keeps credentials. */
    public Path cliConfig() {
        return dir.resolve("cli/config.json");
    }

    public long pid() {
        return process.pid();
    }

    public String logTail() {
        return Proc.tail(log, 40);
    }

    /** Stops dockerd by its pid (SIGTERM, SIGKILL after a minute, with what it started), unmounts, deletes. */
    @Override
    public void close() {
        try {
            boolean clean = Proc.terminate(process.toHandle(), Duration.ofSeconds(60));
            Files.writeString(log, "==== dockerd pid " + process.pid() + (clean ? " stopped by SIGTERM" : " killed after 60 s") + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cannot append to " + log + ": " + e);
        } finally {
            E2e.unmountBelow(dir);
            E2e.deleteTree(dir);
        }
    }
}
