package io.berth.admin.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.store.proxy.ProxySettings;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A proxy project's settings as the API shows them, in the forms a request takes (durations as
 * {@code 5m}, sizes as {@code 10GiB}); {@code sizeBudget} and {@code maxAge} are left out when
 * there is no bound.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProxyView(long registryId, List<String> allowlist, String freshness, String onUpstreamMissing,
                        String sizeBudget, String maxAge) {
    private static final String[] SIZE_UNITS = {"TiB", "GiB", "MiB", "KiB"};

    public static ProxyView of(ProxySettings settings) {
        return new ProxyView(settings.registryId(), settings.allowlist(), duration(settings.freshness()),
                settings.onUpstreamMissing().name().toLowerCase(Locale.ROOT),
                settings.sizeBudget() == 0 ? null : size(settings.sizeBudget()),
                settings.maxAge() == null ? null : duration(settings.maxAge()));
    }

    /** In the largest of days, hours, minutes and seconds that holds it whole. */
    static String duration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds != 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    /** In the largest binary unit that holds it whole, else in bytes. */
    static String size(long bytes) {
        for (int i = 0; i < SIZE_UNITS.length; i++) {
            long unit = 1L << (10 * (SIZE_UNITS.length - i));
            if (bytes % unit == 0) {
                return bytes / unit + SIZE_UNITS[i];
            }
        }
        return bytes + "B";
    }
}
