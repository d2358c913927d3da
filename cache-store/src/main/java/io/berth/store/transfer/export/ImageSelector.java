package io.berth.store.transfer.export;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which images of one repository an export takes. Written {@code repository<selector>}, the
 * repository as the source registry names it (no host):
 * <ul>
 *   <li>{@code team/app:1.4} — one tag;</li>
 *   <li>{@code team/app@sha256:<hex>} — one manifest by digest (exported without a tag);</li>
 *   <li>{@code team/app:/^v1\./} — every tag the regular expression (Java syntax, between slashes)
 *       finds; anchor it with {@code ^…$} to match whole tags;</li>
 *   <li>{@code team/app:~1.2}, {@code team/app:^1.2.0}, {@code team/app:>=1.2 <2.0 || 3.x} — every tag
 *       that reads as a version in that {@link SemverRange semver range}. What is a valid tag is read
 *       as a tag ({@code team/app:1.x} is the tag "1.x"): write {@code team/app:=1.x} for the range.</li>
 * </ul>
 * A tag selector that finds no tag fails the export, naming it.
 */
public sealed interface ImageSelector {
    /** The repository at the source. */
    String repository();

    /** One tag. */
    record Tag(String repository, String tag) implements ImageSelector {
        @Override
        public String toString() {
            return repository + ":" + tag;
        }
    }

    /** One manifest by digest. */
    record ByDigest(String repository, Digest digest) implements ImageSelector {
        @Override
        public String toString() {
            return repository + "@" + digest;
        }
    }

    /** Tags a regular expression finds. */
    record TagPattern(String repository, Pattern pattern) implements ImageSelector {
        @Override
        public String toString() {
            return repository + ":/" + pattern.pattern() + "/";
        }
    }

    /** Tags within a semver range. */
    record TagRange(String repository, SemverRange range) implements ImageSelector {
        @Override
        public String toString() {
            return repository + ":" + range;
        }
    }

    /** Whether a tag selector (pattern or range) takes {@code tag}; a single tag or digest takes none. */
    default boolean takes(String tag) {
        return switch (this) {
            case TagPattern p -> p.pattern().matcher(tag).find();
            case TagRange r -> r.range().contains(tag);
            default -> false;
        };
    }

    /** Reads one selector; INVALID_INPUT says what is wrong and how to write it. */
    static ImageSelector parse(String text) {
        String s = text == null ? "" : text.strip();
        int at = s.indexOf('@');
        int colon = s.indexOf(':');
        if (at > 0 && (colon < 0 || colon > at)) {
            return new ByDigest(repository(s.substring(0, at), text), Digest.parse(s.substring(at + 1)));
        }
        if (colon <= 0 || colon == s.length() - 1) {
            throw invalid(text, "it names no tag");
        }
        String repository = repository(s.substring(0, colon), text);
        String selector = s.substring(colon + 1);
        if (selector.length() >= 2 && selector.startsWith("/") && selector.endsWith("/")) {
            try {
                return new TagPattern(repository, Pattern.compile(selector.substring(1, selector.length() - 1)));
            } catch (PatternSyntaxException e) {
                throw invalid(text, "its regular expression does not compile (" + e.getDescription() + ")");
            }
        }
        if (Reference.isValidTag(selector)) {
            return new Tag(repository, selector);
        }
        if (selector.matches("\\d+/.*")) {
            throw invalid(text, "it starts with a registry host and port: leave the registry out, it is given"
                    + " separately");
        }
        try {
            return new TagRange(repository, SemverRange.parse(selector));
        } catch (RegistryException e) {
            throw invalid(text, e.getMessage());
        }
    }

    /** Reads a list, one selector a line; blank lines and lines starting with {@code #} are skipped. */
    static List<ImageSelector> parseLines(List<String> lines) {
        List<ImageSelector> selectors = new ArrayList<>();
        for (String line : lines) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                selectors.add(parse(s));
            }
        }
        return selectors;
    }

    private static String repository(String name, String text) {
        try {
            return RepositoryName.parse(name).toString();
        } catch (RegistryException e) {
            throw invalid(text, "'" + name + "' is not a repository name (lower-case path components, no"
                    + " registry host: the registry is given separately)");
        }
    }

    private static RegistryException invalid(String text, String why) {
        return new RegistryException(ErrorCode.INVALID_INPUT, "the image selector '" + text + "' cannot be read: "
                + why + ". Write repo:tag, repo@sha256:<hex>, repo:/regex/ or a semver range such as repo:~1.2");
    }
}
