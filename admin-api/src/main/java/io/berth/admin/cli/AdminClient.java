package io.berth.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The command line's way into a running Berth: the admin API over HTTP, signed in with Basic
 * credentials. Error bodies ({@code {"errors":[{"code","message"}]}}) become a {@link CliException}
 * carrying their message.
 */
final class AdminClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The most a listing gives per page. */
    private static final int PAGE_SIZE = 100;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String authorization;

    AdminClient(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    /** Every entry of a paged listing ({@code path} without paging parameters), page after page. */
    ArrayNode getAll(String path) {
        ArrayNode all = JSON.createArrayNode();
        String separator = path.contains("?") ? "&" : "?";
        for (int page = 1; ; page++) {
            JsonNode entries = get(path + separator + "page=" + page + "&page_size=" + PAGE_SIZE);
            entries.forEach(all::add);
            if (entries.size() < PAGE_SIZE) {
                return all;
            }
        }
    }

    JsonNode post(String path, ObjectNode body) {
        return send("POST", path, body);
    }

    JsonNode put(String path, ObjectNode body) {
        return send("PUT", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** A path segment, escaped (robot names carry {@code $} and {@code +}). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, ObjectNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1" + path))
                .timeout(Duration.ofMinutes(1))
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CliException("cannot reach Berth's admin API at " + baseUrl + ": is the server running? (--url or"
                    + " BERTH_URL names another)");
        } catch (IOException e) {
            throw new CliException("the admin API at " + baseUrl + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() >= 400) {
            throw new CliException(message(response.statusCode(), answer));
        }
        return answer;
    }

    @Override
    public void close() {
        http.close();
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    private static String message(int status, JsonNode answer) {
        JsonNode errors = answer.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            StringBuilder b = new StringBuilder();
            errors.forEach(e -> b.append(b.isEmpty() ? "" : "; ").append(e.path("message").asText(e.toString())));
            return b.toString() + " (" + status + " " + errors.get(0).path("code").asText("") + ")";
        }
        return "the admin API answered " + status + (answer.isNull() ? "" : ": " + answer);
    }
}
