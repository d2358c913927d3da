package io.berth.gateway.http;

import io.berth.gateway.GatewayConfig;
import io.berth.gateway.auth.Access;
import io.berth.gateway.testing.RawConnection;
import io.berth.gateway.testing.RawResponse;
import io.berth.gateway.testing.TestRoutes;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.berth.gateway.testing.RawConnection.requestHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing the server lets the requests in progress finish before it returns (whatever they use,
 * the database, is closed right after), closes idle connections at once, and is bounded when a
 * request does not finish.
 */
class GracefulShutdownTest {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean handlerFinished = new AtomicBoolean();

    private GatewayServer start(Duration grace) throws Exception {
        GatewayServer server = new GatewayServer(GatewayConfig.local().withShutdownGrace(grace), List.of(
                Route.of("test.fast", HttpMethod.GET, "/test/fast", Access.none(),
                        ex -> TestRoutes.sendText(ex, HttpResponseStatus.OK, "fast")),
                Route.of("test.slow", HttpMethod.GET, "/test/slow", Access.none(), ex -> ex.blocking(() -> {
                    entered.countDown();
                    release.await();
                    TestRoutes.sendText(ex, HttpResponseStatus.OK, "slow");
                    handlerFinished.set(true);
                }))));
        server.start();
        return server;
    }

    @Test
    void requestInProgress_isAnsweredBeforeCloseReturns_andIdleConnectionsCloseAtOnce() throws Exception {
        GatewayServer server = start(Duration.ofSeconds(60));
        int port = server.port();
        try (RawConnection idle = RawConnection.open(port); RawConnection busy = RawConnection.open(port)) {
            assertEquals(200, idle.exchange("GET", "/test/fast").status());
            busy.send(requestHead("GET", "/test/slow"));
            assertTrue(entered.await(30, TimeUnit.SECONDS));

            Thread closing = Thread.ofPlatform().start(server::close);
            assertTrue(idle.closedByServer(), "an idle connection is closed at once");
            assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                    "no new connections are accepted");
            assertTrue(closing.isAlive(), "close() waits for the request in progress");

            release.countDown();
            RawResponse answer = busy.read();
            assertEquals("slow", answer.text());
            assertEquals("close", answer.header("Connection").orElseThrow(), "the answer says the connection ends");
            closing.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(closing.isAlive(), "close() returned");
            assertTrue(handlerFinished.get());
        }
    }

    @Test
    void requestOutlastingTheGrace_isCutOff_andCloseStillReturns() throws Exception {
        GatewayServer server = start(Duration.ofMillis(200));
        try (RawConnection busy = RawConnection.open(server.port())) {
            busy.send(requestHead("GET", "/test/slow"));
            assertTrue(entered.await(30, TimeUnit.SECONDS));

            server.close(); // the handler waits for a release that never comes

            assertThrows(IOException.class, busy::read, "the connection was closed without an answer");
            assertFalse(handlerFinished.get());
        }
    }
}
