package io.berth.admin;

import io.berth.gateway.GatewayConfig;
import io.berth.store.upstream.Credential;
import io.berth.store.upstream.RegistryEndpoint;

import java.net.URI;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * How Berth's own background work (replication to or from this Berth, server-side imports) reaches
 * its registry port as a client, so that what it pushes goes through the gateway's push path like
 * any push: on the address the gateway binds (127.0.0.1 when it binds every address), over TLS when
 * the gateway serves TLS. The certificate is not checked on that connection: it names the host
 * clients use, not the loopback address, and the connection never leaves this machine.
 */
public final class LocalRegistry {
    private final GatewayConfig config;
    private final IntSupplier port;

    /** @param port the port the gateway bound, asked each time (it is known once the gateway listens) */
    public LocalRegistry(GatewayConfig config, IntSupplier port) {
        this.config = config;
        this.port = port;
    }

    /** The URL of the registry port as seen from this process. */
    public URI url() {
        String host = config.bindHost() == null ? "" : config.bindHost().trim();
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]"; // an IPv6 literal
        }
        return URI.create((config.tls() ? "https" : "http") + "://" + host + ":" + port.getAsInt());
    }

    /** An endpoint of this Berth for a client of its own, signed in with {@code credential} (null: none). */
    public RegistryEndpoint endpoint(String name, Credential credential, String description) {
        return new RegistryEndpoint(-1, name, RegistryEndpoint.Type.V2, List.of(url()), config.tls(), null,
                credential, description);
    }
}
