package io.berth.gateway.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One TCP connection to the server driven byte by byte: for requests a real HTTP client will not
 * send (a body shorter or longer than its Content-Length, pipelined requests, garbage, paths with
 * {@code ..}) and for watching what the server does with the connection afterwards.
 *
 * <p>Reads have a generous socket timeout only so that a server that never answers fails the
 * test instead of hanging the build; no assertion depends on timing.
 */
public final class RawConnection implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** A connection to a server on the loopback port. */
    public static RawConnection open(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return new RawConnection(socket);
    }

    /**
     * The head of an HTTP/1.1 request: request line, {@code Host}, the given headers (alternating
     * names and values) and the blank line. Add {@code Content-Length} yourself when a body follows.
     */
    public static String requestHead(String method, String target, String... headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /** Sends a request without a body and reads its response. */
    public RawResponse exchange(String method, String target, String... headers) throws IOException {
        send(requestHead(method, target, headers));
        return read(method.equals("HEAD"));
    }

    /** Writes text as ISO-8859-1 (HTTP heads are bytes) and flushes. */
    public RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Stops sending: the server sees the end of the stream, as when a client dies mid-body. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads one response to a request that was not a HEAD. */
    public RawResponse read() throws IOException {
        return read(false);
    }

    /**
     * Reads one response: status line, headers and a body framed by Content-Length, chunked
     * encoding, or the end of the connection. Interim (1xx) responses are returned on their own.
     */
    public RawResponse read(boolean toHead) throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new EOFException("the server closed the connection instead of answering");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new TreeMap<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        RawResponse head = new RawResponse(status, headers, new byte[0]);
        if (status / 100 == 1 || status == 204 || status == 304 || toHead) {
            return head;
        }
        byte[] body;
        if (head.header("transfer-encoding").map(v -> v.equalsIgnoreCase("chunked")).orElse(false)) {
            body = readChunked();
        } else if (head.header("content-length").isPresent()) {
            body = in.readNBytes(Integer.parseInt(head.header("content-length").get()));
        } else {
            body = in.readAllBytes();
        }
        return new RawResponse(status, headers, body);
    }

    /** The next {@code n} bytes (of a body whose head {@link #read(boolean)} read), waiting for them. */
    public byte[] readBytes(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("the connection ended after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    /**
     * Whether the server has closed the connection: true when the next read sees the end of the
     * stream (or a reset), false when more bytes arrive.
     */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException e) {
            return true;
        }
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            if (sizeLine == null) {
                throw new EOFException("connection closed inside a chunked body");
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                String trailer;
                while ((trailer = readLine()) != null && !trailer.isEmpty()) {
                    // trailers are not used by the registry
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine();
        }
    }

    /** A CRLF- (or LF-) terminated line without its terminator; null at the end of the stream. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
