package io.berth.sync.execution;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on a fixed port of 127.0.0.1 in front of a registry, so that the registry can be
 * stopped and started again (on another port) while its clients keep one address: {@link #down}
 * resets every connection and refuses new ones, as a stopped server does; {@link #up} listens again
 * on the same port in front of the restarted one. It counts the bytes that pass each way, and can
 * reset, once, a connection at a given byte of the requests or of the answers: a link that breaks
 * mid-upload or mid-download.
 */
final class RegistryLink implements AutoCloseable {
    private final int port;
    private final AtomicLong clientBytes = new AtomicLong();
    private final AtomicLong answerBytes = new AtomicLong();
    private final AtomicBoolean cut = new AtomicBoolean();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Cut pending;
    private volatile URI target;
    private volatile ServerSocket server;

    RegistryLink(URI target) throws IOException {
        this.port = listen(0);
        up(target);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The bytes clients sent through the link so far (request heads and bodies). */
    long clientBytes() {
        return clientBytes.get();
    }

    /** The bytes the registry answered through the link so far. */
    long answerBytes() {
        return answerBytes.get();
    }

    /** Resets, once, the connection that carries the client's byte {@code bytes} from now (mid-request). */
    void cutRequestsAfter(long bytes) {
        arm(new Cut(true, clientBytes.get() + bytes, null));
    }

    /**
     * Resets, once, the connection on which the client begins a request starting with {@code prefix}
     * ({@code "PATCH "}) after {@code bytes} more bytes: the request never reaches the registry.
     */
    void cutNextRequestAfter(long bytes, String prefix) {
        arm(new Cut(true, clientBytes.get() + bytes, prefix.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Resets, once, the connection that carries the registry's answer byte {@code bytes} from now (mid-body). */
    void cutAnswersAfter(long bytes) {
        arm(new Cut(false, answerBytes.get() + bytes, null));
    }

    /** Whether the connection a cut was armed for was cut. */
    boolean didCut() {
        return pending != null && cut.get();
    }

    private void arm(Cut next) {
        cut.set(false);
        pending = next;
    }

    /** Resets every connection and stops listening: clients get "connection refused". */
    synchronized void down() throws IOException {
        ServerSocket listening = server;
        server = null;
        if (listening != null) {
            listening.close();
        }
        for (Socket socket : sockets) {
            reset(socket);
        }
        sockets.clear();
    }

    /** Listens again on the same port, in front of {@code registry}. */
    synchronized void up(URI registry) throws IOException {
        target = registry;
        if (server == null) {
            listen(port);
        }
    }

    private int listen(int onPort) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
        if (onPort == 0) {
            int chosen = socket.getLocalPort();
            socket.close();
            return chosen;
        }
        server = socket;
        Thread.ofVirtual().start(() -> accept(socket));
        return onPort;
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException closed) {
                return;
            }
            try {
                Socket upstream = new Socket(target.getHost(), target.getPort());
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> relay(client, upstream, true));
                Thread.ofVirtual().start(() -> relay(upstream, client, false));
            } catch (IOException registryDown) {
                reset(client);
            }
        }
    }

    private void relay(Socket from, Socket to, boolean clientSide) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                long total = (clientSide ? clientBytes : answerBytes).addAndGet(n);
                Cut rule = pending;
                if (rule != null && rule.applies(clientSide, total, buffer, n) && cut.compareAndSet(false, true)) {
                    reset(from);
                    reset(to);
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: the other follows
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        down();
    }

    /** Where a cut falls: on the requests' or the answers' side, from which byte, at which request's start. */
    private record Cut(boolean requests, long at, byte[] requestPrefix) {
        boolean applies(boolean clientSide, long total, byte[] read, int n) {
            if (clientSide != requests || total < at) {
                return false;
            }
            return requestPrefix == null || n >= requestPrefix.length
                    && Arrays.equals(read, 0, requestPrefix.length, requestPrefix, 0, requestPrefix.length);
        }
    }
}
