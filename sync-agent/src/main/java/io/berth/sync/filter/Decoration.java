package io.berth.sync.filter;

/** Whether a name, tag or label filter keeps what matches (the default) or what does not. */
public enum Decoration {
    MATCHES("matches"),
    EXCLUDES("excludes");

    private final String wireName;

    Decoration(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The decoration written {@code name}; null stands for {@link #MATCHES}. */
    public static Decoration ofWireName(String name) {
        if (name == null || name.isEmpty()) {
            return MATCHES;
        }
        for (Decoration decoration : values()) {
            if (decoration.wireName.equals(name)) {
                return decoration;
            }
        }
        throw new IllegalArgumentException("a filter's decoration is 'matches' or 'excludes', not '" + name + "'");
    }
}
