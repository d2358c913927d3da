package io.berth.store.transfer.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.store.oci.MediaTypes;
import io.berth.store.transfer.imports.ImagePlan.Manifest;
import io.berth.store.transfer.imports.ImportListener.Action;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamWriter;

import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The OCI referrers fallback tag ({@code sha256-<hex>}) of a subject at a registry without the
 * referrers API: the bundle's index put when the registry has none, merged with the registry's own
 * when it lists other referrers (theirs kept, the bundle's added), left alone when it already lists
 * every one.
 */
final class FallbackTags {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FallbackTags() {
    }

    /** What was done, or empty when the archive lacks the index (nothing to say). */
    static Optional<Action> put(Upstream reader, UpstreamWriter writer, String repository, String tag,
                                Manifest index, boolean dryRun) throws UpstreamException {
        if (index.bytes() == null) {
            return Optional.empty();
        }
        Optional<Upstream.Manifest> existing = reader.getManifest(repository, tag, 4 << 20);
        byte[] bytes = index.bytes();
        if (existing.isPresent()) {
            if (existing.get().digest().equals(index.digest())) {
                return Optional.of(Action.PRESENT);
            }
            Optional<byte[]> merged = merge(existing.get().bytes(), index.bytes());
            if (merged.isEmpty()) {
                return Optional.of(Action.PRESENT);
            }
            bytes = merged.get();
        }
        if (dryRun) {
            return Optional.of(Action.WOULD_PUSH);
        }
        writer.putManifest(repository, tag, MediaTypes.OCI_INDEX, bytes);
        return Optional.of(Action.PUSHED);
    }

    /** The registry's index with the bundle's entries it lacks added; empty when it lacks none (or is unreadable). */
    private static Optional<byte[]> merge(byte[] theirs, byte[] ours) {
        try {
            JsonNode held = JSON.readTree(theirs);
            JsonNode given = JSON.readTree(ours);
            if (!(held instanceof ObjectNode target) || !held.path("manifests").isArray()) {
                return Optional.of(ours);
            }
            Set<String> listed = new HashSet<>();
            held.path("manifests").forEach(e -> listed.add(e.path("digest").asText()));
            ArrayNode entries = (ArrayNode) target.get("manifests");
            boolean added = false;
            for (JsonNode entry : given.path("manifests")) {
                if (listed.add(entry.path("digest").asText())) {
                    entries.add(entry);
                    added = true;
                }
            }
            return added ? Optional.of(JSON.writeValueAsBytes(target)) : Optional.empty();
        } catch (IOException e) {
            return Optional.of(ours);
        }
    }
}
