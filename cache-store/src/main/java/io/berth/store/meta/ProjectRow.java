package io.berth.store.meta;

import java.time.Instant;

/** A project, its kind ({@code local}, {@code proxy}) and the number of repositories in it. */
public record ProjectRow(long id, String name, String kind, Instant createdAt, long repositoryCount) {
}
