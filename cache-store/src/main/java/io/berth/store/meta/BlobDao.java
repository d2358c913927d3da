package io.berth.store.meta;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Blobs the store holds and the repositories that link to them.
 *
 * <p>The rule that makes garbage collection safe ({@code io.berth.store.gc.BlobReclaimer}): a
 * transaction that records a blob as present ({@link #record}) or points a row at one (a link, an
 * artifact) holds the blob's row locked from before it writes until it commits. {@link #record} and
 * {@link #link} take the lock themselves; an artifact's manifest blob is {@link #record}ed first.
 * The database's foreign keys alone are not enough: H2 checks them against committed rows only, so
 * a link could be inserted while another transaction deletes the blob's row.
 */
public interface BlobDao {
    /** Locks the blob's row until the transaction ends; empty when there is none (any more). */
    @SqlQuery("SELECT digest FROM blob WHERE digest = :digest FOR UPDATE")
    Optional<String> lock(@Bind("digest") String digest);

    @SqlUpdate("MERGE INTO blob b USING (VALUES (CAST(:digest AS VARCHAR(140)))) AS s(digest) ON b.digest = s.digest"
            + " WHEN NOT MATCHED THEN INSERT (digest, size, created_at) VALUES (s.digest, :size, :now)")
    void insertIfAbsent(@Bind("digest") String digest, @Bind("size") long size, @Bind("now") Instant now);

    /**
     * Records a blob whose content the caller has just written or refreshed in the blob store, its
     * row locked until the transaction ends. A row being deleted meanwhile is waited for, then
     * inserted again; two transactions inserting it at once collide on the key (Transactions retries).
     */
    default void record(String digest, long size, Instant now) {
        if (lock(digest).isEmpty()) {
            insertIfAbsent(digest, size, now);
        }
    }

    @SqlQuery("SELECT size FROM blob WHERE digest = :digest")
    Optional<Long> size(@Bind("digest") String digest);

    @SqlUpdate("MERGE INTO repository_blob rb USING (VALUES (CAST(:repositoryId AS BIGINT), CAST(:digest AS VARCHAR(140))))"
            + " AS s(repository_id, digest) ON rb.repository_id = s.repository_id AND rb.digest = s.digest"
            + " WHEN NOT MATCHED THEN INSERT (repository_id, digest, linked_at) VALUES (s.repository_id, s.digest, :now)")
    void insertLink(@Bind("repositoryId") long repositoryId, @Bind("digest") String digest, @Bind("now") Instant now);

    /**
     * Links a blob into a repository, its row locked first. When garbage collection removed the row
     * meanwhile, the link fails on its foreign key, which Transactions retries: the caller then
     * finds the blob gone (a mount answers false, a push asks for the blob).
     */
    default void link(long repositoryId, String digest, Instant now) {
        lock(digest);
        insertLink(repositoryId, digest, now);
    }

    /** The size of a blob the repository links to. */
    @SqlQuery("SELECT b.size FROM repository_blob rb JOIN blob b ON b.digest = rb.digest"
            + " WHERE rb.repository_id = :repositoryId AND rb.digest = :digest")
    Optional<Long> linkedSize(@Bind("repositoryId") long repositoryId, @Bind("digest") String digest);

    /** Of the given digests, those the repository links to. */
    @SqlQuery("SELECT digest FROM repository_blob WHERE repository_id = :repositoryId AND digest IN (<digests>)")
    List<String> linked(@Bind("repositoryId") long repositoryId, @BindList("digests") Collection<String> digests);

    /** Whether any repository links the blob. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM repository_blob WHERE digest = :digest)")
    boolean linkedAnywhere(@Bind("digest") String digest);

    /** Whether a repository in one of the projects (by id) links the blob. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM repository_blob rb JOIN repository r ON r.id = rb.repository_id"
            + " WHERE rb.digest = :digest AND r.project_id IN (<projects>))")
    boolean linkedInProjects(@Bind("digest") String digest, @BindList("projects") Collection<Long> projects);

    /** Whether one of the repositories (by name) links the blob. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM repository_blob rb JOIN repository r ON r.id = rb.repository_id"
            + " WHERE rb.digest = :digest AND r.name IN (<repositories>))")
    boolean linkedInRepositories(@Bind("digest") String digest,
                                 @BindList("repositories") Collection<String> repositories);

    @SqlUpdate("DELETE FROM repository_blob WHERE repository_id = :repositoryId AND digest = :digest")
    int unlink(@Bind("repositoryId") long repositoryId, @Bind("digest") String digest);
}
