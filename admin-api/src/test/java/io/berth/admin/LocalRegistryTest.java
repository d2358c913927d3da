package io.berth.admin;

import io.berth.gateway.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Berth's own client of its registry port goes where the gateway listens, in the scheme it speaks. */
class LocalRegistryTest {
    private static LocalRegistry bound(String host, boolean tls) {
        GatewayConfig local = GatewayConfig.local();
        return new LocalRegistry(new GatewayConfig(host, 0, tls ? Path.of("cert.pem") : null,
                tls ? Path.of("key.pem") : null, local.maxHeaderSize(), local.maxManifestSize(), local.idleTimeout()),
                () -> 5000);
    }

    @Test
    void everyAddressBound_isReachedOnLoopback_inPlainHttp() {
        assertEquals("http://127.0.0.1:5000", bound("0.0.0.0", false).url().toString());
        assertEquals("http://127.0.0.1:5000", bound("::", false).url().toString());
        assertFalse(bound("0.0.0.0", false).endpoint("this Berth", null, "test").insecure());
    }

    @Test
    void oneAddressBound_isReachedThere_andTlsMeansHttpsWithoutACertificateCheck() {
        assertEquals("https://10.1.2.3:5000", bound("10.1.2.3", true).url().toString());
        assertEquals("http://[fd00::1]:5000", bound("fd00::1", false).url().toString());
        assertTrue(bound("10.1.2.3", true).endpoint("this Berth", null, "test").insecure());
    }
}
