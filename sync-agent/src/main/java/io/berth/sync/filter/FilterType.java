package io.berth.sync.filter;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a replication filter looks at, named as the API and Harbor write it. */
public enum FilterType {
    /** The repository's name, by glob ({@code team/**}). */
    NAME("name"),
    /** Each tag, by glob ({@code v*}); with {@link Decoration#EXCLUDES} the tags that do not match. */
    TAG("tag"),
    /** Labels the artifact carries: all of those named. */
    LABEL("label"),
    /** The platforms ({@code os/arch[/variant]}) of an index's children to copy. */
    PLATFORM("platform");

    private final String wireName;

    FilterType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The type written {@code name}; {@link IllegalArgumentException} listing the types otherwise. */
    public static FilterType ofWireName(String name) {
        for (FilterType type : values()) {
            if (type.wireName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return type;
            }
        }
        throw new IllegalArgumentException("a filter's type is one of " + Arrays.stream(values())
                .map(FilterType::wireName).collect(Collectors.joining(", ")) + ", not '" + name + "'");
    }
}
