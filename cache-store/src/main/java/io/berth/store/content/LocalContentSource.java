package io.berth.store.content;

import io.berth.store.Blobs;
import io.berth.store.Listings;
import io.berth.store.Manifests;
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

/** A repository's content as this registry holds it: its own manifests, linked blobs, tags and referrers. */
public final class LocalContentSource implements ContentSource {
    private final RepositoryName name;
    private final Manifests manifests;
    private final Blobs blobs;
    private final Listings listings;

    public LocalContentSource(RepositoryName name, Manifests manifests, Blobs blobs, Listings listings) {
        this.name = name;
        this.manifests = manifests;
        this.blobs = blobs;
        this.listings = listings;
    }

    @Override
    public Optional<StoredManifest> cachedManifest(Reference reference) {
        return manifests.cached(name, reference);
    }

    @Override
    public StoredManifest manifest(Reference reference) throws IOException {
        return manifests.get(name, reference);
    }

    @Override
    public OptionalLong blobSize(Digest digest) throws IOException {
        return blobs.size(name, digest);
    }

    @Override
    public Optional<BlobContent> openBlob(Digest digest, long offset, long length) throws IOException {
        return blobs.open(digest, offset, length);
    }

    @Override
    public Page<String> tags(String last, int limit) {
        return listings.tags(name, last, limit);
    }

    @Override
    public Page<Descriptor> referrers(Digest subject, String artifactType, String last, int limit) {
        return listings.referrers(name, subject, artifactType, last, limit);
    }
}
