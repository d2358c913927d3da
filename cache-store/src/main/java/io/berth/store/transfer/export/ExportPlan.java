package io.berth.store.transfer.export;

import io.berth.store.oci.Digest;
import io.berth.store.transfer.BundleDescriptor;

import java.util.List;

/**
 * What an export writes, decided before the first byte of the tar: every manifest fetched (they
 * are small, and {@code index.json} and the descriptor must come first), every blob known by its
 * descriptor. Each manifest and blob appears once, attributed to the first image that needs it;
 * entries a delta's inventory lists are kept but marked {@code omitted}, so the descriptor can count
 * them.
 *
 * @param images    the exported images, in the order of {@code index.json}
 * @param manifests every manifest, children before nothing in particular: the layout has no order
 * @param blobs     every blob (configs and layers), in the order the images need them
 */
public record ExportPlan(List<PlannedImage> images, List<Entry> manifests, List<Entry> blobs) {
    public ExportPlan {
        images = List.copyOf(images);
        manifests = List.copyOf(manifests);
        blobs = List.copyOf(blobs);
    }

    /** Bytes of manifests and blobs the tar will hold (its headers and padding aside). */
    public long bytesToWrite() {
        return manifests.stream().mapToLong(Entry::bytesInBundle).sum() + blobs.stream().mapToLong(Entry::bytesInBundle).sum();
    }

    /** Bytes the tar will hold for the image at {@code index}: what it was the first to need. */
    public long bytesOf(int index) {
        return manifests.stream().filter(e -> e.image() == index).mapToLong(Entry::bytesInBundle).sum()
                + blobs.stream().filter(e -> e.image() == index).mapToLong(Entry::bytesInBundle).sum();
    }

    /**
     * One image of the bundle: its descriptor entry (with {@code bytes} still 0) and the names
     * {@code index.json} gives it.
     *
     * @param refName       {@code org.opencontainers.image.ref.name}: the full reference of a tag
     *                      ({@code host/repo:tag}), or null for a digest selection
     * @param containerdName {@code io.containerd.image.name}: the full reference, source registry included
     */
    public record PlannedImage(BundleDescriptor.Image image, String refName, String containerdName) {
    }

    /**
     * A manifest or blob to put in the tar.
     *
     * @param digest     its digest, which names its file in the layout
     * @param size       its size as its descriptor says (and the tar header declares)
     * @param mediaType  its media type, as the descriptor naming it says
     * @param repository the source repository to fetch it from (a blob)
     * @param image      the index in {@link #images} of the image that first needed it
     * @param bytes      a manifest's bytes (fetched and verified), null for a blob
     * @param omitted    whether the delta's inventory lists it, so it is not written
     */
    public record Entry(Digest digest, long size, String mediaType, String repository, int image, byte[] bytes,
                        boolean omitted) {
        long bytesInBundle() {
            return omitted ? 0 : size;
        }

        /** The entry's path in the OCI layout. */
        public String path() {
            return "blobs/" + digest.algorithm().prefix() + "/" + digest.hex();
        }
    }
}
