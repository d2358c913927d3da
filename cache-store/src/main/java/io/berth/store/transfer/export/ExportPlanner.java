package io.berth.store.transfer.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.error.RegistryException;
import io.berth.store.manifest.ManifestParser;
import io.berth.store.manifest.ParsedManifest;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.FallbackTag;
import io.berth.store.transfer.BundleDescriptor;
import io.berth.store.transfer.export.ExportPlan.Entry;
import io.berth.store.transfer.export.ExportPlan.PlannedImage;
import io.berth.store.transfer.export.SelectionResolver.SelectedImage;
import io.berth.store.upstream.Upstream.Manifest;
import io.berth.store.upstream.UpstreamException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fetches every manifest an export needs and lists every blob, so that {@code index.json} and the
 * descriptor can be written before the first blob: each selected image's manifest, an index's
 * children that the {@link PlatformFilter} takes (recursively), with {@code referrers} the referrers
 * of every manifest reached (the referrers API, else the fallback tag {@code sha256-<hex>}, whose
 * index is exported too) and theirs. A manifest is fetched once however many images share it.
 * Entries a delta's inventory lists are marked omitted. Blocks on the network.
 */
final class ExportPlanner {
    /** The largest manifest read, as elsewhere in Berth. */
    static final long MAX_MANIFEST = 4L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SourceRegistry source;
    private final PlatformFilter platforms;
    private final boolean referrers;
    private final SiteInventory inventory;
    private final Map<Digest, Manifest> fetched = new HashMap<>();
    private final Map<Digest, Entry> manifests = new LinkedHashMap<>();
    private final Map<Digest, Entry> blobs = new LinkedHashMap<>();

    ExportPlanner(SourceRegistry source, PlatformFilter platforms, boolean referrers, SiteInventory inventory) {
        this.source = source;
        this.platforms = platforms;
        this.referrers = referrers;
        this.inventory = inventory;
    }

    ExportPlan plan(List<SelectedImage> selected) throws UpstreamException, ExportException {
        List<ImageWalk> walks = new ArrayList<>();
        for (int i = 0; i < selected.size(); i++) {
            ImageWalk walk = new ImageWalk(selected.get(i), i);
            walk.manifest(walk.image.digest(), walk.image.size(), true);
            walks.add(walk);
        }
        ExportPlan draft = new ExportPlan(List.of(), List.copyOf(manifests.values()), List.copyOf(blobs.values()));
        List<PlannedImage> images = new ArrayList<>();
        for (ImageWalk walk : walks) {
            images.add(walk.planned(draft.bytesOf(walk.index)));
        }
        return new ExportPlan(images, draft.manifests(), draft.blobs());
    }

    /** One image's walk through its manifests, and what its descriptor entry says. */
    private final class ImageWalk {
        final SelectedImage image;
        final int index;
        final String name;
        final Set<Digest> visited = new HashSet<>();
        final List<BundleDescriptor.Child> children = new ArrayList<>();
        final List<BundleDescriptor.Referrer> found = new ArrayList<>();
        final Map<String, String> fallbackTags = new TreeMap<>();
        String topMediaType;

        ImageWalk(SelectedImage image, int index) {
            this.image = image;
            this.index = index;
            this.name = source.reference(image.repository(), image.tag() != null ? image.tag() : image.digest().toString());
        }

        /** Takes the manifest {@code digest} (declared {@code size}), what it names, and its referrers. */
        void manifest(Digest digest, long size, boolean top) throws UpstreamException, ExportException {
            if (!visited.add(digest)) {
                return;
            }
            Manifest manifest = fetch(digest);
            if (size >= 0 && manifest.bytes().length != size) {
                throw new ExportException("image " + name + ": the manifest " + digest + " is " + manifest.bytes().length
                        + " bytes, but what names it says " + size + ": the source is inconsistent, so nothing was exported");
            }
            ParsedManifest parsed;
            try {
                parsed = ManifestParser.parse(manifest.bytes(), manifest.mediaType());
            } catch (RegistryException e) {
                throw new ExportException("image " + name + ": the manifest " + digest + " cannot be exported: "
                        + e.getMessage(), e);
            }
            if (top) {
                topMediaType = parsed.mediaType();
            }
            manifests.computeIfAbsent(digest, d -> new Entry(d, manifest.bytes().length, parsed.mediaType(),
                    image.repository(), index, manifest.bytes(), inventory != null && inventory.hasManifest(d)));
            if (parsed.isIndex()) {
                JsonNode json = json(manifest.bytes(), digest);
                Set<String> taken = platforms.selected(json);
                for (JsonNode child : json.path("manifests")) {
                    String childDigest = child.path("digest").asText();
                    boolean selected = taken.contains(childDigest);
                    if (top) {
                        children.add(new BundleDescriptor.Child(childDigest, child.path("mediaType").asText(null),
                                child.path("size").asLong(), PlatformFilter.describe(child.get("platform")), selected));
                    }
                    if (selected) {
                        manifest(Digest.parse(childDigest), child.path("size").asLong(-1), false);
                    }
                }
            } else {
                for (Descriptor blob : parsed.blobs()) {
                    blobs.computeIfAbsent(blob.digest(), d -> new Entry(d, blob.size(), blob.mediaType(),
                            image.repository(), index, null, inventory != null && inventory.hasBlob(d)));
                }
            }
            if (referrers) {
                referrersOf(digest);
            }
        }

        private void referrersOf(Digest subject) throws UpstreamException, ExportException {
            Optional<Manifest> listed = source.reader().referrers(image.repository(), subject, null);
            String fallbackTag = null;
            if (listed.isEmpty() || json(listed.get().bytes(), subject).path("manifests").isEmpty()) {
                if (subject.algorithm() != Digest.Algorithm.SHA256) {
                    return; // the fallback tag of a longer digest is not a valid tag
                }
                fallbackTag = FallbackTag.of(subject);
                listed = source.reader().getManifest(image.repository(), fallbackTag, MAX_MANIFEST);
            }
            if (listed.isEmpty()) {
                return;
            }
            for (JsonNode referrer : json(listed.get().bytes(), subject).path("manifests")) {
                Digest digest = Digest.parse(referrer.path("digest").asText());
                if (!visited.contains(digest)) {
                    found.add(new BundleDescriptor.Referrer(digest.toString(), referrer.path("mediaType").asText(null),
                            referrer.path("size").asLong(), referrer.path("artifactType").asText(null), subject.toString()));
                    manifest(digest, referrer.path("size").asLong(-1), false);
                }
            }
            if (fallbackTag != null) {
                Manifest index = listed.get();
                fallbackTags.put(fallbackTag, index.digest().toString());
                manifests.computeIfAbsent(index.digest(), d -> new Entry(d, index.bytes().length, index.mediaType(),
                        image.repository(), this.index, index.bytes(), inventory != null && inventory.hasManifest(d)));
            }
        }

        /** A manifest by digest from this image's repository, once per export (the same digest is the same bytes). */
        private Manifest fetch(Digest digest) throws UpstreamException, ExportException {
            Manifest known = fetched.get(digest);
            if (known == null) {
                known = source.reader().getManifest(image.repository(), digest.toString(), MAX_MANIFEST).orElseThrow(
                        () -> new ExportException("image " + name + ": the source has no manifest " + image.repository()
                                + "@" + digest + " though it names it: the source is inconsistent (deleted meanwhile?)"));
                fetched.put(digest, known);
            }
            return known;
        }

        PlannedImage planned(long bytes) {
            List<String> childPlatforms = children.stream().map(BundleDescriptor.Child::platform)
                    .filter(p -> p != null && !p.equals("unknown/unknown")).distinct().toList();
            BundleDescriptor.Image entry = new BundleDescriptor.Image(name, image.repository(), image.tag(),
                    image.digest().toString(), topMediaType, manifests.get(image.digest()).size(), childPlatforms,
                    children, found, fallbackTags, bytes);
            return new PlannedImage(entry, image.tag() == null ? null : name, name);
        }
    }

    private static JsonNode json(byte[] bytes, Digest digest) throws ExportException {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ExportException("the source's manifest " + digest + " is not JSON", e);
        }
    }
}
