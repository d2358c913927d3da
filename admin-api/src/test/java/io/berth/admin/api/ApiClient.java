package io.berth.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client of the admin API for tests: requests as one caller (an {@code Authorization} value, or
 * none), JSON bodies from key-value pairs, and answers with their status, headers and JSON.
 */
public final class ApiClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP/1.1, as Jetty's connector speaks it here (no h2c upgrade attempts on plain HTTP). */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String base;
    private final String authorization;

    public ApiClient(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** The same API as another caller. */
    public ApiClient as(String authorization) {
        return new ApiClient(base, authorization);
    }

    public ApiClient anonymous() {
        return as(null);
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON object of alternating keys and values, in that order (nulls kept). */
    public static String json(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        try {
            return JSON.writeValueAsString(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Answer get(String path) {
        return send("GET", path, null, null);
    }

    public Answer post(String path, String body) {
        return send("POST", path, body, "application/json");
    }

    public Answer put(String path, String body) {
        return send("PUT", path, body, "application/json");
    }

    public Answer patch(String path) {
        return send("PATCH", path, null, null);
    }

    public Answer delete(String path) {
        return send("DELETE", path, null, null);
    }

    /** Any request: method, path, raw body and its content type (both may be null). */
    public Answer send(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response;
            try {
                response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                    throw e;
                }
                // A pooled connection the server had just closed: the request never got an answer. Once
                // more on a new connection (a POST that did arrive would then show as a 409 in the test).
                response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
            return new Answer(method + " " + path, response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer: status, headers, the body as text and as JSON (null when empty or not JSON). */
    public record Answer(String call, int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return body.isEmpty() ? null : JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The {@code code} of the one error in the body. */
        public String errorCode() {
            return json().path("errors").path(0).path("code").asText();
        }

        public String errorMessage() {
            return json().path("errors").path(0).path("message").asText();
        }

        @Override
        public String toString() {
            return call + " -> " + status + " " + body;
        }
    }
}
