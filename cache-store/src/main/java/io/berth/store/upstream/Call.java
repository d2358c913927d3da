package io.berth.store.upstream;

import java.util.List;
import java.util.Objects;

/**
 * One request to an upstream registry, before it is sent to any of the endpoint's URLs: every
 * request the client makes is a {@code GET} or a {@code HEAD}, so every one may be retried.
 *
 * @param method       {@code GET} or {@code HEAD}
 * @param pathAndQuery the path under the registry's base URL ({@code /v2/...}), with its query
 * @param accept       media types for the {@code Accept} header (empty: none)
 * @param range        the {@code Range} header's value, or null
 * @param scope        the token scope the request needs ({@code repository:<name>:pull}), or null
 * @param what         what the request does, for messages ("fetch manifest library/nginx:1.27")
 */
record Call(String method, String pathAndQuery, List<String> accept, String range, String scope, String what) {
    Call {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        accept = List.copyOf(accept);
        Objects.requireNonNull(what, "what");
    }

    static Call get(String pathAndQuery, List<String> accept, String scope, String what) {
        return new Call("GET", pathAndQuery, accept, null, scope, what);
    }

    static Call head(String pathAndQuery, List<String> accept, String scope, String what) {
        return new Call("HEAD", pathAndQuery, accept, null, scope, what);
    }

    Call withRange(String value) {
        return new Call(method, pathAndQuery, accept, value, scope, what);
    }

    boolean isHead() {
        return "HEAD".equals(method);
    }
}
