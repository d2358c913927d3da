package io.berth.gateway.mirror;

import io.berth.store.upstream.RegistryEndpoint;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A proxy project and the registry endpoint it mirrors, as stored (public for the row mapper).
 *
 * @param type the endpoint's type ({@code docker-hub} or {@code v2})
 * @param urls its base URLs, one per line
 */
public record ProxyUpstream(String project, String type, String urls) {
    /** The hosts ({@code host} or {@code host:port}) clients name this upstream by. */
    List<String> hosts() {
        List<String> hosts = new ArrayList<>();
        if (RegistryEndpoint.Type.DOCKER_HUB.wireName().equalsIgnoreCase(type)) {
            hosts.add(Namespaces.DOCKER_HUB);
        }
        for (String line : urls == null ? new String[0] : urls.split("\n")) {
            hostOf(line.strip()).ifPresent(host -> {
                if (!hosts.contains(host)) {
                    hosts.add(host);
                }
            });
        }
        return hosts;
    }

    private static Optional<String> hostOf(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) {
                return Optional.empty();
            }
            return Namespaces.normalised(uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a URL the endpoint API let through but no client could name
        }
    }
}
