package io.berth.store.proxy;

import io.berth.store.Blobs;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Digest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Single flight for blobs: at most one upstream fetch per digest and proxy project, however many
 * clients of however many of its repositories ask at once. Fills run on the blocking executor it
 * is given and spool under its directory, which it empties of earlier runs' leftovers on start.
 */
final class BlobFills {
    private static final Logger LOG = LoggerFactory.getLogger(BlobFills.class);
    static final String SPOOL_SUFFIX = ".fill";

    private record Key(String project, Digest digest) {
    }

    private final ConcurrentHashMap<Key, BlobFill> active = new ConcurrentHashMap<>();
    private final Blobs blobs;
    private final Executor executor;
    private final Path spoolDir;
    private final ProxyCounters counters;

    BlobFills(Blobs blobs, Executor executor, Path spoolDir, ProxyCounters counters) throws IOException {
        this.blobs = blobs;
        this.executor = executor;
        this.spoolDir = spoolDir;
        this.counters = counters;
        Files.createDirectories(spoolDir);
        sweep();
    }

    /** Deletes spool files a previous run left behind (a crash mid-fill); their fills are gone. */
    private void sweep() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(spoolDir, "*" + SPOOL_SUFFIX)) {
            for (Path file : files) {
                removed += Files.deleteIfExists(file) ? 1 : 0;
            }
        }
        if (removed > 0) {
            LOG.info("removed {} spool files of unfinished blob fetches from {}", removed, spoolDir);
        }
    }

    /** The fill of the digest running for the context's project, or null. */
    BlobFill running(ProxyContext context, Digest digest) {
        return active.get(new Key(context.project(), digest));
    }

    /**
     * The fill that serves the blob to the context's repository, joined (the repository is linked
     * when it commits), or started when none runs; null when the repository links the blob
     * already, and may read it from the store.
     */
    BlobFill attach(ProxyContext context, Digest digest) throws IOException {
        Key key = new Key(context.project(), digest);
        while (true) {
            BlobFill running = active.get(key);
            if (running != null) {
                switch (running.join(context.local())) {
                    case JOINED -> {
                        return running;
                    }
                    case COMMITTED -> {
                        blobs.linkFetched(null, digest, running.committedSize(), List.of(context.local()));
                        return null;
                    }
                    case FAILED -> {
                        active.remove(key, running);
                        continue;
                    }
                }
            }
            OptionalLong held = blobs.size(context.local(), digest);
            if (held.isPresent()) {
                return null;
            }
            Path spool = spoolDir.resolve(digest.hex() + '-' + UUID.randomUUID() + SPOOL_SUFFIX);
            BlobFill fill = new BlobFill(this, context, digest, spool, blobs, counters);
            fill.join(context.local());
            if (active.putIfAbsent(key, fill) == null) {
                start(key, fill);
                return fill;
            }
        }
    }

    private void start(Key key, BlobFill fill) {
        try {
            executor.execute(fill);
        } catch (RejectedExecutionException e) {
            active.remove(key, fill);
            throw RegistryException.retryLater(ErrorCode.UNAVAILABLE, "the registry cannot start another upstream"
                    + " fetch now: try again shortly", Duration.ofSeconds(1));
        }
    }

    /** Called by a fill when it is over (committed, failed, or absent upstream). */
    void finished(BlobFill fill) {
        active.remove(new Key(fill.project(), fill.digest()), fill);
    }

    /** How many fills run. */
    int inFlight() {
        return active.size();
    }
}
