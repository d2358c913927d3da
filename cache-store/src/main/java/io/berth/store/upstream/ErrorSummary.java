package io.berth.store.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An upstream's error body in one line for a message: the registry's {@code errors} (code and
 * message of each), a token service's {@code details} or OAuth {@code error_description}, or a
 * short plain-text body. HTML pages and anything unreadable give an empty summary; the result is
 * cut to a few hundred characters. It only ever holds what the upstream sent, never what Berth sent.
 */
final class ErrorSummary {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LENGTH = 300;

    private ErrorSummary() {
    }

    static String of(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        List<String> parts = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(text);
            if (root != null && root.path("errors").isArray()) {
                for (JsonNode error : root.path("errors")) {
                    String code = error.path("code").asText("");
                    String message = error.path("message").asText("");
                    parts.add(code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message);
                }
            } else if (root != null && root.isObject()) {
                for (String field : List.of("details", "error_description", "error", "message")) {
                    if (root.path(field).isTextual()) {
                        parts.add(root.path(field).asText());
                        break;
                    }
                }
            }
        } catch (IOException notJson) {
            if (!text.contains("<") && text.length() <= MAX_LENGTH) {
                parts.add(text.replaceAll("\\s+", " "));
            }
        }
        return cut(String.join("; ", parts.stream().filter(p -> !p.isBlank()).toList()));
    }

    /** The code of the first of the registry's {@code errors}, when the body has one. */
    static Optional<String> firstCode(byte[] body) {
        try {
            JsonNode root = body == null || body.length == 0 ? null : JSON.readTree(body);
            if (root != null) {
                for (JsonNode error : root.path("errors")) {
                    String code = error.path("code").asText("").strip();
                    if (!code.isEmpty()) {
                        return Optional.of(code.length() > 64 ? code.substring(0, 64) : code);
                    }
                }
            }
        } catch (IOException notJson) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Whether the body is Docker Hub's pull-rate-limit error ({@code TOOMANYREQUESTS}). */
    static boolean isPullRateLimit(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null) {
                for (JsonNode error : root.path("errors")) {
                    if ("TOOMANYREQUESTS".equals(error.path("code").asText())) {
                        return true;
                    }
                }
            }
        } catch (IOException notJson) {
            return false;
        }
        return false;
    }

    private static String cut(String s) {
        String oneLine = s.replaceAll("[\\r\\n\\t]+", " ");
        return oneLine.length() <= MAX_LENGTH ? oneLine : oneLine.substring(0, MAX_LENGTH) + "…";
    }
}
