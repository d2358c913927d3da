package io.berth.store;

import io.berth.store.blob.FilesystemBlobStore;
import io.berth.store.blob.StoragePaths;
import io.berth.store.blob.UploadSessions;
import io.berth.store.meta.Database;
import io.berth.store.meta.Repositories;
import io.berth.store.meta.Transactions;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The registry's content, as the gateway and the admin API use it: blobs and uploads, manifests,
 * and listings, over one blob store and one metadata database.
 */
public final class Registry {
    private final Transactions tx;
    private final FilesystemBlobStore store;
    private final Blobs blobs;
    private final Manifests manifests;
    private final Listings listings;
    private final Inventory inventory;
    private final StoreEvents events;
    private final UploadJanitor janitor;

    private Registry(Transactions tx, FilesystemBlobStore store, Options options, Clock clock) {
        this.tx = tx;
        this.store = store;
        this.events = new StoreEvents();
        Repositories repositories = new Repositories(options.autoCreateProjects());
        UploadSessions uploads = new UploadSessions(store.paths(), store);
        this.blobs = new Blobs(tx, repositories, store, uploads, clock);
        this.manifests = new Manifests(tx, repositories, store, events, options.maxManifestSize(), clock);
        this.listings = new Listings(tx, repositories);
        this.inventory = new Inventory(tx, repositories);
        this.janitor = new UploadJanitor(tx, uploads, store.paths(), options.uploadExpiry(), clock);
    }

    /**
     * What a registry is opened with.
     *
     * @param storageRoot        where blobs and upload sessions live
     * @param autoCreateProjects create a project on the first push into it
     * @param maxManifestSize    largest manifest accepted, in bytes
     * @param uploadExpiry       how long an idle upload session is kept
     */
    public record Options(Path storageRoot, boolean autoCreateProjects, long maxManifestSize, Duration uploadExpiry) {
    }

    /** Opens the registry: migrates the database and prepares the storage folders. */
    public static Registry open(DataSource dataSource, Options options, Clock clock) throws IOException {
        Transactions tx = new Transactions(Database.open(dataSource));
        FilesystemBlobStore store = new FilesystemBlobStore(new StoragePaths(options.storageRoot()));
        return new Registry(tx, store, options, clock);
    }

    public Blobs blobs() {
        return blobs;
    }

    public Manifests manifests() {
        return manifests;
    }

    public Listings listings() {
        return listings;
    }

    public Inventory inventory() {
        return inventory;
    }

    public StoreEvents events() {
        return events;
    }

    public UploadJanitor janitor() {
        return janitor;
    }

    public Transactions transactions() {
        return tx;
    }

    public StoragePaths paths() {
        return store.paths();
    }
}
