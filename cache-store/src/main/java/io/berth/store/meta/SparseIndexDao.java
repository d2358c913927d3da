package io.berth.store.meta;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;

/**
 * A project's {@code allow_sparse_indexes}: whether a client may push an index whose child manifests
 * the repository does not have (a replica that receives only some platforms of an image).
 */
public interface SparseIndexDao {
    /** Whether the project of the repository accepts sparse indexes; empty when there is no such repository. */
    @SqlQuery("SELECT p.allow_sparse_indexes FROM project p JOIN repository r ON r.project_id = p.id"
            + " WHERE r.id = :repositoryId")
    Optional<Boolean> allowedIn(@Bind("repositoryId") long repositoryId);

    /** Sets the project's setting; how many projects changed (0: there is none of that name). */
    @SqlUpdate("UPDATE project SET allow_sparse_indexes = :allow WHERE name = :name")
    int set(@Bind("name") String name, @Bind("allow") boolean allow);
}
