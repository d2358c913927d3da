package io.berth.gateway.testing;

import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.auth.AccessRequest;
import io.berth.store.Caller;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An access check for tests: {@code Authorization: Bearer now} is let in at once as the robot
 * {@code robot$now}; {@code Bearer later} waits for the test to decide ({@link #decideNext}) on its
 * own thread; anything else is refused with 401 and {@link #CHALLENGE}. Every request it saw is kept.
 */
public final class TokenCheck implements AccessCheck {
    public static final String CHALLENGE = "Bearer realm=\"https://127.0.0.1/service/token\",service=\"berth\"";
    public static final String NOW = "Bearer now";
    public static final String LATER = "Bearer later";

    private final List<AccessRequest> seen = new CopyOnWriteArrayList<>();
    private final BlockingQueue<CompletableFuture<Caller>> pending = new LinkedBlockingQueue<>();

    @Override
    public CompletionStage<Caller> check(AccessRequest request) {
        seen.add(request);
        String authorization = request.authorization().isEmpty() ? "" : request.authorization().getFirst();
        return switch (authorization) {
            case NOW -> CompletableFuture.completedFuture(new Caller("robot$now", Caller.Kind.ROBOT, request.remoteAddress()));
            case LATER -> {
                CompletableFuture<Caller> decision = new CompletableFuture<>();
                pending.add(decision);
                yield decision;
            }
            default -> CompletableFuture.failedFuture(unauthorized());
        };
    }

    /** The refusal of a request without a valid token. */
    public static RegistryException unauthorized() {
        return new RegistryException(ErrorCode.UNAUTHORIZED, "sign in first", null,
                Map.of("WWW-Authenticate", CHALLENGE));
    }

    /** Waits for the next {@code Bearer later} request and hands its decision to the caller. */
    public CompletableFuture<Caller> decideNext() throws InterruptedException {
        CompletableFuture<Caller> next = pending.poll(30, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("no request waited for a decision");
        }
        return next;
    }

    /** The requests the check was asked about, oldest first. */
    public List<AccessRequest> seen() {
        return List.copyOf(seen);
    }
}
