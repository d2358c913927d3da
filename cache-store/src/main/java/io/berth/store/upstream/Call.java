package io.berth.store.upstream;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One request to an upstream registry, before it is sent to any of the endpoint's URLs. Reads
 * ({@code GET}, {@code HEAD}) may always be retried; a write is retried by {@link Transport} only
 * when repeating it is harmless (a manifest {@code PUT}, a {@code DELETE}, an upload's first
 * {@code POST}), and an upload's {@code PATCH} and {@code PUT} are sent once each (see
 * {@link BlobUpload} for how they are resumed).
 *
 * @param method       {@code GET}, {@code HEAD}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
 * @param pathAndQuery the path under the registry's base URL ({@code /v2/...}), with its query
 * @param accept       media types for the {@code Accept} header (empty: none)
 * @param range        the {@code Range} header's value, or null
 * @param scope        the token scopes the request needs ({@code repository:<name>:pull}), space-separated, or null
 * @param what         what the request does, for messages ("fetch manifest library/nginx:1.27")
 * @param body         the request's body, or null for none
 */
record Call(String method, String pathAndQuery, List<String> accept, String range, String scope, String what,
            Body body) {
    Call {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        accept = List.copyOf(accept);
        Objects.requireNonNull(what, "what");
    }

    Call(String method, String pathAndQuery, List<String> accept, String range, String scope, String what) {
        this(method, pathAndQuery, accept, range, scope, what, null);
    }

    /**
     * A request body, made anew for every send of the request (the retry after a 401, a 307), so
     * that a streamed one is read again from its start.
     *
     * @param contentType  the {@code Content-Type}
     * @param contentRange the {@code Content-Range} ({@code <first>-<last>}, an upload chunk's), or null
     * @param timeout      how long the request may take until its response headers, the body's sending
     *                     included; null: the endpoint's headers timeout
     * @param publisher    makes the body for one send
     */
    record Body(String contentType, String contentRange, Duration timeout, Supplier<HttpRequest.BodyPublisher> publisher) {
        Body {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(publisher, "publisher");
        }

        static Body of(String contentType, byte[] bytes) {
            return new Body(contentType, null, null, () -> HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
    }

    static Call get(String pathAndQuery, List<String> accept, String scope, String what) {
        return new Call("GET", pathAndQuery, accept, null, scope, what);
    }

    static Call head(String pathAndQuery, List<String> accept, String scope, String what) {
        return new Call("HEAD", pathAndQuery, accept, null, scope, what);
    }

    /** A write ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}), with a body or none (null). */
    static Call write(String method, String pathAndQuery, String scope, String what, Body body) {
        return new Call(method, pathAndQuery, List.of(), null, scope, what, body);
    }

    Call withRange(String value) {
        return new Call(method, pathAndQuery, accept, value, scope, what, body);
    }

    boolean isHead() {
        return "HEAD".equals(method);
    }

    /** Whether the call only reads ({@code GET} or {@code HEAD}): only those follow every redirect. */
    boolean isRead() {
        return "GET".equals(method) || isHead();
    }
}
