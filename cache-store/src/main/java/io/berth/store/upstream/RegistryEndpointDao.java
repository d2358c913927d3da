package io.berth.store.upstream;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code registry_endpoint} table; the credential column holds sealed text only. */
@RegisterConstructorMapper(RegistryEndpointDao.Row.class)
interface RegistryEndpointDao {
    String SELECT = "SELECT id, name, type, urls, description, insecure, ca_pem, credential FROM registry_endpoint";

    @SqlUpdate("INSERT INTO registry_endpoint (name, type, urls, description, insecure, ca_pem, credential, created_at,"
            + " updated_at) VALUES (:name, :type, :urls, :description, :insecure, :caPem, :credential, :now, :now)")
    @GetGeneratedKeys("id")
    long insert(@Bind("name") String name, @Bind("type") String type, @Bind("urls") String urls,
                @Bind("description") String description, @Bind("insecure") boolean insecure,
                @Bind("caPem") String caPem, @Bind("credential") String credential, @Bind("now") Instant now);

    @SqlQuery(SELECT + " WHERE id = :id")
    Optional<Row> byId(@Bind("id") long id);

    @SqlQuery("SELECT id FROM registry_endpoint WHERE name = :name")
    Optional<Long> idOf(@Bind("name") String name);

    @SqlQuery(SELECT + " ORDER BY name LIMIT :limit OFFSET :offset")
    List<Row> list(@Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM registry_endpoint")
    long count();

    /** Replaces everything but the credential. */
    @SqlUpdate("UPDATE registry_endpoint SET name = :name, type = :type, urls = :urls, description = :description,"
            + " insecure = :insecure, ca_pem = :caPem, updated_at = :now WHERE id = :id")
    int update(@Bind("id") long id, @Bind("name") String name, @Bind("type") String type, @Bind("urls") String urls,
               @Bind("description") String description, @Bind("insecure") boolean insecure,
               @Bind("caPem") String caPem, @Bind("now") Instant now);

    @SqlUpdate("UPDATE registry_endpoint SET credential = :credential WHERE id = :id")
    int setCredential(@Bind("id") long id, @Bind("credential") String credential);

    /** The names of the replication policies that copy from or to the endpoint. */
    @SqlQuery("SELECT name FROM replication_policy WHERE source_registry_id = :id OR dest_registry_id = :id"
            + " ORDER BY name")
    List<String> policiesUsing(@Bind("id") long id);

    @SqlUpdate("DELETE FROM registry_endpoint WHERE id = :id")
    int delete(@Bind("id") long id);

    /** A row as stored: URLs one per line, the credential sealed (or null). */
    record Row(long id, String name, String type, String urls, String description, boolean insecure, String caPem,
               String credential) {
        @Override
        public String toString() {
            return "Row[" + id + ", " + name + "]";
        }
    }
}
