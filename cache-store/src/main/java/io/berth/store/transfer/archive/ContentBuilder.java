package io.berth.store.transfer.archive;

import io.berth.store.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Collects what a format reader finds: held digests, the media types manifests give them, the images. */
final class ContentBuilder {
    /** Manifests are read whole; anything larger is not one. */
    static final int MAX_MANIFEST_BYTES = 4 << 20;

    private final ArchiveFiles files;
    private final Map<Digest, HeldContent.Held> held = new LinkedHashMap<>();
    private final Map<Digest, Set<String>> imageNames = new LinkedHashMap<>();
    private final Map<Digest, String> imageTypes = new LinkedHashMap<>();
    private final Map<Digest, Long> imageSizes = new LinkedHashMap<>();

    ContentBuilder(ArchiveFiles files) {
        this.files = files;
    }

    ArchiveFiles files() {
        return files;
    }

    /** Holds {@code digest} as the archive file at {@code path} (media type not yet known). */
    void addFile(Digest digest, String path, long size) {
        held.putIfAbsent(digest, new HeldContent.Held(new ArchiveEntry(digest, size, null), path, null));
    }

    /** Holds {@code digest} as bytes this reader made or knows (a synthesised manifest, an empty layer). */
    void addBytes(Digest digest, byte[] bytes, String mediaType) {
        held.put(digest, new HeldContent.Held(new ArchiveEntry(digest, bytes.length, mediaType), null, bytes));
    }

    boolean holds(Digest digest) {
        return held.containsKey(digest);
    }

    Optional<ArchiveEntry> entry(Digest digest) {
        return Optional.ofNullable(held.get(digest)).map(HeldContent.Held::entry);
    }

    /** Records the media type a manifest gives {@code digest}, if held and not typed yet. */
    void mediaType(Digest digest, String mediaType) {
        HeldContent.Held h = held.get(digest);
        if (h != null && h.entry().mediaType() == null && mediaType != null) {
            held.put(digest, new HeldContent.Held(new ArchiveEntry(digest, h.entry().size(), mediaType), h.path(), h.bytes()));
        }
    }

    /** The whole bytes of a held manifest, or empty when the archive lacks it; refuses more than 4 MiB. */
    Optional<byte[]> manifestBytes(Digest digest) throws IOException {
        HeldContent.Held h = held.get(digest);
        if (h == null) {
            return Optional.empty();
        }
        if (h.bytes() != null) {
            return Optional.of(h.bytes());
        }
        return Optional.of(readSmall(h.path(), "manifest " + digest));
    }

    /** Reads a small JSON file of the archive whole (manifests, configs, index.json), at most 4 MiB. */
    byte[] readSmall(String path, String what) throws IOException {
        long size = files.require(path, "the archive");
        if (size > MAX_MANIFEST_BYTES) {
            throw new ArchiveException(what + " (" + path + " in " + files.describe() + ") is " + size
                    + " bytes, more than the 4 MiB a manifest or config may have: this is not an image archive"
                    + " Berth can import, or the file is damaged");
        }
        try (InputStream in = files.open(path)) {
            return in.readNBytes(MAX_MANIFEST_BYTES + 1);
        }
    }

    /**
     * Adds (or adds names to) the image whose root manifest is {@code digest}, as the archive's
     * index describes it. Its manifest may be absent: a delta bundle re-tagging an image the target
     * already holds carries only the name.
     */
    void addImage(Digest digest, String mediaType, long size, List<String> names) {
        imageNames.computeIfAbsent(digest, d -> new LinkedHashSet<>()).addAll(names);
        imageTypes.putIfAbsent(digest, mediaType);
        imageSizes.putIfAbsent(digest, size);
    }

    boolean hasImage(Digest digest) {
        return imageNames.containsKey(digest);
    }

    HeldContent build(ArchiveFormat format) {
        List<ArchiveImage> images = new ArrayList<>();
        for (Map.Entry<Digest, Set<String>> e : imageNames.entrySet()) {
            HeldContent.Held h = held.get(e.getKey());
            long size = h != null ? h.entry().size() : imageSizes.get(e.getKey());
            String mediaType = h != null && h.entry().mediaType() != null ? h.entry().mediaType() : imageTypes.get(e.getKey());
            images.add(new ArchiveImage(List.copyOf(e.getValue()), e.getKey(), mediaType, size));
        }
        return new HeldContent(files, format, images, held);
    }
}
