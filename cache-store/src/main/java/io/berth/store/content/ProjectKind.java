package io.berth.store.content;

import java.util.Locale;

/** How a project's content is sourced; stored in {@code project.kind}. */
public enum ProjectKind {
    /** Content pushed by clients. */
    LOCAL,
    /** A pull-through cache of an upstream registry: read-only for clients. */
    PROXY;

    /** The value stored in the database. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a database value names; an unknown value (from a newer version) reads as read-only proxy. */
    public static ProjectKind fromDb(String value) {
        return value == null || value.equals("local") ? LOCAL : PROXY;
    }
}
