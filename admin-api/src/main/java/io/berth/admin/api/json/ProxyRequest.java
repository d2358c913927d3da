package io.berth.admin.api.json;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.proxy.ProxySettings;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;

import java.util.List;
import java.util.Locale;

/**
 * The {@code proxy} object of a project request: the registry endpoint a proxy project mirrors and
 * how. Durations are written {@code 30s}, {@code 5m}, {@code 1h}, {@code 30d} (a bare number is
 * seconds), sizes {@code 512MiB}, {@code 10GiB} (a bare number is bytes). Creating one, only
 * {@code registryId} is needed; changing one, what is left out stays as it is.
 *
 * @param registryId        the registry endpoint's id
 * @param allowlist         upstream repositories served: globs ({@code library/*}, {@code **}) or
 *                          {@code regex:<expression>}; empty: all
 * @param freshness         how long a tag is served from the cache before it is revalidated
 * @param onUpstreamMissing {@code serve} (keep serving a cached copy the upstream no longer has) or
 *                          {@code delete}
 * @param sizeBudget        the most the cache may hold; {@code 0}: no bound
 * @param maxAge            how long an artifact not pulled stays cached; {@code 0}: no bound
 */
public record ProxyRequest(Long registryId, List<String> allowlist, String freshness, String onUpstreamMissing,
                           String sizeBudget, String maxAge) {

    /** The settings of a new proxy project; INVALID_INPUT naming the field that cannot be read. */
    public ProxySettings toNewSettings() {
        return merge(new ProxySettings(Fields.required(registryId, "proxy.registryId"), List.of(),
                ProxySettings.DEFAULT_FRESHNESS, ProxySettings.OnUpstreamMissing.SERVE, 0, null));
    }

    /** {@code current} with what this request gives instead; INVALID_INPUT naming a field that cannot be read. */
    public ProxySettings merge(ProxySettings current) {
        if (allowlist != null && allowlist.stream().anyMatch(p -> p == null)) {
            throw invalid("proxy.allowlist holds patterns (strings), not null");
        }
        return new ProxySettings(registryId == null ? current.registryId() : registryId,
                allowlist == null ? current.allowlist() : allowlist,
                freshness == null ? current.freshness() : duration("proxy.freshness", freshness),
                onUpstreamMissing == null ? current.onUpstreamMissing() : onUpstreamMissing(onUpstreamMissing),
                sizeBudget == null ? current.sizeBudget() : size("proxy.sizeBudget", sizeBudget),
                maxAge == null ? current.maxAge() : noBoundWhenZero(duration("proxy.maxAge", maxAge)));
    }

    private static java.time.Duration duration(String field, String text) {
        String value = text.strip();
        try {
            if (value.matches("[0-9]{1,12}")) {
                return java.time.Duration.ofSeconds(Long.parseLong(value));
            }
            return java.time.Duration.ofNanos(Duration.parse(value).toNanoseconds());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid(field + ": '" + text + "' is not a duration: write it as 30s, 5m, 1h or 30d");
        }
    }

    private static long size(String field, String text) {
        String value = text.strip();
        try {
            if (value.matches("[0-9]{1,19}")) {
                return Long.parseLong(value);
            }
            return DataSize.parse(value).toBytes();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid(field + ": '" + text + "' is not a size: write it as 512MiB, 10GiB or a number of bytes");
        }
    }

    private static ProxySettings.OnUpstreamMissing onUpstreamMissing(String text) {
        try {
            return ProxySettings.OnUpstreamMissing.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("proxy.onUpstreamMissing is 'serve' or 'delete', not '" + text + "'");
        }
    }

    private static java.time.Duration noBoundWhenZero(java.time.Duration maxAge) {
        return maxAge.isZero() ? null : maxAge;
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.INVALID_INPUT, message);
    }
}
