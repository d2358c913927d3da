package io.berth.sync.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.proxy.preheat.Platform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A policy's filters, compiled once, answering what to copy. Every filter of a kind must hold (a
 * policy with two tag filters copies the tags both keep); a kind with no filter keeps everything.
 * <ul>
 *   <li>{@link #repositoryPasses}: the name filters, against the source repository's full name;</li>
 *   <li>{@link #tagPasses}: the tag filters, tag by tag; an artifact is copied under the tags that
 *       pass, and an untagged one when {@link #untaggedPasses} (a tag pattern that matches the
 *       empty text, such as {@code *}, as in Harbor);</li>
 *   <li>{@link #labelsPass}: the label filters, against the labels the artifact carries;</li>
 *   <li>{@link #platforms}: which children of an index to copy ({@link PlatformSelection}).</li>
 * </ul>
 */
public final class Filters {
    private final List<Matcher> names = new ArrayList<>();
    private final List<Matcher> tags = new ArrayList<>();
    private final List<PolicyFilter> labels = new ArrayList<>();
    private final PlatformSelection platforms;

    private Filters(List<PolicyFilter> filters) {
        List<Platform> selected = new ArrayList<>();
        for (PolicyFilter filter : filters) {
            switch (filter.type()) {
                case NAME -> matcher(filter).ifPresent(names::add);
                case TAG -> matcher(filter).ifPresent(tags::add);
                case LABEL -> labels.add(filter);
                case PLATFORM -> filter.values().forEach(value -> selected.add(Platform.parse(value)));
            }
        }
        this.platforms = new PlatformSelection(selected);
    }

    /** The filters of a policy (each checked when it was made); none keeps everything. */
    public static Filters of(List<PolicyFilter> filters) {
        return new Filters(filters);
    }

    /** Whether the repository (its full name at the source) is replicated. */
    public boolean repositoryPasses(String repository) {
        return names.stream().allMatch(m -> m.test(repository));
    }

    /** Whether an artifact is replicated under this tag. */
    public boolean tagPasses(String tag) {
        return tags.stream().allMatch(m -> m.test(tag));
    }

    /** Whether an artifact without tags is replicated (by digest). */
    public boolean untaggedPasses() {
        return tagPasses("");
    }

    /** Of an artifact's tags, those it is replicated under, in the order given. */
    public List<String> tagsPassing(Collection<String> artifactTags) {
        return artifactTags.stream().filter(this::tagPasses).toList();
    }

    /**
     * Whether an artifact carrying these labels is replicated: for each label filter, it carries
     * every label the filter names (or, for {@code excludes}, not every one).
     */
    public boolean labelsPass(Collection<String> artifactLabels) {
        Set<String> carried = new HashSet<>(artifactLabels);
        for (PolicyFilter filter : labels) {
            boolean all = carried.containsAll(filter.values());
            if (all != (filter.decoration() == Decoration.MATCHES)) {
                return false;
            }
        }
        return true;
    }

    /** Whether any label filter is set (so the source's labels must be read). */
    public boolean needsLabels() {
        return !labels.isEmpty();
    }

    /** Which children of an index to copy. */
    public PlatformSelection platforms() {
        return platforms;
    }

    /** The children of the index (its JSON) to copy; see {@link PlatformSelection#children}. */
    public List<JsonNode> childrenPassing(JsonNode index) {
        return platforms.children(index);
    }

    private static Optional<Matcher> matcher(PolicyFilter filter) {
        String pattern = filter.pattern();
        if (pattern.isEmpty()) {
            return Optional.empty(); // Harbor's "no pattern": everything
        }
        return Optional.of(new Matcher(Glob.compile(pattern), filter.decoration() == Decoration.EXCLUDES));
    }

    /** One compiled name or tag filter. */
    private record Matcher(Glob glob, boolean excludes) {
        boolean test(String text) {
            return glob.matches(text) != excludes;
        }
    }
}
