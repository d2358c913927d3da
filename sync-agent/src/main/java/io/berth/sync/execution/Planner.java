package io.berth.sync.execution;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.Upstream.TagPage;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamException.Kind;
import io.berth.store.upstream.UpstreamWriter.CatalogPage;
import io.berth.sync.filter.Decoration;
import io.berth.sync.filter.FilterType;
import io.berth.sync.filter.Filters;
import io.berth.sync.filter.PolicyFilter;
import io.berth.sync.policy.ReplicationPolicy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Lists what a policy copies: the source's repositories (its catalog, or, where it has none such as
 * Docker Hub, the names its name filters spell out literally, {@code {a,b}} alternatives expanded),
 * kept by the name filters; their tags, kept by the tag filters; and, when the policy has label
 * filters, the artifacts whose labels pass. Labels are Berth's own: a label filter on a remote
 * source fails the plan (it could never select anything), saying so. Untagged artifacts are not
 * listed: the V2 API has no way to list them. Blocks on the network; the tag lists of several
 * repositories are asked for at once.
 */
final class Planner {
    private static final int PAGE = 1000;
    /** Repositories whose tags are listed at once. */
    static final int PARALLEL_LISTINGS = 8;

    private final ReplicationPolicy policy;
    private final Filters filters;
    private final ReplicationEndpoints.Side source;

    Planner(ReplicationPolicy policy, ReplicationEndpoints.Side source) {
        this.policy = policy;
        this.filters = policy.selection();
        this.source = source;
    }

    /** Hands each task to {@code planned}, repository by repository. */
    void plan(Consumer<PlannedTask> planned) throws UpstreamException {
        if (filters.needsLabels() && source.labels() == null) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "the policy filters by label, but its source '"
                    + source.name() + "' is another registry: labels are Berth's own, so remove the label filter or"
                    + " replicate from this Berth");
        }
        List<String> kept = repositories().stream().filter(filters::repositoryPasses).toList();
        List<List<String>> tagLists = tagsOf(kept);
        for (int i = 0; i < kept.size(); i++) {
            String repository = kept.get(i);
            String destination = policy.destinationName(repository);
            for (String tag : tagLists.get(i)) {
                if (!filters.tagPasses(tag)) {
                    continue;
                }
                String digest = null;
                if (filters.needsLabels()) {
                    Optional<Upstream.ManifestHead> head = source.reader().headManifest(repository, tag);
                    if (head.isEmpty()) {
                        continue;
                    }
                    digest = head.get().digest().toString();
                    if (!filters.labelsPass(source.labels().labels(repository, digest))) {
                        continue;
                    }
                }
                planned.accept(new PlannedTask(repository, tag, destination, tag, digest));
            }
        }
    }

    private List<String> repositories() throws UpstreamException {
        Set<String> names = new LinkedHashSet<>();
        Optional<CatalogPage> page = source.writer().catalog(null, PAGE);
        if (page.isPresent()) {
            while (true) {
                names.addAll(page.get().repositories());
                if (!page.get().more() || page.get().repositories().isEmpty()) {
                    break;
                }
                page = source.writer().catalog(page.get().repositories().getLast(), PAGE);
                if (page.isEmpty()) {
                    break;
                }
            }
            return List.copyOf(names);
        }
        for (PolicyFilter filter : policy.filters()) {
            if (filter.type() == FilterType.NAME && filter.decoration() == Decoration.MATCHES) {
                literal(filter.pattern()).ifPresent(names::addAll);
            }
        }
        if (names.isEmpty()) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "the source '" + source.name() + "' does not list"
                    + " its repositories (no catalog): give the policy a name filter that spells them out, such as"
                    + " library/{nginx,redis}");
        }
        return List.copyOf(names);
    }

    /**
     * The tags of each repository, in their order, listed {@value #PARALLEL_LISTINGS} repositories at
     * a time: one round trip each, and a source of many small repositories is not listed one by one.
     */
    private List<List<String>> tagsOf(List<String> repositories) throws UpstreamException {
        if (repositories.size() <= 1) {
            List<List<String>> one = new ArrayList<>();
            for (String repository : repositories) {
                one.add(tags(repository));
            }
            return one;
        }
        Semaphore slots = new Semaphore(PARALLEL_LISTINGS);
        List<Future<List<String>>> listings = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String repository : repositories) {
                listings.add(threads.submit(() -> {
                    slots.acquire();
                    try {
                        return tags(repository);
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<List<String>> lists = new ArrayList<>();
            for (Future<List<String>> listing : listings) {
                lists.add(listing.get());
            }
            return lists;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(Kind.UNREACHABLE, 0, null, "interrupted while listing the source's tags", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpstreamException u) {
                throw u;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("listing the source's tags failed", e.getCause());
        }
    }

    private List<String> tags(String repository) throws UpstreamException {
        List<String> tags = new ArrayList<>();
        Optional<TagPage> page = source.reader().tags(repository, null, PAGE);
        while (page.isPresent()) {
            tags.addAll(page.get().tags());
            if (!page.get().more() || page.get().tags().isEmpty()) {
                break;
            }
            page = source.reader().tags(repository, page.get().tags().getLast(), PAGE);
        }
        return tags;
    }

    /** The names a glob spells out: itself without wildcards, {@code {a,b}} expanded; empty when it has wildcards. */
    static Optional<List<String>> literal(String pattern) {
        if (pattern.isEmpty() || pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '\\' || c == '[')) {
            return Optional.empty();
        }
        int open = pattern.indexOf('{');
        if (open < 0) {
            return pattern.indexOf('}') < 0 ? Optional.of(List.of(pattern)) : Optional.empty();
        }
        int close = pattern.indexOf('}', open);
        if (close < 0 || pattern.substring(open + 1, close).indexOf('{') >= 0) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (String alternative : pattern.substring(open + 1, close).split(",", -1)) {
            Optional<List<String>> rest = literal(pattern.substring(0, open) + alternative + pattern.substring(close + 1));
            if (rest.isEmpty()) {
                return Optional.empty();
            }
            names.addAll(rest.get());
        }
        return Optional.of(names);
    }
}
