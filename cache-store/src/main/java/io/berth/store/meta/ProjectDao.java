package io.berth.store.meta;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.RepositoryName;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Projects: the first component of every repository name. */
@RegisterConstructorMapper(ProjectRow.class)
public interface ProjectDao {
    /** The columns of {@link ProjectRow}, of {@code project p}. */
    String ROW = "p.id, p.name, p.kind, p.public AS is_public, p.created_at,"
            + " (SELECT COUNT(*) FROM repository r WHERE r.project_id = p.id) AS repository_count,"
            + " p.allow_sparse_indexes";
    /** How many of a non-empty project's repositories a refusal to delete it names. */
    int NAMED_REPOSITORIES = 10;

    @SqlQuery("SELECT id FROM project WHERE name = :name")
    Optional<Long> findId(@Bind("name") String name);

    /** The project's kind as stored ({@code local}, {@code proxy}). */
    @SqlQuery("SELECT kind FROM project WHERE name = :name")
    Optional<String> kind(@Bind("name") String name);

    /** Creates the project unless it exists; concurrent callers may still collide (Transactions retries them). */
    @SqlUpdate("MERGE INTO project p USING (VALUES (CAST(:name AS VARCHAR(255)))) AS s(name) ON p.name = s.name"
            + " WHEN NOT MATCHED THEN INSERT (name, created_at) VALUES (s.name, :now)")
    void createIfAbsent(@Bind("name") String name, @Bind("now") Instant now);

    @SqlUpdate("INSERT INTO project (name, public, created_at) VALUES (:name, :isPublic, :now)")
    void insert(@Bind("name") String name, @Bind("isPublic") boolean isPublic, @Bind("now") Instant now);

    /**
     * Creates a project an administrator asked for, returning its id: NAME_INVALID for a name that
     * cannot start a repository name, CONFLICT when it exists. (Two creators racing both insert;
     * the loser's unique violation is retried by Transactions, and then finds the winner's.)
     */
    @Transaction
    default long create(String name, boolean isPublic, Instant now) {
        RepositoryName.checkProjectName(name);
        if (findId(name).isPresent()) {
            throw new RegistryException(ErrorCode.CONFLICT, "a project named '" + name + "' exists already");
        }
        insert(name, isPublic, now);
        return findId(name).orElseThrow();
    }

    /** A page of projects by name. */
    @SqlQuery("SELECT " + ROW + " FROM project p ORDER BY p.name LIMIT :limit OFFSET :offset")
    List<ProjectRow> list(@Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT " + ROW + " FROM project p WHERE p.name = :name")
    Optional<ProjectRow> find(@Bind("name") String name);

    @SqlQuery("SELECT COUNT(*) FROM project")
    long count();

    /**
     * The project's id, its row locked until the transaction ends: a push creating a repository in
     * it (whose foreign key check shares that lock) waits, or is waited for.
     */
    @SqlQuery("SELECT id FROM project WHERE name = :name FOR UPDATE")
    Optional<Long> lockId(@Bind("name") String name);

    @SqlQuery("SELECT name FROM repository WHERE project_id = :projectId ORDER BY name LIMIT :limit")
    List<String> repositoryNames(@Bind("projectId") long projectId, @Bind("limit") int limit);

    @SqlUpdate("DELETE FROM project WHERE id = :id")
    int deleteRow(@Bind("id") long id);

    /**
     * Deletes a project that has no repositories (its members and robots go with it), returning the
     * id it had: NO_SUCH_RESOURCE when there is none, CONFLICT naming the repositories to delete
     * first when it has any. Nothing of its content is deleted here.
     */
    @Transaction
    default long deleteEmpty(String name) {
        long id = lockId(name).orElseThrow(() -> new RegistryException(ErrorCode.NO_SUCH_RESOURCE,
                "there is no project named '" + name + "'"));
        List<String> repositories = repositoryNames(id, NAMED_REPOSITORIES + 1);
        if (!repositories.isEmpty()) {
            String named = String.join(", ", repositories.subList(0, Math.min(NAMED_REPOSITORIES, repositories.size())))
                    + (repositories.size() > NAMED_REPOSITORIES ? " and more" : "");
            throw new RegistryException(ErrorCode.CONFLICT, "project '" + name + "' still has repositories: delete "
                    + named + " first");
        }
        deleteRow(id);
        return id;
    }
}
