package io.berth.gateway;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the registry endpoint listens, and the limits it holds clients to.
 *
 * @param bindHost        address to bind ("0.0.0.0" for all)
 * @param port            port, 0 for any free port
 * @param tlsCertFile     PEM certificate chain; TLS is on when this and the key are set
 * @param tlsKeyFile      PEM PKCS#8 private key
 * @param maxHeaderSize   largest request head accepted, in bytes
 * @param maxManifestSize largest manifest body accepted, in bytes
 * @param idleTimeout     connections without traffic for this long are closed
 * @param bodyTimeout     a body held in memory (a manifest) must arrive whole within this time, and a
 *                        streamed body (a blob upload) must not stall for longer; otherwise 408
 * @param bodyMemory      request body bytes all connections together may hold in memory; 0 for the
 *                        default, half of the memory Netty allocates buffers from (see
 *                        {@code BodyBudget.defaultCapacity}). A quarter of it, and at least one manifest
 *                        of the largest size, is kept for manifests; it must hold two of them.
 * @param shutdownGrace   how long closing the server waits for requests in progress
 */
public record GatewayConfig(String bindHost, int port, Path tlsCertFile, Path tlsKeyFile, int maxHeaderSize,
                            long maxManifestSize, Duration idleTimeout, Duration bodyTimeout, long bodyMemory,
                            Duration shutdownGrace) {
    /** The body timeout unless configured: nginx's {@code client_body_timeout}. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

    public GatewayConfig {
        if (bodyMemory < 0) {
            throw new IllegalArgumentException("bodyMemory must be 0 (the default) or more: " + bodyMemory);
        }
    }

    /** Where and how to listen, with the default body timeout, body memory and shutdown grace. */
    public GatewayConfig(String bindHost, int port, Path tlsCertFile, Path tlsKeyFile, int maxHeaderSize,
                         long maxManifestSize, Duration idleTimeout) {
        this(bindHost, port, tlsCertFile, tlsKeyFile, maxHeaderSize, maxManifestSize, idleTimeout,
                DEFAULT_BODY_TIMEOUT, 0, DEFAULT_SHUTDOWN_GRACE);
    }

    public boolean tls() {
        return tlsCertFile != null && tlsKeyFile != null;
    }

    /** This configuration with other body limits. */
    public GatewayConfig withBodyLimits(Duration timeout, long memory) {
        return new GatewayConfig(bindHost, port, tlsCertFile, tlsKeyFile, maxHeaderSize, maxManifestSize, idleTimeout,
                timeout, memory, shutdownGrace);
    }

    /** This configuration with another shutdown grace period. */
    public GatewayConfig withShutdownGrace(Duration grace) {
        return new GatewayConfig(bindHost, port, tlsCertFile, tlsKeyFile, maxHeaderSize, maxManifestSize, idleTimeout,
                bodyTimeout, bodyMemory, grace);
    }

    /** Loopback on a free port, no TLS: for tests. */
    public static GatewayConfig local() {
        return new GatewayConfig("127.0.0.1", 0, null, null, 16 * 1024, 4L << 20, Duration.ofSeconds(120));
    }
}
