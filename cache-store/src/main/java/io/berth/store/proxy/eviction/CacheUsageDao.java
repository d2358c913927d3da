package io.berth.store.proxy.eviction;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Measures a project's cache as {@link CacheUsage} defines it. */
interface CacheUsageDao {
    /** The distinct digests a project holds: linked blobs and manifests of its repositories. */
    String HELD = "SELECT rb.digest FROM repository_blob rb JOIN repository r ON r.id = rb.repository_id"
            + " WHERE r.project_id = :projectId"
            + " UNION SELECT a.digest FROM artifact a JOIN repository r ON r.id = a.repository_id"
            + " WHERE r.project_id = :projectId";

    @SqlQuery("SELECT COALESCE(SUM(b.size), 0) FROM blob b WHERE b.digest IN (" + HELD + ")")
    long bytes(@Bind("projectId") long projectId);

    @SqlQuery("SELECT COUNT(*) FROM blob b WHERE b.digest IN (" + HELD + ")")
    long blobs(@Bind("projectId") long projectId);

    @SqlQuery("SELECT COUNT(*) FROM artifact a JOIN repository r ON r.id = a.repository_id"
            + " WHERE r.project_id = :projectId")
    long artifacts(@Bind("projectId") long projectId);

    default CacheUsage usage(long projectId) {
        return new CacheUsage(bytes(projectId), blobs(projectId), artifacts(projectId));
    }
}
