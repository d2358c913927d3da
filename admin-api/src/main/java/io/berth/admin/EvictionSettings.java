package io.berth.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/**
 * The {@code eviction:} section: how often proxy projects' caches are brought within their bounds
 * (each project's size budget and maximum age are its own settings), and how long the content of a
 * blob nothing references any more is kept before it is removed.
 */
public class EvictionSettings {
    /** Time between two eviction runs (the first runs this long after the start). */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.SECONDS)
    @JsonProperty
    public Duration interval = Duration.minutes(10);

    /**
     * How long content stays after the last reference to it went, and how recent a write keeps it:
     * a reader that found it just before may still open it, and a writer must record it within this
     * time. Keep it far longer than any push or pull takes to commit, and than clock differences
     * between instances sharing the storage.
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    public Duration gracePeriod = Duration.hours(1);

    java.time.Duration intervalValue() {
        return java.time.Duration.ofMillis(interval.toMilliseconds());
    }

    java.time.Duration gracePeriodValue() {
        return java.time.Duration.ofMillis(gracePeriod.toMilliseconds());
    }
}
