package io.berth.gateway.mirror;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which proxy projects serve which upstream host (an {@code ns=} value), read at one moment: the
 * configured hosts first, then the hosts of each proxy project's registry endpoint URLs (and
 * {@code docker.io} for a Docker Hub endpoint), projects in name order. Immutable.
 */
final class Namespaces {
    /** What containerd sends as {@code ns} for Docker Hub images. */
    static final String DOCKER_HUB = "docker.io";
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+])(?::[0-9]{1,5})?");

    private final Map<String, List<String>> projectsByHost;

    private Namespaces(Map<String, List<String>> projectsByHost) {
        this.projectsByHost = projectsByHost;
    }

    /**
     * The table of {@code configured} hosts (whose projects exist) and the hosts of {@code proxies}.
     *
     * @param configured host to project, of the configuration
     * @param existing   which of the configured projects exist
     * @param proxies    every proxy project with its registry endpoint, in project name order
     */
    static Namespaces of(Map<String, String> configured, List<String> existing, List<ProxyUpstream> proxies) {
        Map<String, List<String>> table = new LinkedHashMap<>();
        configured.forEach((host, project) -> {
            if (existing.contains(project)) {
                add(table, host, project);
            }
        });
        for (ProxyUpstream proxy : proxies) {
            for (String host : proxy.hosts()) {
                add(table, host, proxy.project());
            }
        }
        return new Namespaces(table);
    }

    private static void add(Map<String, List<String>> table, String host, String project) {
        List<String> projects = table.computeIfAbsent(host, h -> new ArrayList<>());
        if (!projects.contains(project)) {
            projects.add(project);
        }
    }

    /** The projects serving {@code host} (a normalised {@code ns}), the preferred one first; empty when none. */
    List<String> projectsOf(String host) {
        return projectsByHost.getOrDefault(host, List.of());
    }

    /**
     * An {@code ns} value as the table keys hosts: lower case, without surrounding blanks; empty when
     * it is no host (or {@code host:port}), which then names no proxy project.
     */
    static Optional<String> normalised(String ns) {
        if (ns == null) {
            return Optional.empty();
        }
        String host = ns.strip().toLowerCase(Locale.ROOT);
        return host.length() <= 255 && HOST.matcher(host).matches() ? Optional.of(host) : Optional.empty();
    }

    /** A configured host, normalised; IllegalArgumentException when it is no host. */
    static String normalise(String host) {
        return normalised(host).orElseThrow(() -> new IllegalArgumentException("proxy.namespaces: '" + host
                + "' is not a registry host (host or host:port, as in ghcr.io or registry.local:5000)"));
    }
}
