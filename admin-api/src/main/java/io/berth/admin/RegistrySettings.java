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

    GatewayConfig toGatewayConfig() {
        return new GatewayConfig(bindHost, port, pathOrNull(tlsCertFile), pathOrNull(tlsKeyFile),
                (int) maxHeaderSize.toBytes(), maxManifestSize.toBytes(), java.time.Duration.ofMillis(idleTimeout.toMilliseconds()));
    }

    private static Path pathOrNull(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
