package io.berth.admin;

import com.codahale.metrics.MetricRegistry;
import io.berth.gateway.GatewayConfig;
import io.berth.gateway.auth.AccessCheck;
import io.berth.gateway.http.GatewayMetrics;
import io.berth.gateway.http.GatewayServer;
import io.berth.gateway.v2.V2Api;
import io.berth.store.Registry;
import io.dropwizard.lifecycle.Managed;

/** Starts and stops the Netty registry endpoint with the application. */
final class GatewayManager implements Managed {
    private final GatewayServer server;

    GatewayManager(GatewayConfig config, Registry registry, MetricRegistry metrics) {
        this.server = new GatewayServer(config, V2Api.routes(registry), AccessCheck.allowAll(), new GatewayMetrics(metrics));
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
