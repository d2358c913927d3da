package io.berth.gateway.hostile;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a group of clients got back: how many answers of each status, and every answer that broke
 * the rules (a 5xx other than a 503 with {@code Retry-After}, or a status the group must not see).
 */
final class Outcomes {
    private final String group;
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    Outcomes(String group) {
        this.group = group;
    }

    /** Records one answer; {@code retryAfter} is its header, if any. */
    void record(int status, Optional<String> retryAfter, String what) {
        statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
        if (status >= 500 && (status != 503 || retryAfter.isEmpty())) {
            violations.add(group + ": " + what + " -> " + status + (retryAfter.isEmpty() ? " without Retry-After" : ""));
        }
    }

    /** Records something the group's clients must never see. */
    void violation(String what) {
        violations.add(group + ": " + what);
    }

    List<String> violations() {
        return violations;
    }

    long count(int status) {
        LongAdder n = statuses.get(status);
        return n == null ? 0 : n.sum();
    }

    @Override
    public String toString() {
        return group + " " + new java.util.TreeMap<>(statuses);
    }
}
