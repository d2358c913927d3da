package io.berth.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/** The {@code storage:} section: where blobs and upload sessions live. */
public class StorageSettings {
    @NotEmpty
    @JsonProperty
    public String root = "./data";

    @NotNull
    @JsonProperty
    public Duration uploadExpiry = Duration.hours(24);

    @NotNull
    @JsonProperty
    public DataSize minFreeDisk = DataSize.gibibytes(1);
}
