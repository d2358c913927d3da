package io.berth.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.gateway.mirror.MirrorSettings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code proxy:} section: how clients that name no proxy project reach one (the mirror modes).
 * Both values can come from the environment: the namespaces as {@code host=project} pairs.
 */
public class ProxySettings {
    /**
     * Mode 1, dockerd's {@code registry-mirrors}: the proxy project that serves names whose first
     * component is no project ({@code library/nginx}); empty for none.
     */
    @JsonProperty
    public String defaultMirrorProject;

    /**
     * Mode 2, containerd's {@code hosts.toml}: upstream hosts ({@code ns=} values) and the proxy
     * project serving each, beside the hosts of the proxy projects' registry endpoints.
     */
    private final Map<String, String> namespaces = new LinkedHashMap<>();

    /**
     * The namespaces as a YAML map ({@code ghcr.io: ghcr}) or as text of {@code host=project} pairs
     * separated by commas or blanks, the form an environment variable gives.
     */
    @JsonProperty("namespaces")
    public void setNamespaces(JsonNode value) {
        namespaces.clear();
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isObject()) {
            value.properties().forEach(e -> namespaces.put(e.getKey(), e.getValue().asText()));
        } else {
            namespaces.putAll(MirrorSettings.parseNamespaces(value.asText()));
        }
    }

    @JsonProperty("namespaces")
    public Map<String, String> getNamespaces() {
        return Map.copyOf(namespaces);
    }

    /** The gateway's settings; IllegalArgumentException names a project or host that cannot be one. */
    public MirrorSettings toMirrorSettings() {
        return new MirrorSettings(defaultMirrorProject, namespaces);
    }
}
