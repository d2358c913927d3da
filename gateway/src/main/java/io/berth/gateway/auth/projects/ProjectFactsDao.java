package io.berth.gateway.auth.projects;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The project table's columns that access depends on. */
@RegisterConstructorMapper(ProjectFacts.class)
interface ProjectFactsDao {
    @SqlQuery("SELECT id, name, public AS is_public, created_at FROM project WHERE name = :name")
    Optional<ProjectFacts> find(@Bind("name") String name);

    /** The facts of those of the named projects that exist. */
    @SqlQuery("SELECT id, name, public AS is_public, created_at FROM project WHERE name IN (<names>)")
    List<ProjectFacts> findAll(@BindList("names") Collection<String> names);

    /** The ids of the public projects. */
    @SqlQuery("SELECT id FROM project WHERE public = TRUE")
    List<Long> publicIds();

    @SqlUpdate("UPDATE project SET public = :isPublic WHERE name = :name")
    int setPublic(@Bind("name") String name, @Bind("isPublic") boolean isPublic);
}
