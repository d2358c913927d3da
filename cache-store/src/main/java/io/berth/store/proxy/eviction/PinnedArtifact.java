package io.berth.store.proxy.eviction;

/**
 * An artifact of a proxy project after it was pinned or unpinned.
 *
 * @param repository the repository's full name
 * @param digest     the artifact's manifest digest
 * @param pinned     whether eviction must leave it (and, for an index, its children) alone
 */
public record PinnedArtifact(String repository, String digest, boolean pinned) {
}
