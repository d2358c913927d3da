package io.berth.store.meta;

import java.time.Instant;

/** A repository with counts of what it holds. */
public record RepositoryRow(long id, String name, Instant createdAt, long artifactCount, long tagCount) {
}
