package io.berth.admin;

import io.berth.gateway.GatewayConfig;
import io.dropwizard.lifecycle.ServerLifecycleListener;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.function.IntSupplier;

/**
 * The block a newcomer sees once Berth has started: its version, where to push, where the
 * admin API, health check and ops endpoints are. Runs when Jetty has started, so every port
 * (including one configured as 0) is known. Hosts are shown as {@code localhost} when bound to
 * every interface, else as the bind address.
 */
final class StartupBanner implements ServerLifecycleListener {
    private static final Logger LOG = LoggerFactory.getLogger(StartupBanner.class);

    private final GatewayConfig registryConfig;
    private final IntSupplier registryPort;
    private final SignIn signIn;

    /** How to sign in, as the banner says it. */
    sealed interface SignIn {
        /** Authentication is off: the registry is open. */
        record Open() implements SignIn {
        }

        /** Sign in as {@code admin}; {@code password} is shown once when it was generated (else null). */
        record AsAdmin(String password, String passwordFile) implements SignIn {
        }

        /** The admin existed before this start: nothing to show. */
        record Existing() implements SignIn {
        }
    }

    /**
     * @param registryConfig how the registry endpoint listens (bind address, TLS)
     * @param registryPort   the registry port actually bound, asked once the server has started
     * @param signIn         what to say about signing in
     */
    StartupBanner(GatewayConfig registryConfig, IntSupplier registryPort, SignIn signIn) {
        this.registryConfig = registryConfig;
        this.registryPort = registryPort;
        this.signIn = signIn;
    }

    @Override
    public void serverStarted(Server server) {
        ServerConnector api = null;
        ServerConnector ops = null;
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof ServerConnector c) {
                // Dropwizard's "default" server names them; the "simple" one has a single connector.
                if ("admin".equals(c.getName())) {
                    ops = c;
                } else if (api == null || "application".equals(c.getName())) {
                    api = c;
                }
            }
        }
        if (api == null) {
            return;
        }
        String registry = (registryConfig.tls() ? "https://" : "http://")
                + hostPort(registryConfig.bindHost(), registryPort.getAsInt());
        LOG.info(text(version(), registry, baseUrl(api), ops == null ? null : baseUrl(ops),
                ops != null && isLoopback(ops.getHost()), signIn));
    }

    /** The banner itself; {@code ops} is null when the ops endpoints share the API port. */
    static String text(String version, String registry, String api, String ops, boolean opsLoopbackOnly,
                       SignIn signIn) {
        String pushHost = registry.substring(registry.indexOf("://") + 3);
        StringBuilder b = new StringBuilder()
                .append("Berth ").append(version).append(" is ready\n")
                .append("    registry   ").append(registry)
                .append("   docker push ").append(pushHost).append("/<project>/<image>:<tag>\n")
                .append("    admin API  ").append(api).append("/api/v1\n")
                .append("    health     ").append(api).append(ProbeEndpoints.HEALTH_PATH)
                .append("   metrics: ").append(api).append(ProbeEndpoints.METRICS_PATH);
        if (ops != null) {
            b.append("\n    ops        ").append(ops).append("/admin/tasks, /admin/threads")
                    .append(opsLoopbackOnly ? "   (this host only)" : "   (no authentication!)");
        }
        switch (signIn) {
            case SignIn.Open o -> b.append("\n    sign-in    off: anyone who reaches the registry may push, pull and delete"
                    + " (auth.enabled is false)");
            case SignIn.AsAdmin a -> {
                b.append("\n    sign in    docker login ").append(pushHost).append(" -u admin");
                if (a.password() != null) {
                    b.append("\n    admin password (shown once, also in ").append(a.passwordFile()).append("): ")
                            .append(a.password());
                } else {
                    b.append("   (password from BERTH_ADMIN_PASSWORD)");
                }
            }
            case SignIn.Existing e -> {
            }
        }
        return b.toString();
    }

    /** {@code host:port} for a URL: localhost for a wildcard bind, IPv6 literals in brackets. */
    static String hostPort(String bindHost, int port) {
        String host = bindHost == null ? "" : bindHost.strip();
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")
                || host.equals("0:0:0:0:0:0:0:0")) {
            host = "localhost";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + port;
    }

    private static String baseUrl(ServerConnector connector) {
        boolean tls = connector.getProtocols().stream().anyMatch(p -> p.equalsIgnoreCase("ssl"));
        return (tls ? "https://" : "http://") + hostPort(connector.getHost(), connector.getLocalPort());
    }

    private static boolean isLoopback(String host) {
        return host != null && (host.startsWith("127.") || host.equals("::1") || host.equals("[::1]")
                || host.equalsIgnoreCase("localhost"));
    }

    /** The Maven project version, filtered into {@code version.properties} at build time. */
    static String version() {
        try (InputStream in = StartupBanner.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot read version.properties", e);
        }
        return "(development build)";
    }
}
