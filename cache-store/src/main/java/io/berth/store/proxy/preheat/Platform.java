package io.berth.store.proxy.preheat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.regex.Pattern;

/**
 * A platform filter of a preheat, {@code os/architecture[/variant]} as docker's {@code --platform}
 * takes it ({@code linux/amd64}, {@code linux/arm/v7}). It matches an index child whose platform
 * has that OS and architecture, and that variant when one is given.
 */
public record Platform(String os, String architecture, String variant) {
    private static final Pattern PART = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

    /** Reads a filter; INVALID_INPUT names it and says what is wrong. */
    public static Platform parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw invalid(text);
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                throw invalid(text);
            }
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** Whether an index entry's {@code platform} object (or null when it has none) is this one. */
    public boolean matches(JsonNode platform) {
        if (platform == null || !platform.isObject()) {
            return false;
        }
        return os.equals(platform.path("os").asText()) && architecture.equals(platform.path("architecture").asText())
                && (variant == null || variant.equals(platform.path("variant").asText()));
    }

    /** An index entry's platform as this type writes it, or {@code unknown} when it has none. */
    static String describe(JsonNode platform) {
        if (platform == null || !platform.isObject()) {
            return "unknown";
        }
        String variant = platform.path("variant").asText("");
        return platform.path("os").asText("?") + "/" + platform.path("architecture").asText("?")
                + (variant.isEmpty() ? "" : "/" + variant);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }

    private static RegistryException invalid(String text) {
        return new RegistryException(ErrorCode.INVALID_INPUT, "platform '" + text + "' is not one: write"
                + " os/architecture[/variant] in lower case, e.g. linux/amd64 or linux/arm64/v8");
    }
}
