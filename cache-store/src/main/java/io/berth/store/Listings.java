package io.berth.store;

import io.berth.store.meta.ArtifactDao;
import io.berth.store.meta.ArtifactRow;
import io.berth.store.meta.Repositories;
import io.berth.store.meta.RepositoryDao;
import io.berth.store.meta.TagDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;

import java.util.List;

/** Tag lists, the catalog, and referrers. All block on the database. */
public final class Listings {
    private final Transactions tx;
    private final Repositories repositories;

    Listings(Transactions tx, Repositories repositories) {
        this.tx = tx;
        this.repositories = repositories;
    }

    /** Tags of a repository in lexical order, after {@code last}, at most {@code limit}. */
    public Page tags(RepositoryName repository, String last, int limit) {
        return tx.withHandle(h -> {
            long id = repositories.require(h, repository);
            return Page.of(h.attach(TagDao.class).names(id, last == null ? "" : last, limit + 1), limit);
        });
    }

    /** Repository names in lexical order, after {@code last}, at most {@code limit}. */
    public Page catalog(String last, int limit) {
        return tx.withHandle(h -> Page.of(h.attach(RepositoryDao.class).names(last == null ? "" : last, limit + 1), limit));
    }

    /**
     * Manifests of the repository whose subject is {@code subject}, optionally only those of one
     * artifact type. An unknown subject or repository simply has no referrers.
     */
    public List<Descriptor> referrers(RepositoryName repository, Digest subject, String artifactType) {
        List<ArtifactRow> rows = tx.withHandle(h -> repositories.find(h, repository)
                .map(id -> h.attach(ArtifactDao.class).referrers(id, subject.toString()))
                .orElse(List.of()));
        return rows.stream()
                .filter(r -> artifactType == null || artifactType.equals(r.artifactType()))
                .map(r -> new Descriptor(r.mediaType(), Digest.parse(r.digest()), r.size(), r.artifactType(),
                        r.annotations()))
                .toList();
    }
}
