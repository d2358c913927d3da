package io.berth.store.transfer.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.store.oci.MediaTypes;
import io.berth.store.transfer.BundleDescriptor;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The OCI image layout's own files: {@code oci-layout}, and {@code index.json} with one entry per
 * exported image, annotated with {@code org.opencontainers.image.ref.name} and
 * {@code io.containerd.image.name}, both the full reference, source registry included
 * ({@code host/repo:tag}; the annotation's grammar allows {@code :} and {@code /}): {@code ctr import}
 * and {@code docker load} name the image by the second, {@code skopeo copy oci-archive:FILE:REF}
 * looks up the first, and a bare tag would be ambiguous in a bundle of several repositories
 * tagged alike. An image exported by digest has no ref.name. Referrers are not listed in it (a reader
 * that takes every entry for an image would stumble on them): the descriptor lists them.
 */
final class LayoutFiles {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LayoutFiles() {
    }

    static byte[] ociLayout() {
        return "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    }

    static byte[] index(List<ExportPlan.PlannedImage> images) {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (ExportPlan.PlannedImage planned : images) {
            BundleDescriptor.Image image = planned.image();
            ObjectNode entry = manifests.addObject();
            entry.put("mediaType", image.mediaType());
            entry.put("digest", image.digest());
            entry.put("size", image.size());
            ObjectNode annotations = entry.putObject("annotations");
            annotations.put(CONTAINERD_NAME, planned.containerdName());
            if (planned.refName() != null) {
                annotations.put(REF_NAME, planned.refName());
            }
        }
        try {
            return JSON.writeValueAsBytes(index);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write index.json", e);
        }
    }
}
