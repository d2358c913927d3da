package io.berth.gateway.mirror;

import io.berth.store.oci.RepositoryName;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How clients that do not name a project reach the proxy projects (configuration's {@code proxy:}
 * section).
 *
 * @param defaultProject the proxy project that serves names whose first component is no project
 *                       (dockerd's {@code registry-mirrors}, mode 1), or null for none
 * @param namespaces     extra upstream hosts ({@code ns=} values, lower case) and the proxy project
 *                       that serves each (containerd's {@code hosts.toml}, mode 2), beside the hosts
 *                       of the proxy projects' registry endpoints
 */
public record MirrorSettings(String defaultProject, Map<String, String> namespaces) {
    public MirrorSettings {
        defaultProject = defaultProject == null || defaultProject.isBlank() ? null
                : RepositoryName.checkProjectName(defaultProject.strip());
        Map<String, String> normalised = new LinkedHashMap<>();
        namespaces.forEach((host, project) -> normalised.put(Namespaces.normalise(host),
                RepositoryName.checkProjectName(project.strip())));
        namespaces = Map.copyOf(normalised);
    }

    /** No default mirror project and no extra hosts: mode 2 through the registry endpoints' hosts only. */
    public static MirrorSettings none() {
        return new MirrorSettings(null, Map.of());
    }

    /**
     * The extra hosts of a configuration value: {@code host=project} pairs separated by commas or
     * white space ({@code ghcr.io=ghcr, quay.io=quay}); IllegalArgumentException names a bad pair.
     */
    public static Map<String, String> parseNamespaces(String text) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (text == null) {
            return pairs;
        }
        for (String pair : text.trim().split("[,\\s]+")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0 || equals == pair.length() - 1) {
                throw new IllegalArgumentException("proxy.namespaces: '" + pair + "' is not host=project"
                        + " (for example ghcr.io=ghcr)");
            }
            pairs.put(pair.substring(0, equals).toLowerCase(Locale.ROOT), pair.substring(equals + 1));
        }
        return pairs;
    }
}
