package io.berth.store.proxy.preheat;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code preheat_job} and {@code preheat_item} rows. Updates of a running job name its owner,
 * so an instance never changes a job another instance took over or failed.
 */
@RegisterRowMapper(PreheatDao.JobMapper.class)
interface PreheatDao {
    String JOB = "SELECT j.id, p.name AS project, j.status, j.platforms, j.created_at, j.started_at, j.finished_at,"
            + " j.total_references, j.total_manifests, j.total_blobs, j.total_bytes, j.done_references,"
            + " j.done_manifests, j.done_blobs, j.done_bytes, j.error FROM preheat_job j JOIN project p"
            + " ON p.id = j.project_id";
    String UNFINISHED = "('queued', 'running')";

    @SqlUpdate("INSERT INTO preheat_job (project_id, status, platforms, owner, heartbeat_at, created_at,"
            + " total_references) VALUES (:projectId, 'queued', :platforms, :owner, :now, :now, :references)")
    @GetGeneratedKeys("id")
    long insertJob(@Bind("projectId") long projectId, @Bind("platforms") String platforms,
                   @Bind("owner") String owner, @Bind("now") Instant now, @Bind("references") int references);

    @SqlBatch("INSERT INTO preheat_item (job_id, ordinal, reference, status) VALUES (:jobId, :ordinal, :reference,"
            + " 'queued')")
    void insertItems(@Bind("jobId") long jobId, @Bind("ordinal") List<Integer> ordinals,
                     @Bind("reference") List<String> references);

    @SqlQuery(JOB + " WHERE j.id = :id")
    Optional<PreheatJob> find(@Bind("id") long id);

    @SqlQuery(JOB + " WHERE j.project_id = :projectId ORDER BY j.id DESC LIMIT :limit OFFSET :offset")
    List<PreheatJob> list(@Bind("projectId") long projectId, @Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM preheat_job WHERE project_id = :projectId")
    long count(@Bind("projectId") long projectId);

    @SqlQuery("SELECT reference, status, digest, error FROM preheat_item WHERE job_id = :jobId ORDER BY ordinal")
    @UseRowMapper(ItemMapper.class)
    List<PreheatJob.Item> items(@Bind("jobId") long jobId);

    @SqlUpdate("UPDATE preheat_job SET status = 'running', started_at = :now, heartbeat_at = :now"
            + " WHERE id = :id AND owner = :owner AND status = 'queued'")
    int start(@Bind("id") long id, @Bind("owner") String owner, @Bind("now") Instant now);

    @SqlUpdate("UPDATE preheat_job SET total_manifests = total_manifests + :manifests,"
            + " total_blobs = total_blobs + :blobs, total_bytes = total_bytes + :bytes"
            + " WHERE id = :id AND owner = :owner AND status = 'running'")
    int addTotal(@Bind("id") long id, @Bind("owner") String owner, @Bind("manifests") int manifests,
                 @Bind("blobs") int blobs, @Bind("bytes") long bytes);

    @SqlUpdate("UPDATE preheat_job SET done_references = done_references + :references,"
            + " done_manifests = done_manifests + :manifests, done_blobs = done_blobs + :blobs,"
            + " done_bytes = done_bytes + :bytes WHERE id = :id AND owner = :owner AND status = 'running'")
    int addDone(@Bind("id") long id, @Bind("owner") String owner, @Bind("references") int references,
                @Bind("manifests") int manifests, @Bind("blobs") int blobs, @Bind("bytes") long bytes);

    @SqlUpdate("UPDATE preheat_item SET status = :status, digest = :digest, error = :error"
            + " WHERE job_id = :jobId AND ordinal = :ordinal AND status IN " + UNFINISHED)
    int updateItem(@Bind("jobId") long jobId, @Bind("ordinal") int ordinal, @Bind("status") String status,
                   @Bind("digest") String digest, @Bind("error") String error);

    @SqlUpdate("UPDATE preheat_job SET status = :status, finished_at = :now, error = :error"
            + " WHERE id = :id AND owner = :owner AND status IN " + UNFINISHED)
    int finish(@Bind("id") long id, @Bind("owner") String owner, @Bind("status") String status,
               @Bind("error") String error, @Bind("now") Instant now);

    @SqlUpdate("UPDATE preheat_job SET heartbeat_at = :now WHERE owner = :owner AND status IN " + UNFINISHED)
    int heartbeat(@Bind("owner") String owner, @Bind("now") Instant now);

    /** Fails the unfinished items of the unfinished jobs whose heartbeat stopped before {@code before}. */
    @SqlUpdate("UPDATE preheat_item SET status = 'failed', error = :error WHERE status IN " + UNFINISHED
            + " AND job_id IN (SELECT id FROM preheat_job WHERE status IN " + UNFINISHED
            + " AND heartbeat_at < :before)")
    int failItemsOfAbandoned(@Bind("before") Instant before, @Bind("error") String error);

    /** Fails the unfinished jobs whose heartbeat stopped before {@code before}. */
    @SqlUpdate("UPDATE preheat_job SET status = 'failed', error = :error, finished_at = :now WHERE status IN "
            + UNFINISHED + " AND heartbeat_at < :before")
    int failAbandoned(@Bind("before") Instant before, @Bind("error") String error, @Bind("now") Instant now);

    /** Fails the unfinished items of the unfinished jobs of {@code owner}. */
    @SqlUpdate("UPDATE preheat_item SET status = 'failed', error = :error WHERE status IN " + UNFINISHED
            + " AND job_id IN (SELECT id FROM preheat_job WHERE status IN " + UNFINISHED + " AND owner = :owner)")
    int failItemsOf(@Bind("owner") String owner, @Bind("error") String error);

    /** Fails the unfinished jobs of {@code owner}. */
    @SqlUpdate("UPDATE preheat_job SET status = 'failed', error = :error, finished_at = :now WHERE status IN "
            + UNFINISHED + " AND owner = :owner")
    int failJobsOf(@Bind("owner") String owner, @Bind("error") String error, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM preheat_job WHERE finished_at < :before")
    int deleteFinishedBefore(@Bind("before") Instant before);

    @SqlQuery("SELECT COUNT(*) FROM preheat_job WHERE owner = :owner AND status = 'queued'")
    long queued(@Bind("owner") String owner);

    /** A job row, without its items. */
    final class JobMapper implements RowMapper<PreheatJob> {
        @Override
        public PreheatJob map(ResultSet rs, StatementContext ctx) throws SQLException {
            String platforms = rs.getString("platforms");
            return new PreheatJob(rs.getLong("id"), rs.getString("project"),
                    PreheatStatus.fromWire(rs.getString("status")),
                    platforms == null || platforms.isEmpty() ? List.of() : Arrays.asList(platforms.split("\n")),
                    instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
                    new PreheatJob.Progress(rs.getLong("total_references"), rs.getLong("total_manifests"),
                            rs.getLong("total_blobs"), rs.getLong("total_bytes")),
                    new PreheatJob.Progress(rs.getLong("done_references"), rs.getLong("done_manifests"),
                            rs.getLong("done_blobs"), rs.getLong("done_bytes")),
                    List.of(), rs.getString("error"));
        }

        private static Instant instant(ResultSet rs, String column) throws SQLException {
            OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
            return at == null ? null : at.toInstant();
        }
    }

    /** An item row. */
    final class ItemMapper implements RowMapper<PreheatJob.Item> {
        @Override
        public PreheatJob.Item map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new PreheatJob.Item(rs.getString("reference"), PreheatStatus.fromWire(rs.getString("status")),
                    rs.getString("digest"), rs.getString("error"));
        }
    }
}
