package io.berth.store;

import io.berth.store.meta.ArtifactDao;
import io.berth.store.meta.ReferrerRow;
import io.berth.store.meta.Repositories;
import io.berth.store.meta.RepositoryDao;
import io.berth.store.meta.TagDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Tag lists, the catalog, and referrers, each one bounded page at a time. All block on the database. */
public final class Listings {
    /**
     * The most annotation bytes one page of referrers carries. Annotations may be up to a manifest's
     * size each, so a page holds at least one referrer however large, and past this budget no more:
     * one response never holds every annotation of a subject with thousands of referrers.
     */
    public static final long REFERRERS_PAGE_BYTES = 1L << 20;

    private final Transactions tx;
    private final Repositories repositories;

    Listings(Transactions tx, Repositories repositories) {
        this.tx = tx;
        this.repositories = repositories;
    }

    /** Tags of a repository in lexical order, after {@code last}, at most {@code limit}. */
    public Page<String> tags(RepositoryName repository, String last, int limit) {
        return tx.withHandle(h -> {
            long id = repositories.require(h, repository);
            return Page.of(h.attach(TagDao.class).names(id, last == null ? "" : last, limit + 1), limit);
        });
    }

    /**
     * Every repository name in lexical order, after {@code last}, at most {@code limit}: the
     * registry's own view. A client's catalog goes through {@link #catalog(String, int, Caller)}.
     */
    public Page<String> catalog(String last, int limit) {
        return tx.withHandle(h -> Page.of(h.attach(RepositoryDao.class).names(last == null ? "" : last, limit + 1),
                limit));
    }

    /**
     * The names of the repositories {@code caller} may read ({@link Readable#reach}), in lexical
     * order, after {@code last}, at most {@code limit}: pages of what it may see, so {@code last}
     * and the next page's link work as over the whole catalog.
     */
    public Page<String> catalog(String last, int limit, Caller caller) {
        Readable.Reach reach = caller.readable().reach(); // before the handle: working it out may need a connection
        if (reach.everything()) {
            return catalog(last, limit);
        }
        if (reach.isEmpty()) {
            return new Page<>(List.of(), false);
        }
        String after = last == null ? "" : last;
        return tx.withHandle(h -> {
            RepositoryDao dao = h.attach(RepositoryDao.class);
            // Each batch's first limit + 1 names, merged: the first limit + 1 of all of them.
            TreeSet<String> names = new TreeSet<>(Batches.collect(reach.projects(),
                    batch -> dao.namesInProjects(after, batch, limit + 1)));
            names.addAll(Batches.collect(reach.repositories(), batch -> dao.namesAmong(after, batch, limit + 1)));
            return Page.of(names.stream().limit(limit + 1L).toList(), limit);
        });
    }

    /**
     * Manifests of the repository whose subject is {@code subject}, optionally only those of one
     * artifact type, by digest after {@code last}: at most {@code limit}, and no more annotation
     * bytes than {@link #REFERRERS_PAGE_BYTES} (but at least one referrer). An unknown subject or
     * repository simply has no referrers.
     */
    public Page<Descriptor> referrers(RepositoryName repository, Digest subject, String artifactType, String last,
                                      int limit) {
        return tx.withHandle(h -> {
            var id = repositories.find(h, repository);
            if (id.isEmpty()) {
                return new Page<Descriptor>(List.of(), false);
            }
            ArtifactDao artifacts = h.attach(ArtifactDao.class);
            List<ReferrerRow> rows = artifacts.referrers(id.get(), subject.toString(), artifactType,
                    last == null ? "" : last, limit + 1);
            List<ReferrerRow> page = new ArrayList<>();
            long bytes = 0;
            for (ReferrerRow row : rows) {
                if (page.size() == limit || (!page.isEmpty() && bytes + row.annotationsLength() > REFERRERS_PAGE_BYTES)) {
                    break;
                }
                page.add(row);
                bytes += row.annotationsLength();
            }
            Map<Long, String> annotations = bytes == 0 ? Map.of()
                    : artifacts.annotations(page.stream().filter(r -> r.annotationsLength() > 0).map(ReferrerRow::id).toList());
            List<Descriptor> descriptors = page.stream().map(r -> new Descriptor(r.mediaType(), Digest.parse(r.digest()),
                    r.size(), r.artifactType(), annotations.get(r.id()))).toList();
            return new Page<>(descriptors, page.size() < rows.size());
        });
    }
}
