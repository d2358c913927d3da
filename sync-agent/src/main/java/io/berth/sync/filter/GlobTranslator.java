package io.berth.sync.filter;

/**
 * Turns a {@link Glob} into an equivalent regular expression, in one pass over the pattern with
 * braces handled by recursion. Fails with {@link IllegalArgumentException} naming the position of
 * an unclosed {@code {} or {@code [}, a stray {@code }}, or a trailing {@code \}.
 */
final class GlobTranslator {
    private static final int MAX_BRACE_DEPTH = 10;
    private static final String SEGMENT_CHAR = "[^/]";

    private final String pattern;
    private int position;

    GlobTranslator(String pattern) {
        this.pattern = pattern;
    }

    String translate() {
        String regex = sequence(0);
        if (position < pattern.length()) {
            // Only a '}' or ',' outside any braces stops a top-level sequence.
            throw invalid("'" + pattern.charAt(position) + "' at " + (position + 1) + " closes no '{'");
        }
        return regex;
    }

    /** Translates up to the end, or (inside braces) up to the ',' or '}' that ends this alternative. */
    private String sequence(int depth) {
        StringBuilder regex = new StringBuilder();
        while (position < pattern.length()) {
            char c = pattern.charAt(position);
            if (depth > 0 && (c == ',' || c == '}')) {
                return regex.toString();
            }
            if (depth == 0 && c == '}') {
                return regex.toString();
            }
            switch (c) {
                case '*' -> regex.append(stars());
                case '/' -> regex.append(slash());
                case '?' -> {
                    regex.append(SEGMENT_CHAR);
                    position++;
                }
                case '[' -> regex.append(characterClass());
                case '{' -> regex.append(alternatives(depth));
                case '\\' -> {
                    if (position + 1 >= pattern.length()) {
                        throw invalid("it ends with '\\', which escapes nothing");
                    }
                    regex.append(quote(pattern.charAt(position + 1)));
                    position += 2;
                }
                default -> {
                    regex.append(quote(c));
                    position++;
                }
            }
        }
        return regex.toString();
    }

    /** {@code *}, or {@code **}: across segments when it is a whole segment, else as {@code *}. */
    private String stars() {
        int start = position;
        while (position < pattern.length() && pattern.charAt(position) == '*') {
            position++;
        }
        if (position - start < 2 || !segmentStartsAt(start) || !segmentEndsAt(position)) {
            return SEGMENT_CHAR + "*";
        }
        if (position < pattern.length() && pattern.charAt(position) == '/') {
            position++; // "**/x": no segments or any, each followed by its '/'
            return "(?:.*/)?";
        }
        return ".*";
    }

    /**
     * A {@code /}; with a {@code **} segment that ends the pattern (or an alternative) after it, the
     * two are optional together, so that {@code team/**} matches {@code team} itself.
     */
    private String slash() {
        int stars = position + 1;
        int end = stars;
        while (end < pattern.length() && pattern.charAt(end) == '*') {
            end++;
        }
        boolean lastSegment = end == pattern.length() || pattern.charAt(end) == '}' || pattern.charAt(end) == ',';
        if (end - stars >= 2 && lastSegment) {
            position = end;
            return "(?:/.*)?";
        }
        position++;
        return "/";
    }

    private boolean segmentStartsAt(int index) {
        return index == 0 || "/{,".indexOf(pattern.charAt(index - 1)) >= 0;
    }

    private boolean segmentEndsAt(int index) {
        return index == pattern.length() || "/},".indexOf(pattern.charAt(index)) >= 0;
    }

    /** {@code {a,b,...}}: each alternative a glob of its own. */
    private String alternatives(int depth) {
        int open = position;
        if (depth >= MAX_BRACE_DEPTH) {
            throw invalid("braces are nested more than " + MAX_BRACE_DEPTH + " deep at " + (open + 1));
        }
        position++;
        StringBuilder regex = new StringBuilder("(?:");
        while (true) {
            regex.append(sequence(depth + 1));
            if (position >= pattern.length()) {
                throw invalid("the '{' at " + (open + 1) + " is never closed with '}'");
            }
            char c = pattern.charAt(position++);
            if (c == '}') {
                return regex.append(')').toString();
            }
            regex.append('|');
        }
    }

    /** {@code [...]}: a class of single characters, never matching {@code /}. */
    private String characterClass() {
        int open = position;
        position++;
        StringBuilder regex = new StringBuilder("(?!/)[");
        if (position < pattern.length() && (pattern.charAt(position) == '!' || pattern.charAt(position) == '^')) {
            regex.append('^');
            position++;
        }
        boolean empty = true;
        while (position < pattern.length() && (pattern.charAt(position) != ']' || empty)) {
            char c = pattern.charAt(position);
            if (c == '\\') {
                if (position + 1 >= pattern.length()) {
                    break;
                }
                c = pattern.charAt(++position);
                regex.append(classChar(c));
            } else if (c == '-' && !empty && position + 1 < pattern.length() && pattern.charAt(position + 1) != ']') {
                regex.append('-');
            } else {
                regex.append(classChar(c));
            }
            empty = false;
            position++;
        }
        if (position >= pattern.length()) {
            throw invalid("the '[' at " + (open + 1) + " is never closed with ']'");
        }
        position++;
        return regex.append(']').toString();
    }

    private static String classChar(char c) {
        return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c;
    }

    private static String quote(char c) {
        return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c;
    }

    private IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("'" + pattern + "' is not a valid pattern: " + why);
    }
}
