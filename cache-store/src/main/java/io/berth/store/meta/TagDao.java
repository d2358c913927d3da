package io.berth.store.meta;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Tags: names that point at one artifact of their repository. */
public interface TagDao {
    @SqlUpdate("MERGE INTO tag t USING (VALUES (CAST(:repositoryId AS BIGINT), CAST(:name AS VARCHAR(128))))"
            + " AS s(repository_id, name) ON t.repository_id = s.repository_id AND t.name = s.name"
            + " WHEN MATCHED THEN UPDATE SET artifact_id = :artifactId, updated_at = :now"
            + " WHEN NOT MATCHED THEN INSERT (repository_id, name, artifact_id, updated_at)"
            + " VALUES (s.repository_id, s.name, :artifactId, :now)")
    void put(@Bind("repositoryId") long repositoryId, @Bind("name") String name,
             @Bind("artifactId") long artifactId, @Bind("now") Instant now);

    /** Creates a tag that must not exist yet: a concurrent creator makes this fail on the unique key. */
    @SqlUpdate("INSERT INTO tag (repository_id, name, artifact_id, updated_at) VALUES (:repositoryId, :name, :artifactId, :now)")
    void insert(@Bind("repositoryId") long repositoryId, @Bind("name") String name,
                @Bind("artifactId") long artifactId, @Bind("now") Instant now);

    /** The digest a tag points at, locking the tag's row until the transaction ends; empty when there is no such tag. */
    default Optional<String> digestForUpdate(long repositoryId, String name) {
        return lockedArtifact(repositoryId, name).flatMap(this::digestOf);
    }

    @SqlQuery("SELECT artifact_id FROM tag WHERE repository_id = :repositoryId AND name = :name FOR UPDATE")
    Optional<Long> lockedArtifact(@Bind("repositoryId") long repositoryId, @Bind("name") String name);

    @SqlQuery("SELECT digest FROM artifact WHERE id = :artifactId")
    Optional<String> digestOf(@Bind("artifactId") long artifactId);

    /** Tag names after {@code last} (exclusive; "" for the start), sorted, at most {@code limit}. */
    @SqlQuery("SELECT name FROM tag WHERE repository_id = :repositoryId AND name > :last ORDER BY name LIMIT :limit")
    List<String> names(@Bind("repositoryId") long repositoryId, @Bind("last") String last, @Bind("limit") int limit);

    /** The tags pointing at each of the given artifacts, in one query. */
    @SqlQuery("SELECT artifact_id, name FROM tag WHERE artifact_id IN (<artifactIds>) ORDER BY artifact_id, name")
    @RegisterConstructorMapper(ArtifactTag.class)
    List<ArtifactTag> tagsOf(@BindList("artifactIds") Collection<Long> artifactIds);

    /** A tag and the artifact it points at. */
    record ArtifactTag(long artifactId, String name) {
    }

    /**
     * The digest a tag points at and when a proxy last checked it against its upstream (null: never,
     * as for tags pushed by clients); empty when there is no such tag.
     */
    @SqlQuery("SELECT a.digest, t.checked_at FROM tag t JOIN artifact a ON a.id = t.artifact_id"
            + " WHERE t.repository_id = :repositoryId AND t.name = :name")
    @RegisterConstructorMapper(CheckedTag.class)
    Optional<CheckedTag> checked(@Bind("repositoryId") long repositoryId, @Bind("name") String name);

    /** A tag's digest and when it was last checked against an upstream (null: never). */
    record CheckedTag(String digest, Instant checkedAt) {
    }

    /** Notes that a proxy checked the tag against its upstream at {@code at}; returns 0 when there is no such tag. */
    @SqlUpdate("UPDATE tag SET checked_at = :at WHERE repository_id = :repositoryId AND name = :name")
    int markChecked(@Bind("repositoryId") long repositoryId, @Bind("name") String name, @Bind("at") Instant at);

    @SqlUpdate("DELETE FROM tag WHERE repository_id = :repositoryId AND name = :name")
    int delete(@Bind("repositoryId") long repositoryId, @Bind("name") String name);
}
