/**
 * {@code berth import}: the images of an archive (a Berth bundle, an OCI layout, a {@code docker save}
 * tarball, a skopeo {@code dir:}) pushed into any OCI registry through its V2 API, by
 * {@link io.berth.store.transfer.imports.ArchiveImporter}. Blobs stream from the archive as they are
 * (no recompression, so digests and image IDs stay) and are hashed as they are sent; every step
 * asks the registry first ({@code HEAD}) and skips what it holds, so a re-run or a run after an
 * interruption sends only what is missing; tags are put last, once everything an image references
 * is present, so no tag ever names a broken image.
 */
package io.berth.store.transfer.imports;
