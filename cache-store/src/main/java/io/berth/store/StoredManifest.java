package io.berth.store;

import io.berth.store.oci.Digest;

/**
 * A manifest as the store serves it: the exact bytes that were pushed, their digest and media
 * type, and the subject it refers to (null when none). {@code content} must not be modified.
 */
public record StoredManifest(Digest digest, String mediaType, byte[] content, String subject) {
}
