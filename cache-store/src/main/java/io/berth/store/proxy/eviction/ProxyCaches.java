package io.berth.store.proxy.eviction;

import io.berth.store.content.ProjectKind;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.ArtifactDao;
import io.berth.store.meta.ArtifactRow;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.RepositoryDao;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import io.berth.store.proxy.ProxyProjectDao;
import io.berth.store.proxy.ProxyProjectRow;
import io.berth.store.proxy.ProxySettings;
import org.jdbi.v3.core.Handle;

import java.util.Optional;

/**
 * Proxy projects' caches as the admin API manages them: what each holds against its bounds, and
 * pinning artifacts so that eviction leaves them. Both are refused for a project that is not a
 * proxy project (its artifacts are never evicted). Methods block on the database.
 */
public final class ProxyCaches {
    /** Writes what a pin changed into the audit log, in the transaction of the change. */
    @FunctionalInterface
    public interface PinAudit {
        void record(Handle handle, PinnedArtifact artifact);
    }

    private final Transactions tx;

    public ProxyCaches(Transactions tx) {
        this.tx = tx;
    }

    /** The project's cache usage, bounds and last eviction; NO_SUCH_RESOURCE or INVALID_INPUT when it has no cache. */
    public CacheStatus status(String project) {
        return tx.withHandle(h -> {
            long projectId = requireProxy(h, project, "has no cache to report");
            ProxySettings settings = h.attach(ProxyProjectDao.class).find(project).map(ProxyProjectRow::settings)
                    .orElse(null);
            return new CacheStatus(project, h.attach(CacheUsageDao.class).usage(projectId),
                    settings == null ? 0 : settings.sizeBudget(), settings == null ? null : settings.maxAge(),
                    h.attach(EvictionRunDao.class).find(projectId).orElse(null));
        });
    }

    /**
     * Pins (or unpins) the artifact {@code reference} (a tag or a digest) names in {@code repository}
     * (its name within the project), audited in the same transaction. Idempotent. Fails with
     * NO_SUCH_RESOURCE for an unknown project, repository or artifact, INVALID_INPUT for a project
     * that is not a proxy project, and NAME_INVALID, TAG_INVALID or DIGEST_INVALID for bad names.
     */
    public PinnedArtifact pin(String project, String repository, String reference, boolean pinned, PinAudit audit) {
        RepositoryName name = RepositoryName.parse(project + "/" + repository);
        Reference ref = Reference.parse(reference);
        return tx.inTransaction(h -> {
            requireProxy(h, project, pinned ? "cannot pin artifacts: its artifacts are never evicted"
                    : "has no pinned artifacts");
            long repositoryId = h.attach(RepositoryDao.class).findId(name.value()).orElseThrow(() ->
                    new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no repository '" + name + "'"));
            ArtifactDao artifacts = h.attach(ArtifactDao.class);
            Optional<ArtifactRow> artifact = ref.isDigest() ? artifacts.byDigest(repositoryId, ref.toString())
                    : artifacts.byTag(repositoryId, ref.toString());
            ArtifactRow row = artifact.orElseThrow(() -> new RegistryException(ErrorCode.NO_SUCH_RESOURCE,
                    "there is no artifact " + ref + " in repository '" + name + "'"));
            h.createUpdate("UPDATE artifact SET pinned = :pinned WHERE id = :id")
                    .bind("pinned", pinned).bind("id", row.id()).execute();
            PinnedArtifact result = new PinnedArtifact(name.value(), row.digest(), pinned);
            audit.record(h, result);
            return result;
        });
    }

    private static long requireProxy(Handle h, String project, String otherwise) {
        ProjectDao projects = h.attach(ProjectDao.class);
        long id = projects.findId(project).orElseThrow(() -> new RegistryException(ErrorCode.NO_SUCH_RESOURCE,
                "there is no project named '" + project + "'"));
        if (ProjectKind.fromDb(projects.kind(project).orElse(null)) != ProjectKind.PROXY) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "project '" + project + "' is a local project, which "
                    + otherwise + ": only proxy projects cache what they pull and evict it");
        }
        return id;
    }
}
