package io.berth.admin.replication;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/** The {@code replication:} section: how often event-based policies are reconciled. */
public class ReplicationSettings {
    /**
     * Every event-based policy also runs in full this often (stored as a {@code scheduled}
     * execution), copying what an event did not bring: a missed or failed run, history from before
     * the policy. Folded like any trigger while the policy has an active execution.
     */
    @NotNull
    @JsonProperty
    public Duration reconcileInterval = Duration.hours(1);

    /** {@link #reconcileInterval} as a {@link java.time.Duration}; at least one second. */
    public java.time.Duration reconcileIntervalValue() {
        return java.time.Duration.ofMillis(Math.max(1000, reconcileInterval.toMilliseconds()));
    }
}
