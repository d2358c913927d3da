package io.berth.gateway.mirror;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Transactions;
import io.berth.store.oci.RepositoryName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The mirror modes over the database: whether a name's first component is a project, and which
 * proxy projects serve which upstream host. What it reads is kept for {@link #FRESHNESS} (a project
 * found missing for {@link #MISSING_FRESHNESS}), so the reads of a pull do not each ask the
 * database; changes made in this process are seen at once through {@link #forget} and
 * {@link #written}, those of another instance within that time.
 *
 * <ul>
 * <li>with {@code ns}: the proxy projects serving that host (the configured one first, then those
 * whose registry endpoint has a URL on it, by name); a name that already starts with one of them
 * is served as named (containerd's {@code override_path}), any other from the first of them; no
 * such project: NAME_UNKNOWN;</li>
 * <li>without: a name whose first component is a project is served as named; any other from the
 * default mirror project when one is set and exists, else NAME_UNKNOWN.</li>
 * </ul>
 */
public final class MirrorNames implements Mirrors {
    /** How long what was read is used without asking the database again. */
    public static final Duration FRESHNESS = Duration.ofSeconds(5);
    /**
     * How long a project found missing is taken as missing: briefly, since a push may create it at
     * any moment (without access control the store does, unseen here), and its reads must then reach
     * it rather than the default mirror project.
     */
    public static final Duration MISSING_FRESHNESS = Duration.ofSeconds(1);
    private static final String TABLE = "namespaces";

    private final Transactions tx;
    private final MirrorSettings settings;
    private final Cache<String, Boolean> existing = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(FRESHNESS).build();
    private final Cache<String, Boolean> missing = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(MISSING_FRESHNESS).build();
    private final Cache<String, Namespaces> namespaces = Caffeine.newBuilder().maximumSize(1)
            .expireAfterWrite(FRESHNESS).build();

    public MirrorNames(Transactions tx, MirrorSettings settings) {
        this.tx = tx;
        this.settings = settings;
    }

    @Override
    public Optional<MirrorRoute> remembered(RepositoryName requested, String namespace) {
        return Optional.ofNullable(decide(requested, namespace, false));
    }

    @Override
    public MirrorRoute route(RepositoryName requested, String namespace) {
        return decide(requested, namespace, true);
    }

    @Override
    public void forget(String project) {
        existing.invalidate(project);
        missing.invalidate(project);
        namespaces.invalidateAll();
    }

    @Override
    public void written(String project) {
        if (missing.getIfPresent(project) != null) { // a cache write only when needed: this runs on the event loop
            missing.invalidate(project);
        }
    }

    /** The route; null when something is not at hand and {@code mayBlock} is false. */
    private MirrorRoute decide(RepositoryName requested, String namespace, boolean mayBlock) {
        if (namespace != null) {
            Namespaces table = namespaces(mayBlock);
            if (table == null) {
                return null;
            }
            Optional<String> host = Namespaces.normalised(namespace);
            List<String> serving = host.map(table::projectsOf).orElse(List.of());
            if (serving.isEmpty()) {
                throw unknown(requested, "no proxy project here mirrors '" + namespace + "' (the ns of the request):"
                        + " create one whose registry endpoint is on that host, or map the host to one in"
                        + " proxy.namespaces");
            }
            if (serving.contains(requested.project())) {
                return new MirrorRoute(requested, requested, host.get());
            }
            return new MirrorRoute(requested, under(serving.getFirst(), requested), host.get());
        }
        Boolean named = exists(requested.project(), mayBlock);
        if (named == null) {
            return null;
        }
        if (named) {
            return MirrorRoute.direct(requested);
        }
        String mirror = settings.defaultProject();
        if (mirror == null) {
            throw unknown(requested, "there is no project '" + requested.project() + "' here, and no default mirror"
                    + " project (proxy.defaultMirrorProject) serves names without one");
        }
        Boolean mirrorExists = exists(mirror, mayBlock);
        if (mirrorExists == null) {
            return null;
        }
        if (!mirrorExists) {
            throw unknown(requested, "there is no project '" + requested.project() + "' here, and the default mirror"
                    + " project '" + mirror + "' (proxy.defaultMirrorProject) does not exist: create it as a proxy"
                    + " project");
        }
        return new MirrorRoute(requested, under(mirror, requested), null);
    }

    private Boolean exists(String project, boolean mayBlock) {
        if (existing.getIfPresent(project) != null) {
            return true;
        }
        if (missing.getIfPresent(project) != null) {
            return false;
        }
        if (!mayBlock) {
            return null;
        }
        // Looked up outside the caches' own locking: see RepositoryResolver.resolve.
        boolean found = tx.withHandle(h -> h.attach(MirrorDao.class).count(project)) > 0;
        (found ? existing : missing).put(project, Boolean.TRUE);
        return found;
    }

    private Namespaces namespaces(boolean mayBlock) {
        Namespaces known = namespaces.getIfPresent(TABLE);
        if (known != null || !mayBlock) {
            return known;
        }
        Namespaces read = tx.withHandle(h -> {
            MirrorDao dao = h.attach(MirrorDao.class);
            List<String> configured = List.copyOf(settings.namespaces().values());
            return Namespaces.of(settings.namespaces(), configured.isEmpty() ? List.of() : dao.existing(configured),
                    dao.proxies());
        });
        namespaces.put(TABLE, read);
        return read;
    }

    private static RepositoryName under(String project, RepositoryName requested) {
        return RepositoryName.parse(project + "/" + requested.value());
    }

    private static RegistryException unknown(RepositoryName requested, String message) {
        return new RegistryException(ErrorCode.NAME_UNKNOWN, message, requested.value());
    }
}
