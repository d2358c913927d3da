package io.berth.store;

import io.berth.store.blob.BlobStore;
import io.berth.store.manifest.ParsedManifest;
import io.berth.store.meta.ArtifactDao;
import io.berth.store.meta.BlobDao;
import io.berth.store.meta.TagDao;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import org.jdbi.v3.core.Handle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.TreeSet;

/**
 * Records a manifest inside the caller's transaction: its bytes in the blob store, and the
 * artifact, its references and its tags in the database. It checks nothing about what the
 * manifest references: a client's push passes {@link PushValidation} first, while a manifest the
 * registry fetched from elsewhere (a proxy's cache) is recorded before its blobs are present.
 */
final class ManifestRecorder {
    private final BlobStore store;

    ManifestRecorder(BlobStore store) {
        this.store = store;
    }

    /**
     * Writes content into the store (a no-op when it is there already; idempotent, so a retried
     * transaction is safe). Call it before the transaction's writes: it is the slow step (an
     * fsync), and until the writes no shared row is locked.
     */
    void storeBytes(byte[] content, Digest.Algorithm algorithm) {
        try {
            store.put(content, algorithm);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Links blobs into the repository; the empty JSON blob, which clients never upload, is stored first. */
    void link(Handle h, long repositoryId, Collection<String> digests, Instant now) {
        BlobDao blobs = h.attach(BlobDao.class);
        if (digests.contains(PushValidation.EMPTY_JSON_DIGEST.toString())) {
            storeBytes(PushValidation.EMPTY_JSON, Digest.Algorithm.SHA256);
            blobs.record(PushValidation.EMPTY_JSON_DIGEST.toString(), PushValidation.EMPTY_JSON.length, now);
        }
        for (String digest : new TreeSet<>(digests)) { // blob rows are locked in one order: no deadlock
            blobs.link(repositoryId, digest, now);
        }
    }

    /**
     * Records the artifact, what it references, and points {@code tags} at it. A conditional push
     * that found its reference absent ({@code If-None-Match: *}, say) creates it with a plain
     * insert: the artifact when {@code artifactMustBeNew}, the tag {@code tagMustBeNew} (one of
     * {@code tags}) when not null. A concurrent creator then makes this fail on the unique key;
     * the retried transaction sees it and answers 412.
     *
     * @return the artifact's id
     */
    long record(Handle h, long repositoryId, Digest digest, long size, ParsedManifest parsed,
                Collection<String> tags, boolean artifactMustBeNew, String tagMustBeNew, Instant now) {
        h.attach(BlobDao.class).record(digest.toString(), size, now);
        ArtifactDao artifacts = h.attach(ArtifactDao.class);
        String subject = parsed.subject() == null ? null : parsed.subject().digest().toString();
        if (artifactMustBeNew) {
            artifacts.insert(repositoryId, digest.toString(), parsed.mediaType(), size, parsed.artifactType(), subject,
                    parsed.annotationsJson(), now);
        } else {
            artifacts.createIfAbsent(repositoryId, digest.toString(), parsed.mediaType(), size, parsed.artifactType(),
                    subject, parsed.annotationsJson(), now);
        }
        // Locked, so that eviction (which locks an artifact before deleting it) waits for this
        // transaction, or is waited for; one it deleted right after the MERGE above is created again.
        long artifactId = artifacts.lockId(repositoryId, digest.toString()).orElseGet(() -> {
            artifacts.createIfAbsent(repositoryId, digest.toString(), parsed.mediaType(), size, parsed.artifactType(),
                    subject, parsed.annotationsJson(), now);
            return artifacts.lockId(repositoryId, digest.toString()).orElseThrow();
        });
        for (Descriptor blob : parsed.blobs()) {
            artifacts.addReference(artifactId, "blob", blob.digest().toString());
        }
        for (Descriptor child : parsed.children()) {
            artifacts.addReference(artifactId, "manifest", child.digest().toString());
        }
        TagDao tagDao = h.attach(TagDao.class);
        for (String tag : tags) {
            if (tag.equals(tagMustBeNew)) {
                tagDao.insert(repositoryId, tag, artifactId, now);
            } else {
                tagDao.put(repositoryId, tag, artifactId, now);
            }
        }
        return artifactId;
    }
}
