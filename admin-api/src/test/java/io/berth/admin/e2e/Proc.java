package io.berth.admin.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command with a timeout and captures its output (to files, so a chatty
 * command can never block on a full pipe). A command that overruns its timeout is killed by
 * pid, together with every process it started.
 */
public final class Proc {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private Proc() {
    }

    /** What a finished command left behind. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Returns this result when the command exited 0, else fails with its output. */
        public Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError(describe());
            }
            return this;
        }

        public String describe() {
            return "command " + String.join(" ", command) + " exited " + exitCode
                    + "\n--- stdout ---\n" + tail(stdout, 60) + "\n--- stderr ---\n" + tail(stderr, 60);
        }
    }

    public static Result run(List<String> command) {
        return run(command, Map.of(), DEFAULT_TIMEOUT);
    }

    public static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        return run(command, env, timeout, null);
    }

    /**
     * Runs the command with {@code stdin} as its standard input (from a file only its owner may
     * read, deleted afterwards: for a {@code --password-stdin}), or /dev/null when it is null.
     */
    public static Result run(List<String> command, Map<String, String> env, Duration timeout, String stdin) {
        Path out = null;
        Path err = null;
        Path in = null;
        try {
            out = Files.createTempFile("berth-e2e-out", ".txt");
            err = Files.createTempFile("berth-e2e-err", ".txt");
            if (stdin != null) {
                in = Files.createTempFile("berth-e2e-in", ".txt",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(in, stdin, StandardCharsets.UTF_8);
            }
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(in != null ? in.toFile() : Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(env);
            Process process = pb.start();
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                killTree(process.toHandle(), Duration.ofSeconds(10));
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while running " + String.join(" ", command), e);
            }
            if (!finished) {
                killTree(process.toHandle(), Duration.ofSeconds(10));
                throw new AssertionError("timed out after " + timeout + ": " + new Result(command, -1,
                        read(out), read(err)).describe());
            }
            return new Result(List.copyOf(command), process.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new AssertionError("could not run " + String.join(" ", command) + ": " + e, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
            deleteQuietly(in);
        }
    }

    /** Runs the command and fails the test unless it exits 0. */
    public static Result ok(List<String> command, Map<String, String> env) {
        return run(command, env, DEFAULT_TIMEOUT).assertOk();
    }

    /**
     * Kills a process and everything it started, each by its own pid: first the descendants
     * (collected before the parent dies, when they are still attributable), then the process.
     * Waits up to {@code wait} for the process to be gone.
     */
    public static void killTree(ProcessHandle process, Duration wait) {
        List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        for (ProcessHandle child : descendants) {
            child.destroyForcibly();
        }
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // reported by the caller if it matters; a killed process cannot outlive SIGKILL for long
        }
    }

    /** Sends SIGTERM and waits; falls back to killing the whole tree. Returns true when it ended by itself. */
    public static boolean terminate(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
        process.destroy();
        boolean clean;
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            clean = true;
        } catch (Exception e) {
            clean = false;
            killTree(process, Duration.ofSeconds(10));
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        return clean;
    }

    /** The last {@code lines} lines of a text. */
    public static String tail(String text, int lines) {
        String[] all = text.split("\n", -1);
        int from = Math.max(0, all.length - lines);
        return (from > 0 ? "[... " + from + " lines cut ...]\n" : "") + String.join("\n", List.of(all).subList(from, all.length));
    }

    /** The last {@code lines} lines of a file, or a note when it cannot be read. */
    public static String tail(Path file, int lines) {
        try {
            return tail(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), lines);
        } catch (IOException | RuntimeException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file
            }
        }
    }
}
