package io.berth.store.meta;

import java.time.Instant;

/** One manifest of one repository, as the database holds it; pinned ones are never evicted from a proxy's cache. */
public record ArtifactRow(long id, long repositoryId, String digest, String mediaType, long size,
                         String artifactType, String subjectDigest, String annotations, Instant pushedAt,
                          Instant pulledAt, boolean pinned) {
}
