package io.berth.admin.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /projects} ({@code name} required, {@code public} false when absent,
 * {@code proxy} to create a proxy project) and of {@code PUT /projects/{name}} ({@code public} and/or
 * {@code proxy}; a {@code name} there must be the project's own).
 */
public record ProjectRequest(String name, @JsonProperty("public") Boolean isPublic, ProxyRequest proxy) {
}
