package io.berth.gateway.http;

import io.berth.gateway.mirror.MirrorRoute;
import io.berth.gateway.mirror.Mirrors;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.RepositoryName;
import io.netty.channel.ChannelHandlerContext;

import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Routes a read through the {@link Mirrors} before its access check, so that the check and the
 * handler both see the repository that serves it, routed once. A route at hand is used on the spot
 * (a mirror pull served from memory never changes thread); one that needs the database is worked
 * out on the blocking executor, and the request goes on on its event loop. A read no mirror mode
 * can serve is answered {@code NAME_UNKNOWN} at once, before any credentials are looked at.
 */
final class MirrorStep {
    /** The query parameter containerd's {@code hosts.toml} mirrors add: the host the client pulls from. */
    static final String NS = "ns";

    private MirrorStep() {
    }

    /** Routes the exchange's read, then runs {@code next}; or hands the failure to {@code failed}. */
    static void run(Exchange exchange, ChannelHandlerContext ctx, ServerContext server, Runnable next,
                    Consumer<Throwable> failed) {
        RepositoryName requested;
        String namespace;
        Optional<MirrorRoute> known;
        try {
            requested = RepositoryName.parse(exchange.param("name"));
            namespace = exchange.query(NS);
            known = server.mirrors().remembered(requested, namespace);
        } catch (RuntimeException e) {
            failed.accept(e);
            return;
        }
        if (known.isPresent()) {
            exchange.mirror(known.get());
            next.run();
            return;
        }
        try {
            server.blocking().execute(() -> {
                MirrorRoute route;
                try {
                    route = server.mirrors().route(requested, namespace);
                } catch (Throwable e) { // whatever failed, the request is answered rather than left waiting
                    EventLoops.run(ctx.executor(), () -> failed.accept(e), () -> { });
                    return;
                }
                exchange.mirror(route);
                EventLoops.run(ctx.executor(), next, () -> {
                    // the server stopped meanwhile: the connection is gone
                });
            });
        } catch (RejectedExecutionException e) {
            failed.accept(new RegistryException(ErrorCode.UNAVAILABLE, "the registry is shutting down"));
        }
    }
}
