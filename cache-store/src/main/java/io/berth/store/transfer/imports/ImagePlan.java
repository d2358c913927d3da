package io.berth.store.transfer.imports;

import io.berth.store.oci.Digest;
import io.berth.store.transfer.archive.ArchiveImage;

import java.util.List;
import java.util.Map;

/**
 * What importing one image of an archive takes, in push order: its blobs, its manifests children
 * before their index, its referrers after their subjects, then its tags and the referrers' fallback
 * tags. Manifests are held whole (they are small and were checked against their digests); blobs
 * stay in the archive.
 *
 * @param image        the image as the archive names it
 * @param label        how messages name it (its first reference, or its digest)
 * @param targets      where it goes
 * @param blobs        configs and layers of every manifest below, each once
 * @param manifests    the image's manifests, children first, the root last
 * @param referrers    its referrers (from {@code berth-bundle.json}), each after its subject
 * @param fallbackTags referrer indexes under the OCI fallback tag ({@code sha256-<hex>}), for registries
 *                     without the referrers API
 */
record ImagePlan(ArchiveImage image, String label, List<Target> targets, List<Blob> blobs, List<Manifest> manifests,
                 List<Manifest> referrers, Map<String, Manifest> fallbackTags) {
    ImagePlan {
        targets = List.copyOf(targets);
        blobs = List.copyOf(blobs);
        manifests = List.copyOf(manifests);
        referrers = List.copyOf(referrers);
        fallbackTags = Map.copyOf(fallbackTags);
    }

    /** The root manifest (or index): the last of {@link #manifests}. */
    Manifest root() {
        return manifests.getLast();
    }

    /** Blob and manifest bytes the image references. */
    long bytes() {
        long sum = 0;
        for (Blob b : blobs) {
            sum += b.size();
        }
        for (Manifest m : manifests) {
            sum += Math.max(0, m.size());
        }
        for (Manifest m : referrers) {
            sum += Math.max(0, m.size());
        }
        return sum;
    }

    /**
     * A config or layer.
     *
     * @param digest         what the manifest names
     * @param size           the size the manifest gives it
     * @param mediaType      its media type in the manifest
     * @param inArchive      whether the archive holds its bytes (a delta leaves out what the target has)
     * @param archiveSize    its size in the archive, when held
     * @param distributable  false for foreign layers, which registries do not hold
     */
    record Blob(Digest digest, long size, String mediaType, boolean inArchive, long archiveSize,
                boolean distributable) {
    }

    /**
     * A manifest or index.
     *
     * @param digest    its digest
     * @param mediaType its media type
     * @param size      its size (as the archive holds it, else as the referring descriptor says; -1: unknown)
     * @param bytes     its bytes, checked against the digest; null when the archive lacks it
     * @param optional  an index child a platform filter left out: the registry decides whether the index
     *                  may name it without holding it
     */
    record Manifest(Digest digest, String mediaType, long size, byte[] bytes, boolean optional) {
    }
}
