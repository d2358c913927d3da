package io.berth.gateway.auth.projects;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;

/** The project table's columns that access depends on. */
@RegisterConstructorMapper(ProjectFacts.class)
interface ProjectFactsDao {
    @SqlQuery("SELECT id, name, public AS is_public, created_at FROM project WHERE name = :name")
    Optional<ProjectFacts> find(@Bind("name") String name);

    @SqlUpdate("UPDATE project SET public = :isPublic WHERE name = :name")
    int setPublic(@Bind("name") String name, @Bind("isPublic") boolean isPublic);
}
