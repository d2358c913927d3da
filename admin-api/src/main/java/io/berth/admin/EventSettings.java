package io.berth.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The {@code events:} section: how long events are kept and how pulls are batched into them. */
public class EventSettings {
    /** Events older than this are deleted (audit logs and replication cursors read within it). */
    @NotNull
    @JsonProperty
    public Duration retention = Duration.days(30);

    /** Audit log lines older than this are deleted. */
    @NotNull
    @JsonProperty
    public Duration auditRetention = Duration.days(365);

    /** How often counted manifest pulls are written as events. */
    @NotNull
    @JsonProperty
    public Duration pullFlushInterval = Duration.seconds(1);

    /** The most distinct pulls held between two writes; more are counted as dropped. */
    @Min(1)
    @JsonProperty
    public int maxPendingPulls = 10_000;
}
