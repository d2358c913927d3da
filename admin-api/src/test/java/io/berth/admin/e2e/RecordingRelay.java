package io.berth.admin.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A plain HTTP relay on 127.0.0.1 in front of one registry, which records every request it passes
 * on (method, path and query, the {@code Authorization} header): a window onto what a client sent
 * the registry. Request and response headers pass unchanged but for hop-by-hop ones, bodies are
 * streamed, redirects are passed back to the client, not followed. {@link #close()} stops it, so
 * its port then refuses connections like a registry that went away.
 */
final class RecordingRelay implements AutoCloseable {
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    /**
     * One relayed request.
     *
     * @param method        its method
     * @param pathAndQuery  its path and query
     * @param authorization its {@code Authorization} header, or null
     */
    record Request(String method, String pathAndQuery, String authorization) {}

    private final URI target;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private RecordingRelay(URI target, HttpServer server) {
        this.target = target;
        this.server = server;
    }

    /** Starts a relay to the registry at {@code targetHostPort} ({@code 127.0.0.1:port}, plain http). */
    static RecordingRelay start(String targetHostPort) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            RecordingRelay relay = new RecordingRelay(URI.create("http://" + targetHostPort), server);
            server.createContext("/", relay::relay);
            server.setExecutor(relay.threads);
            server.start();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:port}: where clients reach the registry through the relay. */
    String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request relayed so far, oldest first. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String pathAndQuery = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            requests.add(new Request(method, pathAndQuery, exchange.getRequestHeaders().getFirst("Authorization")));
            HttpRequest.Builder out = HttpRequest.newBuilder(target.resolve(pathAndQuery))
                    .method(method, method.equals("GET") || method.equals("HEAD")
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> out.header(name, v));
                }
            });
            HttpResponse<InputStream> answer;
            try {
                answer = http.send(out.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.startsWith(":") && (!NOT_FORWARDED.contains(lower) || lower.equals("content-length")
                        && method.equals("HEAD"))) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            OptionalLong length = answer.headers().firstValueAsLong("Content-Length");
            boolean bodiless = method.equals("HEAD") || answer.statusCode() == 204 || answer.statusCode() == 304
                    || length.orElse(-1) == 0;
            // HttpServer's length argument: -1 no body, 0 chunked (length unknown), else the length
            exchange.sendResponseHeaders(answer.statusCode(), bodiless ? -1 : length.orElse(0));
            try (InputStream in = answer.body(); OutputStream body = exchange.getResponseBody()) {
                if (!bodiless) {
                    in.transferTo(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.close();
    }
}
