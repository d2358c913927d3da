package io.berth.admin.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The least of a V2 registry on 127.0.0.1 for the metrics tests: {@code GET /v2/} answers 200, a
 * {@code GET} of its one blob sends the headers and the first half of the body, then holds until
 * {@link #release} (so a test knows its client reads a fill in progress), and anything else is a
 * 404.
 */
final class BlobUpstream implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch held = new CountDownLatch(1);
    private final String blobPath;
    private final byte[] blob;

    BlobUpstream(String repository, String digest, byte[] blob) throws IOException {
        this.blobPath = "/v2/" + repository + "/blobs/" + digest;
        this.blob = blob;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::answer);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Lets the blob's body go on past its first half. */
    void release() {
        held.countDown();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("GET") && path.equals("/v2/")) {
                exchange.sendResponseHeaders(200, -1);
            } else if (exchange.getRequestMethod().equals("GET") && path.equals(blobPath)) {
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, blob.length);
                OutputStream out = exchange.getResponseBody();
                out.write(blob, 0, blob.length / 2);
                out.flush();
                awaitRelease();
                out.write(blob, blob.length / 2, blob.length - blob.length / 2);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private void awaitRelease() throws InterruptedIOException {
        try {
            held.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.close();
    }
}
