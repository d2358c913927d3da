package io.berth.store.manifest;

import io.berth.store.oci.Descriptor;
import io.berth.store.oci.MediaTypes;

import java.util.List;

/**
 * What the store needs to know about a pushed manifest: its resolved media type, the blobs it
 * needs (config and distributable layers), the child manifests of an index, its subject, and the
 * artifact type the referrers API reports for it.
 *
 * @param mediaType     the resolved manifest media type
 * @param blobs         config and layers that must exist in the repository
 * @param children      manifests an index points to
 * @param subject       the manifest this one refers to, or null
 * @param artifactType  {@code artifactType}, else the config media type, else null
 * @param annotationsJson the manifest's annotations as JSON object text, or null
 */
public record ParsedManifest(String mediaType, List<Descriptor> blobs, List<Descriptor> children,
                             Descriptor subject, String artifactType, String annotationsJson) {
    public ParsedManifest {
        blobs = List.copyOf(blobs);
        children = List.copyOf(children);
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }
}
