package io.berth.store;

import io.berth.store.blob.BlobStore;
import io.berth.store.blob.UploadStore;
import io.berth.store.content.LocalContentSource;
import io.berth.store.content.ProjectKind;
import io.berth.store.content.RepositoryResolver;
import io.berth.store.event.Outbox;
import io.berth.store.event.PullRecorder;
import io.berth.store.label.Labels;
import io.berth.store.meta.Admission;
import io.berth.store.meta.Database;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Repositories;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.RepositoryName;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;

/**
 * The registry's content, as the gateway and the admin API use it: repositories resolved to their
 * content source, blobs and uploads, manifests, and listings, over the blob store and upload store
 * it is given and one metadata database. Changes are recorded as events in the outbox; closing the
 * registry writes the pulls still pending (close the gateway first, the database after).
 */
public final class Registry implements AutoCloseable {
    private final Transactions tx;
    private final Blobs blobs;
    private final Manifests manifests;
    private final CachedTags cachedTags;
    private final Listings listings;
    private final Inventory inventory;
    private final Labels labels;
    private final Outbox outbox;
    private final PullRecorder pulls;
    private final UploadJanitor janitor;
    private final RepositoryResolver resolver;

    private Registry(Transactions tx, BlobStore store, UploadStore uploads, Options options, Clock clock) {
        this.tx = tx;
        this.outbox = new Outbox();
        this.pulls = new PullRecorder(tx, outbox, clock, options.pulls());
        Repositories repositories = new Repositories(options.autoCreateProjects());
        this.blobs = new Blobs(tx, repositories, store, uploads, clock);
        this.manifests = new Manifests(tx, repositories, store, outbox, pulls, options.maxManifestSize(),
                ParseBudget.ofHeap(), clock);
        this.cachedTags = new CachedTags(tx, repositories, manifests, clock);
        this.listings = new Listings(tx, repositories);
        this.inventory = new Inventory(tx, repositories);
        this.labels = new Labels(tx, outbox, clock);
        this.janitor = new UploadJanitor(tx, uploads, store, options.uploadExpiry(), clock);
        // Until a kind registers its own sources (a proxy its upstream), it reads from this store, read-only.
        this.resolver = new RepositoryResolver(
                project -> tx.withHandle(h -> h.attach(ProjectDao.class).kind(project)).map(ProjectKind::fromDb)
                        .orElse(ProjectKind.LOCAL),
                name -> new LocalContentSource(name, manifests, blobs, listings));
    }

    /**
     * What a registry is opened with.
     *
     * @param autoCreateProjects create a project on the first push into it
     * @param maxManifestSize    largest manifest accepted, in bytes
     * @param uploadExpiry       how long an idle upload session is kept
     * @param database           how much database work may run and wait at once
     * @param pulls              how manifest pulls are batched into events
     */
    public record Options(boolean autoCreateProjects, long maxManifestSize, Duration uploadExpiry, Admission database,
                          PullRecorder.Options pulls) {
    }

    /** Opens the registry over the given stores: migrates the database. */
    public static Registry open(DataSource dataSource, BlobStore store, UploadStore uploads, Options options,
                                Clock clock) {
        return new Registry(new Transactions(Database.open(dataSource), options.database()), store, uploads, options, clock);
    }

    /** Resolves repository names into handles whose content source serves their reads. */
    public RepositoryResolver repositories() {
        return resolver;
    }

    public Blobs blobs() {
        return blobs;
    }

    public Manifests manifests() {
        return manifests;
    }

    /** The tags of pull-through caches: freshness checks against their upstream. */
    public CachedTags cachedTags() {
        return cachedTags;
    }

    public Listings listings() {
        return listings;
    }

    public Inventory inventory() {
        return inventory;
    }

    /** Labels on artifacts, each change recorded as an event. */
    public Labels labels() {
        return labels;
    }

    /** Where changes are recorded as events; consumers subscribe to its commits to wake up at once. */
    public Outbox outbox() {
        return outbox;
    }

    /** The batched recorder of manifest pulls, for its counts. */
    public PullRecorder pulls() {
        return pulls;
    }

    public UploadJanitor janitor() {
        return janitor;
    }

    public Transactions transactions() {
        return tx;
    }

    /**
     * Forgets what this instance cached of a repository's manifests and of its links to
     * {@code digests}, after a change committed outside {@link Blobs} and {@link Manifests} (cache
     * eviction): the next read asks the database.
     */
    public void forget(RepositoryName repository, Collection<String> digests) {
        blobs.forget(repository, digests);
        manifests.invalidate(repository);
    }

    /** Writes the pulls still pending; the registry takes no more pulls afterwards. */
    @Override
    public void close() {
        pulls.close();
    }
}
