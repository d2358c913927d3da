package io.berth.store.content;

import io.berth.store.Page;
import io.berth.store.StoredManifest;
import io.berth.store.blob.BlobContent;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where one repository's content comes from, as the V2 API's read routes see it: manifests, blobs,
 * tags and referrers. The local store is one source; a proxy project's pull-through cache and a
 * read-only replica are others. Every method but {@link #cachedManifest} may block: call them off
 * the event loop. Failures are {@link io.berth.store.error.RegistryException}s with the spec's codes.
 */
public interface ContentSource {
    /** A manifest the source can answer from memory without blocking, or empty. */
    Optional<StoredManifest> cachedManifest(Reference reference);

    /**
     * The repository a served manifest's pull is recorded in: where its content is kept, which is
     * the name asked for except where a source keeps several names' content under one (a Docker
     * Hub proxy's {@code hub/nginx} in {@code hub/library/nginx}). Never blocks.
     */
    default RepositoryName recordedName(RepositoryName asked) {
        return asked;
    }

    /** A manifest by tag or digest; fails with NAME_UNKNOWN or MANIFEST_UNKNOWN. */
    StoredManifest manifest(Reference reference) throws IOException;

    /** The size of a blob this repository may serve, or empty when it may not. */
    OptionalLong blobSize(Digest digest) throws IOException;

    /**
     * The size of a blob about to be read with {@link #openBlob} (a {@code GET}, where
     * {@link #blobSize} serves a {@code HEAD}): a source that must fetch the blob from elsewhere
     * starts fetching it here, and reports the size once the fetch has it.
     */
    default OptionalLong blobSizeToRead(Digest digest) throws IOException {
        return blobSize(digest);
    }

    /**
     * Opens {@code length} bytes of a blob from {@code offset} (within what {@link #blobSize}
     * reported); empty when the blob vanished meanwhile.
     */
    Optional<BlobContent> openBlob(Digest digest, long offset, long length) throws IOException;

    /** Tags in lexical order after {@code last}, at most {@code limit}; NAME_UNKNOWN for an unknown repository. */
    Page<String> tags(String last, int limit);

    /**
     * Manifests whose subject is {@code subject}, optionally of one artifact type, in pages after
     * {@code last} (a digest); an unknown subject has none.
     */
    Page<Descriptor> referrers(Digest subject, String artifactType, String last, int limit);
}
