package io.berth.store.upstream;

import io.berth.store.upstream.UpstreamClients.Options;
import io.berth.store.upstream.UpstreamException.Kind;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * Sends requests and follows redirects by hand (the HTTP client follows none): at most
 * {@value #MAX_REDIRECTS}, to {@code http} or {@code https} only, never back to a URL already
 * visited, and with the {@code Authorization} header only on the registry's own origin, so blob
 * storage and CDNs never see credentials; a write follows only a 307 or 308 that stays on the
 * registry's origin. Transport failures become {@link UpstreamException}s:
 * no connection is {@link Kind#UNREACHABLE}, no headers in time is {@link Kind#TIMEOUT}.
 */
final class Hops {
    static final int MAX_REDIRECTS = 5;
    private static final String USER_AGENT = "Berth (upstream client)";

    private final HttpClient http;
    private final Options options;
    private final Consumer<UpstreamResponse> onRegistryAnswer;
    private final UpstreamStats stats;

    /**
     * @param onRegistryAnswer sees every answer from the registry's own origin (for its rate-limit headers)
     * @param stats            counts every request sent: its time to headers and status, or its failure
     */
    Hops(HttpClient http, Options options, Consumer<UpstreamResponse> onRegistryAnswer, UpstreamStats stats) {
        this.http = http;
        this.options = options;
        this.onRegistryAnswer = onRegistryAnswer;
        this.stats = stats;
    }

    /** Sends {@code call} to {@code uri} under the registry {@code base}, following redirects. */
    UpstreamResponse send(URI base, URI uri, Call call, Optional<String> authorization) throws UpstreamException {
        Set<URI> visited = new HashSet<>();
        visited.add(uri.normalize());
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request = request(current, call);
            if (authorization.isPresent() && CredentialBoundary.sameOrigin(base, current)) {
                request.header("Authorization", authorization.get());
            }
            UpstreamResponse response = sendOnce(request.build(), call.isHead());
            if (CredentialBoundary.sameOrigin(base, current)) {
                onRegistryAnswer.accept(response);
            }
            if (!isRedirect(response.status())) {
                return response;
            }
            Optional<String> location = response.header("Location");
            response.discard();
            URI next = target(current, location);
            if (!call.isRead()) {
                refuseWriteRedirect(base, call, response.status(), next);
            }
            if (hop + 1 > MAX_REDIRECTS) {
                throw invalid("the upstream redirected more than " + MAX_REDIRECTS + " times");
            }
            if (!visited.add(next.normalize())) {
                throw invalid("the upstream's redirects loop back to " + CredentialBoundary.origin(next));
            }
            current = next;
        }
    }

    /** Sends one request as it is, with nothing followed. */
    UpstreamResponse sendOnce(HttpRequest request, boolean head) throws UpstreamException {
        String source = CredentialBoundary.origin(request.uri());
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        long sent = System.nanoTime();
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofPublisher());
            stats.answered(response.statusCode(), System.nanoTime() - sent);
        } catch (HttpConnectTimeoutException e) {
            stats.failed(UpstreamStats.Failure.TIMEOUT);
            throw new UpstreamException(Kind.UNREACHABLE, 0, null, "no connection to " + source + " within "
                    + options.connectTimeout().toMillis() + " ms", e);
        } catch (HttpTimeoutException e) {
            stats.failed(UpstreamStats.Failure.TIMEOUT);
            throw new UpstreamException(Kind.TIMEOUT, 0, null, source + " sent no answer within "
                    + options.headersTimeout().toMillis() + " ms", e);
        } catch (ConnectException e) {
            stats.failed(UpstreamStats.Failure.REFUSED);
            throw new UpstreamException(Kind.UNREACHABLE, 0, null, "cannot connect to " + source + ": "
                    + describe(e), e);
        } catch (SSLException e) {
            stats.failed(UpstreamStats.Failure.TLS);
            throw new UpstreamException(Kind.UNREACHABLE, 0, null, "TLS with " + source + " failed: " + describe(e)
                    + " (give the endpoint its CA certificate, or turn TLS verification off)", e);
        } catch (IOException e) {
            stats.failed(UpstreamStats.Failure.RESET);
            throw new UpstreamException(Kind.UNREACHABLE, 0, null, "the connection to " + source + " failed: "
                    + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(Kind.UNREACHABLE, 0, null, "interrupted while waiting for " + source, e);
        }
        long length = head ? -1 : ResponseHeaders.contentLength(response.headers()).orElse(-1);
        StreamingBody body = new StreamingBody(length, options.idleTimeout(), source);
        response.body().subscribe(body);
        return new UpstreamResponse(response.statusCode(), response.headers(), response.uri(), body);
    }

    HttpRequest.Builder request(URI uri, Call call) {
        Call.Body body = call.body();
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .method(call.method(), body == null ? HttpRequest.BodyPublishers.noBody() : body.publisher().get())
                .timeout(body == null || body.timeout() == null ? options.headersTimeout() : body.timeout())
                .header("User-Agent", USER_AGENT);
        if (body != null) {
            builder.header("Content-Type", body.contentType());
            if (body.contentRange() != null) {
                builder.header("Content-Range", body.contentRange());
            }
        }
        if (!call.accept().isEmpty()) {
            builder.header("Accept", String.join(", ", call.accept()));
        }
        if (call.range() != null) {
            builder.header("Range", call.range());
        }
        return builder;
    }

    private static URI target(URI current, Optional<String> location) throws UpstreamException {
        if (location.isEmpty() || location.get().isBlank()) {
            throw invalid("the upstream redirected without a Location");
        }
        URI next;
        try {
            next = current.resolve(location.get().trim());
        } catch (IllegalArgumentException e) {
            throw invalid("the upstream redirected to a malformed location");
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
            throw invalid("the upstream redirected to a " + (scheme.isEmpty() ? "schemeless" : "'" + scheme + ":'")
                    + " URL; only http and https are followed");
        }
        return next;
    }

    /**
     * A write is sent again elsewhere only where the spec allows it: a 307 or 308 (which keep the
     * method and body) to the registry's own origin. Anything else would re-send an upload or a
     * manifest where Berth cannot vouch for it, or turn a PUT into a GET.
     */
    private static void refuseWriteRedirect(URI base, Call call, int status, URI next) throws UpstreamException {
        if ((status == 307 || status == 308) && CredentialBoundary.sameOrigin(base, next)) {
            return;
        }
        throw invalid("the registry answered the " + call.method() + " with a redirect (" + status + ") to "
                + CredentialBoundary.origin(next) + "; Berth follows the redirects of writes only when they are 307"
                + " or 308 and stay on the registry's own origin");
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static UpstreamException invalid(String reason) {
        return new UpstreamException(Kind.INVALID_RESPONSE, 0, null, reason, null);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
}
