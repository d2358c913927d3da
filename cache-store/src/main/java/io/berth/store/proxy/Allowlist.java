package io.berth.store.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which upstream repositories a proxy project serves, so that a public mirror is no open door to a
 * whole registry. Patterns match the upstream name as a whole (on Docker Hub the normalised one:
 * {@code library/nginx}, never {@code nginx}). A pattern is a glob where {@code *} and {@code ?}
 * stay within one path segment and {@code **} spans segments, or {@code regex:<expression>}, a
 * Java regular expression. An empty list allows every repository.
 */
final class Allowlist {
    private static final Logger LOG = LoggerFactory.getLogger(Allowlist.class);
    static final String REGEX_PREFIX = "regex:";

    private final List<Pattern> patterns;
    private final boolean everything;

    private Allowlist(List<Pattern> patterns, boolean everything) {
        this.patterns = patterns;
        this.everything = everything;
    }

    /**
     * The allowlist of these patterns. A regular expression that does not compile matches nothing
     * (and is logged): a mistake must narrow the mirror, never open it.
     */
    static Allowlist of(List<String> patterns) {
        List<Pattern> compiled = new ArrayList<>();
        for (String pattern : patterns) {
            try {
                compiled.add(compile(pattern));
            } catch (PatternSyntaxException e) {
                LOG.warn("proxy allowlist pattern '{}' is not a valid regular expression; it matches nothing: {}",
                        pattern, e.getDescription());
            }
        }
        return new Allowlist(List.copyOf(compiled), patterns.isEmpty());
    }

    /** Whether the upstream repository {@code name} may be served. */
    boolean allows(String name) {
        if (everything) {
            return true;
        }
        for (Pattern pattern : patterns) {
            if (pattern.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    static Pattern compile(String pattern) {
        if (pattern.startsWith(REGEX_PREFIX)) {
            return Pattern.compile(pattern.substring(REGEX_PREFIX.length()));
        }
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '*' && c != '?') {
                literal.append(c);
                continue;
            }
            if (!literal.isEmpty()) {
                regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
            }
            if (c == '?') {
                regex.append("[^/]");
            } else if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else {
                regex.append("[^/]*");
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString());
    }
}
