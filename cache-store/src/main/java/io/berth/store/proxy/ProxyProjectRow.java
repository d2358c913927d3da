package io.berth.store.proxy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A {@code proxy_project} row as stored; {@link #settings} reads it as {@link ProxySettings}. */
public record ProxyProjectRow(String project, long registryId, String allowlist, long freshnessSeconds,
                              String onUpstreamMissing, Long sizeBudget, Long maxAgeSeconds) {
    /** The settings this row holds. */
    public ProxySettings settings() {
        List<String> patterns = allowlist == null || allowlist.isBlank() ? List.of()
                : Arrays.stream(allowlist.split("\n")).map(String::strip).filter(p -> !p.isEmpty()).toList();
        return new ProxySettings(registryId, patterns, Duration.ofSeconds(freshnessSeconds),
                ProxySettings.OnUpstreamMissing.valueOf(onUpstreamMissing.toUpperCase(Locale.ROOT)),
                sizeBudget == null ? 0 : sizeBudget, maxAgeSeconds == null ? null : Duration.ofSeconds(maxAgeSeconds));
    }

    /** The row that stores {@code settings} for {@code project}. */
    public static ProxyProjectRow of(String project, ProxySettings settings) {
        return new ProxyProjectRow(project, settings.registryId(),
                settings.allowlist().isEmpty() ? null : String.join("\n", settings.allowlist()),
                settings.freshness().toSeconds(), settings.onUpstreamMissing().name().toLowerCase(Locale.ROOT),
                settings.sizeBudget() == 0 ? null : settings.sizeBudget(),
                settings.maxAge() == null ? null : settings.maxAge().toSeconds());
    }
}
