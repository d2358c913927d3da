package io.berth.store.meta;

import java.time.Instant;

/**
 * A project, its kind ({@code local}, {@code proxy}), whether anyone may pull from it, the number
 * of repositories in it, and whether it accepts indexes whose children it lacks ({@link SparseIndexDao}).
 */
public record ProjectRow(long id, String name, String kind, boolean isPublic, Instant createdAt,
                         long repositoryCount, boolean allowSparseIndexes) {
}
