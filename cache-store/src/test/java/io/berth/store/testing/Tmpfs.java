package io.berth.store.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test, so that "the disk is full" is the kernel's real ENOSPC and
 * not a simulation. Needs root (CI runs as root); elsewhere the test is skipped with a message,
 * or fails when requirements are enforced.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code bytes} on a new temporary folder. */
    public static Tmpfs mount(long bytes) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("berth-tmpfs");
        int status = run("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0700", "tmpfs", dir.toString());
        if (status != 0) {
            Files.deleteIfExists(dir);
            Requirements.unavailable("cannot mount a tmpfs to fill a disk for real (mount exited with " + status
                    + "; it needs root)");
        }
        return new Tmpfs(dir);
    }

    public Path path() {
        return dir;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", dir.toString());
        Files.deleteIfExists(dir);
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
