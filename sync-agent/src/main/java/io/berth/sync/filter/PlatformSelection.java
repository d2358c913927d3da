package io.berth.sync.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.oci.MediaTypes;
import io.berth.store.proxy.preheat.Platform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which children of an image index a policy copies: those of the platforms it names (all when it
 * names none). The index itself is copied unchanged; only its children are selected.
 * <ul>
 *   <li>a child whose {@code platform} is one of them passes ({@code linux/arm64} matches every
 *       variant of it, {@code linux/arm/v7} that variant only);</li>
 *   <li>a nested index passes: it has no platform of its own, and its children are selected when
 *       it is copied;</li>
 *   <li>an attestation manifest (BuildKit's, annotated {@code vnd.docker.reference.type:
 *       attestation-manifest}, platform {@code unknown/unknown}) passes when the child it describes
 *       ({@code vnd.docker.reference.digest}) does;</li>
 *   <li>any other child without a platform does not.</li>
 * </ul>
 */
public final class PlatformSelection {
    private static final String REFERENCE_TYPE = "vnd.docker.reference.type";
    private static final String REFERENCE_DIGEST = "vnd.docker.reference.digest";

    private final List<Platform> platforms;

    PlatformSelection(List<Platform> platforms) {
        this.platforms = List.copyOf(platforms);
    }

    /** Whether it names no platform, and so keeps every child. */
    public boolean isEverything() {
        return platforms.isEmpty();
    }

    /** The platforms it keeps, as given. */
    public List<Platform> platforms() {
        return platforms;
    }

    /** Whether an index entry's {@code platform} object (null when it has none) is one of the platforms. */
    public boolean passes(JsonNode platform) {
        return isEverything() || platforms.stream().anyMatch(p -> p.matches(platform));
    }

    /** The entries of the index's {@code manifests} that pass, in the index's order. */
    public List<JsonNode> children(JsonNode index) {
        JsonNode entries = index.path("manifests");
        List<JsonNode> kept = new ArrayList<>();
        Set<String> keptDigests = new HashSet<>();
        for (JsonNode entry : entries) {
            if (isEverything() || MediaTypes.isIndex(entry.path("mediaType").asText())
                    || (!isAttestation(entry) && platforms.stream().anyMatch(p -> p.matches(entry.get("platform"))))) {
                keptDigests.add(entry.path("digest").asText());
            }
        }
        for (JsonNode entry : entries) {
            String digest = entry.path("digest").asText();
            if (keptDigests.contains(digest)
                    || isAttestation(entry) && keptDigests.contains(entry.path("annotations").path(REFERENCE_DIGEST)
                    .asText())) {
                kept.add(entry);
            }
        }
        return kept;
    }

    private static boolean isAttestation(JsonNode entry) {
        return "attestation-manifest".equals(entry.path("annotations").path(REFERENCE_TYPE).asText());
    }

    @Override
    public String toString() {
        return isEverything() ? "every platform" : platforms.toString();
    }
}
