package io.berth.store.meta;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Blobs the store holds and the repositories that link to them. */
public interface BlobDao {
    @SqlUpdate("MERGE INTO blob b USING (VALUES (CAST(:digest AS VARCHAR(140)))) AS s(digest) ON b.digest = s.digest"
            + " WHEN NOT MATCHED THEN INSERT (digest, size, created_at) VALUES (s.digest, :size, :now)")
    void record(@Bind("digest") String digest, @Bind("size") long size, @Bind("now") Instant now);

    @SqlQuery("SELECT size FROM blob WHERE digest = :digest")
    Optional<Long> size(@Bind("digest") String digest);

    @SqlUpdate("MERGE INTO repository_blob rb USING (VALUES (CAST(:repositoryId AS BIGINT), CAST(:digest AS VARCHAR(140))))"
            + " AS s(repository_id, digest) ON rb.repository_id = s.repository_id AND rb.digest = s.digest"
            + " WHEN NOT MATCHED THEN INSERT (repository_id, digest, linked_at) VALUES (s.repository_id, s.digest, :now)")
    void link(@Bind("repositoryId") long repositoryId, @Bind("digest") String digest, @Bind("now") Instant now);

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
