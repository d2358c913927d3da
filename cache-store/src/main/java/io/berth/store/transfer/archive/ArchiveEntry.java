package io.berth.store.transfer.archive;

import io.berth.store.oci.Digest;

import java.util.Objects;

/**
 * A manifest or blob an archive holds.
 *
 * @param digest    what it is named by (the importer checks the bytes against it)
 * @param size      its size in the archive
 * @param mediaType its media type as a manifest of the archive gives it, or null when no manifest
 *                  the archive holds refers to it
 */
public record ArchiveEntry(Digest digest, long size, String mediaType) {
    public ArchiveEntry {
        Objects.requireNonNull(digest, "digest");
    }
}
