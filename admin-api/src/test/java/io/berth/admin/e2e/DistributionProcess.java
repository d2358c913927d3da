package io.berth.admin.e2e;

import io.berth.store.testing.Requirements;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * CNCF Distribution (Debian's {@code docker-registry}) as a real upstream registry on 127.0.0.1:
 * filesystem storage in a temp folder, deletes enabled, no authentication unless the caller adds an
 * {@code auth:} section ({@link #start(String, String...)}). It keeps its port and storage across
 * {@link #stop} and {@link #start()}, so a test can take the upstream away and bring it back.
 * Started and stopped by its own pid.
 */
public final class DistributionProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2); // a loaded 2-core machine

    private final String binary;
    private final Path dir;
    private final Path log;
    private final int port;
    private Process process;

    private DistributionProcess(String binary, Path dir, Path log, int port) {
        this.binary = binary;
        this.dir = dir;
        this.log = log;
        this.port = port;
    }

    /** Starts a new upstream (skips, or fails with BERTH_E2E_REQUIRED=1, without {@code docker-registry}). */
    public static DistributionProcess start(String name) {
        return start(name, new String[0]);
    }

    /**
     * Starts a new upstream whose configuration ends with {@code extraConfig}, lines of YAML at the top
     * level (say an {@code auth:} section with {@code token:} settings).
     */
    public static DistributionProcess start(String name, String... extraConfig) {
        String binary = Requirements.executable("docker-registry");
        Path dir = E2e.tempDir(name + "-distribution");
        DistributionProcess upstream = new DistributionProcess(binary, dir,
                E2e.logDir().resolve(name + "-distribution.log"), E2e.freePort());
        try {
            Files.writeString(dir.resolve("config.yml"), String.join("\n",
                    "version: 0.1",
                    "log:",
                    "  level: info",
                    "storage:",
                    "  filesystem:",
                    "    rootdirectory: " + dir.resolve("storage"),
                    "  delete:",
                    "    enabled: true",
                    "http:",
                    "  addr: 127.0.0.1:" + upstream.port,
                    "  secret: berth-e2e-only",
                    "") + String.join("\n", extraConfig) + "\n");
            Files.deleteIfExists(upstream.log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        upstream.start();
        return upstream;
    }

    /** Starts it again (same port, same content) after {@link #stop}. */
    public synchronized void start() {
        try {
            process = new ProcessBuilder(binary, "serve", dir.resolve("config.yml").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            throw new AssertionError("cannot start docker-registry: " + e, e);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited with " + process.exitValue() + ":\n" + Proc.tail(log, 30));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url("/v2/")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 || r.statusCode() == 401) { // 401: it wants a token, so it is up
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("docker-registry did not answer within " + READY_TIMEOUT + ":\n" + Proc.tail(log, 30));
    }

    /** Stops it by its pid; its port then refuses connections. */
    public synchronized void stop() {
        if (process != null) {
            Proc.terminate(process.toHandle(), Duration.ofSeconds(10));
            process = null;
        }
    }

    /** {@code 127.0.0.1:port}, as skopeo's {@code docker://} references want it. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public URI url(String path) {
        return URI.create("http://" + hostPort() + path);
    }

    @Override
    public void close() {
        stop();
        E2e.deleteTree(dir);
    }
}
