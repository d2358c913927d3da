package io.berth.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.gateway.GatewayConfig;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;

/** The {@code registry:} section: where and how the V2 endpoint listens. */
public class RegistrySettings {
    @NotEmpty
    @JsonProperty
    public String bindHost = "0.0.0.0";

    @Min(0)
    @Max(65535)
    @JsonProperty
    public int port = 5000;

    @JsonProperty
    public String tlsCertFile;

    @JsonProperty
    public String tlsKeyFile;

    @NotNull
    @JsonProperty
    public DataSize maxHeaderSize = DataSize.kibibytes(16);

    @NotNull
    @JsonProperty
    public DataSize maxManifestSize = DataSize.mebibytes(4);

    @NotNull
    @JsonProperty
    public Duration idleTimeout = Duration.seconds(120);

    /** A manifest body must arrive whole, and an upload must not stall, within this time (else 408). */
    @NotNull
    @JsonProperty
    public Duration bodyTimeout = Duration.seconds(60);

    /** Request body bytes all connections may hold in memory together; 0 for half the direct memory. */
    @NotNull
    @JsonProperty
    public DataSize bodyMemory = DataSize.bytes(0);

    /** How long a stop waits for requests in progress before it closes their connections. */
    @NotNull
    @JsonProperty
    public Duration shutdownGrace = Duration.seconds(10);

    GatewayConfig toGatewayConfig() {
        return new GatewayConfig(bindHost, port, pathOrNull(tlsCertFile), pathOrNull(tlsKeyFile),
                (int) maxHeaderSize.toBytes(), maxManifestSize.toBytes(), javaDuration(idleTimeout),
                javaDuration(bodyTimeout), bodyMemory.toBytes(), javaDuration(shutdownGrace));
    }

    private static java.time.Duration javaDuration(Duration duration) {
        return java.time.Duration.ofMillis(duration.toMilliseconds());
    }

    private static Path pathOrNull(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
