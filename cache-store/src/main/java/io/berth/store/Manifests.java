package io.berth.store;

import io.berth.store.error.RegistryException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.store.StoreEvent.Type;
import io.berth.store.error.ErrorCode;
import io.berth.store.blob.FilesystemBlobStore;
import io.berth.store.manifest.ParsedManifest;
import io.berth.store.manifest.ManifestParser;
import io.berth.store.meta.ArtifactDao;
import io.berth.store.meta.ArtifactRow;
import io.berth.store.meta.Repositories;
import io.berth.store.meta.TagDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Manifests: push (validated, stored byte-exact, recorded in one transaction), pull by tag or
 * digest, delete. Pulls are served from a bounded cache whose entries live a few seconds, so a
 * tag moved by another instance is seen quickly while hot tags cost no database query.
 */
public final class Manifests {
    private final Transactions tx;
    private final Repositories repositories;
    private final FilesystemBlobStore store;
    private final ManifestRecorder recorder;
    private final StoreEvents events;
    private final long maxSize;
    private final Generations generations = new Generations();
    private final Cache<String, StoredManifest> cache = Caffeine.newBuilder()
            .maximumWeight(64L << 20)
            .<String, StoredManifest>weigher((k, m) -> m.content().length + k.length() + 64)
            .expireAfterWrite(Duration.ofSeconds(10))
            .build();

    Manifests(Transactions tx, Repositories repositories, FilesystemBlobStore store, StoreEvents events,
              long maxSize, Clock clock) {
        this.tx = tx;
        this.repositories = repositories;
        this.store = store;
        this.events = events;
        this.maxSize = maxSize;
        this.recorder = new ManifestRecorder(repositories, store, clock);
    }

    /** A cached manifest, without blocking; empty when it is not in the cache. */
    public Optional<StoredManifest> cached(RepositoryName repository, Reference reference) {
        return Optional.ofNullable(cache.getIfPresent(key(repository, reference)));
    }

    /** Fetches a manifest, blocking; fails with NAME_UNKNOWN or MANIFEST_UNKNOWN. */
    public StoredManifest get(RepositoryName repository, Reference reference) throws IOException {
        StoredManifest cached = cache.getIfPresent(key(repository, reference));
        if (cached != null) {
            return cached;
        }
        long generation = generations.current(repository.value());
        ArtifactRow row = tx.withHandle(h -> {
            long id = repositories.require(h, repository);
            ArtifactDao artifacts = h.attach(ArtifactDao.class);
            return reference.isDigest() ? artifacts.byDigest(id, reference.toString())
                    : artifacts.byTag(id, reference.toString());
        }).orElseThrow(() -> manifestUnknown(repository, reference));
        Digest digest = Digest.parse(row.digest());
        byte[] content;
        try (InputStream in = Channels.newInputStream(store.open(digest))) {
            content = in.readAllBytes();
        }
        StoredManifest manifest = new StoredManifest(digest, row.mediaType(), content, row.subjectDigest());
        if (generations.current(repository.value()) == generation) {
            cache.put(key(repository, reference), manifest);
        }
        return manifest;
    }

    /** Records that a manifest was served, for subscribers to pull events. */
    public void pulled(RepositoryName repository, Reference reference, StoredManifest manifest) {
        events.publish(new StoreEvent(Type.PULLED, repository, manifest.digest(), manifest.mediaType(),
                reference.tag().orElse(null)));
    }

    /**
     * Validates and stores a pushed manifest under {@code reference} (a tag, or the digest the
     * content must have). Nothing is recorded unless everything it references is present.
     */
    public StoredManifest put(RepositoryName repository, Reference reference, String contentType, byte[] content)
            throws IOException {
        return put(repository, reference, contentType, content, ManifestPrecondition.NONE);
    }

    /**
     * {@link #put(RepositoryName, Reference, String, byte[])} that applies only if {@code precondition}
     * holds for what {@code reference} names when the push commits.
     */
    public StoredManifest put(RepositoryName repository, Reference reference, String contentType, byte[] content,
                              ManifestPrecondition precondition) throws IOException {
        if (content.length > maxSize) {
            throw new RegistryException(ErrorCode.MANIFEST_TOO_LARGE, "manifest is " + content.length
                    + " bytes; the limit is " + maxSize);
        }
        ParsedManifest parsed = ManifestParser.parse(content, contentType);
        Digest.Algorithm algorithm = reference.digest().map(Digest::algorithm).orElse(Digest.Algorithm.SHA256);
        Digest digest = Digest.of(algorithm, algorithm.newHasher().digest(content));
        if (reference.isDigest() && !reference.digest().get().equals(digest)) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "manifest content has digest " + digest
                    + " but was pushed as " + reference, reference.toString());
        }
        tx.useTransaction(h -> recorder.record(h, repository, digest, content, parsed, reference.tag().orElse(null),
                precondition));
        invalidate(repository);
        StoredManifest stored = new StoredManifest(digest, parsed.mediaType(), content,
                parsed.subject() == null ? null : parsed.subject().digest().toString());
        events.publish(new StoreEvent(Type.PUSHED, repository, digest, parsed.mediaType(), reference.tag().orElse(null)));
        return stored;
    }

    /**
     * Deletes by digest (the manifest and all its tags) or by tag (only the tag). The manifest's
     * bytes stay in the store until garbage collection.
     */
    public void delete(RepositoryName repository, Reference reference) {
        int removed = tx.inTransaction(h -> {
            long id = repositories.require(h, repository);
            return reference.isDigest() ? h.attach(ArtifactDao.class).delete(id, reference.toString())
                    : h.attach(TagDao.class).delete(id, reference.toString());
        });
        invalidate(repository);
        if (removed == 0) {
            throw manifestUnknown(repository, reference);
        }
        events.publish(new StoreEvent(Type.DELETED, repository, reference.digest().orElse(null), null,
                reference.tag().orElse(null)));
    }

    private void invalidate(RepositoryName repository) {
        generations.bump(repository.value());
        String prefix = repository.value() + '\0';
        cache.asMap().keySet().removeIf(k -> k.startsWith(prefix));
    }

    private static String key(RepositoryName repository, Reference reference) {
        return repository.value() + '\0' + reference;
    }

    static RegistryException manifestUnknown(RepositoryName repository, Reference reference) {
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in repository "
                + repository, reference.toString());
    }
}
