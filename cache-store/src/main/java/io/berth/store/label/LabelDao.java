package io.berth.store.label;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The {@code label} and {@code artifact_label} tables. A label's scope is its project's id, or 0
 * for a registry-wide label; names are unique per scope.
 */
@RegisterConstructorMapper(LabelDao.ArtifactLabel.class)
public interface LabelDao {
    /** The label named {@code name} in the project (by id), else the registry-wide one of that name. */
    @SqlQuery("SELECT id FROM label WHERE name = :name AND scope_id IN (:projectId, 0) ORDER BY scope_id DESC LIMIT 1")
    Optional<Long> visibleIn(@Bind("projectId") long projectId, @Bind("name") String name);

    /** Creates a label of the project; a concurrent creator of the same name makes this fail on the unique key. */
    @SqlUpdate("INSERT INTO label (name, project_id, scope_id, created_at) VALUES (:name, :projectId, :projectId, :now)")
    @GetGeneratedKeys("id")
    long createInProject(@Bind("projectId") long projectId, @Bind("name") String name, @Bind("now") Instant now);

    /** Puts the label on the artifact unless it is there; 1 when it was put on, 0 when it was there already. */
    @SqlUpdate("MERGE INTO artifact_label a USING (VALUES (CAST(:artifactId AS BIGINT), CAST(:labelId AS BIGINT)))"
            + " AS s(artifact_id, label_id) ON a.artifact_id = s.artifact_id AND a.label_id = s.label_id"
            + " WHEN NOT MATCHED THEN INSERT (artifact_id, label_id, added_at) VALUES (s.artifact_id, s.label_id, :now)")
    int attach(@Bind("artifactId") long artifactId, @Bind("labelId") long labelId, @Bind("now") Instant now);

    /** Takes every label named {@code name} off the artifact (a project's and a registry-wide one); how many. */
    @SqlUpdate("DELETE FROM artifact_label WHERE artifact_id = :artifactId"
            + " AND label_id IN (SELECT id FROM label WHERE name = :name)")
    int detach(@Bind("artifactId") long artifactId, @Bind("name") String name);

    /** The label names each of the artifacts carries, by artifact then name. */
    @SqlQuery("SELECT al.artifact_id, l.name FROM artifact_label al JOIN label l ON l.id = al.label_id"
            + " WHERE al.artifact_id IN (<artifactIds>) ORDER BY al.artifact_id, l.name")
    List<ArtifactLabel> labelsOf(@BindList("artifactIds") Collection<Long> artifactIds);

    /** One label name on one artifact. */
    record ArtifactLabel(long artifactId, String name) {
    }
}
