package io.berth.store;

import io.berth.store.error.RegistryException;
import io.berth.store.error.ErrorCode;
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
        TagDao tags = h.attach(TagDao.class);
        boolean createOnly = false;
        if (!precondition.isNone()) {
            // An existing tag's row stays locked until commit, so a concurrent conditional push waits and sees this one.
            Optional<String> current = tag != null ? tags.digestForUpdate(repositoryId, tag)
                    : artifacts.byDigest(repositoryId, digest.toString()).map(ArtifactRow::digest);
            precondition.check(tag != null ? "tag " + tag : digest.toString(), current);
            // Absent, there is no row to lock: create it with a plain INSERT. A concurrent creator then
            // fails this push on the unique key; the retry checks again and answers 412.
            createOnly = current.isEmpty();
        }
        // Checks first (reads only), then the one slow step, then the writes: during the fsync this push
        // holds no row locks beyond a conditional push's tag and a repository it has just created.
        Set<String> toLink = unlinkedBlobs(blobs, repositoryId, parsed.blobs());
        requireChildren(artifacts, repositoryId, parsed.children());
        storeBytes(content, digest.algorithm());
        if (toLink.contains(EMPTY_JSON_DIGEST.toString())) {
            storeBytes(EMPTY_JSON, Digest.Algorithm.SHA256);
            blobs.record(EMPTY_JSON_DIGEST.toString(), EMPTY_JSON.length, now);
        }
        for (String d : toLink) {
            blobs.link(repositoryId, d, now);
        }

        long size = content.length;
        blobs.record(digest.toString(), size, now);
        String subject = parsed.subject() == null ? null : parsed.subject().digest().toString();
        if (createOnly && tag == null) {
            artifacts.insert(repositoryId, digest.toString(), parsed.mediaType(), size, parsed.artifactType(), subject,
                    parsed.annotationsJson(), now);
        } else {
            artifacts.createIfAbsent(repositoryId, digest.toString(), parsed.mediaType(), size, parsed.artifactType(),
                    subject, parsed.annotationsJson(), now);
        }
        long artifactId = artifacts.byDigest(repositoryId, digest.toString()).orElseThrow().id();
        for (Descriptor blob : parsed.blobs()) {
            artifacts.addReference(artifactId, "blob", blob.digest().toString());
        }
        for (Descriptor child : parsed.children()) {
            artifacts.addReference(artifactId, "manifest", child.digest().toString());
        }
        if (tag != null && createOnly) {
            tags.insert(repositoryId, tag, artifactId, now);
        } else if (tag != null) {
            tags.put(repositoryId, tag, artifactId, now);
        }
    }

    /**
     * The referenced blobs this repository does not link yet, all of which the store holds (as a
     * mount would, a manifest may use blobs pushed to another repository) or the empty JSON blob,
     * which clients reference without uploading. Fails with MANIFEST_BLOB_UNKNOWN otherwise.
     */
    private static Set<String> unlinkedBlobs(BlobDao blobs, long repositoryId, List<Descriptor> needed) {
        Set<String> missing = new LinkedHashSet<>();
        needed.forEach(d -> missing.add(d.digest().toString()));
        if (missing.isEmpty()) {
            return missing;
        }
        missing.removeAll(blobs.linked(repositoryId, missing));
        Set<String> unknown = new LinkedHashSet<>(missing);
        unknown.remove(EMPTY_JSON_DIGEST.toString());
        if (!unknown.isEmpty()) {
            unknown.removeAll(blobs.known(unknown));
        }
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "manifest references blob " + first
                    + (unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " more)" : "")
                    + " which is not in the repository: push the blobs before the manifest", first);
        }
        return missing;
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
            throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "index references manifest " + first
                    + " which is not in the repository: push the child manifests before the index", first);
        }
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
