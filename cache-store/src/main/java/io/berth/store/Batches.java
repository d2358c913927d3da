package io.berth.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Queries over many values, a bounded number at a time: PostgreSQL's driver takes at most 32,767
 * parameters per statement, and a 4 MiB index, or a caller reading thousands of projects, can name
 * more than that.
 */
final class Batches {
    static final int SIZE = 1000;

    private Batches() {
    }

    /** What {@code query} finds over all of {@code values}, one batch after another. */
    static <T, R> List<R> collect(Collection<T> values, Function<List<T>, List<R>> query) {
        List<T> all = List.copyOf(values);
        List<R> found = new ArrayList<>();
        for (int from = 0; from < all.size(); from += SIZE) {
            found.addAll(query.apply(all.subList(from, Math.min(all.size(), from + SIZE))));
        }
        return found;
    }

    /** Whether {@code query} holds for some batch of {@code values}; stops at the first that does. */
    static <T> boolean any(Collection<T> values, Predicate<List<T>> query) {
        List<T> all = List.copyOf(values);
        for (int from = 0; from < all.size(); from += SIZE) {
            if (query.test(all.subList(from, Math.min(all.size(), from + SIZE)))) {
                return true;
            }
        }
        return false;
    }
}
