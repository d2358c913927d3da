package io.berth.admin.api;

import io.berth.admin.BerthApplication;
import io.berth.admin.BerthApplicationTest;
import io.berth.admin.BerthConfiguration;
import io.berth.store.upstream.UpstreamFactory;
import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.junit5.DropwizardAppExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The real application for admin API tests: the quick-start configuration on a temp data dir and
 * free ports, bcrypt at its cheapest (cost 4), and helpers that create users, projects and members
 * through the API as the built-in admin.
 */
public final class ApiApp {
    /** Every user the helpers create has this password. */
    public static final String PASSWORD = "Correct-Horse-42";
    private static final AtomicInteger NAMES = new AtomicInteger();

    public final Path data = BerthApplicationTest.tempDir();
    public final int registryPort = BerthApplicationTest.freePort();
    /** Whether the registry port speaks TLS (a self-signed certificate for 127.0.0.1). */
    public final boolean tls;
    public final DropwizardAppExtension<BerthConfiguration> extension;

    public ApiApp(ConfigOverride... overrides) {
        this(null, overrides);
    }

    /** The application reaching upstream registries through {@code upstreams} (null: as it ships). */
    public ApiApp(UpstreamFactory upstreams, ConfigOverride... overrides) {
        this(upstreams, false, overrides);
    }

    private ApiApp(UpstreamFactory upstreams, boolean tls, ConfigOverride... overrides) {
        this.tls = tls;
        List<ConfigOverride> all = new ArrayList<>(Arrays.asList(BerthApplicationTest.quickStartOverrides(data,
                registryPort)));
        all.add(ConfigOverride.config("auth.passwordCost", "4"));
        if (tls) {
            SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback(data.resolve("tls"));
            all.add(ConfigOverride.config("registry.tlsCertFile", certificate.cert().toString()));
            all.add(ConfigOverride.config("registry.tlsKeyFile", certificate.key().toString()));
        }
        all.addAll(Arrays.asList(overrides));
        String config = BerthApplicationTest.repoRoot().resolve("conf/berth.yml").toString();
        extension = new DropwizardAppExtension<>(new DropwizardTestSupport<>(BerthApplication.class, config,
                all.toArray(ConfigOverride[]::new)) {
            @Override
            public Application<BerthConfiguration> newApplication() {
                return upstreams == null ? new BerthApplication() : new BerthApplication(upstreams);
            }
        });
    }

    /** The application with its registry port on HTTPS, as a production site runs it. */
    public static ApiApp withTls(ConfigOverride... overrides) {
        return new ApiApp(null, true, overrides);
    }

    /** The registry port's URL: {@code http://127.0.0.1:PORT}, or https with TLS. */
    public String registryUrl() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + registryPort;
    }

    /** The API as nobody in particular. */
    public ApiClient api() {
        return new ApiClient("http://127.0.0.1:" + extension.getLocalPort(), null);
    }

    /** The API as the built-in admin, with the password the first start generated. */
    public ApiClient admin() {
        try {
            return api().as(BerthApplicationTest.adminBasic(data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A name no other test of this JVM uses, starting with {@code prefix}. */
    public static String unique(String prefix) {
        return prefix + NAMES.incrementAndGet();
    }

    /** Creates a user with {@link #PASSWORD} and returns the API as them. */
    public ApiClient user(String name) {
        ApiClient.Answer created = admin().post("/api/v1/users", ApiClient.json("username", name, "password", PASSWORD));
        assertEquals(201, created.status(), created.toString());
        return api().as(ApiClient.basic(name, PASSWORD));
    }

    /** Creates a project as the admin. */
    public void project(String name, boolean isPublic) {
        ApiClient.Answer created = admin().post("/api/v1/projects", ApiClient.json("name", name, "public", isPublic));
        assertEquals(201, created.status(), created.toString());
    }

    /**
     * Stores a registry endpoint without credentials, straight into the application's database (the
     * registry endpoints' API is not part of these tests), and returns its id. Nothing contacts it.
     */
    public long registryEndpoint(String type, String url) {
        String name = unique("endpoint");
        String jdbc = "jdbc:h2:file:" + data.resolve("db/berth")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        try (Connection c = DriverManager.getConnection(jdbc, "berth", "berth");
             PreparedStatement insert = c.prepareStatement("INSERT INTO registry_endpoint (name, type, urls, insecure,"
                     + " created_at, updated_at) VALUES (?, ?, ?, FALSE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
             PreparedStatement find = c.prepareStatement("SELECT id FROM registry_endpoint WHERE name = ?")) {
            insert.setString(1, name);
            insert.setString(2, type);
            insert.setString(3, url);
            insert.executeUpdate();
            find.setString(1, name);
            try (ResultSet row = find.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store a registry endpoint: " + e.getMessage(), e);
        }
    }

    /** Creates a proxy project of a new registry endpoint as the admin and returns the endpoint's id. */
    public long proxyProject(String name, boolean isPublic) {
        long registry = registryEndpoint("docker-hub", "https://127.0.0.1:1");
        ApiClient.Answer created = admin().post("/api/v1/projects", ApiClient.json("name", name, "public", isPublic,
                "proxy", Map.of("registryId", registry)));
        assertEquals(201, created.status(), created.toString());
        return registry;
    }

    /** Makes a user a member of a project as the admin. */
    public void member(String project, String user, String role) {
        ApiClient.Answer added = admin().post("/api/v1/projects/" + project + "/members",
                ApiClient.json("username", user, "role", role));
        assertEquals(201, added.status(), added.toString());
    }
}
