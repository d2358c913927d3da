package io.berth.store.content;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.store.oci.RepositoryName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Resolves a repository name into its {@link RepositoryHandle}: which kind of project it is in
 * (read from the database, then kept for a few seconds so a change made elsewhere is seen soon) and
 * so which {@link ContentSource} serves it. A project that does not exist yet resolves as local:
 * a push may create it. Each kind's sources come from the factory {@link #serve} registered for
 * it; a kind without one is served by the local store's source.
 */
public final class RepositoryResolver {
    private final Function<String, ProjectKind> kindOfProject;
    private final Function<RepositoryName, ContentSource> local;
    private final Map<ProjectKind, Function<RepositoryName, ContentSource>> sources = new ConcurrentHashMap<>();
    private final Cache<String, ProjectKind> kinds = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(10)).build();

    /**
     * @param kindOfProject reads a project's kind (blocking; LOCAL when it does not exist)
     * @param local         the local store's source of a repository
     */
    public RepositoryResolver(Function<String, ProjectKind> kindOfProject,
                              Function<RepositoryName, ContentSource> local) {
        this.kindOfProject = kindOfProject;
        this.local = local;
    }

    /** Serves the repositories of projects of {@code kind} from the sources {@code factory} makes. */
    public void serve(ProjectKind kind, Function<RepositoryName, ContentSource> factory) {
        sources.put(kind, factory);
    }

    /** The handle, without blocking, when the project's kind is known; empty otherwise (use {@link #resolve}). */
    public Optional<RepositoryHandle> cached(RepositoryName name) {
        ProjectKind kind = kinds.getIfPresent(name.project());
        return kind == null ? Optional.empty() : Optional.of(handle(name, kind));
    }

    /**
     * The handle; may block on the database. The lookup runs outside the cache's own locking: a
     * virtual thread blocked on JDBC inside {@code Cache.get(key, loader)} would pin its carrier
     * (JDK 21 to 23) and stall others waiting on the same entry.
     */
    public RepositoryHandle resolve(RepositoryName name) {
        ProjectKind kind = kinds.getIfPresent(name.project());
        if (kind == null) {
            kind = kindOfProject.apply(name.project());
            kinds.put(name.project(), kind);
        }
        return handle(name, kind);
    }

    /** Forgets what is known of a project, after its kind was changed here. */
    public void forget(String project) {
        kinds.invalidate(project);
    }

    private RepositoryHandle handle(RepositoryName name, ProjectKind kind) {
        return new RepositoryHandle(name, kind, sources.getOrDefault(kind, local).apply(name));
    }
}
