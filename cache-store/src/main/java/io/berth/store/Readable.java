package io.berth.store;

import io.berth.store.oci.RepositoryName;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Whose content a caller may read, beyond the repository a request names: what a blob mount may
 * link from and what the catalog lists. The gateway's access check works it out from its identity
 * model (the store knows nothing of users); the store only applies it, so no content crosses a
 * project boundary the caller could not pull across.
 *
 * <p>It comes in two parts, so that a pull never pays for it:
 * <ul>
 * <li>the repositories the access check granted pull on for this request, known at once
 * ({@link #granted}, never blocks);</li>
 * <li>everything else the caller may read ({@link #reach}): worked out on first use, which may
 * query the database (call it off the event loop, and outside a transaction of one's own), then
 * kept for the rest of the request.</li>
 * </ul>
 */
public final class Readable {
    /** Everything: the registry's own work, or a registry whose access control is off. */
    public static final Readable ALL = new Readable(true, Set.of(), () -> Reach.EVERYTHING);
    /** Nothing beyond what a request names: a caller whose reach nobody worked out. */
    public static final Readable NONE = new Readable(false, Set.of(), () -> Reach.NOTHING);

    private final boolean everything;
    private final Set<String> granted;
    private final Supplier<Reach> rest;
    private volatile Reach reach;

    private Readable(boolean everything, Set<String> granted, Supplier<Reach> rest) {
        this.everything = everything;
        this.granted = granted;
        this.rest = rest;
    }

    /**
     * A reach of {@code granted} repositories (names; pull on them was granted for this request)
     * and whatever {@code rest} works out when first asked.
     */
    public static Readable of(Set<String> granted, Supplier<Reach> rest) {
        return new Readable(false, Set.copyOf(granted), Objects.requireNonNull(rest, "rest"));
    }

    /** Whether pull on {@code repository} was granted for this request (or everything is readable); never blocks. */
    public boolean granted(RepositoryName repository) {
        return everything || granted.contains(repository.value());
    }

    /** Everything the caller may read; blocks the first time (see the type's description). */
    public Reach reach() {
        Reach known = reach;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (reach == null) {
                reach = everything ? Reach.EVERYTHING : rest.get().with(granted);
            }
            return reach;
        }
    }

    /** Never works out the reach: a caller is printed in logs. */
    @Override
    public String toString() {
        return everything ? "everything" : "granted " + granted + (reach == null ? " and more" : ", " + reach);
    }

    /**
     * What a caller may read.
     *
     * @param everything   every project (a system admin, a robot with pull everywhere)
     * @param projects     ids of projects whose every repository it may read
     * @param repositories names of further single repositories it may read
     */
    public record Reach(boolean everything, Set<Long> projects, Set<String> repositories) {
        /** Every repository. */
        public static final Reach EVERYTHING = new Reach(true, Set.of(), Set.of());
        /** No repository. */
        public static final Reach NOTHING = new Reach(false, Set.of(), Set.of());

        public Reach {
            projects = Set.copyOf(projects);
            repositories = Set.copyOf(repositories);
        }

        /** Whole projects, by id. */
        public static Reach ofProjects(Set<Long> projects) {
            return new Reach(false, projects, Set.of());
        }

        /** Whether it holds no repository at all. */
        public boolean isEmpty() {
            return !everything && projects.isEmpty() && repositories.isEmpty();
        }

        Reach with(Set<String> more) {
            if (everything || more.isEmpty() || repositories.containsAll(more)) {
                return this;
            }
            Set<String> all = new HashSet<>(repositories);
            all.addAll(more);
            return new Reach(false, projects, all);
        }

        /** A summary: the sets may be long. */
        @Override
        public String toString() {
            return everything ? "everything" : projects.size() + " projects and " + repositories.size() + " repositories";
        }
    }
}
