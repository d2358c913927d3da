package io.berth.sync.policy;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code replication_policy} table; filters are kept as JSON text ({@link io.berth.sync.filter.FilterJson}). */
@RegisterConstructorMapper(PolicyDao.Row.class)
interface PolicyDao {
    String COLUMNS = "id, name, description, source_registry_id, dest_registry_id, filters, trigger_type, trigger_cron,"
            + " dest_namespace, dest_namespace_replace_count, override, replicate_deletion, copy_referrers,"
            + " bandwidth_limit_kibps, concurrency, enabled, rewrite_sparse_index, created_at, updated_at";
    String VALUES = ":name, :description, :sourceRegistryId, :destRegistryId, :filters, :triggerType, :triggerCron,"
            + " :destNamespace, :destNamespaceReplaceCount, :override, :replicateDeletion, :copyReferrers,"
            + " :bandwidthLimitKiBps, :concurrency, :enabled, :rewriteSparseIndex";

    @SqlUpdate("INSERT INTO replication_policy (name, description, source_registry_id, dest_registry_id, filters,"
            + " trigger_type, trigger_cron, dest_namespace, dest_namespace_replace_count, override, replicate_deletion,"
            + " copy_referrers, bandwidth_limit_kibps, concurrency, enabled, rewrite_sparse_index, created_at, updated_at)"
            + " VALUES (" + VALUES
            + ", :now, :now)")
    @GetGeneratedKeys("id")
    long insert(@BindMethods Fields fields, @Bind("now") Instant now);

    @SqlUpdate("UPDATE replication_policy SET name = :name, description = :description,"
            + " source_registry_id = :sourceRegistryId, dest_registry_id = :destRegistryId, filters = :filters,"
            + " trigger_type = :triggerType, trigger_cron = :triggerCron, dest_namespace = :destNamespace,"
            + " dest_namespace_replace_count = :destNamespaceReplaceCount, override = :override,"
            + " replicate_deletion = :replicateDeletion, copy_referrers = :copyReferrers,"
            + " bandwidth_limit_kibps = :bandwidthLimitKiBps, concurrency = :concurrency, enabled = :enabled,"
            + " rewrite_sparse_index = :rewriteSparseIndex, updated_at = :now WHERE id = :id")
    int update(@Bind("id") long id, @BindMethods Fields fields, @Bind("now") Instant now);

    @SqlQuery("SELECT " + COLUMNS + " FROM replication_policy WHERE id = :id")
    Optional<Row> byId(@Bind("id") long id);

    @SqlQuery("SELECT id FROM replication_policy WHERE name = :name")
    Optional<Long> idOf(@Bind("name") String name);

    @SqlQuery("SELECT " + COLUMNS + " FROM replication_policy ORDER BY name LIMIT :limit OFFSET :offset")
    List<Row> list(@Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM replication_policy")
    long count();

    @SqlQuery("SELECT COUNT(*) FROM registry_endpoint WHERE id = :id")
    int endpointExists(@Bind("id") long id);

    @SqlUpdate("DELETE FROM replication_policy WHERE id = :id")
    int delete(@Bind("id") long id);

    /** A policy's settings as its columns hold them. */
    record Fields(String name, String description, Long sourceRegistryId, Long destRegistryId, String filters,
                  String triggerType, String triggerCron, String destNamespace, int destNamespaceReplaceCount,
                  boolean override, boolean replicateDeletion, boolean copyReferrers, long bandwidthLimitKiBps,
                  int concurrency, boolean enabled, boolean rewriteSparseIndex) {
    }

    /** A row as stored. */
    record Row(long id, String name, String description, Long sourceRegistryId, Long destRegistryId, String filters,
               String triggerType, String triggerCron, String destNamespace, int destNamespaceReplaceCount,
               boolean override, boolean replicateDeletion, boolean copyReferrers, long bandwidthLimitKiBps,
               int concurrency, boolean enabled, boolean rewriteSparseIndex, Instant createdAt, Instant updatedAt) {
    }
}
