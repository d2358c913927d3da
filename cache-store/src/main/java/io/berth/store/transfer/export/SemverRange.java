package io.berth.store.transfer.export;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semver range over tags, in npm's notation: comparators {@code >=1.2.0}, {@code <2},
 * {@code =1.4.1}, {@code ~1.2} (at least 1.2.0, below 1.3.0), {@code ^1.2.3} (below the next
 * non-zero leading part: 2.0.0; {@code ^0.3} below 0.4.0), and x-ranges {@code 1.x}, {@code 1.2.*};
 * comparators separated by spaces must all hold, {@code ||} separates alternatives. A tag is read
 * as a version when it is {@code [v]MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD]} (missing parts are
 * 0: the tag {@code 1.2} is 1.2.0); other tags are never in a range. A tag with a prerelease part
 * ({@code 1.2.3-rc.1}, and also docker's variants such as {@code 1.2.3-alpine}) is in a range only
 * when a comparator of it names a prerelease of the same MAJOR.MINOR.PATCH, as npm does: select
 * variants with a regular expression instead.
 */
public final class SemverRange {
    private static final Pattern VERSION = Pattern.compile(
            "v?(0|[1-9]\\d{0,8})(?:\\.(0|[1-9]\\d{0,8}))?(?:\\.(0|[1-9]\\d{0,8}))?(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");
    private static final Pattern COMPARATOR = Pattern.compile(
            "(>=|<=|>|<|=|~|\\^)?v?(\\d+|[xX*])(?:\\.(\\d+|[xX*]))?(?:\\.(\\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?");

    private final String text;
    private final List<List<Bound>> alternatives;

    private SemverRange(String text, List<List<Bound>> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    /** Reads a range; INVALID_INPUT names the part that is not a comparator. */
    public static SemverRange parse(String text) {
        List<List<Bound>> alternatives = new ArrayList<>();
        for (String set : text.split("\\|\\|", -1)) {
            List<Bound> bounds = new ArrayList<>();
            for (String comparator : set.strip().split("\\s+")) {
                if (!comparator.isEmpty()) {
                    bounds.addAll(comparator(comparator, text));
                }
            }
            alternatives.add(bounds);
        }
        return new SemverRange(text, alternatives);
    }

    /** Whether a tag reads as a version inside the range. */
    public boolean contains(String tag) {
        Optional<Version> version = Version.parse(tag);
        if (version.isEmpty()) {
            return false;
        }
        Version v = version.get();
        for (List<Bound> set : alternatives) {
            boolean all = set.stream().allMatch(b -> b.holds(v));
            boolean prereleaseAllowed = v.pre() == null
                    || set.stream().anyMatch(b -> b.version().pre() != null && b.version().sameRelease(v));
            if (all && prereleaseAllowed) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }

    private static List<Bound> comparator(String text, String whole) {
        Matcher m = COMPARATOR.matcher(text);
        if (!m.matches()) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "'" + text + "' of the tag selector '" + whole
                    + "' is neither a tag nor a semver comparator: use e.g. ~1.2, ^1.2.3, >=1.2 <2, 1.x, or /regex/");
        }
        String op = m.group(1) == null ? "" : m.group(1);
        Integer major = part(m.group(2));
        Integer minor = part(m.group(3));
        Integer patch = part(m.group(4));
        String pre = m.group(5);
        if (major == null) {
            return List.of(); // "*": anything
        }
        Version low = new Version(major, minor == null ? 0 : minor, patch == null ? 0 : patch, pre);
        boolean partial = minor == null || patch == null;
        Version next = minor == null ? new Version(major + 1, 0, 0, null)
                : patch == null ? new Version(major, minor + 1, 0, null)
                : new Version(major, minor, patch + 1, null);
        return switch (op) {
            case ">=" -> List.of(new Bound(">=", low));
            case ">" -> List.of(partial ? new Bound(">=", next) : new Bound(">", low));
            case "<" -> List.of(new Bound("<", low));
            case "<=" -> List.of(partial ? new Bound("<", next) : new Bound("<=", low));
            case "~" -> List.of(new Bound(">=", low), new Bound("<", minor == null ? next
                    : new Version(major, minor + 1, 0, null)));
            case "^" -> List.of(new Bound(">=", low), new Bound("<", caretLimit(major, minor, patch)));
            default -> partial ? List.of(new Bound(">=", low), new Bound("<", next)) : List.of(new Bound("=", low));
        };
    }

    private static Version caretLimit(int major, Integer minor, Integer patch) {
        if (major > 0 || minor == null) {
            return new Version(major + 1, 0, 0, null);
        }
        if (minor > 0 || patch == null) {
            return new Version(0, minor + 1, 0, null);
        }
        return new Version(0, 0, patch + 1, null);
    }

    private static Integer part(String text) {
        if (text == null || text.equalsIgnoreCase("x") || text.equals("*")) {
            return null;
        }
        return Integer.valueOf(text);
    }

    /** One comparison a version must pass. */
    private record Bound(String op, Version version) {
        boolean holds(Version v) {
            int c = v.compareTo(version);
            return switch (op) {
                case ">=" -> c >= 0;
                case ">" -> c > 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                default -> c == 0;
            };
        }
    }

    /** A version: MAJOR.MINOR.PATCH and an optional prerelease, ordered as semver orders them. */
    record Version(int major, int minor, int patch, String pre) implements Comparable<Version> {
        static Optional<Version> parse(String tag) {
            Matcher m = VERSION.matcher(tag);
            if (!m.matches()) {
                return Optional.empty();
            }
            return Optional.of(new Version(Integer.parseInt(m.group(1)),
                    m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                    m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), m.group(4)));
        }

        boolean sameRelease(Version o) {
            return major == o.major && minor == o.minor && patch == o.patch;
        }

        @Override
        public int compareTo(Version o) {
            int c = major != o.major ? Integer.compare(major, o.major) : minor != o.minor
                    ? Integer.compare(minor, o.minor) : Integer.compare(patch, o.patch);
            if (c != 0 || (pre == null && o.pre == null)) {
                return c;
            }
            if (pre == null || o.pre == null) {
                return pre == null ? 1 : -1; // a release follows its prereleases
            }
            String[] a = pre.split("\\.");
            String[] b = o.pre.split("\\.");
            for (int i = 0; i < Math.min(a.length, b.length); i++) {
                boolean an = a[i].matches("\\d+");
                boolean bn = b[i].matches("\\d+");
                int d = an && bn ? (a[i].length() != b[i].length() ? Integer.compare(a[i].length(), b[i].length())
                        : a[i].compareTo(b[i]))
                        : an ? -1 : bn ? 1 : a[i].compareTo(b[i]);
                if (d != 0) {
                    return d;
                }
            }
            return Integer.compare(a.length, b.length);
        }
    }
}
