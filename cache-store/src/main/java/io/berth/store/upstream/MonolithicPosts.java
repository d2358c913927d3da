package io.berth.store.upstream;

/**
 * What one registry showed of single-request uploads ({@code POST ?digest=} with the blob as its
 * body, answered 201), which save a small blob the second round trip of {@code POST} then
 * {@code PUT}. Berth and most registries take them; CNCF Distribution 2.8 answers 202, ignores
 * the body and opens a session, into which the blob then goes with a {@code PUT}. Until the
 * registry has answered once, only blobs of up to {@value #TRIAL_LIMIT} bytes are tried that way,
 * so that a registry without them costs little; after a 202 they are not tried again.
 */
final class MonolithicPosts {
    /** The largest blob sent in a single POST before the registry showed that it takes them. */
    static final long TRIAL_LIMIT = 256 * 1024;

    /** Null until the registry answered one; then whether it stored the blob (201). */
    private volatile Boolean taken;

    /** Whether a blob of {@code size} bytes goes in one POST, below {@code monolithicLimit} (see PushOptions). */
    boolean worthTrying(long size, long monolithicLimit) {
        Boolean known = taken;
        if (known == null) {
            return size < monolithicLimit && size <= TRIAL_LIMIT;
        }
        return known && size < monolithicLimit;
    }

    /** Records the registry's answer: 201 (true) or 202 (false). */
    void answered(boolean stored) {
        taken = stored;
    }
}
