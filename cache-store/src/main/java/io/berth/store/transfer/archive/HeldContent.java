package io.berth.store.transfer.archive;

import io.berth.store.oci.Digest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link ArchiveContent} every format builds: per digest either a file of the archive (read
 * in place) or bytes this reader made (a manifest synthesised for a legacy {@code docker save}).
 */
final class HeldContent implements ArchiveContent {

    /** Where the bytes of one digest are: {@code path} in the archive, or {@code bytes}. */
    record Held(ArchiveEntry entry, String path, byte[] bytes) {
    }

    private final ArchiveFiles files;
    private final ArchiveFormat format;
    private final List<ArchiveImage> images;
    private final Map<Digest, Held> held;

    HeldContent(ArchiveFiles files, ArchiveFormat format, List<ArchiveImage> images, Map<Digest, Held> held) {
        this.files = files;
        this.format = format;
        this.images = List.copyOf(images);
        this.held = Map.copyOf(held);
    }

    @Override
    public ArchiveFormat format() {
        return format;
    }

    @Override
    public String source() {
        return files.describe();
    }

    @Override
    public List<ArchiveImage> images() {
        return images;
    }

    @Override
    public Optional<ArchiveEntry> entry(Digest digest) {
        return Optional.ofNullable(held.get(digest)).map(Held::entry);
    }

    @Override
    public InputStream open(Digest digest) throws IOException {
        Held h = held.get(digest);
        if (h == null) {
            throw new ArchiveException(files.describe() + " does not hold " + digest
                    + " (a delta bundle leaves out what the target registry already has)");
        }
        return h.bytes() != null ? new ByteArrayInputStream(h.bytes()) : files.open(h.path());
    }

    @Override
    public Set<Digest> digests() {
        return held.keySet();
    }

    @Override
    public Optional<InputStream> file(String path) throws IOException {
        return files.size(path).isPresent() ? Optional.of(files.open(path)) : Optional.empty();
    }

    @Override
    public void close() throws IOException {
        files.close();
    }
}
