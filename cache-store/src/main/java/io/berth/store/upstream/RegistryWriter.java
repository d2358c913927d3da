package io.berth.store.upstream;

import io.berth.store.oci.Digest;
import io.berth.store.oci.Reference;
import io.berth.store.oci.RepositoryName;
import io.berth.store.upstream.UpstreamClients.Options;
import io.berth.store.upstream.UpstreamException.Kind;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static io.berth.store.upstream.RegistryClient.named;
import static io.berth.store.upstream.RegistryClient.path;

/**
 * The {@link UpstreamWriter} of one registry endpoint: the write side of its {@link RegistryClient},
 * sharing its connections, tokens, guards and counts.
 */
final class RegistryWriter implements UpstreamWriter {
    private final RegistryEndpoint endpoint;
    private final Options options;
    private final Transport transport;
    private final MonolithicPosts posts = new MonolithicPosts();

    RegistryWriter(RegistryEndpoint endpoint, Options options, Transport transport) {
        this.endpoint = endpoint;
        this.options = options;
        this.transport = transport;
    }

    @Override
    public boolean mountBlob(String repository, Digest digest, String fromRepository) throws UpstreamException {
        RepositoryName.parse(fromRepository);
        UploadRequests requests = uploads(repository);
        Optional<UploadSession> refused = requests.open(digest, fromRepository);
        refused.ifPresent(requests::cancel);
        return refused.isEmpty();
    }

    @Override
    public PushResult pushBlob(String repository, Digest digest, long size, BlobSource source, PushOptions options)
            throws UpstreamException, BlobSourceException {
        return new BlobUpload(uploads(repository), this.options, digest, size, source, options, posts).run();
    }

    @Override
    public Digest putManifest(String repository, String reference, String mediaType, byte[] bytes)
            throws UpstreamException {
        Reference ref = Reference.parse(reference);
        Digest digest = ref.digest().map(d -> Digest.of(d.algorithm(), d.algorithm().newHasher().digest(bytes)))
                .orElseGet(() -> Digest.sha256(bytes));
        if (ref.isDigest() && !digest.equals(ref.digest().get())) {
            throw new IllegalArgumentException("the manifest's bytes hash to " + digest + ", not to the reference "
                    + ref + " it is to be put under");
        }
        String what = "put the manifest " + named(repository, ref);
        return transport.execute(Call.write("PUT", path(repository, "/manifests/" + ref), push(repository), what,
                Call.Body.of(mediaType, bytes)), r -> {
            if (r.status() / 100 != 2) {
                throw WriteAnswers.refused(r, what);
            }
            Digest stored = WriteAnswers.stored(r, digest, bytes, what);
            r.discard();
            return stored;
        });
    }

    @Override
    public boolean deleteManifest(String repository, String reference) throws UpstreamException {
        Reference ref = Reference.parse(reference);
        String what = "delete the manifest " + named(repository, ref);
        return transport.execute(Call.write("DELETE", path(repository, "/manifests/" + ref),
                "repository:" + repository + ":delete", what, null), r -> WriteAnswers.deleted(r, what));
    }

    @Override
    public Optional<CatalogPage> catalog(String last, int limit) throws UpstreamException {
        StringBuilder query = new StringBuilder("/v2/_catalog");
        if (limit > 0) {
            query.append("?n=").append(limit);
        }
        if (last != null && !last.isEmpty()) {
            query.append(limit > 0 ? '&' : '?').append("last=").append(URLEncoder.encode(last, StandardCharsets.UTF_8));
        }
        String what = "list the repositories";
        try {
            return transport.execute(Call.get(query.toString(), List.of("application/json"), "registry:catalog:*", what),
                    r -> WriteAnswers.catalog(r, limit, options.maxJsonSize(), what));
        } catch (UpstreamException e) {
            // Signed in, but not allowed the catalog (Docker Hub, Harbor for non-admins): there is none to list.
            if (e.kind() == Kind.UNAUTHORIZED && (e.status() == 403
                    || e.registryCode().filter("insufficient_scope"::equalsIgnoreCase).isPresent())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private UploadRequests uploads(String repository) {
        RepositoryName.parse(repository);
        return new UploadRequests(transport, endpoint, options, repository);
    }

    private static String push(String repository) {
        return "repository:" + repository + ":pull,push";
    }
}
