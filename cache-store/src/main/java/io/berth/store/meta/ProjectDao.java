package io.berth.store.meta;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Projects: the first component of every repository name. */
@RegisterConstructorMapper(ProjectRow.class)
public interface ProjectDao {
    @SqlQuery("SELECT id FROM project WHERE name = :name")
    Optional<Long> findId(@Bind("name") String name);

    /** The project's kind as stored ({@code local}, {@code proxy}). */
    @SqlQuery("SELECT kind FROM project WHERE name = :name")
    Optional<String> kind(@Bind("name") String name);

    /** Creates the project unless it exists; concurrent callers may still collide (Transactions retries them). */
    @SqlUpdate("MERGE INTO project p USING (VALUES (CAST(:name AS VARCHAR(255)))) AS s(name) ON p.name = s.name"
            + " WHEN NOT MATCHED THEN INSERT (name, created_at) VALUES (s.name, :now)")
    void createIfAbsent(@Bind("name") String name, @Bind("now") Instant now);

    /** A page of projects by name. */
    @SqlQuery("SELECT p.id, p.name, p.kind, p.created_at,"
            + " (SELECT COUNT(*) FROM repository r WHERE r.project_id = p.id) AS repository_count"
            + " FROM project p ORDER BY p.name LIMIT :limit OFFSET :offset")
    List<ProjectRow> list(@Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM project")
    long count();
}
