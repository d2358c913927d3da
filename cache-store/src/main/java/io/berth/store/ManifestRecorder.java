package io.berth.store;

import io.berth.store.StoreException.Failure;
import io.berth.store.blob.FilesystemBlobStore;
import io.berth.store.manifest.ParsedManifest;
import io.berth.store.meta.ArtifactDao;
import io.berth.store.meta.ArtifactRow;
import io.berth.store.meta.BlobDao;
import io.berth.store.meta.Repositories;
import io.berth.store.meta.TagDao;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import org.jdbi.v3.core.Handle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Records a pushed manifest inside the caller's transaction: checks that every blob and child
 * manifest it references is present, links blobs the store already holds, stores the manifest's
 * bytes, and writes the artifact, its references and its tag. Any failure rolls the whole push
 * back; the bytes are written only once the checks passed, so a rejected push leaves no file.
 */
final class ManifestRecorder {
    /** The OCI empty descriptor's content; clients often reference it without uploading it. */
    private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);
    private static final Digest EMPTY_JSON_DIGEST = Digest.sha256(EMPTY_JSON);

    private final Repositories repositories;
    private final FilesystemBlobStore store;
    private final Clock clock;

    ManifestRecorder(Repositories repositories, FilesystemBlobStore store, Clock clock) {
        this.repositories = repositories;
        this.store = store;
        this.clock = clock;
    }

    void record(Handle h, RepositoryName repository, Digest digest, byte[] content, ParsedManifest parsed, String tag,
                ManifestPrecondition precondition) {
        Instant now = clock.instant();
        long repositoryId = repositories.ensure(h, repository, now);
        BlobDao blobs = h.attach(BlobDao.class);
        ArtifactDao artifacts = h.attach(ArtifactDao.class);
        if (!precondition.isNone()) {
            // The tag's row stays locked until commit, so a concurrent conditional push waits and then sees this one.
            Optional<String> current = tag != null ? h.attach(TagDao.class).digestForUpdate(repositoryId, tag)
                    : artifacts.byDigest(repositoryId, digest.toString()).map(ArtifactRow::digest);
            precondition.check(tag != null ? "tag " + tag : digest.toString(), current);
        }
        linkBlobs(blobs, repositoryId, parsed.blobs(), now);
        requireChildren(artifacts, repositoryId, parsed.children());

        long size = content.length;
        storeBytes(content, digest.algorithm());
        blobs.record(digest.toString(), size, now);
        artifacts.createIfAbsent(repositoryId, digest.toString(), parsed.mediaType(), size, parsed.artifactType(),
                parsed.subject() == null ? null : parsed.subject().digest().toString(), parsed.annotationsJson(), now);
        long artifactId = artifacts.byDigest(repositoryId, digest.toString()).orElseThrow().id();
        for (Descriptor blob : parsed.blobs()) {
            artifacts.addReference(artifactId, "blob", blob.digest().toString());
        }
        for (Descriptor child : parsed.children()) {
            artifacts.addReference(artifactId, "manifest", child.digest().toString());
        }
        if (tag != null) {
            h.attach(TagDao.class).put(repositoryId, tag, artifactId, now);
        }
    }

    private void linkBlobs(BlobDao blobs, long repositoryId, List<Descriptor> needed, Instant now) {
        Set<String> digests = new LinkedHashSet<>();
        needed.forEach(d -> digests.add(d.digest().toString()));
        if (digests.isEmpty()) {
            return;
        }
        Set<String> missing = new LinkedHashSet<>(digests);
        missing.removeAll(blobs.linked(repositoryId, digests));
        if (missing.isEmpty()) {
            return;
        }
        if (missing.remove(EMPTY_JSON_DIGEST.toString())) {
            storeEmptyJson(blobs, now);
            blobs.link(repositoryId, EMPTY_JSON_DIGEST.toString(), now);
        }
        // Blobs the store holds for another repository are linked, as a mount would.
        Set<String> known = missing.isEmpty() ? Set.of() : new HashSet<>(blobs.known(missing));
        List<String> absent = new ArrayList<>();
        for (String d : missing) {
            if (known.contains(d)) {
                blobs.link(repositoryId, d, now);
            } else {
                absent.add(d);
            }
        }
        if (!absent.isEmpty()) {
            throw new StoreException(Failure.MANIFEST_BLOB_UNKNOWN, "manifest references blob " + absent.get(0)
                    + (absent.size() > 1 ? " (and " + (absent.size() - 1) + " more)" : "")
                    + " which is not in the repository: push the blobs before the manifest", absent.get(0));
        }
    }

    private void requireChildren(ArtifactDao artifacts, long repositoryId, List<Descriptor> children) {
        if (children.isEmpty()) {
            return;
        }
        Set<String> digests = new LinkedHashSet<>();
        children.forEach(d -> digests.add(d.digest().toString()));
        digests.removeAll(artifacts.existing(repositoryId, digests));
        if (!digests.isEmpty()) {
            String first = digests.iterator().next();
            throw new StoreException(Failure.MANIFEST_BLOB_UNKNOWN, "index references manifest " + first
                    + " which is not in the repository: push the child manifests before the index", first);
        }
    }

    private void storeEmptyJson(BlobDao blobs, Instant now) {
        storeBytes(EMPTY_JSON, Digest.Algorithm.SHA256);
        blobs.record(EMPTY_JSON_DIGEST.toString(), EMPTY_JSON.length, now);
    }

    /** Writes content into the store (a no-op when it is there already); idempotent, so retries are safe. */
    private void storeBytes(byte[] content, Digest.Algorithm algorithm) {
        try {
            store.put(content, algorithm);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
