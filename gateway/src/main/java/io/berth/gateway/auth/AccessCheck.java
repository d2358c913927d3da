package io.berth.gateway.auth;

import io.berth.store.Caller;
import io.berth.store.Readable;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides, from a request's head, whether it may go on and who is asking. The gateway runs it
 * after routing and before reading any of the body or sending {@code 100 Continue}; the handler
 * then finds the caller in {@code Exchange.caller()}, with what it may read beyond the request's own
 * repository ({@link io.berth.store.Caller#readable()}: the optional scopes granted, and the rest
 * worked out only if the handler asks).
 *
 * <p>{@link #check} is called on a Netty event loop and must not block there. A decision that
 * is at hand (an allow-all, a cached token) comes back as an already completed stage and is used
 * on the spot, with no thread hop; one that needs a database, LDAP or an upstream does that work
 * on another thread and completes the stage from there.
 *
 * <p>A refusal completes the stage exceptionally with a
 * {@link io.berth.store.error.RegistryException}, whose code and headers the client receives:
 * {@code UNAUTHORIZED} with {@code WWW-Authenticate} (sign in, and how), {@code DENIED} (signed
 * in, but not allowed), {@code UNAVAILABLE} or {@code TOOMANYREQUESTS} with {@code Retry-After}.
 * Any other failure is answered as an internal error.
 */
@FunctionalInterface
public interface AccessCheck {

    /** The caller the request may proceed as, or a refusal; see the type's description. */
    CompletionStage<Caller> check(AccessRequest request);

    /**
     * Lets everyone in as an anonymous caller from the request's address who may read everything
     * (optional scopes included): the registry without access control.
     */
    static AccessCheck allowAll() {
        return request -> CompletableFuture.completedFuture(Caller.anonymous(request.remoteAddress())
                .reading(Readable.ALL));
    }
}
