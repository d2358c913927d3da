package io.berth.store;

import io.berth.store.meta.ArtifactDao;
import io.berth.store.meta.ArtifactRow;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.ProjectRow;
import io.berth.store.meta.Repositories;
import io.berth.store.meta.RepositoryRow;
import io.berth.store.meta.RepositoryDao;
import io.berth.store.meta.TagDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.RepositoryName;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the registry holds, for the admin API: projects, their repositories, and artifacts with tags. */
public final class Inventory {
    private final Transactions tx;
    private final Repositories repositories;

    Inventory(Transactions tx, Repositories repositories) {
        this.tx = tx;
        this.repositories = repositories;
    }

    /** An artifact with the tags that point at it. */
    public record ArtifactSummary(String digest, String mediaType, long size, String artifactType,
                                  String subjectDigest, List<String> tags, Instant pushedAt) {
    }

    public List<ProjectRow> projects() {
        return tx.withHandle(h -> h.attach(ProjectDao.class).list());
    }

    /** The repositories of a project, or empty when the project does not exist. */
    public Optional<List<RepositoryRow>> repositories(String project) {
        return tx.withHandle(h -> h.attach(ProjectDao.class).findId(project)
                .map(id -> h.attach(RepositoryDao.class).listInProject(project)));
    }

    /** The artifacts of a repository, newest first; fails with NAME_UNKNOWN for an unknown repository. */
    public List<ArtifactSummary> artifacts(RepositoryName repository) {
        return tx.withHandle(h -> {
            long id = repositories.require(h, repository);
            TagDao tags = h.attach(TagDao.class);
            List<ArtifactRow> rows = h.attach(ArtifactDao.class).list(id);
            return rows.stream().map(r -> new ArtifactSummary(r.digest(), r.mediaType(), r.size(), r.artifactType(),
                    r.subjectDigest(), tags.tagsOf(r.id()), r.pushedAt())).toList();
        });
    }
}
