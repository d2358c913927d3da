package io.berth.store.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The OCI referrers tag schema, for registries without the referrers API (CNCF Distribution 2.8): the
 * referrers of a manifest are listed in an image index tagged {@code <alg>-<hex>} of its digest,
 * which whoever pushes a referrer keeps up to date (the spec's "pushing manifests with subject"):
 * replication and imports into such registries.
 */
public final class FallbackTag {
    public static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FallbackTag() {
    }

    /** The tag that lists the referrers of {@code subject}. */
    public static String of(Digest subject) {
        return subject.algorithm().prefix() + "-" + subject.hex();
    }

    /**
     * The index to tag: the listing as it is when the destination has none yet, else the
     * destination's index with the listing's descriptors it lacks appended (what others pushed
     * stays); empty when it lists them all already.
     */
    public static Optional<byte[]> merge(Optional<byte[]> existing, byte[] listing) throws IOException {
        if (existing.isEmpty()) {
            return Optional.of(listing);
        }
        JsonNode there = JSON.readTree(existing.get());
        if (!(there instanceof ObjectNode index) || !(index.get("manifests") instanceof ArrayNode manifests)) {
            return Optional.of(listing); // not an index: the tag is replaced by one
        }
        Set<String> listed = new HashSet<>();
        manifests.forEach(m -> listed.add(m.path("digest").asText()));
        boolean added = false;
        for (JsonNode descriptor : JSON.readTree(listing).path("manifests")) {
            if (listed.add(descriptor.path("digest").asText())) {
                manifests.add(descriptor);
                added = true;
            }
        }
        return added ? Optional.of(JSON.writeValueAsBytes(index)) : Optional.empty();
    }
}
