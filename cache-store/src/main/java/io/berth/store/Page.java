package io.berth.store;

import java.util.List;

/** One page of a sorted listing; {@code more} says whether entries follow the last one. */
public record Page<T>(List<T> items, boolean more) {
    public Page {
        items = List.copyOf(items);
    }

    /** Cuts a list fetched with one extra entry down to {@code limit}, noting whether more follow. */
    static <T> Page<T> of(List<T> fetched, int limit) {
        return fetched.size() > limit ? new Page<>(fetched.subList(0, limit), true) : new Page<>(fetched, false);
    }
}
