package io.berth.admin.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of an upstream registry, which sees what Berth asks of it:
 * the request line of every HTTP/1.1 request it forwards, and how many bytes came back for each.
 * Berth's upstream client sends only {@code GET} and {@code HEAD} and never pipelines, so on one
 * connection a request ends at its blank line and the bytes that come back until the next request
 * are its answer. It can hold an answer after some bytes until the test releases it, and it can go
 * down (its port refuses connections, open ones are cut) and come back on the same port.
 */
final class CountingRelay implements AutoCloseable {
    private static final int MAX_LINE = 16 * 1024;

    /** One request as it went through: its request line ({@code GET /v2/... HTTP/1.1}) and the bytes of its answer. */
    record Exchange(String requestLine, AtomicLong answerBytes) {
        String method() {
            return requestLine.substring(0, Math.max(0, requestLine.indexOf(' ')));
        }

        String path() {
            String[] parts = requestLine.split(" ");
            return parts.length > 1 ? parts[1] : "";
        }
    }

    /** Answers to requests whose path contains {@code pathPart} stop after {@code afterBytes} until {@link #release}. */
    static final class Hold {
        private final String pathPart;
        private final long afterBytes;
        private final CountDownLatch released = new CountDownLatch(1);
        private final CountDownLatch reached = new CountDownLatch(1);

        private Hold(String pathPart, long afterBytes) {
            this.pathPart = pathPart;
            this.afterBytes = afterBytes;
        }

        /** Whether an answer has come to the point where it is held. */
        boolean reached() {
            return reached.getCount() == 0;
        }

        void release() {
            released.countDown();
        }
    }

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Hold hold;
    private ServerSocket server;

    private CountingRelay(String targetHost, int targetPort, int port) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = port;
    }

    /** A relay to {@code host:port} on a free port of 127.0.0.1, accepting connections. */
    static CountingRelay to(String host, int port) {
        CountingRelay relay = new CountingRelay(host, port, E2e.freePort());
        relay.start();
        return relay;
    }

    /** Listens (again) on its port. */
    synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        ServerSocket listening = server;
        Thread.ofVirtual().name("relay-accept-" + port).start(() -> accept(listening));
    }

    /** Stops listening and cuts every open connection: the upstream looks down. */
    synchronized void stop() {
        if (server == null) {
            return;
        }
        closeQuietly(server);
        server = null;
        open.forEach(CountingRelay::closeQuietly);
        open.clear();
    }

    @Override
    public void close() {
        Hold held = hold;
        if (held != null) {
            held.release();
        }
        stop();
    }

    /** {@code 127.0.0.1:port}. */
    String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Holds the next answers to requests whose path contains {@code pathPart} after {@code afterBytes}. */
    Hold holdAfter(String pathPart, long afterBytes) {
        Hold h = new Hold(pathPart, afterBytes);
        hold = h;
        return h;
    }

    /** Every request forwarded so far, in order. */
    List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** The requests forwarded so far with this method whose path ends with {@code pathEnd}. */
    List<Exchange> requests(String method, String pathEnd) {
        return exchanges.stream().filter(e -> e.method().equals(method) && e.path().endsWith(pathEnd)).toList();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException e) {
                return; // stopped
            }
            Socket upstream;
            try {
                upstream = new Socket(targetHost, targetPort);
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            open.add(client);
            open.add(upstream);
            Connection connection = new Connection();
            Thread.ofVirtual().start(() -> connection.requests(client, upstream));
            Thread.ofVirtual().start(() -> connection.answers(upstream, client));
        }
    }

    /** One relayed connection: requests one way, their answers the other. */
    private final class Connection {
        private volatile Exchange current;

        void requests(Socket from, Socket to) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean atRequestLine = true;
            byte[] buffer = new byte[64 * 1024];
            try (from; to; InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    for (int i = 0; i < n; i++) {
                        byte b = buffer[i];
                        if (b != '\n') {
                            if (line.size() < MAX_LINE && b != '\r') {
                                line.write(b);
                            }
                            continue;
                        }
                        String text = line.toString(StandardCharsets.ISO_8859_1);
                        line.reset();
                        if (atRequestLine && !text.isEmpty()) {
                            Exchange exchange = new Exchange(text, new AtomicLong());
                            exchanges.add(exchange);
                            current = exchange; // before the request goes out, so its answer is counted for it
                            atRequestLine = false;
                        } else if (text.isEmpty()) {
                            atRequestLine = true; // no bodies: the next line starts the next request
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: closing both ends the other pump too
            } finally {
                open.remove(from);
                open.remove(to);
            }
        }

        void answers(Socket from, Socket to) {
            byte[] buffer = new byte[64 * 1024];
            try (from; to; InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    // counted before they go out: once they are out, the next request may come and be current
                    Exchange exchange = current;
                    long total = exchange == null ? 0 : exchange.answerBytes().addAndGet(n);
                    out.write(buffer, 0, n);
                    out.flush();
                    if (exchange != null) {
                        awaitRelease(exchange, total);
                    }
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                open.remove(from);
                open.remove(to);
            }
        }

        private void awaitRelease(Exchange exchange, long total) throws IOException {
            Hold h = hold;
            if (h == null || total < h.afterBytes || !exchange.path().contains(h.pathPart)) {
                return;
            }
            h.reached.countDown();
            try {
                h.released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while holding an answer", e);
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // going away anyway
        }
    }
}
