package io.berth.store.proxy;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream registry in memory, with switches a test turns: fail every call with a kind of
 * {@link UpstreamException}, stall a method until released, serve a blob with wrong bytes, break a
 * blob's body off mid-way, hold a body at a point until a gate opens, report a rate budget. It
 * counts the calls of each method, so tests can assert how often the proxy asked.
 */
public final class FakeUpstream implements Upstream {
    public static final String HEAD_MANIFEST = "headManifest";
    public static final String GET_MANIFEST = "getManifest";
    public static final String HEAD_BLOB = "headBlob";
    public static final String GET_BLOB = "getBlob";
    public static final String TAGS = "tags";
    public static final String REFERRERS = "referrers";

    private final RegistryEndpoint endpoint;
    private final Map<String, Digest> tags = new ConcurrentHashMap<>();
    private final Map<Digest, Manifest> manifests = new ConcurrentHashMap<>();
    private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<Digest, Manifest> referrers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> stalls = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> entered = new ConcurrentHashMap<>();
    private final Set<Digest> corrupt = ConcurrentHashMap.newKeySet();
    private final Map<Digest, Long> breakAfter = new ConcurrentHashMap<>();
    private final List<CountDownLatch> gates = new CopyOnWriteArrayList<>();
    private volatile UpstreamException failure;
    private volatile RateLimit rateLimit;
    private volatile long gateAt = -1;
    private volatile CountDownLatch gate;
    private volatile CountDownLatch gateReached = new CountDownLatch(1);

    public FakeUpstream(RegistryEndpoint.Type type) {
        this(new RegistryEndpoint(7, "fake-" + type.wireName(), type,
                List.of(URI.create("http://127.0.0.1:1")), true, null, null, null));
    }

    /** A fake upstream that answers for {@code endpoint} (its type, name and credentials). */
    public FakeUpstream(RegistryEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Serves {@code bytes} as the manifest {@code repository:tag} (tag may be null) and returns its digest. */
    public Digest putManifest(String repository, String tag, String mediaType, byte[] bytes) {
        Digest digest = Digest.sha256(bytes);
        manifests.put(digest, new Manifest(digest, mediaType, bytes.clone()));
        if (tag != null) {
            tags.put(repository + ':' + tag, digest);
        }
        return digest;
    }

    public void removeTag(String repository, String tag) {
        tags.remove(repository + ':' + tag);
    }

    public Digest putBlob(byte[] content) {
        Digest digest = Digest.sha256(content);
        blobs.put(digest, content);
        return digest;
    }

    public void putReferrers(Digest subject, byte[] index) {
        referrers.put(subject, new Manifest(Digest.sha256(index), "application/vnd.oci.image.index.v1+json", index));
    }

    /** Every call fails with {@code kind} (null: none fail). */
    public void failWith(UpstreamException.Kind kind) {
        failure = kind == null ? null : new UpstreamException(kind, kind == UpstreamException.Kind.RATE_LIMITED
                ? 429 : 503, kind == UpstreamException.Kind.RATE_LIMITED ? java.time.Duration.ofSeconds(42) : null,
                "the fake upstream fails with " + kind, null);
    }

    /** Calls of {@code method} block until the returned latch is released. */
    public CountDownLatch stall(String method) {
        CountDownLatch latch = new CountDownLatch(1);
        stalls.put(method, latch);
        gates.add(latch);
        return latch;
    }

    /** Counted down when a call of {@code method} starts; set before the call. */
    public CountDownLatch enteredLatch(String method) {
        return entered.computeIfAbsent(method, m -> new CountDownLatch(1));
    }

    /** Blob bodies hold after {@code at} bytes until the returned gate opens. */
    public CountDownLatch gateBlobsAt(long at) {
        CountDownLatch latch = new CountDownLatch(1);
        gates.add(latch);
        gateReached = new CountDownLatch(1);
        gate = latch;
        gateAt = at;
        return latch;
    }

    /** Counted down when a blob body reaches the gate of {@link #gateBlobsAt}. */
    public CountDownLatch gateReached() {
        return gateReached;
    }

    /** The blob's body carries one wrong byte (its last) from now on. */
    public void corrupt(Digest digest) {
        corrupt.add(digest);
    }

    public void repair(Digest digest) {
        corrupt.remove(digest);
        breakAfter.remove(digest);
    }

    /** The blob's body breaks off (a connection reset) after {@code bytes} bytes. */
    public void breakAfter(Digest digest, long bytes) {
        breakAfter.put(digest, bytes);
    }

    public void rateLimit(long remaining) {
        rateLimit = new RateLimit(100, remaining, 21600, "127.0.0.1");
    }

    public int calls(String method) {
        AtomicInteger count = calls.get(method);
        return count == null ? 0 : count.get();
    }

    /** Opens every stall and gate, so nothing a test started stays blocked. */
    public void releaseAll() {
        gates.forEach(CountDownLatch::countDown);
    }

    private void call(String method) throws UpstreamException {
        calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
        CountDownLatch started = entered.get(method);
        if (started != null) {
            started.countDown();
        }
        CountDownLatch stall = stalls.get(method);
        if (stall != null) {
            try {
                stall.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpstreamException(UpstreamException.Kind.TIMEOUT, "interrupted");
            }
        }
        UpstreamException fail = failure;
        if (fail != null) {
            throw fail;
        }
    }

    @Override
    public RegistryEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public Optional<ManifestHead> headManifest(String repository, String reference) throws UpstreamException {
        call(HEAD_MANIFEST);
        return find(repository, reference).map(m -> new ManifestHead(m.digest(), m.mediaType(), m.bytes().length));
    }

    @Override
    public Optional<Manifest> getManifest(String repository, String reference, long maxSize) throws UpstreamException {
        call(GET_MANIFEST);
        return find(repository, reference);
    }

    private Optional<Manifest> find(String repository, String reference) {
        Digest digest = reference.contains(":") ? Digest.parse(reference) : tags.get(repository + ':' + reference);
        return digest == null ? Optional.empty() : Optional.ofNullable(manifests.get(digest));
    }

    @Override
    public OptionalLong headBlob(String repository, Digest digest) throws UpstreamException {
        call(HEAD_BLOB);
        byte[] content = blobs.get(digest);
        return content == null ? OptionalLong.empty() : OptionalLong.of(content.length);
    }

    @Override
    public Optional<BlobStream> getBlob(String repository, Digest digest, long offset) throws UpstreamException {
        call(GET_BLOB);
        byte[] content = blobs.get(digest);
        if (content == null) {
            return Optional.empty();
        }
        byte[] served = content.clone();
        if (corrupt.contains(digest)) {
            served[served.length - 1] ^= 0x5a;
        }
        return Optional.of(new BlobStream(new Body(served, breakAfter.getOrDefault(digest, -1L), gateAt, gate,
                gateReached), 0,
                served.length, served.length));
    }

    @Override
    public Optional<TagPage> tags(String repository, String last, int limit) throws UpstreamException {
        call(TAGS);
        List<String> names = new ArrayList<>();
        for (String key : tags.keySet()) {
            if (key.startsWith(repository + ':')) {
                names.add(key.substring(repository.length() + 1));
            }
        }
        if (names.isEmpty()) {
            return Optional.empty();
        }
        names.sort(java.util.Comparator.reverseOrder()); // not lexical, as some upstreams answer
        int from = last == null ? 0 : names.indexOf(last) + 1;
        List<String> page = names.subList(from, Math.min(names.size(), from + limit));
        return Optional.of(new TagPage(page, from + limit < names.size()));
    }

    @Override
    public Optional<Manifest> referrers(String repository, Digest subject, String artifactType)
            throws UpstreamException {
        call(REFERRERS);
        return Optional.ofNullable(referrers.get(subject));
    }

    @Override
    public void ping() throws UpstreamException {
        call("ping");
    }

    @Override
    public Optional<RateLimit> rateLimit() {
        return Optional.ofNullable(rateLimit);
    }

    /** A blob body served in small pieces, which may hold at a gate or break off. */
    private static final class Body extends InputStream {
        private static final int PIECE = 16 << 10;
        private final byte[] content;
        private final long breakAt;
        private final long gateAt;
        private final CountDownLatch gate;
        private final CountDownLatch reached;
        private int position;

        Body(byte[] content, long breakAt, long gateAt, CountDownLatch gate, CountDownLatch reached) {
            this.content = content;
            this.breakAt = breakAt;
            this.gateAt = gate == null ? -1 : gateAt;
            this.gate = gate;
            this.reached = reached;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position == gateAt) {
                reached.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
            }
            if (breakAt >= 0 && position >= breakAt) {
                throw new IOException("connection reset by the fake upstream");
            }
            if (position >= content.length) {
                return -1;
            }
            long stop = content.length;
            if (gateAt > position) {
                stop = Math.min(stop, gateAt);
            }
            if (breakAt > position) {
                stop = Math.min(stop, breakAt);
            }
            int n = (int) Math.min(Math.min(len, PIECE), stop - position);
            System.arraycopy(content, position, b, off, n);
            position += n;
            return n;
        }
    }
}
