package io.berth.store;

import java.util.Objects;

/**
 * Who asked for a change or a read, as far as the registry knows: the authenticated subject (a
 * user, a robot account, the registry itself), the network address the request came from, and
 * whose content it may read. It travels with a request from the gateway's access check into the
 * store, which writes the first three into the events it records (audit, webhooks, replication
 * triggers) and keeps content it may not read out of what it links and lists. Two callers are
 * equal when they are the same subject from the same address: what they may read belongs to the
 * request at hand, not to who they are, and an event read back from the database does not carry it.
 *
 * @param subject       the user or robot name; {@code "anonymous"} when nobody signed in
 * @param kind          what the subject is
 * @param remoteAddress the client's address (no port), or null when the work did not come over the network
 * @param readable      whose content it may read beyond the repository a request names
 */
public record Caller(String subject, Kind kind, String remoteAddress, Readable readable) {
    /** What kind of subject a caller is. */
    public enum Kind {
        /** Nobody signed in. */
        ANONYMOUS,
        /** A signed-in user. */
        USER,
        /** A robot account. */
        ROBOT,
        /** The registry itself: a proxy filling its cache, an import, replication. */
        SYSTEM
    }

    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(readable, "readable");
    }

    /**
     * A caller who may read nothing beyond what its requests name: one recorded in an event, or one
     * whose reach nobody worked out.
     */
    public Caller(String subject, Kind kind, String remoteAddress) {
        this(subject, kind, remoteAddress, Readable.NONE);
    }

    /** Nobody signed in, from {@code remoteAddress}, reading nothing beyond what its requests name. */
    public static Caller anonymous(String remoteAddress) {
        return new Caller("anonymous", Kind.ANONYMOUS, remoteAddress);
    }

    /** The registry itself doing {@code task} (e.g. {@code "proxy"}, {@code "import"}): it reads everything. */
    public static Caller system(String task) {
        return new Caller(task, Kind.SYSTEM, null, Readable.ALL);
    }

    /** This caller, reading {@code readable}. */
    public Caller reading(Readable readable) {
        return new Caller(subject, kind, remoteAddress, readable);
    }

    /** The same subject, kind and address; see the type's description. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Caller c && subject.equals(c.subject) && kind == c.kind
                && Objects.equals(remoteAddress, c.remoteAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subject, kind, remoteAddress);
    }
}
