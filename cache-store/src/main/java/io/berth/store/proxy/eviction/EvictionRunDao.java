package io.berth.store.proxy.eviction;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Optional;

/** The {@code eviction_run} rows: each proxy project's last eviction run. */
@RegisterConstructorMapper(LastEviction.class)
interface EvictionRunDao {
    @SqlUpdate("MERGE INTO eviction_run e USING (VALUES (CAST(:projectId AS BIGINT))) AS s(project_id)"
            + " ON e.project_id = s.project_id"
            + " WHEN MATCHED THEN UPDATE SET finished_at = :at, artifacts = :artifacts, links = :links, bytes = :bytes"
            + " WHEN NOT MATCHED THEN INSERT (project_id, finished_at, artifacts, links, bytes)"
            + " VALUES (s.project_id, :at, :artifacts, :links, :bytes)")
    void record(@Bind("projectId") long projectId, @Bind("at") Instant at, @Bind("artifacts") long artifacts,
                @Bind("links") long links, @Bind("bytes") long bytes);

    @SqlQuery("SELECT finished_at, artifacts, links, bytes FROM eviction_run WHERE project_id = :projectId")
    Optional<LastEviction> find(@Bind("projectId") long projectId);
}
