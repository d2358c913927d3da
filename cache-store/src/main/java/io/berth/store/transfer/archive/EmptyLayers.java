package io.berth.store.transfer.archive;

import io.berth.store.oci.Digest;

import java.util.Optional;

/**
 * The two layers whose bytes follow from their digest alone: the empty tar (1024 zero bytes,
 * what docker records for a {@code RUN} or {@code COPY} that changed nothing) and the empty file.
 * {@code docker save} of some versions writes the empty tar as a zero-byte file, or leaves it out;
 * this serves the bytes the digest names, so the image still imports with the digests its config
 * gives.
 */
final class EmptyLayers {
    static final Digest EMPTY_TAR = Digest.parse("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
    static final Digest EMPTY = Digest.parse("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    private static final int EMPTY_TAR_SIZE = 1024;

    private EmptyLayers() {
    }

    /** The bytes of {@code digest} when it is one of the two, else empty. */
    static Optional<byte[]> bytesOf(Digest digest) {
        if (digest.equals(EMPTY_TAR)) {
            return Optional.of(new byte[EMPTY_TAR_SIZE]);
        }
        if (digest.equals(EMPTY)) {
            return Optional.of(new byte[0]);
        }
        return Optional.empty();
    }

    /**
     * Holds {@code digest}'s known bytes when the archive lacks them or holds them as a zero-byte
     * file; leaves every other digest alone.
     */
    static void fill(ContentBuilder content, Digest digest) {
        Optional<byte[]> bytes = bytesOf(digest);
        if (bytes.isEmpty()) {
            return;
        }
        Optional<ArchiveEntry> held = content.entry(digest);
        if (held.isEmpty() || held.get().size() != bytes.get().length) {
            content.addBytes(digest, bytes.get(), held.map(ArchiveEntry::mediaType).orElse(null));
        }
    }
}
