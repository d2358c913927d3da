package io.berth.store.upstream;

import io.berth.store.upstream.UpstreamClients.Options;
import io.berth.store.upstream.UpstreamException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Carries one {@link Call} to an endpoint: through its guards, to each of its URLs in order
 * (failover on unreachable, timeout and 5xx), through the token dance, and again after a backoff
 * (or the upstream's {@code Retry-After}, up to a cap) while tries are left. The calls given to
 * {@link #execute} are those that may be repeated (reads, a manifest PUT, a DELETE, an upload's
 * POST), but only until a response body is handed to a caller: a handler that reads a whole
 * (small) body inside the loop is retried when the body breaks off; a blob stream, once handed on,
 * never is. The requests of an upload session go through {@link #once}: one URL, one try.
 */
final class Transport {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    private static final Set<Kind> RETRIED = EnumSet.of(Kind.UNREACHABLE, Kind.TIMEOUT, Kind.SERVER_ERROR,
            Kind.RATE_LIMITED);

    /** Turns a final answer (any status but 5xx, 429 and an unanswerable 401) into a result. */
    @FunctionalInterface
    interface Handler<T> {
        T handle(UpstreamResponse response) throws UpstreamException;
    }

    private final RegistryEndpoint endpoint;
    private final Options options;
    private final Hops hops;
    private final Authenticator auth;
    private final UpstreamGuards guards;
    private final RateLimits rateLimits;

    Transport(RegistryEndpoint endpoint, Options options, Hops hops, Authenticator auth, UpstreamGuards guards,
              RateLimits rateLimits) {
        this.endpoint = endpoint;
        this.options = options;
        this.hops = hops;
        this.auth = auth;
        this.guards = guards;
        this.rateLimits = rateLimits;
    }

    <T> T execute(Call call, Handler<T> handler) throws UpstreamException {
        UpstreamGuards.Permit permit = guards.enter(call.what());
        boolean handedOver = false;
        UpstreamException last = null;
        int tries = 0;
        try {
            for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
                if (attempt > 1 && !pause(attempt, last, call)) {
                    break;
                }
                for (URI base : endpoint.urls()) {
                    tries++;
                    try (UpstreamResponse response = answer(base, call)) {
                        T result = handler.handle(response);
                        permit.judge(null);
                        if (response.detached()) {
                            response.detach().onClose(permit::release);
                            handedOver = true;
                        }
                        return result;
                    } catch (UpstreamException e) {
                        if (!RETRIED.contains(e.kind())) {
                            permit.judge(e);
                            throw failed(call, e, tries);
                        }
                        last = e;
                        LOG.debug("upstream '{}': {} failed on {}: {}", endpoint.name(), call.what(),
                                CredentialBoundary.origin(base), e.getMessage());
                        if (e.kind() == Kind.RATE_LIMITED) {
                            break;
                        }
                    }
                }
            }
            permit.judge(last);
            throw failed(call, last, tries);
        } finally {
            if (!handedOver) {
                permit.abandon();
            }
        }
    }

    /**
     * Sends {@code call} to {@code target} (an upload session's location on the registry at
     * {@code base}) once, through the guards and the token dance, without retry or failover.
     */
    <T> T once(URI base, URI target, Call call, Handler<T> handler) throws UpstreamException {
        UpstreamGuards.Permit permit = guards.enter(call.what());
        try (UpstreamResponse response = answer(base, target, call)) {
            T result = handler.handle(response);
            permit.judge(null);
            return result;
        } catch (UpstreamException e) {
            // A body the uploader itself broke off (its source failed, a stop) says nothing of the registry.
            if (!SourcePublisher.brokenOffByUs(e)) {
                permit.judge(e);
            }
            throw failed(call, e, 1);
        } finally {
            permit.abandon();
        }
    }

    private UpstreamResponse answer(URI base, Call call) throws UpstreamException {
        return answer(base, resolve(base, call.pathAndQuery()), call);
    }

    /** The answer of one URL, after the token dance; 5xx, 429 and a refused sign-in are thrown. */
    private UpstreamResponse answer(URI base, URI uri, Call call) throws UpstreamException {
        Optional<String> authorization = auth.preemptive(base, call.scope());
        UpstreamResponse response = hops.send(base, uri, call, authorization);
        if (response.status() == 401 && CredentialBoundary.sameOrigin(base, response.uri())) {
            List<String> challenges = response.headers().allValues("WWW-Authenticate");
            String refusal = said(response);
            authorization = Optional.of(auth.answer(base, challenges, call.scope(), authorization, refusal));
            response = hops.send(base, uri, call, authorization);
        }
        int status = response.status();
        if (status == 401 && refusedWithIssuedToken(base, call, authorization, response)) {
            throw new UpstreamException(Kind.REPOSITORY_REFUSED, status, null, "the upstream refused a pull with a"
                    + " token its token service issued (401" + said(response) + "): it has no such repository, or"
                    + " the endpoint's credentials may not pull it", null);
        }
        if (status == 401 || status == 403) {
            Optional<String> scopeError = Challenge.pick(response.headers().allValues("WWW-Authenticate"))
                    .flatMap(c -> c.param("error"));
            byte[] body = response.errorBody();
            String summary = ErrorSummary.of(body);
            throw new UpstreamException(Kind.UNAUTHORIZED, status, null,
                    scopeError.or(() -> ErrorSummary.firstCode(body)).orElse(null), "the upstream refused access ("
                    + status + (summary.isEmpty() ? "" : ": " + summary) + ")", null);
        }
        if (status == 429) {
            throw rateLimits.tooManyRequests(response, endpoint.name());
        }
        if (status >= 500) {
            throw new UpstreamException(Kind.SERVER_ERROR, status, null, CredentialBoundary.origin(response.uri())
                    + " failed with " + status + said(response), null);
        }
        return response;
    }

    /**
     * Whether a 401 of the registry itself answered a repository's pull that carried a Bearer token
     * from its token service (a static token refused never gets here: the authenticator refuses it
     * first): Berth was signed in, so the refusal is about the repository, not the credentials.
     */
    private static boolean refusedWithIssuedToken(URI base, Call call, Optional<String> authorization,
                                                  UpstreamResponse response) {
        String scope = call.scope();
        boolean pullOfOneRepository = scope != null && scope.startsWith("repository:") && scope.endsWith(":pull")
                && !scope.contains(" ");
        return pullOfOneRepository && CredentialBoundary.sameOrigin(base, response.uri())
                && authorization.filter(a -> a.startsWith("Bearer ")).isPresent();
    }

    /** Waits before try {@code attempt}; false when the upstream asked for a longer wait than allowed. */
    private boolean pause(int attempt, UpstreamException last, Call call) throws UpstreamException {
        Duration wait;
        Optional<Duration> retryAfter = last == null ? Optional.empty() : last.retryAfter();
        if (retryAfter.isPresent()) {
            if (retryAfter.get().compareTo(options.maxRetryAfter()) > 0) {
                return false;
            }
            wait = retryAfter.get();
        } else {
            long base = options.backoff().toNanos() << Math.min(attempt - 2, 20);
            long capped = Math.min(base, options.maxBackoff().toNanos());
            wait = Duration.ofNanos(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
        }
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(Kind.UNREACHABLE, 0, null, "interrupted before retrying to " + call.what(), e);
        }
    }

    private UpstreamException failed(Call call, UpstreamException cause, int tries) {
        String where = endpoint.urls().size() == 1 ? CredentialBoundary.origin(endpoint.urls().get(0))
                : endpoint.urls().size() + " URLs";
        String attempts = tries > 1 ? " (" + tries + " requests to " + where + ")" : " (" + where + ")";
        return new UpstreamException(cause.kind(), cause.status(), cause.retryAfter().orElse(null),
                cause.registryCode().orElse(null), "Tried to " + call.what() + (call.isRead() ? " from upstream '"
                        : " at registry '") + endpoint.name() + "' but failed because: " + cause.getMessage() + attempts,
                cause);
    }

    static URI resolve(URI base, String pathAndQuery) {
        String prefix = base.toString();
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return URI.create(prefix + pathAndQuery);
    }

    private static String said(UpstreamResponse response) {
        String summary = ErrorSummary.of(response.errorBody());
        return summary.isEmpty() ? "" : ": " + summary;
    }
}
