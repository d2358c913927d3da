package io.berth.store.testing;

import io.berth.store.Page;
import io.berth.store.StoredManifest;
import io.berth.store.blob.BlobContent;
import io.berth.store.content.ContentSource;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;

import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A content source that is not the registry's store: manifests, tags, blobs and referrers held in
 * memory, as a proxy's upstream or a replica will serve them. It counts its reads, so tests can see
 * that a request was answered from it. Never blocks; it has no cache, so nothing is answered from
 * the event loop.
 */
public final class InMemoryContentSource implements ContentSource {
    private final Map<Digest, StoredManifest> manifests = new ConcurrentHashMap<>();
    private final Map<String, Digest> tags = new TreeMap<>();
    private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    private final List<Descriptor> referrers = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();

    /** Adds a manifest under {@code tag} (null for none). */
    public synchronized InMemoryContentSource manifest(String tag, StoredManifest manifest) {
        manifests.put(manifest.digest(), manifest);
        if (tag != null) {
            tags.put(tag, manifest.digest());
        }
        return this;
    }

    public InMemoryContentSource blob(byte[] content) {
        blobs.put(Digest.sha256(content), content.clone());
        return this;
    }

    public synchronized InMemoryContentSource referrer(Descriptor referrer) {
        referrers.add(referrer);
        return this;
    }

    /** How many reads the source answered. */
    public int reads() {
        return reads.get();
    }

    @Override
    public Optional<StoredManifest> cachedManifest(Reference reference) {
        return Optional.empty();
    }

    @Override
    public synchronized StoredManifest manifest(Reference reference) {
        reads.incrementAndGet();
        Digest digest = reference.digest().orElseGet(() -> tags.get(reference.tag().orElseThrow()));
        StoredManifest manifest = digest == null ? null : manifests.get(digest);
        if (manifest == null) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "not in the test source: " + reference);
        }
        return manifest;
    }

    @Override
    public OptionalLong blobSize(Digest digest) {
        reads.incrementAndGet();
        byte[] blob = blobs.get(digest);
        return blob == null ? OptionalLong.empty() : OptionalLong.of(blob.length);
    }

    @Override
    public Optional<BlobContent> openBlob(Digest digest, long offset, long length) {
        reads.incrementAndGet();
        byte[] blob = blobs.get(digest);
        return blob == null ? Optional.empty() : Optional.of(new BlobContent.Stream(
                Channels.newChannel(new ByteArrayInputStream(blob, (int) offset, (int) length)), length));
    }

    @Override
    public synchronized Page<String> tags(String last, int limit) {
        reads.incrementAndGet();
        List<String> after = tags.keySet().stream().filter(t -> last == null || t.compareTo(last) > 0).toList();
        return after.size() > limit ? new Page<>(after.subList(0, limit), true) : new Page<>(after, false);
    }

    @Override
    public synchronized Page<Descriptor> referrers(Digest subject, String artifactType, String last, int limit) {
        reads.incrementAndGet();
        List<Descriptor> matching = referrers.stream()
                .filter(d -> artifactType == null || artifactType.equals(d.artifactType())).toList();
        return new Page<>(matching, false);
    }
}
