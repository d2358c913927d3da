package io.berth.store.upstream;

import io.berth.store.oci.RepositoryName;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * How one blob is pushed: the sizes that choose between one {@code PUT} and chunks, how often and
 * how patiently a failed upload is resumed, and the hooks of the task that pushes it.
 *
 * @param chunkSize       bytes per {@code PATCH} (at least {@value #MIN_CHUNK_SIZE}); a registry's
 *                        larger {@code OCI-Chunk-Min-Length} wins
 * @param monolithicLimit blobs smaller than this go in one {@code PUT} with their bytes, or in the
 *                        {@code POST} that opens the session where the registry takes that (0: always chunks)
 * @param maxResumes      how many times one upload is resumed (or started again) after failures
 * @param resumeBackoff   the wait before the first resume, doubled for each further one (or the
 *                        registry's {@code Retry-After})
 * @param minimumRate     bytes per second below which a request counts as stuck: each chunk's request
 *                        is given the endpoint's headers timeout plus its length at this rate, then is
 *                        cut and resumed. Keep it below any bandwidth limit the throttle holds
 * @param mountFrom       a repository of the same registry to mount the blob from first, or null
 * @param throttle        told the size of each piece of the body (at most {@value #PIECE_SIZE} bytes)
 *                        before it is sent; it may block to hold a bandwidth limit. It runs on the
 *                        upload's own thread, never on the HTTP client's
 * @param stopped         asked before each piece, between chunks and while waiting to resume: when it
 *                        says true the push stops with a {@link java.util.concurrent.CancellationException}
 *                        and its session is cancelled. An answer the registry is still computing is
 *                        waited for (up to the request's timeout) unless the pushing thread is interrupted
 * @param checkSource     whether the bytes read from the source are hashed on the way and checked
 *                        against the digest before the last of them is sent (see {@link #withoutSourceCheck})
 */
public record PushOptions(long chunkSize, long monolithicLimit, int maxResumes, Duration resumeBackoff,
                          long minimumRate, String mountFrom, LongConsumer throttle, BooleanSupplier stopped,
                          boolean checkSource) {
    /** The smallest chunk Berth sends (the last one of a blob aside). */
    public static final long MIN_CHUNK_SIZE = 64 * 1024;
    /** The largest piece of a body handed to the HTTP client at once (and to the throttle). */
    public static final int PIECE_SIZE = 256 * 1024;

    public PushOptions {
        Objects.requireNonNull(resumeBackoff, "resumeBackoff");
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(stopped, "stopped");
        if (chunkSize < MIN_CHUNK_SIZE || monolithicLimit < 0 || maxResumes < 0 || resumeBackoff.isNegative()
                || minimumRate < 1) {
            throw new IllegalArgumentException("push options out of range: chunkSize " + chunkSize
                    + " (at least " + MIN_CHUNK_SIZE + "), monolithicLimit " + monolithicLimit + ", maxResumes "
                    + maxResumes + ", resumeBackoff " + resumeBackoff + ", minimumRate " + minimumRate);
        }
    }

    /**
     * 16 MiB chunks, one {@code PUT} below 8 MiB, 5 resumes from a 1 s backoff, a floor of 16 KiB/s,
     * no mount, no throttle, never stopped.
     */
    public static PushOptions defaults() {
        return new PushOptions(16L << 20, 8L << 20, 5, Duration.ofSeconds(1), 16 * 1024, null, bytes -> { },
                () -> false, true);
    }

    public PushOptions withChunks(long chunk, long monolithicBelow) {
        return new PushOptions(chunk, monolithicBelow, maxResumes, resumeBackoff, minimumRate, mountFrom, throttle,
                stopped, checkSource);
    }

    public PushOptions withResumes(int resumes, Duration firstBackoff) {
        return new PushOptions(chunkSize, monolithicLimit, resumes, firstBackoff, minimumRate, mountFrom, throttle,
                stopped, checkSource);
    }

    public PushOptions withMinimumRate(long bytesPerSecond) {
        return new PushOptions(chunkSize, monolithicLimit, maxResumes, resumeBackoff, bytesPerSecond, mountFrom,
                throttle, stopped, checkSource);
    }

    /** Mounts from {@code repository} (of the same registry) first; null: no mount. */
    public PushOptions withMountFrom(String repository) {
        if (repository != null) {
            RepositoryName.parse(repository);
        }
        return new PushOptions(chunkSize, monolithicLimit, maxResumes, resumeBackoff, minimumRate, repository,
                throttle, stopped, checkSource);
    }

    /**
     * The blob's bytes are not hashed on the way: the registry's own digest check (which every
     * registry makes before it commits an upload) is the only one. For sources read once from local
     * disk, where a second hash costs a core's time and catches nothing the registry would not.
     */
    public PushOptions withoutSourceCheck() {
        return new PushOptions(chunkSize, monolithicLimit, maxResumes, resumeBackoff, minimumRate, mountFrom, throttle,
                stopped, false);
    }

    /** The pushing task's hooks: its bandwidth throttle and its stop. */
    public PushOptions withHooks(LongConsumer bytesAboutToBeSent, BooleanSupplier stop) {
        return new PushOptions(chunkSize, monolithicLimit, maxResumes, resumeBackoff, minimumRate, mountFrom,
                bytesAboutToBeSent, stop, checkSource);
    }
}
