package io.berth.store.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An upstream's answer with its body still unread. Whoever holds it closes it, unless a handler
 * {@link #detach}es the body to hand it on (a blob stream), after which closing the body is the
 * new holder's business.
 */
final class UpstreamResponse implements AutoCloseable {
    /** Up to this much of an unwanted body is read so the connection can be reused. */
    private static final int DRAIN_LIMIT = 64 * 1024;

    private final int status;
    private final HttpHeaders headers;
    private final URI uri;
    private final StreamingBody body;
    private boolean detached;

    UpstreamResponse(int status, HttpHeaders headers, URI uri, StreamingBody body) {
        this.status = status;
        this.headers = headers;
        this.uri = uri;
        this.body = body;
    }

    int status() {
        return status;
    }

    HttpHeaders headers() {
        return headers;
    }

    /** Where the answer came from (after redirects). */
    URI uri() {
        return uri;
    }

    Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** {@code Content-Length}, when present and a number. */
    OptionalLong contentLength() {
        return ResponseHeaders.contentLength(headers);
    }

    /** The {@code Content-Type} without parameters, lower-cased, or empty. */
    Optional<String> mediaType() {
        return header("Content-Type").map(v -> {
            int semicolon = v.indexOf(';');
            return (semicolon < 0 ? v : v.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        }).filter(v -> !v.isEmpty());
    }

    /** The body, for reading while the response stays held (and closed with it). */
    InputStream body() {
        return body;
    }

    /** Hands the body on: closing the response no longer closes it. */
    StreamingBody detach() {
        detached = true;
        return body;
    }

    boolean detached() {
        return detached;
    }

    /**
     * Reads up to {@code limit} bytes of the body (an error body, a token), then closes it; a
     * longer body is cut at the limit.
     */
    byte[] readSmall(int limit) throws IOException {
        try (body) {
            return body.readNBytes(limit);
        }
    }

    /** Up to 64 KiB of the body (an error body), then closed; empty when it cannot be read. */
    byte[] errorBody() {
        try {
            return readSmall(DRAIN_LIMIT);
        } catch (IOException e) {
            return new byte[0];
        } finally {
            close();
        }
    }

    /**
     * Reads the whole body, refusing it (INVALID_RESPONSE) as soon as it passes {@code limit}
     * bytes, whatever its {@code Content-Length} claims: an endless body stops there.
     */
    byte[] readAtMost(long limit, String what) throws UpstreamException {
        long max = Math.min(limit, Integer.MAX_VALUE - 16);
        OptionalLong declared = contentLength();
        if (declared.isPresent() && declared.getAsLong() > max) {
            throw tooLarge(what, declared.getAsLong() + " bytes", max);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(declared.orElse(8192), max));
        byte[] buffer = new byte[8192];
        try (body) {
            int n;
            while ((n = body.read(buffer)) >= 0) {
                if (out.size() + (long) n > max) {
                    throw tooLarge(what, "more than " + max + " bytes", max);
                }
                out.write(buffer, 0, n);
            }
        } catch (UpstreamException e) {
            throw e;
        } catch (IOException e) {
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, 0, null, "reading " + what + " failed: "
                    + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** The failure for an answer whose status the request does not expect, with what the upstream said. */
    UpstreamException unexpected(String what) {
        String summary = ErrorSummary.of(errorBody());
        return new UpstreamException(UpstreamException.Kind.INVALID_RESPONSE, status, null, "the upstream answered "
                + status + " to " + what + (summary.isEmpty() ? "" : " (" + summary + ")"), null);
    }

    private static UpstreamException tooLarge(String what, String size, long max) {
        return new UpstreamException(UpstreamException.Kind.INVALID_RESPONSE, 0, null, what + " is " + size
                + ", over the limit of " + max + " bytes; Berth refuses it", null);
    }

    /** Reads and drops a small unwanted body so the connection returns to the pool, then closes. */
    void discard() {
        try (body) {
            byte[] sink = new byte[8192];
            long total = 0;
            int n;
            while (total < DRAIN_LIMIT && (n = body.read(sink)) >= 0) {
                total += n;
            }
        } catch (IOException e) {
            // The connection is dropped instead of reused: nothing else to do.
        }
    }

    @Override
    public void close() {
        if (!detached) {
            body.close();
        }
    }
}
