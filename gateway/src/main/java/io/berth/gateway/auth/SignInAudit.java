package io.berth.gateway.auth;

import io.berth.gateway.auth.robots.Robots;
import io.berth.store.Caller;
import io.berth.store.audit.AuditEntry;
import io.berth.store.audit.AuditLog;

import java.time.Clock;
import java.util.List;

/**
 * What sign-ins leave in the audit log: every failed one (with why, never the password), a
 * successful {@code docker login} (a token asked for no scope), and every token that grants a
 * push or a delete. Pulls and pushes themselves come from the event outbox. Writes block on the
 * database: call from the blocking executor, where sign-ins run.
 */
public final class SignInAudit {
    private final AuditLog log;
    private final Clock clock;

    public SignInAudit(AuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** Records nothing (for tests of other things). */
    public static SignInAudit none() {
        return new SignInAudit(null, Clock.systemUTC());
    }

    /** A refused sign-in as {@code username} from {@code address}. */
    public void failed(String username, String address, String why) {
        write(caller(username, address), "login", false, username, why);
    }

    /** A sign-in that asked for no access in particular: what {@code docker login} does. */
    public void signedIn(Principal who, String address) {
        if (!(who instanceof Principal.Anonymous)) {
            write(caller(who.name(), address), "login", true, who.name(), null);
        }
    }

    /** A token issued; recorded when it grants a push or a delete. */
    public void tokenIssued(Principal who, String address, List<Scope> granted) {
        List<Scope> writes = granted.stream().filter(s -> s.actions().contains(Action.PUSH)
                || s.actions().contains(Action.DELETE)).toList();
        if (writes.isEmpty() || log == null) {
            return;
        }
        for (Scope scope : writes) {
            String project = scope.name().contains("/") ? scope.name().substring(0, scope.name().indexOf('/')) : null;
            log.record(new AuditEntry(0, clock.instant(), caller(who.name(), address), "token", "repository",
                    scope.name(), project, scope.name(), true, 1, scope.toString()));
        }
    }

    private void write(Caller who, String action, boolean success, String resource, String detail) {
        if (log != null) {
            String type = resource.startsWith(Robots.PREFIX) ? "robot" : "user";
            log.record(AuditEntry.of(clock.instant(), who, action, type, resource, null, success, detail));
        }
    }

    private static Caller caller(String name, String address) {
        if (name == null || name.isEmpty()) {
            return Caller.anonymous(address);
        }
        return new Caller(name, name.startsWith(Robots.PREFIX) ? Caller.Kind.ROBOT : Caller.Kind.USER, address);
    }
}
