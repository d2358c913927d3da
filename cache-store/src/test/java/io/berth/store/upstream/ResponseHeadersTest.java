package io.berth.store.upstream;

import io.berth.store.upstream.Upstream.RateLimit;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rate-limit budgets, Retry-After and Link headers, with what upstreams really send and what they get wrong. */
class ResponseHeadersTest {
    private static HttpHeaders headers(String... pairs) {
        Map<String, List<String>> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return HttpHeaders.of(map, (a, b) -> true);
    }

    @Test
    void dockerHubBudget_withWindowAndSource() {
        assertEquals(Optional.of(new RateLimit(100, 99, 21600, "203.0.113.7")), ResponseHeaders.rateLimit(headers(
                "ratelimit-limit", "100;w=21600", "ratelimit-remaining", "99;w=21600",
                "docker-ratelimit-source", "203.0.113.7")));
        assertEquals(Optional.of(new RateLimit(200, 5, 0, null)), ResponseHeaders.rateLimit(headers(
                "RateLimit-Limit", "200", "RateLimit-Remaining", "5")));
    }

    @Test
    void budget_missingOrMalformed_isAbsent() {
        assertTrue(ResponseHeaders.rateLimit(headers("ratelimit-limit", "100;w=21600")).isEmpty());
        assertTrue(ResponseHeaders.rateLimit(headers("ratelimit-limit", "lots", "ratelimit-remaining", "1")).isEmpty());
    }

    @Test
    void retryAfter_inSecondsOrAsAnHttpDate_neverNegative() {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(120)), ResponseHeaders.retryAfter(headers("Retry-After", "120"), now));
        assertEquals(Optional.of(Duration.ofSeconds(90)), ResponseHeaders.retryAfter(
                headers("Retry-After", "Sun, 01 Mar 2026 10:01:30 GMT"), now));
        assertEquals(Optional.of(Duration.ZERO), ResponseHeaders.retryAfter(
                headers("Retry-After", "Sun, 01 Mar 2026 09:00:00 GMT"), now));
        assertTrue(ResponseHeaders.retryAfter(headers("Retry-After", "soon"), now).isEmpty());
    }

    @Test
    void nextLink_isFoundWhateverItsQuotingAndCase() {
        assertTrue(ResponseHeaders.hasNextLink(headers("Link", "</v2/a/tags/list?last=b&n=2>; rel=\"next\"")));
        assertTrue(ResponseHeaders.hasNextLink(headers("Link", "</v2/a/tags/list?last=b>;REL=next")));
        assertFalse(ResponseHeaders.hasNextLink(headers("Link", "</v2/a/tags/list>; rel=\"prev\"")));
        assertFalse(ResponseHeaders.hasNextLink(headers()));
    }
}
