package io.berth.store.proxy;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** The {@code proxy_project} rows: which projects are pull-through caches of which registry endpoint. */
@RegisterConstructorMapper(ProxyProjectRow.class)
public interface ProxyProjectDao {
    /** The columns of {@link ProxyProjectRow}, of {@code proxy_project x} joined with {@code project p}. */
    String ROW = "p.name AS project, x.registry_id, x.allowlist, x.freshness_seconds, x.on_upstream_missing,"
            + " x.size_budget, x.max_age_seconds";

    @SqlQuery("SELECT " + ROW + " FROM proxy_project x JOIN project p ON p.id = x.project_id WHERE p.name = :name")
    Optional<ProxyProjectRow> find(@Bind("name") String project);

    @SqlQuery("SELECT " + ROW + " FROM proxy_project x JOIN project p ON p.id = x.project_id ORDER BY p.name")
    List<ProxyProjectRow> all();

    /** Makes the project a proxy project of a registry endpoint (call in the transaction that creates it). */
    @SqlUpdate("INSERT INTO proxy_project (project_id, registry_id, allowlist, freshness_seconds, on_upstream_missing,"
            + " size_budget, max_age_seconds) VALUES (:projectId, :registryId, :allowlist, :freshnessSeconds,"
            + " :onUpstreamMissing, :sizeBudget, :maxAgeSeconds)")
    void insert(@Bind("projectId") long projectId, @Bind("registryId") long registryId,
                @Bind("allowlist") String allowlist, @Bind("freshnessSeconds") long freshnessSeconds,
                @Bind("onUpstreamMissing") String onUpstreamMissing, @Bind("sizeBudget") Long sizeBudget,
                @Bind("maxAgeSeconds") Long maxAgeSeconds);

    @SqlUpdate("UPDATE project SET kind = 'proxy' WHERE id = :projectId")
    void markProxy(@Bind("projectId") long projectId);

    /** Changes a proxy project's settings; returns 0 when it is not one. */
    @SqlUpdate("UPDATE proxy_project SET registry_id = :registryId, allowlist = :allowlist,"
            + " freshness_seconds = :freshnessSeconds, on_upstream_missing = :onUpstreamMissing,"
            + " size_budget = :sizeBudget, max_age_seconds = :maxAgeSeconds"
            + " WHERE project_id = (SELECT id FROM project WHERE name = :name)")
    int update(@Bind("name") String project, @Bind("registryId") long registryId,
               @Bind("allowlist") String allowlist, @Bind("freshnessSeconds") long freshnessSeconds,
               @Bind("onUpstreamMissing") String onUpstreamMissing, @Bind("sizeBudget") Long sizeBudget,
               @Bind("maxAgeSeconds") Long maxAgeSeconds);

    /** The names of the proxy projects that mirror a registry endpoint (which therefore cannot be deleted). */
    @SqlQuery("SELECT p.name FROM proxy_project x JOIN project p ON p.id = x.project_id"
            + " WHERE x.registry_id = :registryId ORDER BY p.name")
    List<String> usersOf(@Bind("registryId") long registryId);
}
