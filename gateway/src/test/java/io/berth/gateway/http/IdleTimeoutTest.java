package io.berth.gateway.http;

import io.berth.gateway.GatewayConfig;
import io.berth.gateway.testing.RawConnection;
import io.berth.gateway.testing.RawResponse;
import io.berth.gateway.testing.TokenCheck;
import io.berth.gateway.v2.V2Api;
import io.berth.store.Caller;
import io.berth.store.Registry;
import io.berth.store.testing.TestDatabases;
import io.berth.store.testing.TestRegistries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static io.berth.gateway.testing.RawConnection.requestHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection that goes quiet for longer than the idle timeout is closed by the server, unless
 * the quiet is the server's own doing.
 */
class IdleTimeoutTest {
    private static final Duration IDLE = Duration.ofMillis(300);

    private static GatewayServer server(Path dir, TokenCheck check) throws Exception {
        Registry registry = TestRegistries.onFilesystem(TestDatabases.h2(), dir, true, 4 << 20, Duration.ofHours(1),
                Clock.systemUTC());
        GatewayConfig local = GatewayConfig.local();
        GatewayServer server = new GatewayServer(new GatewayConfig(local.bindHost(), 0, null, null,
                local.maxHeaderSize(), local.maxManifestSize(), IDLE), V2Api.routes(registry), check,
                GatewayMetrics.discarding());
        server.start();
        return server;
    }

    @Test
    void connectionSilentPastIdleTimeout_isClosedByServer(@TempDir Path dir) throws Exception {
        try (GatewayServer server = server(dir, new TokenCheck())) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(30_000); // a server that never closes fails the test instead of hanging it
                OutputStream out = socket.getOutputStream();
                // Half a request, then silence: a client that stalls mid-head.
                out.write("GET /v2/ HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] rest = in.readAllBytes();
                assertEquals(0, rest.length, "nothing is answered to a request that never finished");
                assertTrue(socket.isConnected());
            }
        }
    }

    @Test
    void accessCheckSlowerThanTheIdleTimeout_doesNotCostTheClientItsConnection(@TempDir Path dir) throws Exception {
        TokenCheck check = new TokenCheck();
        try (GatewayServer server = server(dir, check); RawConnection c = RawConnection.open(server.port())) {
            c.send(requestHead("GET", "/v2/", "Authorization", TokenCheck.LATER));
            CompletableFuture<Caller> decision = check.decideNext();
            Thread.sleep(5 * IDLE.toMillis()); // the registry is the one keeping the client waiting
            decision.complete(new Caller("slow", Caller.Kind.USER, "127.0.0.1"));

            RawResponse answer = c.read();
            assertEquals(200, answer.status(), answer.toString());
        }
    }
}
