package io.berth.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

import java.time.Duration;

/**
 * Failed sign-ins, counted per user name and per client address with a Resilience4j rate limiter
 * each: past the limit, every sign-in of that name or from that address is refused with 429
 * {@code TOOMANYREQUESTS} and a {@code Retry-After} until the period turns, the right password
 * included (or guessing would go on). Successful sign-ins cost nothing.
 */
public final class LoginThrottle {
    private final RateLimiterConfig perUser;
    private final RateLimiterConfig perAddress;
    private final Cache<String, AtomicRateLimiter> users;
    private final Cache<String, AtomicRateLimiter> addresses;

    /** Failures allowed per name and per address within each {@code period}. */
    public LoginThrottle(int failuresPerUser, int failuresPerAddress, Duration period) {
        this.perUser = config(failuresPerUser, period);
        this.perAddress = config(failuresPerAddress, period);
        // Bounded: an attacker inventing names cannot grow it; a forgotten limiter only forgives early.
        this.users = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(period.multipliedBy(2)).build();
        this.addresses = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(period.multipliedBy(2)).build();
    }

    /** 10 failures per name and 50 per address in 5 minutes. */
    public static LoginThrottle defaults() {
        return new LoginThrottle(10, 50, Duration.ofMinutes(5));
    }

    /** Refuses a sign-in while the name or the address has used up its failures. */
    public void check(String username, String address) {
        check(users.getIfPresent(username), "sign-in as '" + username + "'");
        if (address != null) {
            check(addresses.getIfPresent(address), "sign-in from " + address);
        }
    }

    /** Counts a failed sign-in against the name and the address. */
    public void failed(String username, String address) {
        users.get(username, k -> new AtomicRateLimiter("login-user", perUser)).acquirePermission();
        if (address != null) {
            addresses.get(address, k -> new AtomicRateLimiter("login-address", perAddress)).acquirePermission();
        }
    }

    private static void check(AtomicRateLimiter limiter, String what) {
        if (limiter != null && limiter.getMetrics().getAvailablePermissions() <= 0) {
            long nanos = Math.max(limiter.getDetailedMetrics().getNanosToWait(), 1);
            throw RegistryException.retryLater(ErrorCode.TOOMANYREQUESTS, "too many failed sign-ins: " + what
                    + " is refused for now; try again later", Duration.ofNanos(nanos));
        }
    }

    private static RateLimiterConfig config(int failures, Duration period) {
        return RateLimiterConfig.custom().limitForPeriod(failures).limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO).build();
    }
}
