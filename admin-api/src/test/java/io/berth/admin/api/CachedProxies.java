package io.berth.admin.api;

import io.dropwizard.db.DataSourceFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

/**
 * Turns a project of a running {@link ApiApp} into a proxy project, straight in its database (the
 * admin API's own way to create proxy projects is not part of this branch): a registry endpoint row,
 * the project's {@code proxy_project} row, and its kind. The app's embedded H2 is shared with this
 * JVM's connections to the same URL.
 */
final class CachedProxies {
    private CachedProxies() {
    }

    /** Makes {@code project} a proxy project with a budget in bytes (null: none). */
    static void makeProxy(ApiApp app, String project, Long sizeBudget) {
        DataSourceFactory database = app.extension.getConfiguration().database;
        try (Connection c = DriverManager.getConnection(database.getUrl(), database.getUser(), database.getPassword())) {
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement endpoint = c.prepareStatement("MERGE INTO registry_endpoint r USING (VALUES"
                    + " (CAST('upstream' AS VARCHAR(255)))) AS s(name) ON r.name = s.name WHEN NOT MATCHED THEN"
                    + " INSERT (name, type, urls, created_at, updated_at) VALUES (s.name, 'v2', 'http://127.0.0.1:5001',"
                    + " ?, ?)")) {
                endpoint.setTimestamp(1, now);
                endpoint.setTimestamp(2, now);
                endpoint.execute();
            }
            try (PreparedStatement proxy = c.prepareStatement("INSERT INTO proxy_project (project_id, registry_id,"
                    + " freshness_seconds, size_budget) SELECT p.id, r.id, 300, ? FROM project p, registry_endpoint r"
                    + " WHERE p.name = ? AND r.name = 'upstream'")) {
                if (sizeBudget == null) {
                    proxy.setNull(1, Types.BIGINT);
                } else {
                    proxy.setLong(1, sizeBudget);
                }
                proxy.setString(2, project);
                if (proxy.executeUpdate() != 1) {
                    throw new IllegalStateException("no project " + project);
                }
            }
            try (Statement kind = c.createStatement()) {
                kind.execute("UPDATE project SET kind = 'proxy' WHERE name = '" + project + "'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
