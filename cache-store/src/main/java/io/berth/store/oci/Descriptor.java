package io.berth.store.oci;

import java.util.Objects;

/**
 * What a manifest says about content it references: media type, digest and size, and for
 * referrers the artifact type and annotations (kept as the JSON object text they arrived as).
 */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType, String annotationsJson) {
    public Descriptor {
        Objects.requireNonNull(digest, "digest");
    }
}
