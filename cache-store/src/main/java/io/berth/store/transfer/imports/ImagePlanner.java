package io.berth.store.transfer.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;
import io.berth.store.transfer.BundleDescriptor;
import io.berth.store.transfer.archive.ArchiveContent;
import io.berth.store.transfer.archive.ArchiveEntry;
import io.berth.store.transfer.archive.ArchiveImage;
import io.berth.store.transfer.imports.ImagePlan.Blob;
import io.berth.store.transfer.imports.ImagePlan.Manifest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plans one image of an archive: walks its manifests from the root (reading each whole, at most
 * 4 MiB, and checking it against its digest), collects the blobs they name, and adds the referrers
 * and fallback tags {@code berth-bundle.json} lists for it. A manifest whose bytes are not its
 * digest fails the image here, before anything is pushed.
 */
final class ImagePlanner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MANIFEST = 4 << 20;

    private final ArchiveContent archive;
    private final BundleDescriptor descriptor;
    private final Set<Digest> unselected = new HashSet<>();

    /** @param descriptor the archive's {@code berth-bundle.json}, or null when it has none */
    ImagePlanner(ArchiveContent archive, BundleDescriptor descriptor) {
        this.archive = archive;
        this.descriptor = descriptor;
        if (descriptor != null) {
            for (BundleDescriptor.Image image : descriptor.images()) {
                for (BundleDescriptor.Child child : image.children()) {
                    if (!child.selected()) {
                        Digest.tryParse(child.digest()).ifPresent(unselected::add);
                    }
                }
            }
        }
    }

    ImagePlan plan(ArchiveImage image, String label, List<Target> targets) throws ImportException {
        Walk walk = new Walk(label);
        walk.manifest(image.digest(), image.mediaType(), image.size(), walk.manifests);
        List<BundleDescriptor.Referrer> referrers = new ArrayList<>();
        Map<String, Manifest> fallbackTags = new LinkedHashMap<>();
        if (descriptor != null) {
            for (BundleDescriptor.Image described : descriptor.images()) {
                if (described.digest() != null && described.digest().equals(image.digest().toString())) {
                    referrers.addAll(described.referrers());
                    for (Map.Entry<String, String> tag : described.fallbackTags().entrySet()) {
                        Digest index = Digest.tryParse(tag.getValue()).orElseThrow(() -> new ImportException(
                                "berth-bundle.json gives the fallback tag " + tag.getKey() + " of " + label
                                        + " an invalid digest: the bundle is damaged; export it again"));
                        fallbackTags.putIfAbsent(tag.getKey(), walk.read(index, MediaTypes.OCI_INDEX, -1, false));
                    }
                }
            }
        }
        for (BundleDescriptor.Referrer r : subjectsFirst(referrers, walk.seen)) {
            Digest digest = Digest.tryParse(r.digest()).orElseThrow(() -> new ImportException("berth-bundle.json"
                    + " lists a referrer of " + label + " with an invalid digest: the bundle is damaged; export it again"));
            walk.manifest(digest, r.mediaType(), r.size(), walk.referrers);
        }
        return new ImagePlan(image, label, targets, walk.blobs, walk.manifests, walk.referrers, fallbackTags);
    }

    /** Referrers ordered so that each comes after its subject (a signature of an SBOM after the SBOM). */
    private static List<BundleDescriptor.Referrer> subjectsFirst(List<BundleDescriptor.Referrer> referrers,
                                                                 Set<Digest> placed) {
        Set<String> done = new HashSet<>();
        placed.forEach(d -> done.add(d.toString()));
        List<BundleDescriptor.Referrer> left = new ArrayList<>(referrers);
        List<BundleDescriptor.Referrer> ordered = new ArrayList<>();
        while (!left.isEmpty()) {
            boolean moved = false;
            for (var it = left.iterator(); it.hasNext(); ) {
                BundleDescriptor.Referrer r = it.next();
                if (r.subject() == null || done.contains(r.subject())) {
                    ordered.add(r);
                    done.add(r.digest());
                    it.remove();
                    moved = true;
                }
            }
            if (!moved) {
                ordered.addAll(left);
                break;
            }
        }
        return ordered;
    }

    /** One walk of an image's manifests. */
    private final class Walk {
        final String label;
        final Set<Digest> seen = new HashSet<>();
        final Set<Digest> blobSeen = new HashSet<>();
        final List<Blob> blobs = new ArrayList<>();
        final List<Manifest> manifests = new ArrayList<>();
        final List<Manifest> referrers = new ArrayList<>();

        Walk(String label) {
            this.label = label;
        }

        void manifest(Digest digest, String mediaType, long size, List<Manifest> into) throws ImportException {
            if (!seen.add(digest)) {
                return;
            }
            Manifest m = read(digest, mediaType, size, unselected.contains(digest));
            if (m.bytes() != null) {
                JsonNode json = parse(m);
                if (json.path("manifests").isArray()) {
                    for (JsonNode child : json.path("manifests")) {
                        manifest(digestOf(child, m), text(child, "mediaType"), child.path("size").asLong(-1), into);
                    }
                } else {
                    blob(json.path("config"), m);
                    for (JsonNode layer : json.path("layers")) {
                        blob(layer, m);
                    }
                }
            }
            into.add(m);
        }

        Manifest read(Digest digest, String mediaType, long size, boolean optional) throws ImportException {
            Optional<ArchiveEntry> entry = archive.entry(digest);
            if (entry.isEmpty()) {
                return new Manifest(digest, mediaType, size, null, optional);
            }
            byte[] bytes;
            try (InputStream in = archive.open(digest)) {
                bytes = in.readNBytes(MAX_MANIFEST + 1);
            } catch (IOException e) {
                throw new ImportException("image " + label + ": manifest " + digest + " cannot be read from "
                        + archive.source() + ": " + e.getMessage(), e);
            }
            Digest actual = Digest.of(digest.algorithm(), digest.algorithm().newHasher().digest(bytes));
            if (bytes.length > MAX_MANIFEST || !actual.equals(digest)) {
                throw new ImportException("image " + label + ": manifest " + digest + " in " + archive.source()
                        + " is not what its digest says (its bytes hash to " + actual + "): the archive is damaged;"
                        + " write it again. Nothing was tagged for this image");
            }
            String type = mediaType;
            if (type == null) {
                type = entry.get().mediaType();
            }
            if (type == null) {
                JsonNode declared = parse(new Manifest(digest, null, bytes.length, bytes, optional)).get("mediaType");
                type = declared != null && declared.isTextual() ? declared.asText() : MediaTypes.OCI_MANIFEST;
            }
            return new Manifest(digest, type, bytes.length, bytes, optional);
        }

        private void blob(JsonNode descriptor, Manifest of) throws ImportException {
            if (descriptor.isMissingNode() || descriptor.isNull()) {
                return;
            }
            Digest digest = digestOf(descriptor, of);
            if (!blobSeen.add(digest)) {
                return;
            }
            String mediaType = text(descriptor, "mediaType");
            Optional<ArchiveEntry> entry = archive.entry(digest);
            blobs.add(new Blob(digest, descriptor.path("size").asLong(-1), mediaType, entry.isPresent(),
                    entry.map(ArchiveEntry::size).orElse(-1L),
                    mediaType == null || !MediaTypes.NON_DISTRIBUTABLE_LAYERS.contains(mediaType)));
        }

        private JsonNode parse(Manifest m) throws ImportException {
            try {
                return JSON.readTree(m.bytes());
            } catch (IOException e) {
                throw new ImportException("image " + label + ": manifest " + m.digest() + " is not valid JSON: the"
                        + " archive is damaged; write it again", e);
            }
        }

        private Digest digestOf(JsonNode descriptor, Manifest in) throws ImportException {
            return Digest.tryParse(text(descriptor, "digest")).orElseThrow(() -> new ImportException("image " + label
                    + ": manifest " + in.digest() + " names an invalid digest (" + descriptor.path("digest")
                    + "): the archive is damaged; write it again"));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
