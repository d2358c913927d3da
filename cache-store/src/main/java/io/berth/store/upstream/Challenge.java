package io.berth.store.upstream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header: its scheme ({@code bearer}, {@code basic},
 * lower-cased) and parameters ({@code realm}, {@code service}, {@code scope}, with lower-cased
 * names). Parsed by hand from RFC 9110's grammar: several challenges in one header, quoted strings
 * with escapes, and a token68 (which has no parameters) are all handled; junk yields nothing.
 */
record Challenge(String scheme, Map<String, String> params) {
    Challenge {
        params = Map.copyOf(params);
    }

    boolean isBearer() {
        return "bearer".equals(scheme);
    }

    boolean isBasic() {
        return "basic".equals(scheme);
    }

    Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name)).filter(v -> !v.isBlank());
    }

    /** The challenge to answer among the given header values: Bearer before Basic; empty when neither. */
    static Optional<Challenge> pick(List<String> headerValues) {
        List<Challenge> all = new ArrayList<>();
        for (String value : headerValues) {
            all.addAll(parse(value));
        }
        return all.stream().filter(Challenge::isBearer).findFirst()
                .or(() -> all.stream().filter(Challenge::isBasic).findFirst());
    }

    static List<Challenge> parse(String header) {
        List<Challenge> challenges = new ArrayList<>();
        Parser p = new Parser(header == null ? "" : header);
        String scheme = p.token();
        while (scheme != null) {
            Map<String, String> params = new LinkedHashMap<>();
            String next = null;
            while (true) {
                p.skip(',');
                int mark = p.pos;
                String name = p.token();
                if (name == null) {
                    break;
                }
                if (!p.consume('=')) {
                    next = name;
                    break;
                }
                String value = p.peek() == '"' ? p.quoted() : p.token68();
                if (value == null) {
                    p.pos = mark;
                    return challenges;
                }
                params.put(name.toLowerCase(Locale.ROOT), value);
            }
            challenges.add(new Challenge(scheme.toLowerCase(Locale.ROOT), params));
            scheme = next;
        }
        return challenges;
    }

    /** A cursor over a header value. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        char peek() {
            spaces();
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        void skip(char c) {
            while (peek() == c) {
                pos++;
            }
        }

        boolean consume(char c) {
            if (peek() == c) {
                pos++;
                return true;
            }
            return false;
        }

        String token() {
            spaces();
            int start = pos;
            while (pos < s.length() && isTokenChar(s.charAt(pos))) {
                pos++;
            }
            return pos > start ? s.substring(start, pos) : null;
        }

        /** An unquoted value: a token, possibly with token68's {@code /+=} characters. */
        String token68() {
            spaces();
            int start = pos;
            while (pos < s.length() && (isTokenChar(s.charAt(pos)) || "/+=:".indexOf(s.charAt(pos)) >= 0)) {
                pos++;
            }
            return pos > start ? s.substring(start, pos) : null;
        }

        String quoted() {
            pos++;
            StringBuilder value = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                value.append(c);
            }
            return null;
        }

        private void spaces() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private static boolean isTokenChar(char c) {
            return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={} ".indexOf(c) < 0;
        }
    }
}
