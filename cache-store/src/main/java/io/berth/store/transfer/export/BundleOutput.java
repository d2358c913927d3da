package io.berth.store.transfer.export;

import io.berth.store.oci.Digest;
import io.berth.store.transfer.BundleDescriptor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the bundle's tar stream goes: one file, or with a part size, parts {@code NAME.000},
 * {@code NAME.001}, … cut at exactly that many bytes (a plain byte cut: {@code cat} of the parts is
 * the tar). Everything is written under a {@code .partial} name and renamed into place by
 * {@link #publish} only, so a failed export leaves no bundle behind ({@link #abort} deletes what it
 * wrote). The tar's sha256 and each part's are computed on the way.
 */
final class BundleOutput extends OutputStream {
    private static final String PARTIAL = ".partial";

    private final Path target;
    private final long partSize;
    private final MessageDigest whole = Digest.Algorithm.SHA256.newHasher();
    private final List<Path> written = new ArrayList<>();
    private final List<BundleDescriptor.Part> parts = new ArrayList<>();
    private OutputStream current;
    private MessageDigest partHash;
    private long inPart;
    private long total;

    /** @param partSize bytes per part, or 0 for one file */
    BundleOutput(Path target, long partSize) {
        if (partSize < 0) {
            throw new IllegalArgumentException("negative part size");
        }
        this.target = target.toAbsolutePath();
        this.partSize = partSize;
    }

    /** The final path of part {@code n}. */
    static Path part(Path target, int n) {
        return target.resolveSibling(target.getFileName() + "." + String.format("%03d", n));
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (current == null || (partSize > 0 && inPart == partSize)) {
                nextFile();
            }
            int n = partSize > 0 ? (int) Math.min(len, partSize - inPart) : len;
            current.write(b, off, n);
            whole.update(b, off, n);
            partHash.update(b, off, n);
            inPart += n;
            total += n;
            off += n;
            len -= n;
        }
    }

    private void nextFile() throws IOException {
        closePart();
        if (partSize > 0 && written.size() >= 1000) {
            throw new ExportException("the bundle needs more than 1000 parts of " + partSize + " bytes: choose a"
                    + " larger --split size");
        }
        Path file = temp(partSize > 0 ? part(target, written.size()) : target);
        written.add(file);
        current = Files.newOutputStream(file);
        partHash = Digest.Algorithm.SHA256.newHasher();
        inPart = 0;
    }

    private void closePart() throws IOException {
        if (current != null) {
            current.close();
            current = null;
            Path name = finalName(written.getLast());
            parts.add(new BundleDescriptor.Part(name.getFileName().toString(),
                    Digest.of(Digest.Algorithm.SHA256, partHash.digest()).toString(), inPart));
        }
    }

    /** Closes the last file and says what was written: the tar's digest and size, and its parts. */
    BundleDescriptor.Bundle finish() throws IOException {
        if (current == null && written.isEmpty()) {
            nextFile(); // an empty stream still makes a (empty) file
        }
        closePart();
        return new BundleDescriptor.Bundle(target.getFileName().toString(),
                Digest.of(Digest.Algorithm.SHA256, whole.digest()).toString(), total,
                partSize > 0 ? parts : List.of());
    }

    /**
     * Renames every file {@link #finish finished} into place, and deletes parts of an earlier, longer
     * split of the same name after the last one, so that {@code NAME.*} is this bundle only.
     */
    List<Path> publish() throws IOException {
        List<Path> published = new ArrayList<>();
        for (Path file : written) {
            Path name = finalName(file);
            Files.move(file, name, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            published.add(name);
        }
        if (partSize > 0) {
            for (int n = written.size(); Files.exists(part(target, n)); n++) {
                Files.delete(part(target, n));
            }
        }
        written.clear();
        return published;
    }

    /** Closes and deletes everything written so far. */
    void abort() {
        try {
            if (current != null) {
                current.close();
            }
        } catch (IOException ignored) {
            // deleted below either way
        }
        for (Path file : written) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // nothing more to do: the name says it is partial
            }
        }
    }

    /** Bytes written so far. */
    long size() {
        return total;
    }

    private static Path temp(Path file) {
        return file.resolveSibling(file.getFileName() + PARTIAL);
    }

    private static Path finalName(Path temp) {
        String name = temp.getFileName().toString();
        return temp.resolveSibling(name.substring(0, name.length() - PARTIAL.length()));
    }
}
