package io.berth.store.upstream;

import io.berth.store.oci.Digest;
import io.berth.store.testing.Requirements;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A CNCF Distribution ({@code docker-registry}) for tests: its own config and storage in a
 * directory, on a free port of 127.0.0.1, started and stopped by its own pid, with a client.
 * Replication's tests use it too.
 */
public final class LocalDistribution implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final URI url;
    private final Path storage;
    private final RegistryClient client;

    private LocalDistribution(Process process, URI url, Path storage, long id) {
        this.process = process;
        this.url = url;
        this.storage = storage;
        this.client = new RegistryClient(new RegistryEndpoint(id, "distribution-" + id, RegistryEndpoint.Type.V2,
                List.of(url), false, null, null, null), UpstreamTesting.fastOptions());
    }

    /** Starts one in {@code dir}, with deletes allowed or not, and waits until it answers {@code /v2/}. */
    static LocalDistribution start(Path dir, boolean deletes) throws Exception {
        return start(dir, deletes, 1);
    }

    /** As {@link #start(Path, boolean)}, its client's endpoint numbered {@code id} (one per registry of a test). */
    public static LocalDistribution start(Path dir, boolean deletes, long id) throws Exception {
        String binary = Requirements.executable("docker-registry");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("config.yml");
        Path storage = dir.resolve("data");
        Files.writeString(config, String.join("\n", "version: 0.1", "log:", "  level: warn", "storage:",
                "  filesystem:", "    rootdirectory: " + storage, "  delete:", "    enabled: " + deletes,
                "http:", "  addr: 127.0.0.1:" + port, ""));
        Process process = new ProcessBuilder(binary, "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalDistribution registry = new LocalDistribution(process, URI.create("http://127.0.0.1:" + port), storage, id);
        try {
            registry.awaitUp();
        } catch (Exception e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    public URI url() {
        return url;
    }

    /** A client that reaches it anonymously, with the tests' short timeouts; closed with it. */
    public RegistryClient client() {
        return client;
    }

    /** Where it keeps the bytes of a blob (to corrupt them, as a broken source would serve them). */
    public Path blobFile(Digest digest) {
        return storage.resolve("docker/registry/v2/blobs").resolve(digest.algorithm().prefix())
                .resolve(digest.hex().substring(0, 2)).resolve(digest.hex()).resolve("data");
    }

    /**
     * The live upload sessions it holds for {@code repository}: the folders of {@code _uploads} with a
     * {@code startedat} file. (A cancelled session loses it and its data; 2.8 then writes its hash state
     * back, so an empty-looking folder may remain, unknown to the API.)
     */
    List<Path> uploadSessions(String repository) throws IOException {
        Path uploads = storage.resolve("docker/registry/v2/repositories").resolve(repository).resolve("_uploads");
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (var sessions = Files.list(uploads)) {
            return sessions.filter(s -> Files.exists(s.resolve("startedat"))).toList();
        }
    }

    private void awaitUp() throws Exception {
        for (int i = 0; i < 200; i++) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(url.resolve("/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("docker-registry did not start on " + url);
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        process.destroy();
        process.waitFor();
    }
}
