package io.berth.store;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.manifest.ParsedManifest;
import io.berth.store.meta.ArtifactDao;
import io.berth.store.meta.BlobDao;
import io.berth.store.meta.SparseIndexDao;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import org.jdbi.v3.core.Handle;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks a client's manifest push must pass before anything is recorded: every blob it
 * references is in the repository (uploaded or mounted into it; a blob that is only in another
 * repository does not count, or pushing a manifest would read blobs of repositories the pusher may
 * not pull, as Distribution also refuses), and every child manifest of an index is in the
 * repository, unless the repository's project allows sparse indexes ({@code allow_sparse_indexes}:
 * a replica that receives only some platforms), under which an index may name children that are
 * not there (a pull of one answers MANIFEST_UNKNOWN); the blobs of an image manifest are required
 * all the same. The OCI empty JSON blob is the one exception: clients reference it without uploading
 * it. Reads only. A manifest recorded by the registry itself (a proxy's cache) skips these checks.
 */
final class PushValidation {
    /** The OCI empty descriptor's content; clients often reference it without uploading it. */
    static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);
    static final Digest EMPTY_JSON_DIGEST = Digest.sha256(EMPTY_JSON);

    private PushValidation() {
    }

    /**
     * Checks the push and returns the blobs the repository must newly link: at most the empty JSON
     * blob, which the caller stores. Fails with MANIFEST_BLOB_UNKNOWN otherwise.
     */
    static Set<String> check(Handle h, long repositoryId, ParsedManifest parsed) {
        Set<String> toLink = unlinkedBlobs(h.attach(BlobDao.class), repositoryId, parsed.blobs());
        requireChildren(h, repositoryId, parsed.children());
        return toLink;
    }

    private static Set<String> unlinkedBlobs(BlobDao blobs, long repositoryId, List<Descriptor> needed) {
        Set<String> missing = new LinkedHashSet<>();
        needed.forEach(d -> missing.add(d.digest().toString()));
        if (missing.isEmpty()) {
            return missing;
        }
        missing.removeAll(Batches.collect(missing, batch -> blobs.linked(repositoryId, batch)));
        Set<String> unknown = new LinkedHashSet<>(missing);
        unknown.remove(EMPTY_JSON_DIGEST.toString());
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "manifest references blob " + first
                    + (unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " more)" : "")
                    + " which is not in the repository: push the blobs (or mount them with ?mount=&from=)"
                    + " before the manifest", first);
        }
        return missing;
    }

    private static void requireChildren(Handle h, long repositoryId, List<Descriptor> children) {
        if (children.isEmpty()) {
            return;
        }
        ArtifactDao artifacts = h.attach(ArtifactDao.class);
        Set<String> digests = new LinkedHashSet<>();
        children.forEach(d -> digests.add(d.digest().toString()));
        digests.removeAll(Batches.collect(digests, batch -> artifacts.existing(repositoryId, batch)));
        if (!digests.isEmpty() && !h.attach(SparseIndexDao.class).allowedIn(repositoryId).orElse(false)) {
            String first = digests.iterator().next();
            throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "index references manifest " + first
                    + " which is not in the repository: push the child manifests before the index (or, for a"
                    + " replica that receives only some platforms, let the project accept sparse indexes:"
                    + " \"allowSparseIndexes\": true)", first);
        }
    }
}
