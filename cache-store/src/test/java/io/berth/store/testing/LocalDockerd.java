package io.berth.store.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Docker daemon for a cache-store test (the admin-api e2e {@code Dockerd}, cut down):
 * its own data-root, exec-root, socket and CLI config in a short folder under /tmp, no networking
 * features, vfs storage. When docker is missing or the daemon cannot start the test is skipped
 * with a message, unless {@code BERTH_E2E_REQUIRED=1}. {@link #close()} stops it (and what it
 * started) by pid, unmounts what it left below its folder and deletes the folder.
 */
public final class LocalDockerd implements AutoCloseable {
    private static final Duration READY = Duration.ofMinutes(2);
    private static final Duration COMMAND = Duration.ofMinutes(5);

    private final String docker;
    private final Path dir;
    private final Process process;

    private LocalDockerd(String docker, Path dir, Process process) {
        this.docker = docker;
        this.dir = dir;
        this.process = process;
    }

    /** Starts a daemon and waits until it answers, or skips the calling test. */
    public static LocalDockerd start() throws IOException {
        String docker = Requirements.executable("docker");
        String dockerd = Requirements.executable("dockerd");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "dk");
        Files.writeString(dir.resolve("daemon.json"), "{}");
        Files.createDirectories(dir.resolve("cli"));
        Files.writeString(dir.resolve("cli/config.json"), "{}");
        Process process = new ProcessBuilder(dockerd, "--config-file", dir.resolve("daemon.json").toString(),
                "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
                "-H", "unix://" + dir.resolve("docker.sock"), "--pidfile", dir.resolve("docker.pid").toString(),
                "--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver=vfs")
                .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        LocalDockerd daemon = new LocalDockerd(docker, dir, process);
        String why = daemon.awaitReady();
        if (why != null) {
            daemon.close();
            Requirements.unavailable("dockerd cannot start here: " + why);
        }
        return daemon;
    }

    private String awaitReady() throws IOException {
        Instant deadline = Instant.now().plus(READY);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                return "it exited with " + process.exitValue() + ":\n" + logTail();
            }
            if (Files.exists(dir.resolve("docker.sock")) && run("version", "--format", "{{.Server.Version}}").ok()) {
                return null;
            }
            sleep(250);
        }
        return "it did not answer within " + READY + ":\n" + logTail();
    }

    /** What a docker CLI command printed and how it ended. */
    public record Result(List<String> command, int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs the docker CLI against this daemon. */
    public Result run(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(docker));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("DOCKER_HOST", "unix://" + dir.resolve("docker.sock"));
        pb.environment().put("DOCKER_CONFIG", dir.resolve("cli").toString());
        pb.environment().put("DOCKER_BUILDKIT", "0");
        Process p = pb.start();
        try {
            if (!p.waitFor(COMMAND.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return new Result(command, p.exitValue(), output);
    }

    /** Runs the docker CLI and fails the test unless it exits 0; returns its output, trimmed. */
    public String ok(String... args) throws IOException {
        Result r = run(args);
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", r.command()) + " exited " + r.exitCode() + ":\n" + r.output()
                    + "\n--- dockerd log ---\n" + logTail());
        }
        return r.output().trim();
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("dockerd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        unmountBelow();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void unmountBelow() throws IOException {
        String prefix = dir.toString();
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && (f[4].equals(prefix) || f[4].startsWith(prefix + "/"))) {
                mounts.add(f[4]);
            }
        }
        mounts.sort(Comparator.comparingInt(String::length).reversed());
        for (String mount : mounts) {
            try {
                new ProcessBuilder("umount", "-l", mount).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
