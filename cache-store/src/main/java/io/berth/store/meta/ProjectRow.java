package io.berth.store.meta;

import java.time.Instant;

/** A project with the number of repositories in it. */
public record ProjectRow(long id, String name, Instant createdAt, long repositoryCount) {
}
