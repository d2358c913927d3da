package io.berth.store.transfer.export;

import io.berth.store.upstream.Credential;
import io.berth.store.upstream.EndpointUrls;
import io.berth.store.upstream.RegistryClient;
import io.berth.store.upstream.RegistryEndpoint;
import io.berth.store.upstream.Upstream;
import io.berth.store.upstream.UpstreamClients;
import io.berth.store.upstream.UpstreamException;
import io.berth.store.upstream.UpstreamWriter;
import io.berth.store.upstream.Upstream.TagPage;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Objects;

/**
 * A registry an export reads (or an inventory or a verification lists), and the host its images'
 * full references name: {@code docker.io} for Docker Hub, {@code host[:port]} of its URL otherwise.
 * Reads go through {@link Upstream}; the catalog through the client's {@link UpstreamWriter}.
 *
 * @param reader  the V2 reads
 * @param catalog the client's write side, used only for {@code GET /v2/_catalog}
 * @param host    the registry part of full references
 * @param dockerHub whether single-component names mean {@code library/<name>}
 */
public record SourceRegistry(Upstream reader, UpstreamWriter catalog, String host, boolean dockerHub) {
    private static final int TAG_PAGE = 1000;

    public SourceRegistry {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(host, "host");
    }

    /** The registry of an upstream client, named by its endpoint's first URL. */
    public static SourceRegistry of(RegistryClient client) {
        RegistryEndpoint endpoint = client.endpoint();
        boolean hub = endpoint.type() == RegistryEndpoint.Type.DOCKER_HUB;
        URI url = endpoint.urls().getFirst();
        return new SourceRegistry(client, client.writer(), hub ? "docker.io"
                : url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort()), hub);
    }

    /**
     * A client for a registry given on the command line: its base URL ({@code https://host[:port]};
     * Docker Hub's own when it is {@code docker.io} or its registry host), and what to sign in with
     * (null: anonymous). The caller closes the client.
     */
    public static RegistryClient connect(String url, Credential credential, boolean insecure, String caPem,
                                         UpstreamClients.Options options) {
        String given = url.strip();
        boolean hub = given.equals("docker.io") || given.matches("https?://(docker\\.io|registry-1\\.docker\\.io|index\\.docker\\.io)/?");
        RegistryEndpoint.Type type = hub ? RegistryEndpoint.Type.DOCKER_HUB : RegistryEndpoint.Type.V2;
        List<URI> urls = EndpointUrls.of(type, hub ? List.of() : List.of(given));
        return new RegistryClient(new RegistryEndpoint(-1, "export-source", type, urls, insecure, caPem, credential,
                null), options);
    }

    /** The repository name the registry uses: Docker Hub's single-component names are {@code library/<name>}. */
    public String repository(String name) {
        return dockerHub && name.indexOf('/') < 0 ? "library/" + name : name;
    }

    /** Every tag of a repository (all pages), in the registry's order; none when it does not know the repository. */
    public List<String> tags(String repository) throws UpstreamException {
        List<String> tags = new ArrayList<>();
        Optional<TagPage> page = reader.tags(repository, null, TAG_PAGE);
        while (page.isPresent()) {
            tags.addAll(page.get().tags());
            if (!page.get().more() || page.get().tags().isEmpty()) {
                break;
            }
            page = reader.tags(repository, page.get().tags().getLast(), TAG_PAGE);
        }
        return tags;
    }

    /** The full reference of a tag or digest in a repository of this registry. */
    public String reference(String repository, String tagOrDigest) {
        return host + "/" + repository + (tagOrDigest.indexOf(':') >= 0 ? "@" : ":") + tagOrDigest;
    }
}
