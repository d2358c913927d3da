package io.berth.gateway.http;

import io.berth.gateway.auth.Access;
import io.berth.gateway.auth.AccessRequest;
import io.berth.gateway.auth.Scope;
import io.berth.store.Caller;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The access step between routing and the handler: routes a read through the mirrors (see
 * {@link MirrorStep}), works out the scopes the route needs from the
 * head, asks the server's {@link io.berth.gateway.auth.AccessCheck}, and hands its decision back on
 * the connection's event loop. A decision already made when the check returns (the allow-all, a
 * cached token) is used on the spot: a manifest pull served from the cache never changes thread.
 */
final class AccessStep {
    private AccessStep() {
    }

    /** Where the decision goes: {@code refusal} is null when the request may proceed. */
    @FunctionalInterface
    interface Decision {
        void decided(Route route, Exchange exchange, Throwable refusal);
    }

    static void run(Route route, Exchange exchange, QueryStringDecoder uri, ChannelHandlerContext ctx,
                    ServerContext server, Decision then) {
        if (route.readsThroughMirrors()) {
            MirrorStep.run(exchange, ctx, server, () -> check(route, exchange, uri, ctx, server, then),
                    failure -> then.decided(route, exchange, failure));
            return;
        }
        check(route, exchange, uri, ctx, server, then);
    }

    private static void check(Route route, Exchange exchange, QueryStringDecoder uri, ChannelHandlerContext ctx,
                              ServerContext server, Decision then) {
        if (route.access() == Access.OPEN) {
            exchange.caller(Caller.anonymous(request(exchange, uri, ctx, server.tls(), List.of(), List.of())
                    .remoteAddress()));
            then.decided(route, exchange, null);
            return;
        }
        CompletionStage<Caller> decision;
        try {
            List<Scope> scopes = route.access().scopes(exchange); // a bad name is NAME_INVALID, from the head
            List<Scope> optional = route.access().optionalScopes(exchange);
            decision = server.accessCheck().check(request(exchange, uri, ctx, server.tls(), scopes, optional));
            if (decision == null) {
                throw new IllegalStateException("the access check returned no decision");
            }
        } catch (RuntimeException e) {
            then.decided(route, exchange, e);
            return;
        }
        decision.whenComplete((caller, error) -> {
            Throwable refusal = error != null ? unwrap(error)
                    : caller == null ? new IllegalStateException("the access check let a request in without a caller")
                    : null;
            if (refusal == null) {
                exchange.caller(caller);
            }
            EventLoops.run(ctx.executor(), () -> then.decided(route, exchange, refusal), () -> {
                // the server stopped while the check ran: the connection is gone
            });
        });
    }

    private static AccessRequest request(Exchange exchange, QueryStringDecoder uri, ChannelHandlerContext ctx,
                                         boolean tls, List<Scope> scopes, List<Scope> optional) {
        HttpHeaders headers = exchange.headers();
        InetSocketAddress remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
        return new AccessRequest(exchange.method().name(), uri.rawPath(), headers.getAll(HttpHeaderNames.AUTHORIZATION),
                headers.get(HttpHeaderNames.HOST), remote, tls, scopes, optional, exchange.mirror());
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
