package io.berth.store.upstream;

import io.berth.store.upstream.Upstream.RateLimit;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the response headers that steer the client: {@code Content-Length}, Docker Hub's
 * {@code ratelimit-*} budget, {@code Retry-After} and the {@code Link} to a next page. Malformed
 * values read as absent: an upstream's odd header never fails a request by itself.
 */
final class ResponseHeaders {
    /** {@code 100;w=21600}: a count and, optionally, the window in seconds. */
    private static final Pattern BUDGET = Pattern.compile("\\s*(\\d{1,18})\\s*(?:;\\s*w\\s*=\\s*(\\d{1,18}))?.*");
    private static final Pattern NEXT_LINK = Pattern.compile("<[^>]*>\\s*;[^,]*rel\\s*=\\s*\"?next\"?",
            Pattern.CASE_INSENSITIVE);

    private ResponseHeaders() {
    }

    static OptionalLong contentLength(HttpHeaders headers) {
        return number(headers.firstValue("Content-Length").orElse(null));
    }

    /**
     * The pull budget of {@code ratelimit-limit} and {@code ratelimit-remaining} (with their
     * {@code w=} window) and its source ({@code docker-ratelimit-source}), when both counts are there.
     */
    static Optional<RateLimit> rateLimit(HttpHeaders headers) {
        Optional<String> limit = headers.firstValue("ratelimit-limit");
        Optional<String> remaining = headers.firstValue("ratelimit-remaining");
        if (limit.isEmpty() || remaining.isEmpty()) {
            return Optional.empty();
        }
        Matcher l = BUDGET.matcher(limit.get());
        Matcher r = BUDGET.matcher(remaining.get());
        if (!l.matches() || !r.matches()) {
            return Optional.empty();
        }
        String window = l.group(2) != null ? l.group(2) : r.group(2);
        String source = headers.firstValue("docker-ratelimit-source").or(() -> headers.firstValue("ratelimit-source"))
                .orElse(null);
        return Optional.of(new RateLimit(Long.parseLong(l.group(1)), Long.parseLong(r.group(1)),
                window == null ? 0 : Long.parseLong(window), source));
    }

    /** {@code Retry-After} as a wait from {@code now}: delta-seconds or an HTTP date (never negative). */
    static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::trim);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        OptionalLong seconds = number(value.get());
        if (seconds.isPresent()) {
            return Optional.of(Duration.ofSeconds(seconds.getAsLong()));
        }
        try {
            Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Whether a {@code Link} header points to a next page ({@code rel="next"}). */
    static boolean hasNextLink(HttpHeaders headers) {
        return headers.allValues("Link").stream().anyMatch(v -> NEXT_LINK.matcher(v.toLowerCase(Locale.ROOT)).find());
    }

    /** A non-negative number of up to 18 digits, or empty. */
    static OptionalLong number(String text) {
        if (text == null || text.isBlank() || text.trim().length() > 18) {
            return OptionalLong.empty();
        }
        try {
            long n = Long.parseLong(text.trim());
            return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
