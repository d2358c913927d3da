package io.berth.store.meta;

/** A referrer of a subject, without its annotations: how long they are says what a page can hold. */
public record ReferrerRow(long id, String digest, String mediaType, long size, String artifactType,
                          long annotationsLength) {
}
