package io.berth.sync.filter;

import java.util.regex.Pattern;

/**
 * A glob as Harbor's replication filters take them (the doublestar rules), matched against the
 * whole text:
 * <ul>
 *   <li>{@code *} any run of characters within one path segment (never {@code /});</li>
 *   <li>{@code **} as a whole segment, any number of segments, none included: {@code team/**}
 *       matches {@code team}, {@code team/app} and {@code team/a/b}; {@code **}{@code /app} matches
 *       {@code app} and {@code x/y/app}. Within a segment ({@code v**}) it is a {@code *};</li>
 *   <li>{@code ?} one character other than {@code /};</li>
 *   <li>{@code [abc]}, {@code [a-z]}, {@code [!a-z]} or {@code [^a-z]} one character of (or not of) a
 *       class, never {@code /};</li>
 *   <li>{@code {a,b}} either alternative, each a glob itself ({@code library/{nginx,redis*}});</li>
 *   <li>{@code \} takes the next character literally; anything else is itself.</li>
 * </ul>
 * Examples: {@code library/{nginx,redis}} matches exactly those two; {@code v1.*} matches
 * {@code v1.2} but not {@code v10}; {@code *} matches every tag, and the empty text too (an
 * untagged artifact, as Harbor has it).
 */
public final class Glob {
    private final String pattern;
    private final Pattern regex;

    private Glob(String pattern, Pattern regex) {
        this.pattern = pattern;
        this.regex = regex;
    }

    /** The glob; {@link IllegalArgumentException} saying what is wrong with it and where. */
    public static Glob compile(String pattern) {
        if (pattern == null) {
            throw new IllegalArgumentException("a pattern is required");
        }
        return new Glob(pattern, Pattern.compile(new GlobTranslator(pattern).translate(), Pattern.DOTALL));
    }

    /** Whether the whole of {@code text} matches. */
    public boolean matches(String text) {
        return regex.matcher(text).matches();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
