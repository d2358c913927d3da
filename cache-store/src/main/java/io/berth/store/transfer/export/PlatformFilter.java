package io.berth.store.transfer.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.oci.MediaTypes;
import io.berth.store.proxy.preheat.Platform;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which children of an index an export takes: every one when no platform is named; else those of
 * the named platforms ({@code linux/arm64} matches every variant, {@code linux/arm/v7} that one),
 * nested indexes (selected within when exported), and BuildKit attestation manifests of a child
 * that is taken. The index itself is exported unchanged either way, so its digest stays the
 * source's; the descriptor records which children the bundle holds.
 */
public record PlatformFilter(List<Platform> platforms) {
    private static final String REFERENCE_TYPE = "vnd.docker.reference.type";
    private static final String REFERENCE_DIGEST = "vnd.docker.reference.digest";

    public PlatformFilter {
        platforms = List.copyOf(platforms);
    }

    /** No filter: indexes whole. */
    public static PlatformFilter everything() {
        return new PlatformFilter(List.of());
    }

    /** Reads {@code os/arch[/variant]} filters; INVALID_INPUT says what is wrong with one. */
    public static PlatformFilter parse(List<String> texts) {
        return new PlatformFilter(texts.stream().map(Platform::parse).toList());
    }

    public boolean isEverything() {
        return platforms.isEmpty();
    }

    /** The digests of the index's {@code manifests} entries the filter takes. */
    Set<String> selected(JsonNode index) {
        Set<String> kept = new HashSet<>();
        for (JsonNode entry : index.path("manifests")) {
            if (isEverything() || MediaTypes.isIndex(entry.path("mediaType").asText())
                    || (!isAttestation(entry) && platforms.stream().anyMatch(p -> p.matches(entry.get("platform"))))) {
                kept.add(entry.path("digest").asText());
            }
        }
        for (JsonNode entry : index.path("manifests")) {
            if (isAttestation(entry) && kept.contains(entry.path("annotations").path(REFERENCE_DIGEST).asText())) {
                kept.add(entry.path("digest").asText());
            }
        }
        return kept;
    }

    /** An index entry's platform as {@code os/arch[/variant]}, or null when it has none. */
    static String describe(JsonNode platform) {
        if (platform == null || !platform.isObject()) {
            return null;
        }
        String variant = platform.path("variant").asText("");
        return platform.path("os").asText("?") + "/" + platform.path("architecture").asText("?")
                + (variant.isEmpty() ? "" : "/" + variant);
    }

    /** The filters as text, for the descriptor. */
    List<String> names() {
        return platforms.stream().map(Platform::toString).toList();
    }

    private static boolean isAttestation(JsonNode entry) {
        return "attestation-manifest".equals(entry.path("annotations").path(REFERENCE_TYPE).asText());
    }
}
