package io.berth.store.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.store.Page;
import io.berth.store.StoredManifest;
import io.berth.store.blob.BlobContent;
import io.berth.store.error.RegistryException;
import io.berth.store.oci.Descriptor;
import io.berth.store.oci.Digest;
import io.berth.store.oci.MediaTypes;
import io.berth.store.oci.Reference;
import io.berth.store.oci.ReferrersIndex;
import io.berth.store.oci.RepositoryName;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamException.Kind;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * This Berth's own content read in process, as the V2 API's read routes read it (the same
 * {@link ContentSource}s: a proxy project's repositories fetch what they lack, as they do for a
 * client), without the HTTP round trip through its own registry port: what replication reads of
 * this Berth, where the bytes would otherwise be served by the gateway and parsed back by a client
 * in the same process. Reads are not recorded as pulls (replication is not a client; eviction and
 * the pull counts see clients only). A blob whose store answers with a redirect (an object store's
 * URL) is read through {@code overHttp}, the registry port's client, which follows it.
 */
public final class InProcessUpstream implements Upstream {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most entries one listing returns: a tag page asked without a limit, the referrers (one API page). */
    private static final int PAGE = 1000;

    private final RepositoryResolver repositories;
    private final Upstream overHttp;

    public InProcessUpstream(RepositoryResolver repositories, Upstream overHttp) {
        this.repositories = repositories;
        this.overHttp = overHttp;
    }

    @Override
    public RegistryEndpoint endpoint() {
        return overHttp.endpoint();
    }

    @Override
    public Optional<ManifestHead> headManifest(String repository, String reference) throws UpstreamException {
        return manifest(repository, reference).map(m -> new ManifestHead(m.digest(), m.mediaType(),
                m.content().length));
    }

    @Override
    public Optional<Manifest> getManifest(String repository, String reference, long maxSize) throws UpstreamException {
        Optional<StoredManifest> stored = manifest(repository, reference);
        if (stored.isPresent() && stored.get().content().length > maxSize) {
            throw new UpstreamException(Kind.INVALID_RESPONSE, "the manifest " + repository + ":" + reference + " is "
                    + stored.get().content().length + " bytes, more than the " + maxSize + " allowed");
        }
        return stored.map(m -> new Manifest(m.digest(), m.mediaType(), m.content()));
    }

    private Optional<StoredManifest> manifest(String repository, String reference) throws UpstreamException {
        return read(() -> content(repository).manifest(Reference.parse(reference)));
    }

    @Override
    public OptionalLong headBlob(String repository, Digest digest) throws UpstreamException {
        return read(() -> box(content(repository).blobSize(digest))).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    @Override
    public Optional<BlobStream> getBlob(String repository, Digest digest, long offset) throws UpstreamException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative blob offset " + offset);
        }
        Optional<BlobContent> opened = read(() -> {
            ContentSource content = content(repository);
            Long size = box(content.blobSizeToRead(digest));
            if (size == null) {
                return null;
            }
            if (offset > size) {
                throw new UpstreamException(Kind.INVALID_RESPONSE, "cannot read the blob " + repository + "@" + digest
                        + " from byte " + offset + ": it has " + size);
            }
            return content.openBlob(digest, offset, size - offset).orElse(null);
        });
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        BlobContent blob = opened.get();
        long total = offset + blob.length();
        InputStream body = switch (blob) {
            case BlobContent.LocalFile file -> {
                try {
                    yield Channels.newInputStream(file.file().position(file.position()));
                } catch (IOException e) {
                    close(blob);
                    throw unavailable("read the blob " + repository + "@" + digest, e);
                }
            }
            case BlobContent.Stream stream -> Channels.newInputStream(stream.channel());
            case BlobContent.Redirect redirect -> null;
        };
        if (body == null) {
            close(blob);
            return overHttp.getBlob(repository, digest, offset);
        }
        return Optional.of(new BlobStream(body, offset, blob.length(), total));
    }

    @Override
    public Optional<TagPage> tags(String repository, String last, int limit) throws UpstreamException {
        int n = limit > 0 ? limit : PAGE;
        return read(() -> {
            Page<String> page = content(repository).tags(last, n);
            return new TagPage(page.items(), page.more());
        });
    }

    @Override
    public Optional<Manifest> referrers(String repository, Digest subject, String artifactType)
            throws UpstreamException {
        return read(() -> {
            Page<Descriptor> page = content(repository).referrers(subject, artifactType, null, PAGE);
            try {
                byte[] bytes = JSON.writeValueAsBytes(ReferrersIndex.of(page.items()));
                return new Manifest(Digest.sha256(bytes), MediaTypes.OCI_INDEX, bytes);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write an index of referrers", e);
            }
        });
    }

    @Override
    public void ping() {
        // this very process answers
    }

    @Override
    public Optional<RateLimit> rateLimit() {
        return Optional.empty();
    }

    private ContentSource content(String repository) {
        return repositories.resolve(RepositoryName.parse(repository)).content();
    }

    /**
     * Runs a read: an answer of "no such thing" (unknown repository, manifest or blob) is empty, as a
     * 404 is for the HTTP client; a busy or failing store is a server error (tried again); anything
     * else is the RegistryException that says what is wrong.
     */
    private static <T> Optional<T> read(Read<T> read) throws UpstreamException {
        try {
            return Optional.ofNullable(read.run());
        } catch (RegistryException e) {
            return switch (e.code()) {
                case NAME_UNKNOWN, MANIFEST_UNKNOWN, BLOB_UNKNOWN, NOT_FOUND -> Optional.empty();
                case UNAVAILABLE, UPSTREAM_UNAVAILABLE, TOOMANYREQUESTS -> throw new UpstreamException(
                        Kind.SERVER_ERROR, e.code().status(), null, e.code().code(), e.getMessage(), e);
                default -> throw e;
            };
        } catch (IOException e) {
            throw unavailable("read this Berth's content", e);
        }
    }

    private static UpstreamException unavailable(String what, IOException e) {
        return new UpstreamException(Kind.SERVER_ERROR, 0, null, "could not " + what + ": " + e.getMessage(), e);
    }

    private static Long box(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    private static void close(BlobContent blob) {
        try {
            blob.close();
        } catch (IOException ignored) {
            // nothing was read from it
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T run() throws IOException, UpstreamException;
    }
}
