package io.berth.store.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.util.List;

/**
 * The answer of the referrers API: an OCI image index whose {@code manifests} are the referrers'
 * descriptors, each with its artifact type and annotations when it has them.
 */
public final class ReferrersIndex {
    private ReferrersIndex() {
    }

    /** The index listing {@code referrers}, in their order. */
    public static ObjectNode of(List<Descriptor> referrers) {
        ObjectNode index = JsonNodeFactory.instance.objectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (Descriptor d : referrers) {
            ObjectNode entry = manifests.addObject();
            entry.put("mediaType", d.mediaType());
            entry.put("digest", d.digest().toString());
            entry.put("size", d.size());
            if (d.artifactType() != null) {
                entry.put("artifactType", d.artifactType());
            }
            if (d.annotationsJson() != null) {
                entry.putRawValue("annotations", new RawValue(d.annotationsJson()));
            }
        }
        return index;
    }
}
