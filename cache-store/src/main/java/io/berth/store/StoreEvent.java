package io.berth.store;

import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;

/**
 * Something that happened to the registry's content, for audit, webhooks and event-based
 * replication. {@code tag} is null when the action was by digest.
 */
public record StoreEvent(Type type, RepositoryName repository, Digest digest, String mediaType, String tag) {
    /** What happened. */
    public enum Type { PUSHED, PULLED, DELETED }
}
