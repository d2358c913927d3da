package io.berth.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.store.blob.BlobStore;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.event.Outbox;
import io.berth.store.event.PullRecorder;
import io.berth.store.event.RegistryEvent;
import io.berth.store.manifest.ManifestParser;
import io.berth.store.manifest.ParsedManifest;
import io.berth.store.meta.ArtifactDao;
import io.berth.store.meta.ArtifactRow;
import io.berth.store.meta.Repositories;
import io.berth.store.meta.TagDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Manifests: push (validated, stored byte-exact, recorded in one transaction), record (what the
 * registry fetched elsewhere, unchecked), pull by tag or digest, delete. Every push, record and
 * delete writes its event into the outbox in its own transaction; pulls are counted off the
 * request path. Pulls are served from a bounded cache whose entries live a few seconds, so a tag
 * moved by another instance is seen quickly while hot tags cost no database query.
 */
public final class Manifests {
    private static final Logger LOG = LoggerFactory.getLogger(Manifests.class);

    private final Transactions tx;
    private final Repositories repositories;
    private final BlobStore store;
    private final ManifestRecorder recorder;
    private final Outbox outbox;
    private final PullRecorder pulls;
    private final long maxSize;
    private final Clock clock;
    private final Generations generations = new Generations();
    private final ParseBudget parsing;
    /**
     * Recently served manifests, with the generation of their repository when they were read: an
     * entry from before the repository's last change is a miss, so a change costs no cache scan.
     */
    private final Cache<String, Cached> cache = Caffeine.newBuilder()
            .maximumWeight(64L << 20)
            .<String, Cached>weigher((k, c) -> c.manifest().content().length + k.length() + 64)
            .expireAfterWrite(Duration.ofSeconds(10))
            .build();

    private record Cached(StoredManifest manifest, long generation) {
    }

    Manifests(Transactions tx, Repositories repositories, BlobStore store, Outbox outbox, PullRecorder pulls,
              long maxSize, ParseBudget parsing, Clock clock) {
        this.parsing = parsing;
        this.tx = tx;
        this.repositories = repositories;
        this.store = store;
        this.outbox = outbox;
        this.pulls = pulls;
        this.maxSize = maxSize;
        this.clock = clock;
        this.recorder = new ManifestRecorder(store);
    }

    /** A cached manifest, without blocking; empty when it is not in the cache. */
    public Optional<StoredManifest> cached(RepositoryName repository, Reference reference) {
        Cached cached = cache.getIfPresent(key(repository, reference));
        return cached != null && cached.generation() == generations.current(repository.value())
                ? Optional.of(cached.manifest()) : Optional.empty();
    }

    /** Fetches a manifest, blocking; fails with NAME_UNKNOWN or MANIFEST_UNKNOWN. */
    public StoredManifest get(RepositoryName repository, Reference reference) throws IOException {
        Optional<StoredManifest> cached = cached(repository, reference);
        if (cached.isPresent()) {
            return cached.get();
        }
        long generation = generations.current(repository.value());
        ArtifactRow row = tx.withHandle(h -> {
            long id = repositories.require(h, repository);
            ArtifactDao artifacts = h.attach(ArtifactDao.class);
            return reference.isDigest() ? artifacts.byDigest(id, reference.toString())
                    : artifacts.byTag(id, reference.toString());
        }).orElseThrow(() -> manifestUnknown(repository, reference));
        Digest digest = Digest.parse(row.digest());
        StoredManifest manifest = new StoredManifest(digest, row.mediaType(), readContent(repository, digest, row.size()),
                row.subjectDigest());
        if (generations.current(repository.value()) == generation) {
            cache.put(key(repository, reference), new Cached(manifest, generation));
        }
        return manifest;
    }

    /**
     * The manifest's bytes. A row whose content is gone (storage lost or restored from an older
     * backup than the database) is reported as unknown, so that a client pushes it again.
     */
    private byte[] readContent(RepositoryName repository, Digest digest, long size) throws IOException {
        try (InputStream in = store.read(digest)) {
            return in.readNBytes((int) Math.min(size, maxSize));
        } catch (NoSuchFileException e) {
            LOG.error("manifest {} of {} is recorded but its content is missing from storage", digest, repository);
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + digest + " is recorded in "
                    + repository + " but its content is missing from storage: push it again", digest.toString());
        }
    }

    /** Counts a served manifest as a pull event; never blocks, so the event loop may call it. */
    public void pulled(RepositoryName repository, Reference reference, StoredManifest manifest, Caller caller) {
        pulls.record(repository, manifest.digest(), manifest.mediaType(), reference.tag().orElse(null), caller);
    }

    /**
     * Validates and stores a client's push under its reference and tags (a digest reference must
     * be the content's). Nothing is recorded unless everything it references is present.
     */
    public StoredManifest put(ManifestPush push) throws IOException {
        byte[] content = push.content();
        if (content.length > maxSize) {
            throw new RegistryException(ErrorCode.MANIFEST_TOO_LARGE, "manifest is " + content.length
                    + " bytes; the limit is " + maxSize);
        }
        ParsedManifest parsed;
        try (ParseBudget.Permit heap = parsing.reserve(content.length)) {
            parsed = ManifestParser.parse(content, push.contentType());
        }
        Reference reference = push.reference();
        Digest.Algorithm algorithm = reference.digest().map(Digest::algorithm).orElse(Digest.Algorithm.SHA256);
        Digest digest = Digest.of(algorithm, algorithm.newHasher().digest(content));
        if (reference.isDigest() && !reference.digest().get().equals(digest)) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "manifest content has digest " + digest
                    + " but was pushed as " + reference, reference.toString());
        }
        Set<String> tags = push.tags();
        tx.useTransaction(h -> {
            Instant now = clock.instant();
            long repositoryId = repositories.ensure(h, push.repository(), now);
            boolean absent = !push.precondition().isNone() && checkPrecondition(h, repositoryId, push, digest);
            // Checks first (reads only), then the one slow step, then the writes: during the fsync this push
            // holds no row locks beyond a conditional push's tag and a repository it has just created.
            Set<String> toLink = PushValidation.check(h, repositoryId, parsed);
            recorder.storeBytes(content, algorithm);
            recorder.link(h, repositoryId, toLink, now);
            recorder.record(h, repositoryId, digest, content.length, parsed, tags, absent && reference.isDigest(),
                    absent ? reference.tag().orElse(null) : null, now);
            outbox.append(h, pushed(now, push.repository(), digest, parsed, tags, push.caller()));
        });
        return stored(push.repository(), digest, content, parsed);
    }

    /**
     * Records a manifest the registry fetched from elsewhere (a proxy's upstream) under
     * {@code tags}, stored byte-exact under its digest in {@code algorithm}, without checking that
     * what it references is present: those blobs arrive later, when a client asks for them.
     */
    public StoredManifest record(RepositoryName repository, Collection<String> tags, String mediaType, byte[] content,
                                 Digest.Algorithm algorithm, Caller caller) throws IOException {
        ParsedManifest parsed;
        try (ParseBudget.Permit heap = parsing.reserve(content.length)) {
            parsed = ManifestParser.parse(content, mediaType);
        }
        Digest digest = Digest.of(algorithm, algorithm.newHasher().digest(content));
        tx.useTransaction(h -> {
            Instant now = clock.instant();
            long repositoryId = repositories.ensure(h, repository, now);
            recorder.storeBytes(content, algorithm);
            recorder.record(h, repositoryId, digest, content.length, parsed, tags, false, null, now);
            outbox.append(h, pushed(now, repository, digest, parsed, tags, caller));
        });
        return stored(repository, digest, content, parsed);
    }

    /**
     * Caches a manifest a proxy fetched from its upstream, as {@link #record} does, but writes no
     * event: a cache fill is not a push (it must not fire push webhooks or push-triggered
     * replication), and the client's pull that caused it is recorded as {@code PULLED} like any
     * other. With a {@code tag}, the tag is moved to it and marked checked against the upstream now
     * ({@code tag.checked_at}), which starts its freshness window.
     *
     * @param tag the tag it was fetched by, or null when it was fetched by digest
     */
    public StoredManifest recordFetched(RepositoryName repository, String tag, String mediaType, byte[] content,
                                        Digest.Algorithm algorithm) throws IOException {
        ParsedManifest parsed;
        try (ParseBudget.Permit heap = parsing.reserve(content.length)) {
            parsed = ManifestParser.parse(content, mediaType);
        }
        Digest digest = Digest.of(algorithm, algorithm.newHasher().digest(content));
        List<String> tags = tag == null ? List.of() : List.of(tag);
        tx.useTransaction(h -> {
            Instant now = clock.instant();
            long repositoryId = repositories.ensure(h, repository, now);
            recorder.storeBytes(content, algorithm);
            recorder.record(h, repositoryId, digest, content.length, parsed, tags, false, null, now);
            if (tag != null) {
                h.attach(TagDao.class).markChecked(repositoryId, tag, now);
            }
        });
        return stored(repository, digest, content, parsed);
    }

    /** One PUSHED event per tag set (or one untagged): what a webhook or replication rule keys on. */
    private static List<RegistryEvent> pushed(Instant now, RepositoryName repository, Digest digest,
                                              ParsedManifest parsed, Collection<String> tags, Caller caller) {
        List<RegistryEvent> events = new ArrayList<>();
        if (tags.isEmpty()) {
            events.add(RegistryEvent.pushed(now, repository, digest, parsed.mediaType(), null, caller));
        }
        for (String tag : tags) {
            events.add(RegistryEvent.pushed(now, repository, digest, parsed.mediaType(), tag, caller));
        }
        return events;
    }

    private StoredManifest stored(RepositoryName repository, Digest digest, byte[] content, ParsedManifest parsed) {
        invalidate(repository);
        return new StoredManifest(digest, parsed.mediaType(), content,
                parsed.subject() == null ? null : parsed.subject().digest().toString());
    }

    /** Checks the push's precondition against what its reference names now; returns whether that is absent. */
    private static boolean checkPrecondition(org.jdbi.v3.core.Handle h, long repositoryId, ManifestPush push,
                                             Digest digest) {
        Reference reference = push.reference();
        // An existing tag's row stays locked until commit, so a concurrent conditional push waits and sees this one.
        Optional<String> current = reference.tag().isPresent()
                ? h.attach(TagDao.class).digestForUpdate(repositoryId, reference.tag().get())
                : h.attach(ArtifactDao.class).byDigest(repositoryId, digest.toString()).map(ArtifactRow::digest);
        push.precondition().check(reference.tag().map(t -> "tag " + t).orElse(digest.toString()), current);
        return current.isEmpty();
    }

    /**
     * Deletes by digest (the manifest and all its tags) or by tag (only the tag). The manifest's
     * bytes stay in the store until garbage collection.
     */
    public void delete(RepositoryName repository, Reference reference, Caller caller) {
        tx.useTransaction(h -> {
            long id = repositories.require(h, repository);
            Instant now = clock.instant();
            ArtifactDao artifacts = h.attach(ArtifactDao.class);
            if (reference.isDigest()) {
                Digest digest = reference.digest().get();
                if (artifacts.delete(id, digest.toString()) == 0) {
                    throw manifestUnknown(repository, reference);
                }
                outbox.append(h, List.of(RegistryEvent.deleted(now, repository, digest, caller)));
            } else {
                String tag = reference.tag().get();
                Optional<Digest> digest = artifacts.byTag(id, tag).map(a -> Digest.parse(a.digest()));
                if (h.attach(TagDao.class).delete(id, tag) == 0) {
                    throw manifestUnknown(repository, reference);
                }
                outbox.append(h, List.of(RegistryEvent.tagDeleted(now, repository, tag, digest.orElse(null), caller)));
            }
        });
        invalidate(repository);
    }

    /**
     * A number that changes whenever the repository's manifests or tags change through this
     * instance (a push, a delete, a proxy fetch, an eviction): a cache kept outside this class may
     * answer from what it read while the number is the one it read before.
     */
    public long generation(RepositoryName repository) {
        return generations.current(repository.value());
    }

    /** Forgets what is cached of the repository's manifests, after a change committed elsewhere in the store. */
    void invalidate(RepositoryName repository) {
        generations.bump(repository.value());
    }

    private static String key(RepositoryName repository, Reference reference) {
        return repository.value() + '\0' + reference;
    }

    static RegistryException manifestUnknown(RepositoryName repository, Reference reference) {
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in repository "
                + repository, reference.toString());
    }
}
