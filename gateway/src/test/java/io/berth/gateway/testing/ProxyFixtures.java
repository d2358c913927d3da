package io.berth.gateway.testing;

import io.berth.gateway.auth.projects.ProxyProjects;
import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.Transactions;
import io.berth.store.proxy.ProxySettings;

import java.time.Instant;
import java.util.List;

/**
 * Registry endpoints and proxy projects for tests, written straight into the database (the
 * registry endpoints' API is not part of the gateway). Nothing here contacts an upstream.
 */
public final class ProxyFixtures {
    private ProxyFixtures() {
    }

    /** Stores a registry endpoint without credentials and returns its id. */
    public static long registryEndpoint(Transactions tx, String name, String type, String... urls) {
        return tx.inTransaction(h -> {
            h.createUpdate("INSERT INTO registry_endpoint (name, type, urls, insecure, created_at, updated_at)"
                            + " VALUES (:name, :type, :urls, FALSE, :now, :now)")
                    .bind("name", name).bind("type", type).bind("urls", String.join("\n", urls))
                    .bind("now", Instant.now()).execute();
            return h.createQuery("SELECT id FROM registry_endpoint WHERE name = :name").bind("name", name)
                    .mapTo(Long.class).one();
        });
    }

    /** Makes an existing local project a proxy project of a registry endpoint (as a test's setup may). */
    public static void makeProxy(Transactions tx, String project, long registryId) {
        tx.useTransaction(h -> ProxyProjects.attach(h, h.attach(ProjectDao.class).findId(project).orElseThrow(),
                settings(registryId)));
    }

    /** The default settings of a proxy project of {@code registryId}. */
    public static ProxySettings settings(long registryId) {
        return new ProxySettings(registryId, List.of(), ProxySettings.DEFAULT_FRESHNESS,
                ProxySettings.OnUpstreamMissing.SERVE, 0, null);
    }
}
