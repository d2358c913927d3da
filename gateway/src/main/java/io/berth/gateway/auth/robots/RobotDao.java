package io.berth.gateway.auth.robots;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The robot and robot_permission tables. */
@RegisterConstructorMapper(RobotDao.RobotRow.class)
@RegisterConstructorMapper(RobotDao.PermissionRow.class)
interface RobotDao {
    String SELECT = "SELECT r.id, r.name, p.name AS project, r.description, r.secret_hash, r.expires_at, r.disabled,"
            + " r.created_at FROM robot r LEFT JOIN project p ON p.id = r.project_id";

    @SqlUpdate("INSERT INTO robot (name, project_id, description, secret_hash, expires_at, disabled, created_at,"
            + " updated_at) VALUES (:name, :projectId, :description, :hash, :expiresAt, FALSE, :now, :now)")
    @GetGeneratedKeys("id")
    long insert(@Bind("name") String name, @Bind("projectId") Long projectId, @Bind("description") String description,
                @Bind("hash") String hash, @Bind("expiresAt") Instant expiresAt, @Bind("now") Instant now);

    @SqlUpdate("INSERT INTO robot_permission (robot_id, project, actions) VALUES (:robotId, :project, :actions)")
    void permit(@Bind("robotId") long robotId, @Bind("project") String project, @Bind("actions") String actions);

    @SqlQuery(SELECT + " WHERE r.id = :id")
    Optional<RobotRow> byId(@Bind("id") long id);

    @SqlQuery(SELECT + " WHERE r.name = :name")
    Optional<RobotRow> byName(@Bind("name") String name);

    @SqlQuery(SELECT + " ORDER BY r.name LIMIT :limit OFFSET :offset")
    List<RobotRow> list(@Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM robot")
    long count();

    @SqlQuery(SELECT + " WHERE p.name = :project ORDER BY r.name LIMIT :limit OFFSET :offset")
    List<RobotRow> listOf(@Bind("project") String project, @Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM robot r JOIN project p ON p.id = r.project_id WHERE p.name = :project")
    long countOf(@Bind("project") String project);

    @SqlQuery("SELECT robot_id, project, actions FROM robot_permission WHERE robot_id = :robotId ORDER BY project")
    List<PermissionRow> permissions(@Bind("robotId") long robotId);

    @SqlUpdate("UPDATE robot SET secret_hash = :hash, updated_at = :now WHERE id = :id")
    int setSecretHash(@Bind("id") long id, @Bind("hash") String hash, @Bind("now") Instant now);

    @SqlUpdate("UPDATE robot SET description = :description, updated_at = :now WHERE id = :id")
    int setDescription(@Bind("id") long id, @Bind("description") String description, @Bind("now") Instant now);

    @SqlUpdate("UPDATE robot SET updated_at = :now WHERE id = :id")
    int touch(@Bind("id") long id, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM robot_permission WHERE robot_id = :robotId")
    void forgetPermissions(@Bind("robotId") long robotId);

    @SqlUpdate("UPDATE robot SET disabled = :disabled, updated_at = :now WHERE id = :id")
    int setDisabled(@Bind("id") long id, @Bind("disabled") boolean disabled, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM robot WHERE id = :id")
    int delete(@Bind("id") long id);

    /** A robot row as stored. */
    record RobotRow(long id, String name, String project, String description, String secretHash, Instant expiresAt,
                    boolean disabled, Instant createdAt) {
    }

    /** One project's actions of a robot, comma-separated. */
    record PermissionRow(long robotId, String project, String actions) {
    }
}
