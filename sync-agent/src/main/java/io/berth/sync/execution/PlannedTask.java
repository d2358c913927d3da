package io.berth.sync.execution;

/**
 * What the planner found to copy: one artifact reference of the source and its name at the destination.
 *
 * @param sourceReference a tag, or a digest for an artifact copied without a tag
 * @param digest          the artifact's manifest digest when the listing gave it, or null
 */
public record PlannedTask(String sourceRepository, String sourceReference, String destRepository,
                          String destReference, String digest) {
}
