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

/** Repositories and the catalog. */
@RegisterConstructorMapper(RepositoryRow.class)
public interface RepositoryDao {
    @SqlQuery("SELECT id FROM repository WHERE name = :name")
    Optional<Long> findId(@Bind("name") String name);

    @SqlUpdate("MERGE INTO repository r USING (VALUES (CAST(:name AS VARCHAR(255)))) AS s(name) ON r.name = s.name"
            + " WHEN NOT MATCHED THEN INSERT (project_id, name, created_at) VALUES (:projectId, s.name, :now)")
    void createIfAbsent(@Bind("projectId") long projectId, @Bind("name") String name, @Bind("now") Instant now);

    /** Repository names after {@code last} (exclusive; "" for the start), sorted, at most {@code limit}. */
    @SqlQuery("SELECT name FROM repository WHERE name > :last ORDER BY name LIMIT :limit")
    List<String> names(@Bind("last") String last, @Bind("limit") int limit);

    /** As {@link #names}, of the repositories in the projects (by id). */
    @SqlQuery("SELECT name FROM repository WHERE name > :last AND project_id IN (<projects>) ORDER BY name LIMIT :limit")
    List<String> namesInProjects(@Bind("last") String last, @BindList("projects") Collection<Long> projects,
                                 @Bind("limit") int limit);

    /** As {@link #names}, of those among {@code repositories} that exist. */
    @SqlQuery("SELECT name FROM repository WHERE name > :last AND name IN (<repositories>) ORDER BY name LIMIT :limit")
    List<String> namesAmong(@Bind("last") String last, @BindList("repositories") Collection<String> repositories,
                            @Bind("limit") int limit);

    @SqlQuery("SELECT r.id, r.name, r.created_at,"
            + " (SELECT COUNT(*) FROM artifact a WHERE a.repository_id = r.id) AS artifact_count,"
            + " (SELECT COUNT(*) FROM tag t WHERE t.repository_id = r.id) AS tag_count"
            + " FROM repository r JOIN project p ON p.id = r.project_id WHERE p.name = :project ORDER BY r.name"
            + " LIMIT :limit OFFSET :offset")
    List<RepositoryRow> listInProject(@Bind("project") String project, @Bind("limit") int limit,
                                      @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM repository r JOIN project p ON p.id = r.project_id WHERE p.name = :project")
    long countInProject(@Bind("project") String project);
}
