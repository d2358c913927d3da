package io.berth.store.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare HTTP/1.1 server on 127.0.0.1 for the faults WireMock cannot make: a body cut short of its
 * Content-Length, a connection reset in the middle of a body, a stall after the first bytes, an
 * endless body. Each connection serves one request with the test's {@link Responder}, then closes.
 */
public final class RawHttpServer implements AutoCloseable {
    /** Writes one response (or a broken one) for a request whose head is given. */
    @FunctionalInterface
    public interface Responder {
        void respond(String requestHead, Socket socket, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Responder responder;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public RawHttpServer(Responder responder) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.responder = responder;
        this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public int requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            String head = readHead(socket.getInputStream());
            requests.incrementAndGet();
            responder.respond(head, socket, socket.getOutputStream());
        } catch (IOException | InterruptedException e) {
            // the client went away, or the test ended: nothing to do
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The head of an answer with the given headers (each "Name: value"); the connection closes after it. */
    public static byte[] head(int status, String... headers) {
        StringBuilder s = new StringBuilder("HTTP/1.1 " + status + " X\r\nConnection: close\r\n");
        for (String h : headers) {
            s.append(h).append("\r\n");
        }
        return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        acceptor.interrupt();
    }
}
