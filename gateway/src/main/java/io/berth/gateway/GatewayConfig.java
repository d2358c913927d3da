package io.berth.gateway;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the registry endpoint listens.
 *
 * @param bindHost        address to bind ("0.0.0.0" for all)
 * @param port            port, 0 for any free port
 * @param tlsCertFile     PEM certificate chain; TLS is on when this and the key are set
 * @param tlsKeyFile      PEM PKCS#8 private key
 * @param maxHeaderSize   largest request head accepted, in bytes
 * @param maxManifestSize largest manifest body accepted, in bytes
 * @param idleTimeout     connections without traffic for this long are closed
 */
public record GatewayConfig(String bindHost, int port, Path tlsCertFile, Path tlsKeyFile, int maxHeaderSize,
                            long maxManifestSize, Duration idleTimeout) {

    public boolean tls() {
        return tlsCertFile != null && tlsKeyFile != null;
    }

    /** Loopback on a free port, no TLS: for tests. */
    public static GatewayConfig local() {
        return new GatewayConfig("127.0.0.1", 0, null, null, 16 * 1024, 4L << 20, Duration.ofSeconds(120));
    }
}
