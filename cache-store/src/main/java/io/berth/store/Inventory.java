package io.berth.store;

import io.berth.store.label.Labels;
import io.berth.store.meta.ArtifactDao;
import io.berth.store.meta.ArtifactRow;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.ProjectRow;
import io.berth.store.meta.Repositories;
import io.berth.store.meta.RepositoryDao;
import io.berth.store.meta.RepositoryRow;
import io.berth.store.meta.TagDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.RepositoryName;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the registry holds, for the admin API: projects, their repositories, and artifacts with
 * tags, one bounded page at a time, each with the total a client needs to page through.
 */
public final class Inventory {
    private final Transactions tx;
    private final Repositories repositories;

    Inventory(Transactions tx, Repositories repositories) {
        this.tx = tx;
        this.repositories = repositories;
    }

    /** One page of a listing and how many entries the whole listing has. */
    public record Listing<T>(List<T> items, long total) {
        public Listing {
            items = List.copyOf(items);
        }
    }

    /**
     * An artifact with the tags that point at it, whether it is pinned in a proxy project's cache, and
     * the labels it carries (sorted).
     */
    public record ArtifactSummary(String digest, String mediaType, long size, String artifactType,
                                  String subjectDigest, List<String> tags, Instant pushedAt, Instant pulledAt,
                                  boolean pinned, List<String> labels) {
    }

    /** Projects by name; {@code page} counts from 1. */
    public Listing<ProjectRow> projects(int page, int pageSize) {
        return tx.withHandle(h -> {
            ProjectDao projects = h.attach(ProjectDao.class);
            return new Listing<>(projects.list(pageSize, offset(page, pageSize)), projects.count());
        });
    }

    /** The repositories of a project by name, or empty when the project does not exist. */
    public Optional<Listing<RepositoryRow>> repositories(String project, int page, int pageSize) {
        return tx.withHandle(h -> h.attach(ProjectDao.class).findId(project).map(id -> {
            RepositoryDao dao = h.attach(RepositoryDao.class);
            return new Listing<>(dao.listInProject(project, pageSize, offset(page, pageSize)),
                    dao.countInProject(project));
        }));
    }

    /** The artifacts of a repository, newest first; fails with NAME_UNKNOWN for an unknown repository. */
    public Listing<ArtifactSummary> artifacts(RepositoryName repository, int page, int pageSize) {
        return tx.withHandle(h -> {
            long id = repositories.require(h, repository);
            ArtifactDao artifacts = h.attach(ArtifactDao.class);
            List<ArtifactRow> rows = artifacts.list(id, pageSize, offset(page, pageSize));
            Map<Long, List<String>> tags = new HashMap<>();
            List<Long> ids = rows.stream().map(ArtifactRow::id).toList();
            if (!rows.isEmpty()) {
                for (TagDao.ArtifactTag t : h.attach(TagDao.class).tagsOf(ids)) {
                    tags.computeIfAbsent(t.artifactId(), k -> new ArrayList<>()).add(t.name());
                }
            }
            Map<Long, List<String>> labels = Labels.namesOf(h, ids);
            List<ArtifactSummary> summaries = rows.stream().map(r -> new ArtifactSummary(r.digest(), r.mediaType(),
                    r.size(), r.artifactType(), r.subjectDigest(), tags.getOrDefault(r.id(), List.of()), r.pushedAt(),
                    r.pulledAt(), r.pinned(), labels.getOrDefault(r.id(), List.of()))).toList();
            return new Listing<>(summaries, artifacts.count(id));
        });
    }

    private static long offset(int page, int pageSize) {
        return (long) (Math.max(1, page) - 1) * pageSize;
    }
}
