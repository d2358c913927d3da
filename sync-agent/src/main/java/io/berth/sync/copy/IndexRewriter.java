package io.berth.sync.copy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.store.upstream.Upstream.Manifest;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes the index a policy's {@code rewriteSparseIndex} pushes in place of one its platform filter
 * leaves sparse: the source index with every field as it was ({@code mediaType},
 * {@code artifactType}, {@code annotations}, {@code subject}, in their order) and only the selected
 * entries in {@code manifests}, each as the source wrote it except for the digest and size of a
 * nested index that was itself rewritten. Its digest is not the source's.
 */
final class IndexRewriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IndexRewriter() {
    }

    /** The entry for a child, pointing at {@code written} (the child as pushed to the destination). */
    static JsonNode entry(JsonNode sourceEntry, Manifest written) {
        if (sourceEntry.path("digest").asText().equals(written.digest().toString())) {
            return sourceEntry;
        }
        ObjectNode entry = sourceEntry.deepCopy();
        entry.put("digest", written.digest().toString());
        entry.put("size", written.bytes().length);
        return entry;
    }

    /** The index's bytes with {@code entries} as its {@code manifests}. */
    static byte[] rewrite(JsonNode index, List<JsonNode> entries) {
        ObjectNode copy = index.deepCopy();
        ArrayNode manifests = copy.putArray("manifests"); // replaces the value, keeps the field where it was
        entries.forEach(manifests::add);
        try {
            return JSON.writeValueAsBytes(copy);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
