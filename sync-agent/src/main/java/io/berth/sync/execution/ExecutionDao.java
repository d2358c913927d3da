package io.berth.sync.execution;

import io.berth.sync.policy.Trigger;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The {@code replication_execution} and {@code replication_task} rows. Updates of a running
 * execution name its owner and require it active, so an instance never changes an execution that
 * another instance failed as abandoned.
 */
@RegisterRowMapper(ExecutionDao.ExecutionMapper.class)
@RegisterRowMapper(ExecutionDao.TaskMapper.class)
interface ExecutionDao {
    String EXECUTION = "SELECT id, policy_id, status, trigger_type, stop_requested, created_at, started_at,"
            + " finished_at, total_tasks, succeeded_tasks, failed_tasks, stopped_tasks, skipped_tasks, bytes, error"
            + " FROM replication_execution";
    String TASK = "SELECT id, execution_id, source_repository, source_reference, dest_repository, dest_reference,"
            + " digest, status, bytes, attempts, started_at, finished_at, operation FROM replication_task";
    String ACTIVE = "('Pending', 'Running')";
    /**
     * Counts every task not Succeeded, Stopped or Skipped as Failed: for an execution failed together
     * with its unfinished tasks, so that it shows none in progress.
     */
    String COUNT_UNFINISHED_AS_FAILED = "failed_tasks = total_tasks - succeeded_tasks - stopped_tasks - skipped_tasks";

    @SqlQuery("SELECT COUNT(*) FROM replication_execution WHERE active_policy_id = :policyId")
    int activeOf(@Bind("policyId") long policyId);

    @SqlUpdate("INSERT INTO replication_execution (policy_id, active_policy_id, status, trigger_type, owner,"
            + " heartbeat_at, created_at) VALUES (:policyId, :policyId, 'Pending', :trigger, :owner, :now, :now)")
    @GetGeneratedKeys("id")
    long insert(@Bind("policyId") long policyId, @Bind("trigger") String trigger, @Bind("owner") String owner,
                @Bind("now") Instant now);

    @SqlQuery(EXECUTION + " WHERE id = :id")
    Optional<Execution> find(@Bind("id") long id);

    @SqlQuery(EXECUTION + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
    List<Execution> list(@Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM replication_execution")
    long count();

    @SqlQuery(EXECUTION + " WHERE policy_id = :policyId ORDER BY id DESC LIMIT :limit OFFSET :offset")
    List<Execution> listOf(@Bind("policyId") long policyId, @Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM replication_execution WHERE policy_id = :policyId")
    long countOf(@Bind("policyId") long policyId);

    @SqlUpdate("UPDATE replication_execution SET status = 'Running', started_at = :now, heartbeat_at = :now"
            + " WHERE id = :id AND owner = :owner AND status = 'Pending'")
    int start(@Bind("id") long id, @Bind("owner") String owner, @Bind("now") Instant now);

    @SqlUpdate("UPDATE replication_execution SET stop_requested = TRUE WHERE id = :id AND status IN " + ACTIVE)
    int requestStop(@Bind("id") long id);

    @SqlQuery("SELECT stop_requested FROM replication_execution WHERE id = :id")
    boolean stopRequested(@Bind("id") long id);

    @SqlUpdate("UPDATE replication_execution SET total_tasks = total_tasks + :tasks WHERE id = :id AND owner = :owner"
            + " AND status IN " + ACTIVE)
    int addTasks(@Bind("id") long id, @Bind("owner") String owner, @Bind("tasks") int tasks);

    @SqlUpdate("UPDATE replication_execution SET succeeded_tasks = succeeded_tasks + :succeeded,"
            + " failed_tasks = failed_tasks + :failed, stopped_tasks = stopped_tasks + :stopped,"
            + " skipped_tasks = skipped_tasks + :skipped, bytes = bytes + :bytes"
            + " WHERE id = :id AND owner = :owner AND status IN " + ACTIVE)
    int addOutcome(@Bind("id") long id, @Bind("owner") String owner, @Bind("succeeded") int succeeded,
                   @Bind("failed") int failed, @Bind("stopped") int stopped, @Bind("skipped") int skipped,
                   @Bind("bytes") long bytes);

    @SqlUpdate("UPDATE replication_execution SET status = :status, active_policy_id = NULL, finished_at = :now,"
            + " error = :error WHERE id = :id AND owner = :owner AND status IN " + ACTIVE)
    int finish(@Bind("id") long id, @Bind("owner") String owner, @Bind("status") String status,
               @Bind("error") String error, @Bind("now") Instant now);

    @SqlUpdate("UPDATE replication_execution SET heartbeat_at = :now WHERE owner = :owner AND status IN " + ACTIVE)
    int heartbeat(@Bind("owner") String owner, @Bind("now") Instant now);

    /** Fails the unfinished tasks of the active executions whose heartbeat stopped before {@code before}. */
    @SqlUpdate("UPDATE replication_task SET status = 'Failed', finished_at = :now, log = :log"
            + " WHERE status IN " + ACTIVE + " AND execution_id IN (SELECT id FROM replication_execution"
            + " WHERE status IN " + ACTIVE + " AND heartbeat_at < :before)")
    int failTasksOfAbandoned(@Bind("before") Instant before, @Bind("log") String log, @Bind("now") Instant now);

    /** Fails the active executions whose heartbeat stopped before {@code before}. */
    @SqlUpdate("UPDATE replication_execution SET status = 'Failed', active_policy_id = NULL, error = :error,"
            + " finished_at = :now, " + COUNT_UNFINISHED_AS_FAILED + " WHERE status IN " + ACTIVE
            + " AND heartbeat_at < :before")
    int failAbandoned(@Bind("before") Instant before, @Bind("error") String error, @Bind("now") Instant now);

    @SqlUpdate("INSERT INTO replication_task (execution_id, source_repository, source_reference, dest_repository,"
            + " dest_reference, digest, status, operation) VALUES (:executionId, :sourceRepository, :sourceReference,"
            + " :destRepository, :destReference, :digest, 'Pending', :operation)")
    @GetGeneratedKeys("id")
    long insertTask(@Bind("executionId") long executionId, @Bind("sourceRepository") String sourceRepository,
                    @Bind("sourceReference") String sourceReference, @Bind("destRepository") String destRepository,
                    @Bind("destReference") String destReference, @Bind("digest") String digest,
                    @Bind("operation") String operation);

    @SqlUpdate("UPDATE replication_task SET status = 'Running', started_at = :now, attempts = attempts + 1"
            + " WHERE id = :id AND status IN " + ACTIVE)
    int startTask(@Bind("id") long id, @Bind("now") Instant now);

    @SqlUpdate("UPDATE replication_task SET status = :status, digest = COALESCE(:digest, digest), bytes = :bytes,"
            + " finished_at = :now, log = :log WHERE id = :id AND status IN " + ACTIVE)
    int finishTask(@Bind("id") long id, @Bind("status") String status, @Bind("digest") String digest,
                   @Bind("bytes") long bytes, @Bind("log") String log, @Bind("now") Instant now);

    @SqlUpdate("UPDATE replication_task SET log = :log WHERE id = :id")
    int writeLog(@Bind("id") long id, @Bind("log") String log);

    @SqlQuery(TASK + " WHERE id = :id AND execution_id = :executionId")
    Optional<ExecutionTask> task(@Bind("executionId") long executionId, @Bind("id") long id);

    @SqlQuery(TASK + " WHERE execution_id = :executionId ORDER BY id LIMIT :limit OFFSET :offset")
    List<ExecutionTask> tasks(@Bind("executionId") long executionId, @Bind("limit") int limit,
                              @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM replication_task WHERE execution_id = :executionId")
    long taskCount(@Bind("executionId") long executionId);

    @SqlQuery("SELECT log FROM replication_task WHERE id = :id AND execution_id = :executionId")
    Optional<String> log(@Bind("executionId") long executionId, @Bind("id") long id);

    /** An execution row. */
    final class ExecutionMapper implements RowMapper<Execution> {
        @Override
        public Execution map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Execution(rs.getLong("id"), rs.getLong("policy_id"),
                    ExecutionStatus.ofWireName(rs.getString("status")),
                    Trigger.Type.ofWireName(rs.getString("trigger_type")), rs.getBoolean("stop_requested"),
                    instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
                    new Execution.Counts(rs.getInt("total_tasks"), rs.getInt("succeeded_tasks"),
                            rs.getInt("failed_tasks"), rs.getInt("stopped_tasks"), rs.getInt("skipped_tasks"),
                            rs.getLong("bytes")), rs.getString("error"));
        }
    }

    /** A task row, without its log. */
    final class TaskMapper implements RowMapper<ExecutionTask> {
        @Override
        public ExecutionTask map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ExecutionTask(rs.getLong("id"), rs.getLong("execution_id"), rs.getString("source_repository"),
                    rs.getString("source_reference"), rs.getString("dest_repository"),
                    rs.getString("dest_reference"), rs.getString("digest"),
                    TaskStatus.ofWireName(rs.getString("status")), rs.getLong("bytes"), rs.getInt("attempts"),
                    instant(rs, "started_at"), instant(rs, "finished_at"),
                    TaskOperation.ofWireName(rs.getString("operation")));
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
