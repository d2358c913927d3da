package io.berth.store.proxy;

import io.berth.store.Blobs;
import io.berth.store.oci.Digest;
import io.berth.store.oci.RepositoryName;
import io.berth.store.upstream.ChunkedBody;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One blob being fetched from an upstream into a spool file, on a thread of its own, for every
 * client that asks for it meanwhile: it is tied to none of them and goes on when they go away.
 * Readers ({@link SpoolReader}) read the spool file as bytes arrive, from any offset. The fill
 * hashes while it writes, and checks size and digest at the end; until then no reader gets the
 * last byte of its span, so a blob that turns out corrupt (or an upstream that fails mid-way)
 * breaks every reader's transfer instead of completing one. Readers finish as soon as the digest
 * is verified, without waiting for the disk; the verified blob is then fsynced, adopted by
 * the blob store and linked into every repository that joined, and readers that come meanwhile
 * read the verified spool file instead of waiting for the disk; a failed one is deleted and
 * nothing is cached.
 */
final class BlobFill implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(BlobFill.class);
    private static final int BUFFER = 256 << 10;

    /** What joining a fill found. */
    enum Joined {
        /** The fill runs (or answered 404): read it, and the repository is linked when it commits. */
        JOINED,
        /** The blob is committed already: link the repository yourself and read it from the store. */
        COMMITTED,
        /** The fill failed: start another. */
        FAILED
    }

    private final BlobFills owner;
    private final ProxyContext context;
    private final Digest digest;
    private final Path spool;
    private final Blobs blobs;
    private final ProxyCounters counters;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock:
    private final Set<RepositoryName> repositories = new LinkedHashSet<>();
    private long size = -1;
    private long written;
    private boolean absent;
    private boolean verified;
    private boolean committed;
    private Exception failure;

    BlobFill(BlobFills owner, ProxyContext context, Digest digest, Path spool, Blobs blobs, ProxyCounters counters) {
        this.owner = owner;
        this.context = context;
        this.digest = digest;
        this.spool = spool;
        this.blobs = blobs;
        this.counters = counters;
    }

    Digest digest() {
        return digest;
    }

    String project() {
        return context.project();
    }

    /**
     * Adds a repository to link the blob into when the fill commits; a fill that has committed
     * already leaves the linking to the caller.
     */
    Joined join(RepositoryName repository) {
        lock.lock();
        try {
            if (failure != null) {
                return Joined.FAILED;
            }
            if (committed) {
                return Joined.COMMITTED;
            }
            repositories.add(repository);
            return Joined.JOINED;
        } finally {
            lock.unlock();
        }
    }

    /** The blob's size once the upstream's headers gave it; empty when the upstream does not have it. */
    OptionalLong awaitSize(Deadline deadline) throws Exception {
        counters.blobFillWaiters.incrementAndGet();
        lock.lock();
        try {
            while (size < 0 && !absent && failure == null) {
                long left = deadline.remainingNanos();
                if (left <= 0) {
                    throw new TimeoutException("no answer within the deadline");
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for blob " + digest);
                }
            }
            if (failure != null && !verified) {
                throw failure;
            }
            return absent ? OptionalLong.empty() : OptionalLong.of(size);
        } finally {
            lock.unlock();
            counters.blobFillWaiters.decrementAndGet();
        }
    }

    /** The size when the upstream's headers have given it. */
    OptionalLong knownSize() {
        lock.lock();
        try {
            return size < 0 || failure != null ? OptionalLong.empty() : OptionalLong.of(size);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A reader of {@code length} bytes from {@code offset} of the spool file, also while a verified
     * blob is being made durable; empty when the store has taken the blob in (read it from there,
     * even before its links are written). Fails when the fill failed.
     */
    Optional<SpoolReader> openReader(long offset, long length) throws IOException {
        lock.lock();
        try {
            if (failure != null) {
                throw new IOException("fetching blob " + digest + " from the upstream failed", failure);
            }
            if (committed) {
                return Optional.empty();
            }
            if (size < 0 || offset < 0 || length < 0 || offset + length > size) {
                throw new IllegalArgumentException("span " + offset + "+" + length + " is outside blob " + digest
                        + " of " + size + " bytes");
            }
            FileChannel file;
            try {
                file = FileChannel.open(spool, StandardOpenOption.READ);
            } catch (NoSuchFileException e) { // the store took the verified file in, or the fill failed and deleted it
                while (!verified && failure == null) {
                    awaitChange();
                }
                if (failure == null) {
                    return Optional.empty(); // read it from the store, without waiting for the links
                }
                throw new IOException("fetching blob " + digest + " from the upstream failed", failure);
            }
            return Optional.of(new SpoolReader(this, file, offset, offset + length, counters));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until bytes after {@code position} may be read by a reader whose span ends at
     * {@code end}, and returns the position up to which they may: everything once verified, else
     * what was written but never the span's last byte.
     */
    long awaitReadable(long position, long end, SpoolReader reader) throws IOException {
        lock.lock();
        try {
            while (true) {
                if (!reader.isOpen()) {
                    throw new AsynchronousCloseException();
                }
                if (verified) {
                    return end;
                }
                if (failure != null) {
                    throw new IOException("fetching blob " + digest + " from the upstream failed: "
                            + UpstreamFailures.describe(failure) + "; the transfer is broken off", failure);
                }
                long readable = Math.min(written, end - 1);
                if (readable > position) {
                    return readable;
                }
                awaitChange();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes readers, so that one just closed sees it. */
    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        counters.blobFillsRunning.incrementAndGet();
        try {
            RepositoryName first = firstRepository();
            OptionalLong held = blobs.size(first, digest);
            if (held.isPresent()) { // an earlier fill committed it between the caller's look and this one
                commit(null, held.getAsLong());
                return;
            }
            counters.blobFills.increment();
            Optional<Upstream.BlobStream> answer;
            try {
                answer = context.upstream().getBlob(context.upstreamName(), digest, 0);
            } catch (UpstreamException e) {
                counters.upstreamFailures.increment();
                throw e;
            }
            if (answer.isEmpty()) {
                update(() -> absent = true);
                return;
            }
            long expected;
            try (Upstream.BlobStream body = answer.get()) {
                expected = body.size();
                if (expected < 0 || body.offset() != 0 || body.length() != expected) {
                    throw new UpstreamException(UpstreamException.Kind.INVALID_RESPONSE, "blob " + digest
                            + " came as " + body.length() + " bytes from " + body.offset() + " of " + expected
                            + ", not the whole blob asked for");
                }
                spoolFrom(body.body(), expected);
            }
            commit(spool, expected);
        } catch (Exception | Error e) {
            fail(e);
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            owner.finished(this);
            counters.blobFillsRunning.decrementAndGet();
        }
    }

    /**
     * Writes the body into the spool file, hashing it, and checks its size and digest; lets readers
     * read to the end once it is verified, then fsyncs it.
     */
    private void spoolFrom(InputStream in, long expected) throws IOException {
        MessageDigest hasher = digest.algorithm().newHasher();
        try (FileChannel out = FileChannel.open(spool, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            update(() -> size = expected);
            ChunkedBody chunks = ChunkedBody.of(in, BUFFER);
            long total = 0;
            for (ByteBuffer chunk; (chunk = chunks.nextChunk()) != null; ) {
                int n = chunk.remaining();
                if (total + n > expected) {
                    throw new UpstreamException(UpstreamException.Kind.INVALID_RESPONSE, "blob " + digest
                            + " has more bytes than the " + expected + " the upstream announced");
                }
                hasher.update(chunk.duplicate());
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                total += n;
                counters.blobBytesFetched.add(n);
                long now = total;
                update(() -> written = now);
            }
            if (total != expected) {
                throw new IOException("the upstream's body of blob " + digest + " ended after " + total + " of "
                        + expected + " bytes");
            }
            Digest actual = Digest.of(digest.algorithm(), hasher.digest());
            if (!actual.equals(digest)) {
                throw new UpstreamException(UpstreamException.Kind.INVALID_RESPONSE, "the upstream sent content"
                        + " with digest " + actual + " for blob " + digest);
            }
            // Readers may finish now: what they read is verified. Only the store waits for the fsync,
            // which for a large layer takes long enough to stall every client at its last byte.
            update(() -> verified = true);
            out.force(true);
        }
    }

    /**
     * Lets readers finish, then has the store adopt the verified file and link the joined
     * repositories, and those that join while it does (they read the spool file meanwhile).
     */
    private void commit(Path verifiedFile, long verifiedSize) throws IOException {
        update(() -> {
            size = verifiedSize;
            written = verifiedSize;
            verified = true;
        });
        Path file = verifiedFile;
        Set<RepositoryName> linked = new HashSet<>();
        List<RepositoryName> into = toLink(linked);
        while (!into.isEmpty()) {
            blobs.linkFetched(file, digest, verifiedSize, into);
            linked.addAll(into);
            file = null; // the store holds it now: later rounds only link
            into = toLink(linked);
        }
        LOG.debug("proxy {}: cached blob {} ({} bytes) in {}", context.project(), digest, verifiedSize, linked);
    }

    /** The joined repositories not yet linked; when there are none, the fill is committed. */
    private List<RepositoryName> toLink(Set<RepositoryName> linked) {
        lock.lock();
        try {
            List<RepositoryName> into = repositories.stream().filter(r -> !linked.contains(r)).toList();
            if (into.isEmpty()) {
                committed = true;
                changed.signalAll();
            }
            return into;
        } finally {
            lock.unlock();
        }
    }

    /** Deletes the spool file (readers that have it open keep reading what they may), then fails every reader. */
    private void fail(Throwable e) {
        try {
            Files.deleteIfExists(spool);
        } catch (IOException deleteFailed) {
            LOG.warn("proxy {}: could not delete spool file {}: {}", context.project(), spool, deleteFailed.toString());
        }
        Exception cause = e instanceof Exception ex ? ex : new IOException(e);
        boolean wasVerified;
        lock.lock();
        try {
            failure = cause;
            wasVerified = verified;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        counters.blobFillFailures.increment();
        if (wasVerified) {
            LOG.error("proxy {}: blob {} was fetched and verified but could not be kept in the store", context.project(),
                    digest, e);
        } else {
            LOG.warn("proxy {}: fetching blob {} of {} from upstream '{}' failed ({}); nothing was cached and every"
                            + " reader's transfer was broken off", context.project(), digest, context.upstreamName(),
                    context.upstreamLabel(), UpstreamFailures.describe(e));
        }
    }

    private RepositoryName firstRepository() {
        lock.lock();
        try {
            return repositories.iterator().next();
        } finally {
            lock.unlock();
        }
    }

    /** The size a committed fill verified. */
    long committedSize() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    private void update(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void awaitChange() throws InterruptedIOException {
        try {
            changed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for blob " + digest);
        }
    }
}
