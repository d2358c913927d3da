package io.berth.sync.copy;

import io.berth.store.oci.Digest;

/**
 * What copying one artifact reference came to.
 *
 * @param copied    whether anything was written at the destination (false: it had it already, or
 *                  override is off and its tag points elsewhere; the log says which)
 * @param digest    the artifact's manifest digest at the source
 * @param bytesSent blob bytes sent to the destination
 * @param blobsSent blobs uploaded (not found at the destination and not mounted)
 */
public record CopyOutcome(boolean copied, Digest digest, long bytesSent, int blobsSent) {
}
