package io.berth.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Assertions on what the OCI distribution spec says a response must look like, above all the
 * error body: {@code {"errors":[{"code":…,"message":…}]}}, served as JSON, whose code is one
 * identifier of uppercase letters and underscores.
 */
public final class OciAssertions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciAssertions() {
    }

    /** The response has {@code status} and an error body whose (first) code is {@code code}. */
    public static JsonNode assertError(HttpResponse<byte[]> response, int status, String code) {
        String context = response.request().method() + " " + response.uri() + " -> " + response.statusCode() + " "
                + TestContent.text(response.body());
        assertEquals(status, response.statusCode(), context);
        assertJsonContentType(response.headers().firstValue("Content-Type"), context);
        assertEquals("registry/2.0", response.headers().firstValue("Docker-Distribution-API-Version").orElse(null),
                () -> "errors carry the API version header too: " + context);
        return assertErrorBody(response.body(), response.statusCode(), code, context);
    }

    /** As {@link #assertError(HttpResponse, int, String)}, for a response read off a raw socket. */
    public static JsonNode assertError(RawResponse response, int status, String code) {
        String context = response.toString();
        assertEquals(status, response.status(), context);
        assertJsonContentType(response.header("Content-Type"), context);
        return assertErrorBody(response.body(), response.status(), code, context);
    }

    /** The codes the spec allows ("MUST be one of"); a server failure is not a client error and has none. */
    private static final java.util.Set<String> SPEC_CODES = java.util.Set.of("BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID",
            "BLOB_UPLOAD_UNKNOWN", "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "MANIFEST_INVALID", "MANIFEST_UNKNOWN",
            "NAME_INVALID", "NAME_UNKNOWN", "SIZE_INVALID", "UNAUTHORIZED", "DENIED", "UNSUPPORTED", "TOOMANYREQUESTS");
    /**
     * The registry's own failures, outside the spec's list: Distribution's codes for them, which
     * docker and containerd know. Only with a 5xx status.
     */
    private static final java.util.Set<String> SERVER_CODES = java.util.Set.of("UNKNOWN", "UNAVAILABLE");

    /** The error body of the spec, with {@code code} first; returns the first entry. */
    public static JsonNode assertErrorBody(byte[] body, int status, String code, String context) {
        JsonNode root = json(body);
        assertTrue(root.isObject(), () -> "error body is not a JSON object: " + context);
        JsonNode errors = root.get("errors");
        assertTrue(errors != null && errors.isArray() && !errors.isEmpty(),
                () -> "error body has no non-empty \"errors\" array: " + context);
        for (JsonNode entry : errors) {
            assertTrue(entry.isObject(), () -> "error entry is not an object: " + context);
            JsonNode c = entry.get("code");
            assertTrue(c != null && c.isTextual() && (SPEC_CODES.contains(c.asText())
                            || SERVER_CODES.contains(c.asText()) && status >= 500),
                    () -> "error code must be one of the OCI distribution spec's " + SPEC_CODES + " (or, for the"
                            + " registry's own failures, " + SERVER_CODES + "): " + context);
            JsonNode message = entry.get("message");
            assertTrue(message != null && message.isTextual(), () -> "error entry has no message: " + context);
        }
        assertEquals(code, errors.get(0).get("code").asText(), context);
        return errors.get(0);
    }

    private static void assertJsonContentType(Optional<String> contentType, String context) {
        assertTrue(contentType.isPresent() && contentType.get().startsWith("application/json"),
                () -> "error responses are served as application/json: " + context);
    }

    /** A status-only check with the body in the failure message. */
    public static void assertStatus(int status, HttpResponse<byte[]> response) {
        assertEquals(status, response.statusCode(), () -> response.request().method() + " " + response.uri()
                + " -> " + TestContent.text(response.body()));
    }

    /** The value of a header the response must have. */
    public static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseGet(() -> fail("response to " + response.request().method()
                + " " + response.uri() + " has no " + name + " header; it has " + response.headers().map()));
    }

    public static void assertHeader(String expected, HttpResponse<?> response, String name) {
        assertEquals(expected, header(response, name), name + " of " + response.request().method() + " "
                + response.uri());
    }

    public static void assertNoHeader(HttpResponse<?> response, String name) {
        assertTrue(response.headers().firstValue(name).isEmpty(), () -> "unexpected " + name + " header: "
                + response.headers().firstValue(name).orElse(""));
    }

    public static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return fail("body is not JSON: " + TestContent.text(body), e);
        }
    }

    /** The strings of a JSON array field. */
    public static List<String> strings(JsonNode node, String field) {
        JsonNode array = node.get(field);
        assertTrue(array != null && array.isArray(), () -> "\"" + field + "\" is not an array in " + node);
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
