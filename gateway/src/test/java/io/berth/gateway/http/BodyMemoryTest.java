package io.berth.gateway.http;

import com.codahale.metrics.Gauge;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.gateway.GatewayConfig;
import io.berth.gateway.auth.Access;
import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.testing.Await;
import io.berth.gateway.testing.RawConnection;
import io.berth.gateway.testing.RawResponse;
import io.berth.gateway.testing.RegistryServer;
import io.berth.gateway.testing.TestContent;
import io.berth.gateway.testing.TestRoutes;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static io.berth.gateway.testing.OciAssertions.json;
import static io.berth.gateway.testing.RawConnection.requestHead;
import static io.berth.store.testing.ManifestJson.OCI_MANIFEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request bodies held in memory stay within the server's budget however many clients send them
 * and however slowly their bodies are consumed: uploads wait for memory, manifests keep a reserve,
 * and a body no memory can be found for is refused with 503 and Retry-After instead of an OOM.
 */
class BodyMemoryTest {
    private static final int MIB = 1 << 20;
    private static final long MEMORY = 4L * MIB; // a quarter of it is the manifests' reserve
    /** Manifests of up to 1 MiB, so that the reserve is a quarter of the memory, not one 4 MiB manifest. */
    private static final GatewayConfig CONFIG = manifestsOfUpTo(MIB).withBodyLimits(GatewayConfig.DEFAULT_BODY_TIMEOUT,
            MEMORY);

    private static volatile CountDownLatch consumersGate = new CountDownLatch(0);
    private static volatile CountDownLatch collectorsGate = new CountDownLatch(0);

    @RegisterExtension
    static final RegistryServer SERVER = new RegistryServer(CONFIG, AccessCheck.allowAll(),
            // Uploads whose consumer waits for the test before it reads a byte.
            Route.of("test.slow-consumer", HttpMethod.POST, "/test/slow-consumer", Access.none(), ex -> ex.streamBody(body -> {
                consumersGate.await();
                long bytes = 0;
                ByteBuf chunk;
                while ((chunk = body.next()) != null) {
                    bytes += chunk.readableBytes();
                    chunk.release();
                }
                TestRoutes.sendText(ex, HttpResponseStatus.OK, Long.toString(bytes));
            })),
            // Small bodies whose handler holds them until the test lets it answer.
            Route.of("test.slow-collector", HttpMethod.PUT, "/test/slow-collector", Access.none(),
                    ex -> ex.collectBody(body -> {
                        int bytes = body.readableBytes();
                        ex.blocking(() -> {
                            collectorsGate.await();
                            TestRoutes.sendText(ex, HttpResponseStatus.OK, Integer.toString(bytes));
                        });
                    })));

    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong mostUsed = new AtomicLong();

    @AfterEach
    void allMemoryComesBack() {
        consumersGate.countDown();
        collectorsGate.countDown();
        clients.close();
        Await.until(() -> used() == 0, "every body's memory given back");
        assertTrue(mostUsed.get() <= MEMORY, "bodies held " + mostUsed.get() + " bytes of a " + MEMORY + " budget");
    }

    @Test
    void uploadsWhoseConsumerIsBehind_waitForMemory_andAManifestStillGetsThrough() throws Exception {
        TestContent.Blob config = SERVER.client().pushBlob("memory/app", TestContent.config(1));
        TestContent.Blob layer = SERVER.client().pushBlob("memory/app", TestContent.layer(1, 1000));
        consumersGate = new CountDownLatch(1);
        List<CompletableFuture<RawResponse>> uploads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            uploads.add(upload("POST", "/test/slow-consumer", TestContent.bytes(i, 6 * MIB)));
        }
        Await.until(() -> waiting() > 0 && observeUsed() > MIB, "an upload waiting for memory");

        TestContent.Blob manifest = TestContent.image(config, layer).build();
        assertEquals(201, SERVER.client().putManifest("memory/app", "v1", manifest).statusCode(),
                "the manifests' reserve is not the uploads' to take");

        consumersGate.countDown();
        for (CompletableFuture<RawResponse> upload : uploads) {
            RawResponse done = upload.join();
            assertEquals(200, done.status(), done.toString());
            assertEquals(Integer.toString(6 * MIB), done.text(), "every byte arrived after the wait");
        }
    }

    @Test
    void bodiesPastTheBudget_areRefusedWith503AndRetryAfter() throws Exception {
        collectorsGate = new CountDownLatch(1);
        List<CompletableFuture<RawResponse>> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(upload("PUT", "/test/slow-collector", TestContent.bytes(i, MIB)));
        }
        Await.until(() -> observeUsed() == MEMORY, "four bodies of 1 MiB holding all the memory (" + used() + ")");

        RawResponse refused = upload("PUT", "/test/slow-collector", TestContent.bytes(9, MIB)).join();
        assertEquals(503, refused.status(), refused.toString());
        JsonNode error = json(refused.body()).get("errors").get(0);
        assertEquals("UNAVAILABLE", error.get("code").asText());
        assertTrue(refused.header("Retry-After").isPresent(), "says when to come back");
        assertTrue(SERVER.metrics().meter("berth.registry.body-memory.refused").getCount() > 0);

        collectorsGate.countDown();
        for (CompletableFuture<RawResponse> body : held) {
            assertEquals(Integer.toString(MIB), body.join().text());
        }
    }

    @Test
    void manifestOverTheMemoryLeft_isRefusedWhileUploadsFillTheirShare() throws Exception {
        consumersGate = new CountDownLatch(1);
        collectorsGate = new CountDownLatch(1);
        CompletableFuture<RawResponse> upload = upload("POST", "/test/slow-consumer", TestContent.bytes(1, 6 * MIB));
        Await.until(() -> waiting() > 0, "the upload waiting for memory");

        CompletableFuture<RawResponse> small = upload("PUT", "/test/slow-collector", TestContent.bytes(2, MIB / 2));
        Await.until(() -> observeUsed() > MEMORY - MIB, "the reserve in use too");
        RawResponse refused = upload("PUT", "/test/slow-collector", TestContent.bytes(3, MIB)).join();
        assertEquals(503, refused.status(), refused.toString());

        consumersGate.countDown();
        collectorsGate.countDown();
        assertEquals(Integer.toString(6 * MIB), upload.join().text());
        assertEquals(Integer.toString(MIB / 2), small.join().text());
    }

    private static GatewayConfig manifestsOfUpTo(long size) {
        GatewayConfig local = GatewayConfig.local();
        return new GatewayConfig(local.bindHost(), local.port(), null, null, local.maxHeaderSize(), size,
                local.idleTimeout());
    }

    /** Sends a request with its whole body on a connection of its own and reads the answer. */
    private CompletableFuture<RawResponse> upload(String method, String path, byte[] body) {
        return CompletableFuture.supplyAsync(() -> {
            try (RawConnection c = SERVER.connect()) {
                c.send(requestHead(method, path, "Content-Type", OCI_MANIFEST,
                        "Content-Length", Integer.toString(body.length)));
                c.send(body);
                return c.read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, clients);
    }

    private long observeUsed() {
        long used = used();
        mostUsed.accumulateAndGet(used, Math::max);
        return used;
    }

    private static long used() {
        return gauge("berth.registry.body-memory.used");
    }

    private static long waiting() {
        return gauge("berth.registry.body-memory.waiting");
    }

    private static long gauge(String name) {
        Gauge<?> gauge = SERVER.metrics().getGauges().get(name);
        return ((Number) gauge.getValue()).longValue();
    }
}
