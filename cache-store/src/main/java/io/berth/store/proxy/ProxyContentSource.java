package io.berth.store.proxy;

import io.berth.store.Page;
import io.berth.store.StoredManifest;
import io.berth.store.blob.BlobContent;
import io.berth.store.content.ContentSource;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One repository of a proxy project as a request reads it: the local cache first, the upstream on
 * a miss or when a tag is due for revalidation, each request waiting on the upstream no longer
 * than the cache's deadline (or a background task's patience). Made per request, without
 * blocking; {@link #cachedManifest} never blocks, everything else may (call it off the event loop).
 */
public final class ProxyContentSource implements ContentSource {
    private final ProxyCache cache;
    private final RepositoryName name;
    private final Duration patience;

    /** @param patience how long each call waits on the upstream (the cache's deadline for clients' requests) */
    ProxyContentSource(ProxyCache cache, RepositoryName name, Duration patience) {
        this.cache = cache;
        this.name = name;
        this.patience = patience;
    }

    /**
     * The repository this one's content is kept in: {@code hub/library/nginx} for {@code hub/nginx}
     * of a Docker Hub proxy, else the name itself. Pull records belong there, so that eviction sees
     * the pulls. Never blocks: the name asked for until a call of this source has resolved it.
     */
    @Override
    public RepositoryName recordedName(RepositoryName asked) {
        return localName();
    }

    public RepositoryName localName() {
        return cache.cachedContext(name).map(ProxyContext::local).orElse(name);
    }

    /** From memory only: a digest the cache holds, or a tag within its freshness window; else empty. */
    @Override
    public Optional<StoredManifest> cachedManifest(Reference reference) {
        return cache.cachedContext(name).flatMap(context -> cache.manifests().cached(context, reference));
    }

    @Override
    public StoredManifest manifest(Reference reference) throws IOException {
        Deadline deadline = Deadline.in(patience);
        return cache.manifests().get(cache.context(name), reference, deadline);
    }

    @Override
    public OptionalLong blobSize(Digest digest) throws IOException {
        Deadline deadline = Deadline.in(patience);
        return cache.blobs().size(cache.context(name), digest, deadline);
    }

    @Override
    public OptionalLong blobSizeToRead(Digest digest) throws IOException {
        Deadline deadline = Deadline.in(patience);
        return cache.blobs().sizeToRead(cache.context(name), digest, deadline);
    }

    @Override
    public Optional<BlobContent> openBlob(Digest digest, long offset, long length) throws IOException {
        Deadline deadline = Deadline.in(patience);
        return cache.blobs().open(cache.context(name), digest, offset, length, deadline);
    }

    @Override
    public Page<String> tags(String last, int limit) {
        Deadline deadline = Deadline.in(patience);
        return cache.listings().tags(cache.context(name), last, limit, deadline);
    }

    @Override
    public Page<Descriptor> referrers(Digest subject, String artifactType, String last, int limit) {
        Deadline deadline = Deadline.in(patience);
        return cache.listings().referrers(cache.context(name), subject, artifactType, last, limit, deadline);
    }
}
