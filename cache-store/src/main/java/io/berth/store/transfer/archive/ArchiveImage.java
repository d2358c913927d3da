package io.berth.store.transfer.archive;

import io.berth.store.oci.Digest;

import java.util.List;
import java.util.Objects;

/**
 * An image an archive names: the root manifest (or index) and the references the archive gives it.
 *
 * @param names     references as the archive carries them, full where the archive says so
 *                  ({@code docker.io/library/nginx:1.27}); an OCI layout may carry a bare tag
 *                  ({@code 1.27}), a skopeo dir: or an untagged {@code docker save} carries none,
 *                  and the importer must then be told where to put the image
 * @param digest    the manifest's digest
 * @param mediaType the manifest's media type
 * @param size      the manifest's size in bytes
 */
public record ArchiveImage(List<String> names, Digest digest, String mediaType, long size) {
    public ArchiveImage {
        names = List.copyOf(names);
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(mediaType, "mediaType");
    }
}
