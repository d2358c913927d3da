package io.berth.admin;

import com.codahale.metrics.MetricRegistry;
import io.berth.gateway.GatewayConfig;
import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.http.GatewayMetrics;
import io.berth.gateway.http.GatewayServer;
import io.berth.gateway.http.Route;
import io.berth.gateway.mirror.Mirrors;
import io.berth.gateway.v2.V2Api;
import io.berth.store.Registry;
import io.dropwizard.lifecycle.Managed;

import java.util.ArrayList;
import java.util.List;

/** Starts and stops the Netty registry endpoint with the application. */
final class GatewayManager implements Managed {
    private final GatewayServer server;

    /**
     * @param access     who may do what on the registry's routes
     * @param mirrors    where reads of names without a proxy project are served from (mirror modes)
     * @param moreRoutes served beside the registry API (the token endpoint)
     */
    GatewayManager(GatewayConfig config, Registry registry, AccessCheck access, Mirrors mirrors, List<Route> moreRoutes,
                   MetricRegistry metrics) {
        List<Route> routes = new ArrayList<>(V2Api.routes(registry, mirrors));
        routes.addAll(moreRoutes);
        this.server = new GatewayServer(config, routes, access, mirrors, new GatewayMetrics(metrics));
    }

    @Override
    public void start() throws Exception {
        server.start();
    }

    /** The registry port actually bound; valid once started. */
    int port() {
        return server.port();
    }

    @Override
    public void stop() {
        server.close();
    }
}
