package io.berth.sync.filter;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.label.Labels;
import io.berth.store.proxy.preheat.Platform;

import java.util.List;
import java.util.Objects;

/**
 * One filter of a replication policy, checked when it is made. Name and tag filters hold one glob
 * ({@link Glob}; empty: everything, as in Harbor); a label filter one or more label names, all of
 * which an artifact must carry; a platform filter one or more {@code os/arch[/variant]}. Name, tag
 * and label filters keep what matches, or with {@link Decoration#EXCLUDES} what does not; a platform
 * filter takes no decoration.
 *
 * @param type       what it looks at
 * @param values     its glob (name, tag), label names, or platforms
 * @param decoration matches or excludes; null for a platform filter
 */
public record PolicyFilter(FilterType type, List<String> values, Decoration decoration) {
    private static final String GLOB_HELP = " (* matches within a path segment, ** across segments, ? one"
            + " character, {a,b} either; \\ takes the next character literally)";

    public PolicyFilter {
        Objects.requireNonNull(type, "type");
        values = List.copyOf(values);
    }

    /** A checked filter; INVALID_INPUT saying what is wrong with it. */
    public static PolicyFilter of(FilterType type, List<String> values, Decoration decoration) {
        Objects.requireNonNull(type, "type");
        if (values == null || values.isEmpty() || values.stream().anyMatch(Objects::isNull)) {
            throw invalid("a " + type.wireName() + " filter needs a value");
        }
        switch (type) {
            case NAME, TAG -> {
                if (values.size() != 1) {
                    throw invalid("a " + type.wireName() + " filter's value is one pattern, such as "
                            + (type == FilterType.NAME ? "team/** or library/{nginx,redis}" : "v* or {latest,stable}")
                            + ", not a list");
                }
                try {
                    Glob.compile(values.getFirst());
                } catch (IllegalArgumentException e) {
                    throw invalid("the " + type.wireName() + " filter " + e.getMessage() + GLOB_HELP);
                }
            }
            case LABEL -> values.forEach(Labels::checkName);
            case PLATFORM -> {
                if (decoration != null) {
                    throw invalid("a platform filter takes no decoration: it lists the platforms to copy");
                }
                values.forEach(Platform::parse);
            }
        }
        return new PolicyFilter(type, values, type == FilterType.PLATFORM ? null
                : decoration == null ? Decoration.MATCHES : decoration);
    }

    /** A name, tag or label filter of one value that keeps what matches. */
    public static PolicyFilter matching(FilterType type, String value) {
        return of(type, List.of(value), Decoration.MATCHES);
    }

    /** The one glob of a name or tag filter. */
    public String pattern() {
        if (type != FilterType.NAME && type != FilterType.TAG) {
            throw new IllegalStateException("a " + type.wireName() + " filter has no pattern");
        }
        return values.getFirst();
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.INVALID_INPUT, message);
    }
}
