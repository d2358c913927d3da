package io.berth.admin;

import io.berth.store.oci.Digest;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamFactory;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Stands in for the upstream registry client until it is wired into {@link BerthApplication}: every
 * call fails with {@code NOT_ASKED} ("upstream client not wired yet"), so a registry ping answers
 * 503 instead of pretending the upstream was reached. Delete it once the real client is wired.
 */
final class UnwiredUpstreams implements UpstreamFactory {
    private static final String NOT_WIRED = "upstream client not wired yet";

    @Override
    public Upstream of(RegistryEndpoint endpoint) {
        return new Upstream() {
            @Override
            public RegistryEndpoint endpoint() {
                return endpoint;
            }

            @Override
            public Optional<ManifestHead> headManifest(String repository, String reference) throws UpstreamException {
                throw notWired();
            }

            @Override
            public Optional<Manifest> getManifest(String repository, String reference, long maxSize)
                    throws UpstreamException {
                throw notWired();
            }

            @Override
            public OptionalLong headBlob(String repository, Digest digest) throws UpstreamException {
                throw notWired();
            }

            @Override
            public Optional<BlobStream> getBlob(String repository, Digest digest, long offset) throws UpstreamException {
                throw notWired();
            }

            @Override
            public Optional<TagPage> tags(String repository, String last, int limit) throws UpstreamException {
                throw notWired();
            }

            @Override
            public Optional<Manifest> referrers(String repository, Digest subject, String artifactType)
                    throws UpstreamException {
                throw notWired();
            }

            @Override
            public void ping() throws UpstreamException {
                throw notWired();
            }

            @Override
            public Optional<RateLimit> rateLimit() {
                return Optional.empty();
            }
        };
    }

    private static UpstreamException notWired() {
        return new UpstreamException(UpstreamException.Kind.NOT_ASKED, NOT_WIRED);
    }
}
