package io.berth.admin.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Calls to a running Berth's admin API ({@code /api/v1}) as its initial admin, with Basic credentials. */
final class AdminCalls {
    private AdminCalls() {
    }

    /** {@code method path} with {@code json} (null: no body); the status must be {@code status}; the JSON answer or null. */
    static JsonNode call(BerthProcess berth, String method, String path, String json, int status) {
        V2Client client = V2Client.anonymous(berth.admin());
        HttpRequest.Builder request = client.request(path).header("Accept", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        berth.adminCredentials().getBytes(StandardCharsets.UTF_8)));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> r = client.send(request.method(method, json == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build());
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(status, r.statusCode(), () -> method + " " + path + " " + (json == null ? "" : json) + ": " + body);
        return body.isBlank() ? null : V2Client.parse(r.body());
    }
}
