package io.berth.admin.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /projects} ({@code name} required, {@code public} false when absent) and
 * of {@code PUT /projects/{name}} ({@code public}; a {@code name} there must be the project's own).
 */
public record ProjectRequest(String name, @JsonProperty("public") Boolean isPublic) {
}
