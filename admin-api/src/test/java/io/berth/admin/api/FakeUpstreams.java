package io.berth.admin.api;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamFactory;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Upstream registries for admin API tests: a ping answers as the test sets it (succeeds, or fails
 * with the exception given), and every endpoint asked for is remembered, credential and all, so a
 * test sees what the resource handed to the upstream client. The registry API itself is not served.
 */
public final class FakeUpstreams implements UpstreamFactory {
    private final List<RegistryEndpoint> asked = new CopyOnWriteArrayList<>();
    private volatile UpstreamException failure;
    private volatile Upstream.RateLimit rateLimit;

    /** Pings succeed, reporting {@code rateLimit} (null: none). */
    public void answerOk(Upstream.RateLimit rateLimit) {
        this.failure = null;
        this.rateLimit = rateLimit;
    }

    /** Pings fail with {@code failure}. */
    public void fail(UpstreamException failure) {
        this.failure = failure;
    }

    /** The endpoint asked for last. */
    public RegistryEndpoint lastAsked() {
        return asked.getLast();
    }

    @Override
    public Upstream of(RegistryEndpoint endpoint) {
        asked.add(endpoint);
        return new Upstream() {
            @Override
            public RegistryEndpoint endpoint() {
                return endpoint;
            }

            @Override
            public void ping() throws UpstreamException {
                UpstreamException e = failure;
                if (e != null) {
                    throw e;
                }
            }

            @Override
            public Optional<RateLimit> rateLimit() {
                return Optional.ofNullable(rateLimit);
            }

            @Override
            public Optional<ManifestHead> headManifest(String repository, String reference) {
                throw new UnsupportedOperationException("not served by the fake");
            }

            @Override
            public Optional<Manifest> getManifest(String repository, String reference, long maxSize) {
                throw new UnsupportedOperationException("not served by the fake");
            }

            @Override
            public OptionalLong headBlob(String repository, Digest digest) {
                throw new UnsupportedOperationException("not served by the fake");
            }

            @Override
            public Optional<BlobStream> getBlob(String repository, Digest digest, long offset) {
                throw new UnsupportedOperationException("not served by the fake");
            }

            @Override
            public Optional<TagPage> tags(String repository, String last, int limit) {
                throw new UnsupportedOperationException("not served by the fake");
            }

            @Override
            public Optional<Manifest> referrers(String repository, Digest subject, String artifactType) {
                throw new UnsupportedOperationException("not served by the fake");
            }
        };
    }
}
