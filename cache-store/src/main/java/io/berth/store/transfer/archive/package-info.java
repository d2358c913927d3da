/**
 * Reading image archives for import, in place: {@link io.berth.store.transfer.archive.ArchiveFormats#open}
 * recognises an OCI image layout (a folder or a tar of one; Berth's bundles, split or whole), a
 * {@code docker save} tarball (legacy, or docker 25+ with its known faults) and a skopeo
 * {@code dir:} folder, and gives an {@link io.berth.store.transfer.archive.ArchiveContent}: the
 * images the archive names and the content-addressed bytes it holds.
 *
 * <p>Nothing is extracted and no blob is held in memory: a tar is indexed by one scan of its
 * headers (its data skipped), and each blob streams from its place in the tar with positioned
 * reads. Manifests and configs, at most 4 MiB each, are read whole when the archive is opened.
 * Bytes are not verified here; the importer hashes them as it pushes.
 */
package io.berth.store.transfer.archive;
