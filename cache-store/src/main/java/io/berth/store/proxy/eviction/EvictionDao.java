package io.berth.store.proxy.eviction;

import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What eviction reads of a proxy project's cache to plan, and what it changes to evict. */
@RegisterConstructorMapper(EvictionDao.CachedArtifact.class)
@RegisterConstructorMapper(EvictionDao.ChildLink.class)
@RegisterConstructorMapper(EvictionDao.OrphanLink.class)
interface EvictionDao {
    /** An artifact of the project: when it was last used (pulled, or else pushed), pinned, tagged. */
    record CachedArtifact(long id, long repositoryId, String digest, Instant lastUsed, boolean pinned,
                          boolean tagged) {
    }

    /** An index and one of its child manifests, in the same repository. */
    record ChildLink(long parentId, long childId) {
    }

    /** A blob linked into a repository of the project that no artifact of that repository references. */
    record OrphanLink(long repositoryId, String digest, Instant linkedAt) {
    }

    @SqlQuery("SELECT a.id, a.repository_id, a.digest, COALESCE(a.pulled_at, a.pushed_at) AS last_used, a.pinned,"
            + " EXISTS (SELECT 1 FROM tag t WHERE t.artifact_id = a.id) AS tagged"
            + " FROM artifact a JOIN repository r ON r.id = a.repository_id WHERE r.project_id = :projectId")
    List<CachedArtifact> artifacts(@Bind("projectId") long projectId);

    @SqlQuery("SELECT p.id AS parent_id, c.id AS child_id FROM artifact p"
            + " JOIN repository r ON r.id = p.repository_id"
            + " JOIN artifact_reference ar ON ar.artifact_id = p.id AND ar.kind = 'manifest'"
            + " JOIN artifact c ON c.repository_id = p.repository_id AND c.digest = ar.digest"
            + " WHERE r.project_id = :projectId")
    List<ChildLink> childLinks(@Bind("projectId") long projectId);

    @SqlQuery("SELECT rb.repository_id, rb.digest, rb.linked_at FROM repository_blob rb"
            + " JOIN repository r ON r.id = rb.repository_id"
            + " WHERE r.project_id = :projectId AND rb.linked_at < :before AND NOT EXISTS (SELECT 1"
            + " FROM artifact_reference ar JOIN artifact a ON a.id = ar.artifact_id"
            + " WHERE a.repository_id = rb.repository_id AND ar.digest = rb.digest)")
    List<OrphanLink> orphanLinks(@Bind("projectId") long projectId, @Bind("before") Instant before);

    /** The artifact, its row locked until the transaction ends; empty when it is gone. */
    @SqlQuery("SELECT a.id, a.repository_id, a.digest, COALESCE(a.pulled_at, a.pushed_at) AS last_used, a.pinned,"
            + " EXISTS (SELECT 1 FROM tag t WHERE t.artifact_id = a.id) AS tagged"
            + " FROM artifact a WHERE a.id = :id FOR UPDATE")
    Optional<CachedArtifact> lock(@Bind("id") long id);

    /** The ids of the artifacts of the repository that are child manifests of the given artifacts. */
    @SqlQuery("SELECT DISTINCT c.id FROM artifact_reference ar JOIN artifact c ON c.digest = ar.digest"
            + " WHERE ar.artifact_id IN (<parents>) AND ar.kind = 'manifest' AND c.repository_id = :repositoryId")
    List<Long> childrenOf(@Bind("repositoryId") long repositoryId, @BindList("parents") Collection<Long> parents);

    /** Whether an artifact of the repository other than {@code except} has {@code digest} as a child manifest. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM artifact_reference ar JOIN artifact p ON p.id = ar.artifact_id"
            + " WHERE p.repository_id = :repositoryId AND ar.kind = 'manifest' AND ar.digest = :digest"
            + " AND p.id NOT IN (<except>))")
    boolean hasParentBesides(@Bind("repositoryId") long repositoryId, @Bind("digest") String digest,
                             @BindList("except") Collection<Long> except);

    /** The blobs (configs, layers) the given artifacts reference. */
    @SqlQuery("SELECT DISTINCT digest FROM artifact_reference WHERE artifact_id IN (<ids>) AND kind = 'blob'")
    List<String> blobsOf(@BindList("ids") Collection<Long> ids);

    @SqlUpdate("DELETE FROM artifact WHERE id IN (<ids>)")
    int deleteArtifacts(@BindList("ids") Collection<Long> ids);

    /** Of the given digests, those an artifact of the repository references. */
    @SqlQuery("SELECT DISTINCT ar.digest FROM artifact_reference ar JOIN artifact a ON a.id = ar.artifact_id"
            + " WHERE a.repository_id = :repositoryId AND ar.digest IN (<digests>)")
    List<String> referencedIn(@Bind("repositoryId") long repositoryId,
                              @BindList("digests") Collection<String> digests);

    @SqlUpdate("DELETE FROM repository_blob WHERE repository_id = :repositoryId AND digest IN (<digests>)")
    int unlink(@Bind("repositoryId") long repositoryId, @BindList("digests") Collection<String> digests);

    /** Removes an orphan link, if it is still one (no artifact of its repository references it). */
    @SqlUpdate("DELETE FROM repository_blob rb WHERE rb.repository_id = :repositoryId AND rb.digest = :digest"
            + " AND NOT EXISTS (SELECT 1 FROM artifact_reference ar JOIN artifact a ON a.id = ar.artifact_id"
            + " WHERE a.repository_id = rb.repository_id AND ar.digest = rb.digest)")
    int unlinkOrphan(@Bind("repositoryId") long repositoryId, @Bind("digest") String digest);

    /** Of the given digests, those the project still holds (linked, or a manifest of one of its repositories). */
    @SqlQuery("SELECT rb.digest FROM repository_blob rb JOIN repository r ON r.id = rb.repository_id"
            + " WHERE r.project_id = :projectId AND rb.digest IN (<digests>)"
            + " UNION SELECT a.digest FROM artifact a JOIN repository r ON r.id = a.repository_id"
            + " WHERE r.project_id = :projectId AND a.digest IN (<digests>)")
    List<String> heldBy(@Bind("projectId") long projectId, @BindList("digests") Collection<String> digests);

    @SqlQuery("SELECT digest, size FROM blob WHERE digest IN (<digests>)")
    @KeyColumn("digest")
    @ValueColumn("size")
    Map<String, Long> sizes(@BindList("digests") Collection<String> digests);

    @SqlQuery("SELECT name FROM repository WHERE id = :id")
    String repositoryName(@Bind("id") long id);
}
