package io.berth.store.meta;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Upload sessions and the repository each belongs to. */
public interface UploadDao {
    @SqlUpdate("INSERT INTO upload (id, repository, started_at) VALUES (:id, :repository, :now)")
    void insert(@Bind("id") String id, @Bind("repository") String repository, @Bind("now") Instant now);

    @SqlQuery("SELECT repository FROM upload WHERE id = :id")
    Optional<String> repositoryOf(@Bind("id") String id);

    @SqlUpdate("DELETE FROM upload WHERE id = :id")
    int delete(@Bind("id") String id);

    @SqlQuery("SELECT id FROM upload ORDER BY id")
    List<String> ids();
}
