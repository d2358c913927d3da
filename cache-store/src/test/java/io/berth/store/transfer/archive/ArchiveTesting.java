package io.berth.store.transfer.archive;

import io.berth.store.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** What the archive tests check again and again: that the bytes an archive serves are those their digest names. */
final class ArchiveTesting {
    private ArchiveTesting() {
    }

    /** Hashes what {@code open} streams for {@code digest} with the digest's own algorithm. */
    static Digest hashOf(ArchiveContent archive, Digest digest) throws IOException {
        MessageDigest hasher = digest.algorithm().newHasher();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = archive.open(digest)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                hasher.update(buffer, 0, n);
            }
        }
        return Digest.of(digest.algorithm(), hasher.digest());
    }

    /** Fails unless every digest the archive holds streams bytes that hash to it, with the size its entry gives. */
    static void assertEveryDigestMatches(ArchiveContent archive) throws IOException {
        for (Digest d : archive.digests()) {
            Digest actual = hashOf(archive, d);
            if (!actual.equals(d)) {
                throw new AssertionError(archive.source() + " serves bytes hashing to " + actual + " for " + d);
            }
            long size;
            try (InputStream in = archive.open(d)) {
                size = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            if (size != archive.entry(d).orElseThrow().size()) {
                throw new AssertionError(d + " is " + size + " bytes but its entry says " + archive.entry(d).orElseThrow().size());
            }
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
