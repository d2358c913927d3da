package io.berth.store.transfer.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.oci.Digest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an OCI image layout: every {@code blobs/<alg>/<hex>} file is held under its digest, and
 * {@code index.json}'s entries are the roots, walked (nested indexes too) for media types. Names
 * come from the {@code io.containerd.image.name} annotation (a full reference) or, without it,
 * {@code org.opencontainers.image.ref.name} (a reference or a bare tag). A {@code null}
 * {@code manifests} (docker 25.0 saving by digest) reads as no entries.
 */
final class OciLayoutReader {
    static final String INDEX = "index.json";
    static final String LAYOUT = "oci-layout";
    static final String CONTAINERD_NAME = "io.containerd.image.name";
    static final String REF_NAME = "org.opencontainers.image.ref.name";

    /** One entry of index.json. */
    record Root(Digest digest, String mediaType, long size, List<String> names) {
    }

    private OciLayoutReader() {
    }

    /** Holds the layout's blobs, walks index.json, and returns its entries in order. */
    static List<Root> read(ContentBuilder content) throws IOException {
        ArchiveFiles files = content.files();
        for (String name : files.names()) {
            blobDigest(name).ifPresent(d -> content.addFile(d, name, files.size(name).orElse(0L)));
        }
        JsonNode index = ManifestWalker.parse(content.readSmall(INDEX, INDEX), INDEX + " in " + files.describe());
        List<Root> roots = new ArrayList<>();
        ManifestWalker walker = new ManifestWalker(content);
        for (JsonNode entry : index.path("manifests")) {
            Optional<Digest> digest = ManifestWalker.digestOf(entry);
            if (digest.isEmpty()) {
                throw new ArchiveException("an entry of " + INDEX + " in " + files.describe() + " has no valid digest ("
                        + entry + "): the archive is damaged; write it again");
            }
            String mediaType = ManifestWalker.textOrNull(entry, "mediaType");
            walker.walk(digest.get(), mediaType);
            if (mediaType == null) {
                mediaType = content.entry(digest.get()).map(ArchiveEntry::mediaType).orElse(null);
            }
            if (mediaType == null) {
                throw new ArchiveException("entry " + digest.get() + " of " + INDEX + " in " + files.describe()
                        + " has no media type and the archive lacks its manifest: write the archive again");
            }
            roots.add(new Root(digest.get(), mediaType, entry.path("size").asLong(-1), namesOf(entry)));
        }
        return roots;
    }

    private static List<String> namesOf(JsonNode entry) {
        JsonNode annotations = entry.path("annotations");
        String full = ManifestWalker.textOrNull(annotations, CONTAINERD_NAME);
        if (full != null && !full.isBlank()) {
            return List.of(full);
        }
        String ref = ManifestWalker.textOrNull(annotations, REF_NAME);
        return ref != null && !ref.isBlank() ? List.of(ref) : List.of();
    }

    /** {@code blobs/sha256/<hex>} → {@code sha256:<hex>}; anything else (or an invalid hex) → empty. */
    static Optional<Digest> blobDigest(String path) {
        String[] parts = path.split("/");
        if (parts.length != 3 || !parts[0].equals("blobs")) {
            return Optional.empty();
        }
        return Digest.tryParse(parts[1] + ":" + parts[2]);
    }
}
