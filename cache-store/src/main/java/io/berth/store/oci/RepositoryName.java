package io.berth.store.oci;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.regex.Pattern;

/**
 * A repository name as the OCI distribution spec defines it: lowercase path components separated
 * by {@code /}, each {@code [a-z0-9]+} joined by {@code .}, {@code _}, {@code __} or dashes. The
 * first component is the repository's project.
 */
public final class RepositoryName implements Comparable<RepositoryName> {
    /** Distribution's limit for a whole name; the spec lets registries choose one. */
    public static final int MAX_LENGTH = 255;

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern NAME = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");

    private final String value;

    private RepositoryName(String value) {
        this.value = value;
    }

    public static RepositoryName parse(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid("a repository name is required");
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid("repository name is " + text.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        if (!NAME.matcher(text).matches()) {
            throw invalid("'" + text + "' is not a valid repository name: use lowercase letters, digits and"
                    + " separators (., _, __, -) in components joined by '/'");
        }
        return new RepositoryName(text);
    }

    /**
     * A project's name as given (one component of a repository name: lower-case letters, digits
     * and separators, no {@code /}); NAME_INVALID says what is allowed.
     */
    public static String checkProjectName(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH || !COMPONENT.matcher(text).matches()) {
            throw invalid("'" + text + "' is not a valid project name: use 1 to " + MAX_LENGTH + " lower-case letters"
                    + " and digits, joined by '.', '_', '__' or '-' (no '/')");
        }
        return text;
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.NAME_INVALID, message);
    }

    /** The project this repository belongs to: the first path component of its name. */
    public String project() {
        int slash = value.indexOf('/');
        return slash < 0 ? value : value.substring(0, slash);
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RepositoryName r && r.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public int compareTo(RepositoryName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
