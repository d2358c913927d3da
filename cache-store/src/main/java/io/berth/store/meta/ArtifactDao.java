package io.berth.store.meta;

import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Manifests of repositories, what they reference, and who refers to them. */
@RegisterConstructorMapper(ArtifactRow.class)
public interface ArtifactDao {
    String COLUMNS = "a.id, a.repository_id, a.digest, a.media_type, a.size, a.artifact_type, a.subject_digest,"
            + " a.annotations, a.pushed_at, a.pulled_at, a.pinned";

    @SqlQuery("SELECT " + COLUMNS + " FROM artifact a WHERE a.repository_id = :repositoryId AND a.digest = :digest")
    Optional<ArtifactRow> byDigest(@Bind("repositoryId") long repositoryId, @Bind("digest") String digest);

    @SqlQuery("SELECT " + COLUMNS + " FROM artifact a JOIN tag t ON t.artifact_id = a.id"
            + " WHERE t.repository_id = :repositoryId AND t.name = :tag")
    Optional<ArtifactRow> byTag(@Bind("repositoryId") long repositoryId, @Bind("tag") String tag);

    @SqlUpdate("MERGE INTO artifact a USING (VALUES (CAST(:repositoryId AS BIGINT), CAST(:digest AS VARCHAR(140))))"
            + " AS s(repository_id, digest) ON a.repository_id = s.repository_id AND a.digest = s.digest"
            + " WHEN NOT MATCHED THEN INSERT (repository_id, digest, media_type, size, artifact_type, subject_digest,"
            + " annotations, pushed_at) VALUES (s.repository_id, s.digest, :mediaType, :size, :artifactType,"
            + " :subjectDigest, :annotations, :now)")
    void createIfAbsent(@Bind("repositoryId") long repositoryId, @Bind("digest") String digest,
                        @Bind("mediaType") String mediaType, @Bind("size") long size,
                        @Bind("artifactType") String artifactType, @Bind("subjectDigest") String subjectDigest,
                        @Bind("annotations") String annotations, @Bind("now") Instant now);

    /** The artifact's id, its row locked until the transaction ends; empty when there is none. */
    @SqlQuery("SELECT id FROM artifact WHERE repository_id = :repositoryId AND digest = :digest FOR UPDATE")
    Optional<Long> lockId(@Bind("repositoryId") long repositoryId, @Bind("digest") String digest);

    /** Creates an artifact that must not exist yet: a concurrent creator makes this fail on the unique key. */
    @SqlUpdate("INSERT INTO artifact (repository_id, digest, media_type, size, artifact_type, subject_digest, annotations,"
            + " pushed_at) VALUES (:repositoryId, :digest, :mediaType, :size, :artifactType, :subjectDigest,"
            + " :annotations, :now)")
    void insert(@Bind("repositoryId") long repositoryId, @Bind("digest") String digest,
                @Bind("mediaType") String mediaType, @Bind("size") long size,
                @Bind("artifactType") String artifactType, @Bind("subjectDigest") String subjectDigest,
                @Bind("annotations") String annotations, @Bind("now") Instant now);

    @SqlUpdate("MERGE INTO artifact_reference r USING (VALUES (CAST(:artifactId AS BIGINT), CAST(:kind AS VARCHAR(16)),"
            + " CAST(:digest AS VARCHAR(140)))) AS s(artifact_id, kind, digest)"
            + " ON r.artifact_id = s.artifact_id AND r.kind = s.kind AND r.digest = s.digest"
            + " WHEN NOT MATCHED THEN INSERT (artifact_id, kind, digest) VALUES (s.artifact_id, s.kind, s.digest)")
    void addReference(@Bind("artifactId") long artifactId, @Bind("kind") String kind, @Bind("digest") String digest);

    /** Of the given manifest digests, those the repository holds. */
    @SqlQuery("SELECT digest FROM artifact WHERE repository_id = :repositoryId AND digest IN (<digests>)")
    List<String> existing(@Bind("repositoryId") long repositoryId, @BindList("digests") Collection<String> digests);

    /** Notes that manifests were pulled at {@code at} (one batch entry per repository and digest). */
    @SqlBatch("UPDATE artifact SET pulled_at = :at WHERE digest = :digest"
            + " AND repository_id = (SELECT id FROM repository WHERE name = :repository)"
            + " AND (pulled_at IS NULL OR pulled_at < :at)")
    void markPulled(@Bind("repository") List<String> repositories, @Bind("digest") List<String> digests,
                    @Bind("at") Instant at);

    @SqlUpdate("DELETE FROM artifact WHERE repository_id = :repositoryId AND digest = :digest")
    int delete(@Bind("repositoryId") long repositoryId, @Bind("digest") String digest);

    /**
     * Manifests in the repository whose subject is {@code subject}, by digest after {@code last}
     * ("" for the start), optionally of one artifact type; without their annotations (which may be
     * megabytes each), but with their length, so a page can be cut to a byte budget first.
     */
    @SqlQuery("SELECT a.id, a.digest, a.media_type, a.size, a.artifact_type,"
            + " COALESCE(LENGTH(a.annotations), 0) AS annotations_length FROM artifact a"
            + " WHERE a.repository_id = :repositoryId AND a.subject_digest = :subject AND a.digest > :last"
            + " AND (CAST(:artifactType AS VARCHAR(255)) IS NULL OR a.artifact_type = :artifactType)"
            + " ORDER BY a.digest LIMIT :limit")
    @RegisterConstructorMapper(ReferrerRow.class)
    List<ReferrerRow> referrers(@Bind("repositoryId") long repositoryId, @Bind("subject") String subject,
                                @Bind("artifactType") String artifactType, @Bind("last") String last,
                                @Bind("limit") int limit);

    /** The annotations (JSON object text, or null) of the given artifacts, by id. */
    @SqlQuery("SELECT id, annotations FROM artifact WHERE id IN (<ids>)")
    @KeyColumn("id")
    @ValueColumn("annotations")
    Map<Long, String> annotations(@BindList("ids") Collection<Long> ids);

    /** A page of the repository's artifacts, newest first. */
    @SqlQuery("SELECT " + COLUMNS + " FROM artifact a WHERE a.repository_id = :repositoryId"
            + " ORDER BY a.pushed_at DESC, a.id DESC LIMIT :limit OFFSET :offset")
    List<ArtifactRow> list(@Bind("repositoryId") long repositoryId, @Bind("limit") int limit,
                           @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM artifact WHERE repository_id = :repositoryId")
    long count(@Bind("repositoryId") long repositoryId);
}
