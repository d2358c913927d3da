package io.berth.store;

import io.berth.store.meta.Repositories;
import io.berth.store.meta.TagDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The tags of a pull-through cache as its freshness checks see them: which digest a tag names and
 * when it was last checked against the upstream ({@code tag.checked_at}), the note that a check
 * found it unchanged, and the removal of a tag the upstream no longer has. Nothing here writes an
 * event: these are the cache keeping itself in step with its upstream, not clients' changes.
 * Every method blocks on the database.
 */
public final class CachedTags {
    private final Transactions tx;
    private final Repositories repositories;
    private final Manifests manifests;
    private final Clock clock;

    CachedTags(Transactions tx, Repositories repositories, Manifests manifests, Clock clock) {
        this.tx = tx;
        this.repositories = repositories;
        this.manifests = manifests;
        this.clock = clock;
    }

    /**
     * What a cached tag names.
     *
     * @param digest    the manifest it points at
     * @param checkedAt when the upstream last confirmed it, or null when never
     */
    public record State(Digest digest, Instant checkedAt) {
    }

    /** The tag's state; empty when the repository or the tag does not exist. */
    public Optional<State> find(RepositoryName repository, String tag) {
        return tx.withHandle(h -> repositories.find(h, repository)
                .flatMap(id -> h.attach(TagDao.class).checked(id, tag))
                .map(t -> new State(Digest.parse(t.digest()), t.checkedAt())));
    }

    /** Notes that the upstream confirmed the tag now; returns false when the tag is gone. */
    public boolean markChecked(RepositoryName repository, String tag) {
        Instant now = clock.instant();
        return tx.inTransaction(h -> repositories.find(h, repository)
                .map(id -> h.attach(TagDao.class).markChecked(id, tag, now)).orElse(0)) > 0;
    }

    /** Removes a tag the upstream no longer has (its manifest stays); returns false when it was not there. */
    public boolean forget(RepositoryName repository, String tag) {
        int removed = tx.inTransaction(h -> repositories.find(h, repository)
                .map(id -> h.attach(TagDao.class).delete(id, tag)).orElse(0));
        manifests.invalidate(repository);
        return removed > 0;
    }
}
