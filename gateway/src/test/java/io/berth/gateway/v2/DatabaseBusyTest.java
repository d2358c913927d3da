package io.berth.gateway.v2;

import io.berth.gateway.GatewayConfig;
import io.berth.gateway.http.GatewayServer;
import io.berth.gateway.testing.V2Client;
import io.berth.store.Registry;
import io.berth.store.blob.FilesystemBlobStore;
import io.berth.store.blob.FilesystemUploadStore;
import io.berth.store.blob.StoragePaths;
import io.berth.store.event.PullRecorder;
import io.berth.store.meta.Admission;
import io.berth.store.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static io.berth.gateway.testing.OciAssertions.assertError;
import static io.berth.gateway.testing.OciAssertions.assertHeader;
import static io.berth.gateway.testing.OciAssertions.assertStatus;

/**
 * When every database connection is taken and the queue in front of them is full, a client gets a
 * 503 that says to retry and when ({@code Retry-After}), not an internal error after a long wait.
 */
class DatabaseBusyTest {
    @TempDir
    Path storage;

    @Test
    void requestsBeyondThePoolAndItsQueue_get503WithRetryAfter_andAreServedOnceItFrees() throws Exception {
        StoragePaths paths = new StoragePaths(storage);
        FilesystemBlobStore blobs = new FilesystemBlobStore(paths);
        Registry registry = Registry.open(TestDatabases.h2(), blobs, new FilesystemUploadStore(paths, blobs),
                new Registry.Options(true, 4 << 20, Duration.ofHours(1), new Admission(1, 0, Duration.ofMillis(10)),
                        PullRecorder.Options.defaults()),
                Clock.systemUTC());
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (GatewayServer server = new GatewayServer(GatewayConfig.local(), V2Api.routes(registry))) {
            server.start();
            V2Client client = new V2Client(URI.create("http://127.0.0.1:" + server.port()));
            client.pushImage("busy/app", "v1", 1);
            CompletableFuture<Void> longQuery = CompletableFuture.runAsync(() -> registry.transactions().useTransaction(h -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            holding.await();

            HttpResponse<byte[]> busy = client.get("/v2/busy/app/tags/list");

            assertError(busy, 503, "UNAVAILABLE");
            assertHeader("1", busy, "Retry-After");
            release.countDown();
            longQuery.get();
            assertStatus(200, client.get("/v2/busy/app/tags/list"));
        }
    }
}
