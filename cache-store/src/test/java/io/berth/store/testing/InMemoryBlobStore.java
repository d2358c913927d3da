package io.berth.store.testing;

import io.berth.store.blob.BlobContent;
import io.berth.store.blob.BlobInfo;
import io.berth.store.blob.BlobStore;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Digest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blob store in memory that serves blobs as streams, the way an object store does: a driver that
 * is not the local file system, for the storage contract and for tests of everything above the
 * store (the gateway must send a streamed blob as well as a file). It counts its opens, so tests
 * can see which path served a request.
 */
public final class InMemoryBlobStore implements BlobStore {
    private record Entry(byte[] content, Instant writtenAt) {
    }

    private final Map<Digest, Entry> blobs = new ConcurrentHashMap<>();
    private final AtomicInteger opens = new AtomicInteger();

    /** How many spans were opened for serving. */
    public int opens() {
        return opens.get();
    }

    @Override
    public OptionalLong stat(Digest digest) {
        Entry entry = blobs.get(digest);
        return entry == null ? OptionalLong.empty() : OptionalLong.of(entry.content().length);
    }

    @Override
    public Optional<BlobContent> open(Digest digest, long offset, long length) {
        Entry entry = blobs.get(digest);
        if (entry == null) {
            return Optional.empty();
        }
        if (offset < 0 || length < 0 || offset + length > entry.content().length) {
            throw new IllegalArgumentException("span " + offset + "+" + length + " is outside blob " + digest);
        }
        opens.incrementAndGet();
        InputStream span = new ByteArrayInputStream(entry.content(), (int) offset, (int) length);
        return Optional.of(new BlobContent.Stream(Channels.newChannel(span), length));
    }

    @Override
    public InputStream read(Digest digest) throws IOException {
        Entry entry = blobs.get(digest);
        if (entry == null) {
            throw new NoSuchFileException(digest.toString());
        }
        return new ByteArrayInputStream(entry.content());
    }

    @Override
    public Digest put(byte[] content, Digest.Algorithm algorithm) {
        Digest digest = Digest.of(algorithm, algorithm.newHasher().digest(content));
        write(digest, content.clone());
        return digest;
    }

    @Override
    public Digest ingest(InputStream content, Digest expected, long expectedSize) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        content.transferTo(buffer);
        byte[] bytes = buffer.toByteArray();
        if (expectedSize >= 0 && bytes.length != expectedSize) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, "content has " + bytes.length + " bytes, not "
                    + expectedSize);
        }
        Digest.Algorithm algorithm = expected == null ? Digest.Algorithm.SHA256 : expected.algorithm();
        Digest actual = Digest.of(algorithm, algorithm.newHasher().digest(bytes));
        if (expected != null && !expected.equals(actual)) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "content has digest " + actual + ", not " + expected);
        }
        write(actual, bytes);
        return actual;
    }

    @Override
    public void adopt(Path verifiedFile, Digest digest) throws IOException {
        write(digest, Files.readAllBytes(verifiedFile));
        Files.delete(verifiedFile);
    }

    /** Stores content, or refreshes the write time of content held already (its bytes never change). */
    private void write(Digest digest, byte[] content) {
        blobs.compute(digest, (d, held) -> new Entry(held == null ? content : held.content(), Instant.now()));
    }

    @Override
    public boolean refresh(Digest digest) {
        return blobs.computeIfPresent(digest, (d, held) -> new Entry(held.content(), Instant.now())) != null;
    }

    /** Makes a blob look as if it was last written at {@code writtenAt}, for tests of deletion. */
    public void backdate(Digest digest, Instant writtenAt) {
        blobs.computeIfPresent(digest, (d, held) -> new Entry(held.content(), writtenAt));
    }

    /**
     * As a store whose deletion first takes content away from its name: the entry leaves the map,
     * so a write meanwhile stores a new one, which is kept; what was taken goes back only when no
     * write came meanwhile.
     */
    @Override
    public Deletion deleteUnlessWritten(Digest digest, Instant cutoff, UnusedCheck unused) throws IOException {
        Entry taken = blobs.remove(digest);
        if (taken == null) {
            return Deletion.ABSENT;
        }
        boolean putBack = true;
        try {
            if (!taken.writtenAt().isBefore(cutoff)) {
                return Deletion.WRITTEN_SINCE;
            }
            if (!unused.stillUnused()) {
                return Deletion.IN_USE;
            }
            putBack = false;
            return Deletion.DELETED;
        } finally {
            if (putBack) {
                blobs.putIfAbsent(digest, new Entry(taken.content(), Instant.now()));
            }
        }
    }

    @Override
    public boolean delete(Digest digest) {
        return blobs.remove(digest) != null;
    }

    @Override
    public void forEach(BlobVisitor visitor) throws IOException {
        for (Map.Entry<Digest, Entry> e : List.copyOf(blobs.entrySet())) {
            visitor.visit(new BlobInfo(e.getKey(), e.getValue().content().length, e.getValue().writtenAt()));
        }
    }
}
