package io.berth.store;

import java.util.Objects;

/**
 * Who asked for a change or a read, as far as the registry knows: the authenticated subject (a
 * user, a robot account, the registry itself) and the network address the request came from. It
 * travels with a request from the gateway's access check into the store, which writes it into the
 * events it records (audit, webhooks, replication triggers).
 *
 * @param subject       the user or robot name; {@code "anonymous"} when nobody signed in
 * @param kind          what the subject is
 * @param remoteAddress the client's address (no port), or null when the work did not come over the network
 */
public record Caller(String subject, Kind kind, String remoteAddress) {
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
    }

    /** Nobody signed in, from {@code remoteAddress}. */
    public static Caller anonymous(String remoteAddress) {
        return new Caller("anonymous", Kind.ANONYMOUS, remoteAddress);
    }

    /** The registry itself doing {@code task} (e.g. {@code "proxy"}, {@code "import"}). */
    public static Caller system(String task) {
        return new Caller(task, Kind.SYSTEM, null);
    }
}
