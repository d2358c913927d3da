package io.berth.gateway.auth.projects;

import io.berth.gateway.auth.ChangeTrail;
import io.berth.store.Caller;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Transactions;
import io.berth.store.proxy.ProxyProjectDao;
import io.berth.store.proxy.ProxyProjectRow;
import io.berth.store.proxy.ProxySettings;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of proxy projects, the pull-through caches of a registry endpoint: reading them,
 * making a project being created one ({@link #attach}, in the transaction that creates it), and
 * changing them, audited. A local project never becomes a proxy project (its pushed content would
 * pass for the upstream's), nor a proxy project a local one. Methods block on the database.
 */
public final class ProxyProjects {
    private final Transactions tx;
    private final ChangeTrail trail;

    /** Changes are audited as Berth's own until {@link #as} names who makes them. */
    public ProxyProjects(Transactions tx, Clock clock) {
        this(tx, ChangeTrail.system(clock));
    }

    private ProxyProjects(Transactions tx, ChangeTrail trail) {
        this.tx = tx;
        this.trail = trail;
    }

    /** These proxy projects, with the changes made through them audited as {@code actor}'s. */
    public ProxyProjects as(Caller actor) {
        return new ProxyProjects(tx, trail.by(actor));
    }

    /** The settings of a proxy project; empty for a local project or none. */
    public Optional<ProxySettings> settings(String project) {
        return tx.withHandle(h -> h.attach(ProxyProjectDao.class).find(project)).map(ProxyProjectRow::settings);
    }

    /** The settings of every proxy project, by project name. */
    public Map<String, ProxySettings> all() {
        Map<String, ProxySettings> all = new LinkedHashMap<>();
        tx.withHandle(h -> h.attach(ProxyProjectDao.class).all()).forEach(row -> all.put(row.project(), row.settings()));
        return all;
    }

    /**
     * Makes the project just created in {@code h}'s transaction a proxy project with {@code settings}:
     * INVALID_INPUT for settings that cannot hold, NO_SUCH_RESOURCE when the registry endpoint does
     * not exist (it cannot be deleted until this transaction ends).
     */
    public static void attach(Handle h, long projectId, ProxySettings settings) {
        ProxySettingsCheck.check(settings);
        requireEndpoint(h, settings.registryId());
        ProxyProjectRow row = ProxyProjectRow.of("", settings);
        ProxyProjectDao dao = h.attach(ProxyProjectDao.class);
        dao.insert(projectId, row.registryId(), row.allowlist(), row.freshnessSeconds(), row.onUpstreamMissing(),
                row.sizeBudget(), row.maxAgeSeconds());
        dao.markProxy(projectId);
    }

    /**
     * Replaces a proxy project's settings (its registry endpoint included): NO_SUCH_RESOURCE when there
     * is no such project or registry endpoint, CONFLICT for a local project, INVALID_INPUT for
     * settings that cannot hold.
     */
    public void change(String project, ProxySettings settings) {
        ProxySettingsCheck.check(settings);
        tx.useTransaction(h -> {
            ProxyProjectDao dao = h.attach(ProxyProjectDao.class);
            Optional<ProxyProjectRow> before = dao.find(project);
            if (before.isEmpty()) {
                boolean exists = h.createQuery("SELECT COUNT(*) FROM project WHERE name = :name")
                        .bind("name", project).mapTo(Integer.class).one() > 0;
                throw exists ? new RegistryException(ErrorCode.CONFLICT, "project '" + project + "' is a local project,"
                        + " which cannot become a proxy project: create a new project with \"proxy\" settings")
                        : new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no project named '" + project + "'");
            }
            requireEndpoint(h, settings.registryId());
            ProxyProjectRow row = ProxyProjectRow.of(project, settings);
            dao.update(project, row.registryId(), row.allowlist(), row.freshnessSeconds(), row.onUpstreamMissing(),
                    row.sizeBudget(), row.maxAgeSeconds());
            trail.record(h, "update", "project", project, project, "proxy settings: " + describe(settings));
        });
    }

    /** What the audit log says of proxy settings (never a credential: the endpoint is named by id). */
    public static String describe(ProxySettings settings) {
        StringBuilder text = new StringBuilder("proxy of registry endpoint ").append(settings.registryId())
                .append(", freshness ").append(settings.freshness().toSeconds()).append(" s, on upstream missing ")
                .append(settings.onUpstreamMissing().name().toLowerCase(Locale.ROOT));
        if (!settings.allowlist().isEmpty()) {
            text.append(", allowlist ").append(String.join(" ", settings.allowlist()));
        }
        if (settings.sizeBudget() > 0) {
            text.append(", size budget ").append(settings.sizeBudget()).append(" bytes");
        }
        if (settings.maxAge() != null) {
            text.append(", max age ").append(settings.maxAge().toSeconds()).append(" s");
        }
        return text.toString();
    }

    /** Locks the registry endpoint's row until the transaction ends, so it is not deleted meanwhile. */
    private static void requireEndpoint(Handle h, long registryId) {
        boolean exists = h.createQuery("SELECT id FROM registry_endpoint WHERE id = :id FOR UPDATE")
                .bind("id", registryId).mapTo(Long.class).findOne().isPresent();
        if (!exists) {
            throw new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no registry endpoint with id "
                    + registryId + ": create it first (POST /api/v1/registries), or give the id of one that"
                    + " GET /api/v1/registries lists");
        }
    }
}
