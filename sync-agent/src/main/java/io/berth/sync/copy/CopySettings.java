package io.berth.sync.copy;

import io.berth.store.upstream.PushOptions;
import io.berth.sync.filter.PlatformSelection;

import java.util.Objects;

/**
 * How an execution copies, from its policy.
 *
 * @param platforms       which children of an index to copy
 * @param override        whether a destination tag pointing at another digest is replaced
 * @param copyReferrers   whether referrers of each copied manifest are copied after it (OCI referrers API)
 * @param push            how blobs are pushed, with the execution's throttle and stop hooks
 * @param maxManifestSize the largest manifest read from the source
 * @param rewriteSparseIndex whether an index the platform filter leaves sparse is replaced by one of the selected
 *                           children only ({@link IndexRewriter}) instead of being copied unchanged
 */
public record CopySettings(PlatformSelection platforms, boolean override, boolean copyReferrers, PushOptions push,
                           long maxManifestSize, boolean rewriteSparseIndex) {
    /** The largest manifest replication reads, as the registry accepts one. */
    public static final long MAX_MANIFEST_SIZE = 4L << 20;

    public CopySettings {
        Objects.requireNonNull(platforms, "platforms");
        Objects.requireNonNull(push, "push");
    }

    /** Settings that copy indexes unchanged. */
    public CopySettings(PlatformSelection platforms, boolean override, boolean copyReferrers, PushOptions push,
                        long maxManifestSize) {
        this(platforms, override, copyReferrers, push, maxManifestSize, false);
    }
}
